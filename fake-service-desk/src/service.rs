//! The fake service desk itself: an in-memory store behind the generated server trait, with the
//! live API's rules (generated ids and timestamps, 404 for unknown ids, replace-only PATCH,
//! collection parameters, bearer tokens) and nothing it does not document.

// `cluster` is deprecated in the spec, but the live API still stores, returns and filters on it.
#![allow(deprecated)]

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use generated_client::models::{
    ErrorMessageDto, ErrorResponseDto, JsonPatchOperation, JsonPatchOperationOp, LocaleOrigin,
    QueuedCheckConfigDetails, ServiceDeskIntegrationDto, ServiceDeskIntegrationTemplateDto,
    ServiceDeskIntegrationTemplateType, UnauthorizedError,
};
use generated_client::server::{self, Rejection, RequestContext};
use generated_client::Clock;
use serde_json::{json, Value};

use crate::filter::{self, Expr};
use crate::{Fault, RecordedRequest};

/// The largest `limit` the list accepts (the generated server checks it against the spec).
const DEFAULT_LIMIT: usize = 250;

/// Filterable fields of the list and their operators, as the spec documents them.
const FILTERABLE: &[(&str, &[&str])] = &[
    ("id", &["eq", "in"]),
    ("name", &["eq"]),
    ("type", &["eq", "in"]),
    ("cluster", &["eq", "in"]),
];

/// How the fake is set up.
#[derive(Clone)]
pub(crate) struct Settings {
    pub client_id: String,
    pub client_secret: String,
    pub token_lifetime: Duration,
    pub clock: Arc<dyn Clock>,
}

/// The fake service-desk API: implements the generated [`server::Api`], so
/// [`router`](Self::router) serves it with the same routes, inputs and answers as the spec.
/// Cheap to clone: clones share one store.
#[derive(Clone)]
pub struct FakeServiceDesk {
    shared: Arc<Shared>,
}

struct Shared {
    settings: Settings,
    /// The wall-clock time at `started_at` on the fake's clock: timestamps follow that clock.
    started_wall: DateTime<Utc>,
    started_at: Instant,
    state: Mutex<State>,
}

struct State {
    integrations: Vec<ServiceDeskIntegrationDto>,
    next_id: u64,
    next_tracking_id: u64,
    status_check: QueuedCheckConfigDetails,
    /// Access token -> when it expires on the fake's clock.
    tokens: BTreeMap<String, Instant>,
    tokens_issued: usize,
    pub(crate) faults: VecDeque<Fault>,
    pub(crate) requests: Vec<RecordedRequest>,
}

impl FakeServiceDesk {
    pub(crate) fn new(settings: Settings) -> Self {
        let started_at = settings.clock.now();
        FakeServiceDesk {
            shared: Arc::new(Shared {
                settings,
                started_wall: Utc::now().trunc_subsecs(3),
                started_at,
                state: Mutex::new(State {
                    integrations: Vec::new(),
                    next_id: 1,
                    next_tracking_id: 1,
                    status_check: QueuedCheckConfigDetails::new("30", "2"),
                    tokens: BTreeMap::new(),
                    tokens_issued: 0,
                    faults: VecDeque::new(),
                    requests: Vec::new(),
                }),
            }),
        }
    }

    /// The API's routes (relative to the API root, `/v3` on a tenant), served by this fake.
    pub fn router(&self) -> server::axum::Router {
        server::router(Arc::new(self.clone()))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the state whole before it can panic; a poisoned lock is still usable.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// Now, on the fake's clock, to the millisecond (as the live API writes timestamps).
    fn now(&self) -> DateTime<Utc> {
        let elapsed = self
            .shared
            .settings
            .clock
            .now()
            .saturating_duration_since(self.shared.started_at);
        let elapsed = chrono::Duration::from_std(elapsed).unwrap_or_default();
        (self.shared.started_wall + elapsed).trunc_subsecs(3)
    }

    /// Stores an integration as `POST` would (new id, `created` and `modified` now) and returns it.
    pub fn insert(&self, integration: ServiceDeskIntegrationDto) -> ServiceDeskIntegrationDto {
        let now = self.now();
        let mut state = self.lock();
        let mut integration = integration;
        integration.id = Some(generated_id(state.next_id));
        state.next_id += 1;
        integration.created = Some(now);
        integration.modified = Some(now);
        state.integrations.push(integration.clone());
        integration
    }

    /// Every stored integration, in creation order.
    pub fn integrations(&self) -> Vec<ServiceDeskIntegrationDto> {
        self.lock().integrations.clone()
    }

    /// The stored queued-ticket status check configuration.
    pub fn status_check_configuration(&self) -> QueuedCheckConfigDetails {
        self.lock().status_check.clone()
    }

    /// A new access token, valid for the configured lifetime, as `/oauth/token` hands out.
    pub fn issue_token(&self) -> (String, Duration) {
        let lifetime = self.shared.settings.token_lifetime;
        let expires = self.shared.settings.clock.now() + lifetime;
        let mut state = self.lock();
        state.tokens_issued += 1;
        let n = state.tokens_issued as u64;
        let token = format!("fake-token-{n}-{}", &generated_id(u64::MAX - n)[..16]);
        state.tokens.insert(token.clone(), expires);
        (token, lifetime)
    }

    /// How many tokens have been issued.
    pub fn tokens_issued(&self) -> usize {
        self.lock().tokens_issued
    }

    /// Makes every token issued so far expired, as if its lifetime had run out.
    pub fn expire_tokens(&self) {
        let now = self.shared.settings.clock.now();
        for expires in self.lock().tokens.values_mut() {
            *expires = now;
        }
    }

    /// Queues `count` faults: each of the next `count` API requests gets `fault` (after any
    /// queued before).
    pub fn fail_next(&self, count: usize, fault: Fault) {
        let mut state = self.lock();
        state.faults.extend(std::iter::repeat_n(fault, count));
    }

    /// Takes the next queued fault, if any.
    pub(crate) fn next_fault(&self) -> Option<Fault> {
        self.lock().faults.pop_front()
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        self.lock().requests.push(request);
    }

    /// Every request served so far (the token endpoint's too), in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// An `ErrorResponseDto` as the live API writes them.
    pub(crate) fn error(&self, detail_code: &str, text: impl Into<String>) -> ErrorResponseDto {
        let tracking_id = {
            let mut state = self.lock();
            state.next_tracking_id += 1;
            tracking_id(state.next_tracking_id)
        };
        ErrorResponseDto::new()
            .with_detail_code(detail_code)
            .with_tracking_id(tracking_id)
            .with_messages(vec![ErrorMessageDto::new()
                .with_locale("en-US")
                .with_locale_origin(LocaleOrigin::Default)
                .with_text(text)])
            .with_causes(Vec::new())
    }

    fn not_found(&self, id: &str) -> ErrorResponseDto {
        self.error(
            "404 Not found",
            format!("The service desk integration with id '{id}' was not found."),
        )
    }

    fn bad(&self, text: impl Into<String>) -> ErrorResponseDto {
        self.error("400.1 Bad Request Content", text)
    }

    /// Stamps `modified` and stores `integration` under `id`, keeping its id and `created`.
    fn replace(
        &self,
        id: &str,
        mut integration: ServiceDeskIntegrationDto,
    ) -> Option<ServiceDeskIntegrationDto> {
        let now = self.now();
        let mut state = self.lock();
        let stored = state
            .integrations
            .iter_mut()
            .find(|i| i.id.as_deref() == Some(id))?;
        integration.id = stored.id.clone();
        integration.created = stored.created;
        integration.modified = Some(now);
        *stored = integration.clone();
        Some(integration)
    }

    fn find(&self, id: &str) -> Option<ServiceDeskIntegrationDto> {
        self.lock()
            .integrations
            .iter()
            .find(|i| i.id.as_deref() == Some(id))
            .cloned()
    }
}

/// A 32-hex-digit id, like the live API's, from a counter: the same sequence every run.
/// The `n`th resource id: 32 hex digits, as the live API's ids.
pub(crate) fn generated_id(n: u64) -> String {
    id_from(n.wrapping_mul(2))
}

/// The `n`th error tracking id: 32 hex digits like a resource id, from a space of its own. The
/// first half of an id is `splitmix` of an even number, of a tracking id of an odd one, and
/// `splitmix` is a bijection, so no tracking id is ever some resource's id.
pub(crate) fn tracking_id(n: u64) -> String {
    id_from(n.wrapping_mul(2) | 1)
}

fn id_from(seed: u64) -> String {
    format!(
        "{:016x}{:016x}",
        splitmix(seed),
        splitmix(seed.wrapping_add(1))
    )
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unauthorized(message: &str) -> UnauthorizedError {
    UnauthorizedError::new().with_error(format!("JWT validation failed: {message}"))
}

impl server::Api for FakeServiceDesk {
    fn bad_request(&self, rejection: &Rejection) -> Option<ErrorResponseDto> {
        Some(self.bad(rejection.to_string()))
    }

    async fn authenticate(&self, context: &RequestContext) -> Result<(), UnauthorizedError> {
        let Some(token) = context.bearer_token() else {
            return Err(unauthorized("JWT is missing"));
        };
        let now = self.shared.settings.clock.now();
        match self.lock().tokens.get(token) {
            Some(expires) if now < *expires => Ok(()),
            Some(_) => Err(unauthorized("JWT is expired")),
            None => Err(unauthorized("JWT is invalid")),
        }
    }

    async fn create_service_desk_integration(
        &self,
        _context: RequestContext,
        request: server::CreateServiceDeskIntegrationRequest,
    ) -> server::CreateServiceDeskIntegrationResponse {
        server::CreateServiceDeskIntegrationResponse::ok(self.insert(request.body))
    }

    async fn delete_service_desk_integration(
        &self,
        _context: RequestContext,
        request: server::DeleteServiceDeskIntegrationRequest,
    ) -> server::DeleteServiceDeskIntegrationResponse {
        let id = request.id;
        use server::DeleteServiceDeskIntegrationResponse as Answer;
        let removed = {
            let mut state = self.lock();
            let before = state.integrations.len();
            state.integrations.retain(|i| i.id.as_deref() != Some(&id));
            state.integrations.len() < before
        };
        if removed {
            Answer::no_content()
        } else {
            Answer::not_found(self.not_found(&id))
        }
    }

    async fn get_service_desk_integration(
        &self,
        _context: RequestContext,
        request: server::GetServiceDeskIntegrationRequest,
    ) -> server::GetServiceDeskIntegrationResponse {
        let id = request.id;
        use server::GetServiceDeskIntegrationResponse as Answer;
        match self.find(&id) {
            Some(found) => Answer::ok(found),
            None => Answer::not_found(self.not_found(&id)),
        }
    }

    async fn get_service_desk_integration_template(
        &self,
        _context: RequestContext,
        request: server::GetServiceDeskIntegrationTemplateRequest,
    ) -> server::GetServiceDeskIntegrationTemplateResponse {
        let script_name = request.script_name;
        use server::GetServiceDeskIntegrationTemplateResponse as Answer;
        match templates()
            .into_iter()
            .find(|(name, _)| *name == script_name)
        {
            Some((_, template)) => Answer::ok(template),
            None => Answer::not_found(self.error(
                "404 Not found",
                format!("No service desk integration template has the scriptName '{script_name}'."),
            )),
        }
    }

    async fn get_service_desk_integration_types(
        &self,
        _context: RequestContext,
        _request: server::GetServiceDeskIntegrationTypesRequest,
    ) -> server::GetServiceDeskIntegrationTypesResponse {
        server::GetServiceDeskIntegrationTypesResponse::ok(types())
    }

    async fn get_service_desk_integrations(
        &self,
        _context: RequestContext,
        query: server::GetServiceDeskIntegrationsRequest,
    ) -> server::GetServiceDeskIntegrationsResponse {
        use server::GetServiceDeskIntegrationsResponse as Answer;
        let filter = match query.filters.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match filter::parse(text)
                .map_err(|err| format!("filters: {err}"))
                .and_then(|expr| check_filter(&expr).map(|()| expr))
            {
                Ok(expr) => Some(expr),
                Err(message) => return Answer::bad_request(self.bad(message)),
            },
        };
        let descending = match sort_order(query.sorters.as_deref()) {
            Ok(order) => order,
            Err(message) => return Answer::bad_request(self.bad(message)),
        };
        let mut items: Vec<ServiceDeskIntegrationDto> = self
            .lock()
            .integrations
            .iter()
            .filter(|i| filter.as_ref().is_none_or(|f| matches(f, i)))
            .cloned()
            .collect();
        match descending {
            Some(false) => items.sort_by(|a, b| a.name.cmp(&b.name)),
            Some(true) => items.sort_by(|a, b| b.name.cmp(&a.name)),
            None => {}
        }
        let total = items.len() as u64;
        let offset = query.offset.map_or(0, |o| o.max(0) as usize);
        let limit = query.limit.map_or(DEFAULT_LIMIT, |l| l.max(0) as usize);
        let page = items.into_iter().skip(offset).take(limit).collect();
        Answer::ok(page).with_total_count(query.count.unwrap_or(false).then_some(total))
    }

    async fn get_status_check_details(
        &self,
        _context: RequestContext,
        _request: server::GetStatusCheckDetailsRequest,
    ) -> server::GetStatusCheckDetailsResponse {
        server::GetStatusCheckDetailsResponse::ok(self.status_check_configuration())
    }

    async fn patch_service_desk_integration(
        &self,
        _context: RequestContext,
        request: server::PatchServiceDeskIntegrationRequest,
    ) -> server::PatchServiceDeskIntegrationResponse {
        let (id, body) = (request.id, request.body);
        use server::PatchServiceDeskIntegrationResponse as Answer;
        let Some(stored) = self.find(&id) else {
            return Answer::not_found(self.not_found(&id));
        };
        if let Some(other) = body
            .iter()
            .find(|op| op.op != JsonPatchOperationOp::Replace)
        {
            return Answer::forbidden(self.error(
                "403 Forbidden",
                format!(
                    "Only replace operations are supported; `{}` at {} is not allowed.",
                    other.op, other.path
                ),
            ));
        }
        let patched = match apply_replacements(&stored, &body) {
            Ok(patched) => patched,
            Err(message) => return Answer::bad_request(self.bad(message)),
        };
        match self.replace(&id, patched) {
            Some(updated) => Answer::ok(updated),
            None => Answer::not_found(self.not_found(&id)),
        }
    }

    async fn put_service_desk_integration(
        &self,
        _context: RequestContext,
        request: server::PutServiceDeskIntegrationRequest,
    ) -> server::PutServiceDeskIntegrationResponse {
        let (id, body) = (request.id, request.body);
        use server::PutServiceDeskIntegrationResponse as Answer;
        match self.replace(&id, body) {
            Some(updated) => Answer::ok(updated),
            None => Answer::not_found(self.not_found(&id)),
        }
    }

    async fn update_status_check_details(
        &self,
        _context: RequestContext,
        request: server::UpdateStatusCheckDetailsRequest,
    ) -> server::UpdateStatusCheckDetailsResponse {
        let body = request.body;
        use server::UpdateStatusCheckDetailsResponse as Answer;
        for (name, value) in [
            (
                "provisioningStatusCheckIntervalMinutes",
                &body.provisioning_status_check_interval_minutes,
            ),
            (
                "provisioningMaxStatusCheckDays",
                &body.provisioning_max_status_check_days,
            ),
        ] {
            if !value.trim().parse::<u32>().is_ok_and(|n| n > 0) {
                return Answer::bad_request(self.bad(format!(
                    "{name} must be a positive whole number (as a string), got {value:?}"
                )));
            }
        }
        self.lock().status_check = body.clone();
        Answer::ok(body)
    }
}

/// Refuses fields and operators the list does not support, and values that are not strings.
fn check_filter(expr: &Expr) -> Result<(), String> {
    let supported = |field: &str, op: &str| -> Result<(), String> {
        let Some((_, ops)) = FILTERABLE.iter().find(|(f, _)| *f == field) else {
            let fields: Vec<&str> = FILTERABLE.iter().map(|(f, _)| *f).collect();
            return Err(format!(
                "filters: filtering on `{field}` is not supported; supported fields: {}",
                fields.join(", ")
            ));
        };
        if !ops.contains(&op) {
            return Err(format!(
                "filters: `{field}` does not support `{op}`; supported: {}",
                ops.join(", ")
            ));
        }
        Ok(())
    };
    let string = |field: &str, value: &filter::Value| match value {
        filter::Value::String(_) => Ok(()),
        other => Err(format!(
            "filters: `{field}` is compared with strings (in double quotes), not {other}"
        )),
    };
    match expr {
        Expr::Compare { field, op, value } => {
            supported(field, op)?;
            string(field, value)
        }
        Expr::List { field, op, values } => {
            supported(field, op)?;
            values.iter().try_for_each(|v| string(field, v))
        }
        Expr::Present(field) => supported(field, "pr"),
        Expr::IsNull(field) => supported(field, "isnull"),
        Expr::Not(inner) => check_filter(inner),
        Expr::And(a, b) | Expr::Or(a, b) => {
            check_filter(a)?;
            check_filter(b)
        }
    }
}

/// Whether `integration` matches a checked filter.
fn matches(expr: &Expr, integration: &ServiceDeskIntegrationDto) -> bool {
    let field = |name: &str| -> Option<&str> {
        match name {
            "id" => integration.id.as_deref(),
            "name" => Some(&integration.name),
            "type" => Some(&integration.r#type),
            "cluster" => integration
                .cluster
                .as_ref()
                .and_then(Option::as_deref)
                .or(integration
                    .cluster_ref
                    .as_ref()
                    .and_then(|c| c.id.as_deref())),
            _ => None,
        }
    };
    let is = |name: &str, value: &filter::Value| match value {
        filter::Value::String(s) => field(name) == Some(s.as_str()),
        _ => false,
    };
    match expr {
        Expr::Compare { field, value, .. } => is(field, value),
        Expr::List { field, values, .. } => values.iter().any(|v| is(field, v)),
        Expr::Present(name) => field(name).is_some(),
        Expr::IsNull(name) => field(name).is_none(),
        Expr::Not(inner) => !matches(inner, integration),
        Expr::And(a, b) => matches(a, integration) && matches(b, integration),
        Expr::Or(a, b) => matches(a, integration) || matches(b, integration),
    }
}

/// `name` or `-name` (the list sorts by name only): `Some(descending)`, `None` for no sorting.
fn sort_order(sorters: Option<&str>) -> Result<Option<bool>, String> {
    let mut order = None;
    for sorter in sorters.unwrap_or_default().split(',').map(str::trim) {
        match sorter {
            "" => {}
            "name" => order = Some(false),
            "-name" => order = Some(true),
            other => {
                return Err(format!(
                    "sorters: sorting by `{}` is not supported; supported: name",
                    other.trim_start_matches('-')
                ))
            }
        }
    }
    Ok(order)
}

/// Applies RFC 6902 `replace` operations to a copy of `stored`; the result must still be a valid
/// integration. Members of an object may be replaced even when absent (the live API sets them).
fn apply_replacements(
    stored: &ServiceDeskIntegrationDto,
    operations: &[JsonPatchOperation],
) -> Result<ServiceDeskIntegrationDto, String> {
    let mut document = serde_json::to_value(stored).map_err(|err| err.to_string())?;
    for operation in operations {
        let path = operation.path.as_str();
        if !path.starts_with('/') {
            return Err(format!(
                "path {path:?} is not a JSON pointer to a field (it must start with /)"
            ));
        }
        if matches!(path, "/id" | "/created" | "/modified") {
            return Err(format!(
                "{path} is set by the server and cannot be replaced"
            ));
        }
        let value = match &operation.value {
            Some(value) => serde_json::to_value(value).map_err(|err| err.to_string())?,
            None => return Err(format!("replace at {path} needs a value")),
        };
        let (parent, last) = path.rsplit_once('/').unwrap_or(("", path));
        let key = last.replace("~1", "/").replace("~0", "~");
        match document.pointer_mut(parent) {
            Some(Value::Object(object)) => {
                object.insert(key, value);
            }
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(index) if index < items.len() => items[index] = value,
                _ => return Err(format!("{path} is not an element of the list at {parent}")),
            },
            _ => return Err(format!("{path} does not name a field of the integration")),
        }
    }
    // Held to the rules of a request body: a patch cannot store what a create could not.
    generated_client::server::decode_strictly(document)
        .map_err(|err| format!("the patched integration is not valid: {err}"))
}

/// The integration types the fake supports.
fn types() -> Vec<ServiceDeskIntegrationTemplateType> {
    serde_json::from_value(json!([
        {"name": "ServiceNow Service Desk", "type": "ServiceNowSDIM", "scriptName": "servicenow"},
        {"name": "Web Service SDIM", "type": "Web Service SDIM", "scriptName": "webservice"}
    ]))
    .expect("the catalogue matches the spec's types")
}

/// The templates of those types, by scriptName.
fn templates() -> Vec<(&'static str, ServiceDeskIntegrationTemplateDto)> {
    let template = |id: &str, name: &str, ty: &str, attributes: Value| {
        serde_json::from_value(json!({
            "id": id,
            "name": name,
            "created": "2024-01-17T18:45:25.994Z",
            "modified": "2024-01-17T18:45:25.994Z",
            "type": ty,
            "attributes": attributes,
            "provisioningConfig": {
                "universalManager": true,
                "managedResourceRefs": [],
                "noProvisioningRequests": true,
                "provisioningRequestExpiration": 7
            }
        }))
        .expect("the catalogue matches the spec's types")
    };
    vec![
        (
            "servicenow",
            template(
                "2c9180835d191a86015d28455b4a2329",
                "ServiceNow Service Desk",
                "ServiceNowSDIM",
                json!({"instanceUrl": "", "username": "", "password": "", "ticketType": "sc_request"}),
            ),
        ),
        (
            "webservice",
            template(
                "2c5680835d191a85765d28455b4a9823",
                "Web Service SDIM",
                "Web Service SDIM",
                json!({"url": "", "authenticationMethod": "basic"}),
            ),
        ),
    ]
}
