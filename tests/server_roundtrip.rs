//! Client and server are generated from one spec, so they agree by construction; this proves it
//! for every operation. A test implementation of the generated `server::Api` is served by the
//! generated router on 127.0.0.1, and the generated client calls every operation: the server
//! receives exactly the typed inputs the client was given, and the client decodes exactly the
//! typed answer (success, documented error, header) the implementation chose.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated_client::errors::{
    DeleteServiceDeskIntegrationError, GetServiceDeskIntegrationError,
    GetServiceDeskIntegrationTemplateError, GetStatusCheckDetailsError,
};
use generated_client::models::{
    ErrorMessageDto, ErrorResponseDto, JsonPatchOperation, JsonPatchOperationOp,
    JsonPatchOperationValue, LocaleOrigin, QueuedCheckConfigDetails, ServiceDeskIntegrationDto,
    ServiceDeskIntegrationTemplateDto, ServiceDeskIntegrationTemplateType, TooManyRequestsError,
    UnauthorizedError,
};
use generated_client::server::{self, Rejection, RequestContext, RequestPart};
use generated_client::{Client, Error, Filter, RetryPolicy, Sorters, API_PATH};
use serde_json::json;

const TOKEN: &str = "good-token";

/// What the server received, typed as the trait hands it over.
#[derive(Debug, Clone, PartialEq)]
enum Received {
    Create(ServiceDeskIntegrationDto),
    Delete(String),
    Get(String),
    Template(String),
    Types,
    /// offset, limit, sorters, filters, count.
    List(
        Option<i32>,
        Option<i32>,
        Option<String>,
        Option<String>,
        Option<bool>,
    ),
    StatusCheck,
    UpdateStatusCheck(QueuedCheckConfigDetails),
    Patch {
        id: String,
        operations: Vec<JsonPatchOperation>,
        content_type: String,
    },
    Put(String, ServiceDeskIntegrationDto),
}

/// Records every call with its operation id, and answers by a few conventions on the id:
/// `missing` -> 404, `limited` -> 429 with `Retry-After: 7`, `forbidden` -> 403, `broken` -> 500.
#[derive(Default)]
struct TestApi {
    received: Mutex<Vec<(&'static str, Received)>>,
}

impl TestApi {
    fn record(&self, context: &RequestContext, received: Received) {
        self.received
            .lock()
            .unwrap()
            .push((context.operation, received));
    }

    fn last(&self) -> Received {
        self.received.lock().unwrap().last().unwrap().1.clone()
    }

    fn calls(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

fn error_dto(detail: &str, text: &str) -> ErrorResponseDto {
    ErrorResponseDto::new()
        .with_detail_code(detail)
        .with_tracking_id("tracking")
        .with_messages(vec![ErrorMessageDto::new()
            .with_locale("en-US")
            .with_locale_origin(LocaleOrigin::Default)
            .with_text(text)])
}

fn integration(id: &str, name: &str) -> ServiceDeskIntegrationDto {
    let mut attributes = serde_json::Map::new();
    attributes.insert("instanceUrl".into(), json!("https://desk.example.com"));
    let mut dto =
        ServiceDeskIntegrationDto::new(name, "a description", "ServiceNowSDIM", attributes);
    dto.id = Some(id.into());
    dto.created = Some("2024-01-17T18:45:25.994Z".parse().unwrap());
    dto
}

macro_rules! by_id {
    ($answer:ident, $id:expr, $ok:expr) => {
        match $id.as_str() {
            "missing" => $answer::not_found(error_dto("404 Not found", "no such id")),
            "forbidden" => $answer::forbidden(error_dto("403 Forbidden", "not yours")),
            "broken" => $answer::internal_server_error(error_dto("500.0 Internal Fault", "oops")),
            "limited" => $answer::too_many_requests(
                TooManyRequestsError::new().with_message(" Rate Limit Exceeded "),
            )
            .with_retry_after(7),
            _ => $ok,
        }
    };
}

impl server::Api for TestApi {
    fn bad_request(&self, rejection: &Rejection) -> Option<ErrorResponseDto> {
        Some(error_dto(
            "400.1 Bad Request Content",
            &rejection.to_string(),
        ))
    }

    async fn authenticate(&self, context: &RequestContext) -> Result<(), UnauthorizedError> {
        match context.bearer_token() {
            Some(TOKEN) => Ok(()),
            _ => Err(UnauthorizedError::new().with_error("JWT validation failed: JWT is invalid")),
        }
    }

    async fn create_service_desk_integration(
        &self,
        context: RequestContext,
        request: server::CreateServiceDeskIntegrationRequest,
    ) -> server::CreateServiceDeskIntegrationResponse {
        let body = request.body;
        self.record(&context, Received::Create(body.clone()));
        let mut created = body;
        created.id = Some("new-id".into());
        server::CreateServiceDeskIntegrationResponse::ok(created)
    }

    async fn delete_service_desk_integration(
        &self,
        context: RequestContext,
        request: server::DeleteServiceDeskIntegrationRequest,
    ) -> server::DeleteServiceDeskIntegrationResponse {
        let id = request.id;
        use server::DeleteServiceDeskIntegrationResponse as A;
        self.record(&context, Received::Delete(id.clone()));
        by_id!(A, id, A::no_content())
    }

    async fn get_service_desk_integration(
        &self,
        context: RequestContext,
        request: server::GetServiceDeskIntegrationRequest,
    ) -> server::GetServiceDeskIntegrationResponse {
        let id = request.id;
        use server::GetServiceDeskIntegrationResponse as A;
        self.record(&context, Received::Get(id.clone()));
        by_id!(A, id, A::ok(integration(&id, "found")))
    }

    async fn get_service_desk_integration_template(
        &self,
        context: RequestContext,
        request: server::GetServiceDeskIntegrationTemplateRequest,
    ) -> server::GetServiceDeskIntegrationTemplateResponse {
        let script_name = request.script_name;
        use server::GetServiceDeskIntegrationTemplateResponse as A;
        self.record(&context, Received::Template(script_name.clone()));
        let template: ServiceDeskIntegrationTemplateDto = serde_json::from_value(json!({
            "name": script_name, "type": "Web Service SDIM", "attributes": {"url": ""},
            "provisioningConfig": {"universalManager": true}
        }))
        .unwrap();
        by_id!(A, script_name, A::ok(template))
    }

    async fn get_service_desk_integration_types(
        &self,
        context: RequestContext,
        _request: server::GetServiceDeskIntegrationTypesRequest,
    ) -> server::GetServiceDeskIntegrationTypesResponse {
        self.record(&context, Received::Types);
        server::GetServiceDeskIntegrationTypesResponse::ok(vec![
            ServiceDeskIntegrationTemplateType::new("ServiceNowSDIM", "servicenow")
                .with_name("ServiceNow"),
        ])
    }

    async fn get_service_desk_integrations(
        &self,
        context: RequestContext,
        query: server::GetServiceDeskIntegrationsRequest,
    ) -> server::GetServiceDeskIntegrationsResponse {
        self.record(
            &context,
            Received::List(
                query.offset,
                query.limit,
                query.sorters.clone(),
                query.filters.clone(),
                query.count,
            ),
        );
        // A collection of 7 items, paged as asked.
        let offset = query.offset.unwrap_or(0) as usize;
        let limit = query.limit.unwrap_or(250) as usize;
        let body = (offset..7)
            .take(limit)
            .map(|i| integration(&format!("id-{i}"), &format!("item {i}")))
            .collect();
        server::GetServiceDeskIntegrationsResponse::ok(body)
            .with_total_count(query.count.unwrap_or(false).then_some(7))
    }

    async fn get_status_check_details(
        &self,
        context: RequestContext,
        _request: server::GetStatusCheckDetailsRequest,
    ) -> server::GetStatusCheckDetailsResponse {
        self.record(&context, Received::StatusCheck);
        server::GetStatusCheckDetailsResponse::ok(QueuedCheckConfigDetails::new("30", "2"))
    }

    async fn patch_service_desk_integration(
        &self,
        context: RequestContext,
        request: server::PatchServiceDeskIntegrationRequest,
    ) -> server::PatchServiceDeskIntegrationResponse {
        let (id, body) = (request.id, request.body);
        use server::PatchServiceDeskIntegrationResponse as A;
        let content_type = context.header("content-type").unwrap_or_default().into();
        self.record(
            &context,
            Received::Patch {
                id: id.clone(),
                operations: body,
                content_type,
            },
        );
        by_id!(A, id, A::ok(integration(&id, "patched")))
    }

    async fn put_service_desk_integration(
        &self,
        context: RequestContext,
        request: server::PutServiceDeskIntegrationRequest,
    ) -> server::PutServiceDeskIntegrationResponse {
        let (id, body) = (request.id, request.body);
        use server::PutServiceDeskIntegrationResponse as A;
        self.record(&context, Received::Put(id.clone(), body.clone()));
        by_id!(A, id, A::ok(body))
    }

    async fn update_status_check_details(
        &self,
        context: RequestContext,
        request: server::UpdateStatusCheckDetailsRequest,
    ) -> server::UpdateStatusCheckDetailsResponse {
        let body = request.body;
        self.record(&context, Received::UpdateStatusCheck(body.clone()));
        server::UpdateStatusCheckDetailsResponse::ok(body)
    }
}

/// Serves `api` under `/v3` on 127.0.0.1; returns the API's base URL.
async fn serve(api: Arc<TestApi>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = server::axum::Router::new().nest(API_PATH, server::router(api));
    tokio::spawn(async move { server::axum::serve(listener, app).await.unwrap() });
    format!("http://{address}{API_PATH}")
}

async fn setup() -> (Arc<TestApi>, Client, String) {
    let api = Arc::new(TestApi::default());
    let base = serve(api.clone()).await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (api, client, base)
}

/// The operation ids of the spec, from the generator itself.
fn spec_operation_ids() -> BTreeSet<String> {
    let spec = workspace_tests::workspace().join("spec/openapi.yaml");
    let output = generator::generate(&generator::Settings::new(
        &spec,
        std::path::Path::new("generated-client"),
    ))
    .unwrap();
    let readme = &output.files["README.md"];
    assert_eq!(output.operations, 10, "the spec changed; extend this test");
    // The README lists every operation's client method; the server names them by operationId.
    let mut ids = BTreeSet::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let method = line.split('`').nth(1).unwrap();
        ids.insert(heck_camel(method));
    }
    ids
}

fn heck_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn every_operation_round_trips_through_the_generated_server() {
    let (api, client, _) = setup().await;

    let new = integration("ignored", "new one");
    let created = client.create_service_desk_integration(&new).await.unwrap();
    assert_eq!(api.last(), Received::Create(new.clone()));
    assert_eq!(created.status().as_u16(), 200);
    assert_eq!(created.id.as_deref(), Some("new-id"));
    assert_eq!(created.attributes, new.attributes);

    let found = client.get_service_desk_integration("a b/c").await.unwrap();
    assert_eq!(
        api.last(),
        Received::Get("a b/c".into()),
        "path segments are escaped and unescaped"
    );
    assert_eq!(*found, integration("a b/c", "found"));

    let replaced = client
        .put_service_desk_integration("id-1", &new)
        .await
        .unwrap();
    assert_eq!(api.last(), Received::Put("id-1".into(), new.clone()));
    assert_eq!(*replaced, new);

    let mut operation = JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/description");
    operation.value = Some(JsonPatchOperationValue::from("changed"));
    let patched = client
        .patch_service_desk_integration("id-1", &[operation.clone()])
        .await
        .unwrap();
    assert_eq!(
        api.last(),
        Received::Patch {
            id: "id-1".into(),
            operations: vec![operation],
            content_type: "application/json-patch+json".into(),
        }
    );
    assert_eq!(patched.name, "patched");

    let deleted = client
        .delete_service_desk_integration("id-1")
        .await
        .unwrap();
    assert_eq!(api.last(), Received::Delete("id-1".into()));
    assert_eq!(deleted.status().as_u16(), 204);

    let page = client.get_service_desk_integrations().await.unwrap();
    assert_eq!(api.last(), Received::List(None, None, None, None, None));
    assert_eq!(page.len(), 7);
    assert_eq!(page.total_count(), None, "no X-Total-Count unless asked");

    let template = client
        .get_service_desk_integration_template("web service")
        .await
        .unwrap();
    assert_eq!(api.last(), Received::Template("web service".into()));
    assert_eq!(template.name.as_deref(), Some("web service"));

    let types = client.get_service_desk_integration_types().await.unwrap();
    assert_eq!(api.last(), Received::Types);
    assert_eq!(types[0].script_name, "servicenow");

    let config = client.get_status_check_details().await.unwrap();
    assert_eq!(api.last(), Received::StatusCheck);
    assert_eq!(config.provisioning_status_check_interval_minutes, "30");

    let changed = QueuedCheckConfigDetails::new("15", "3");
    let updated = client.update_status_check_details(&changed).await.unwrap();
    assert_eq!(api.last(), Received::UpdateStatusCheck(changed.clone()));
    assert_eq!(*updated, changed);

    // Every operation of the spec was called, and the router told each call's operationId.
    let called: BTreeSet<String> = api
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|(operation, _)| operation.to_string())
        .collect();
    assert_eq!(called, spec_operation_ids());
}

#[tokio::test]
async fn collection_parameters_and_the_total_count_round_trip() {
    let (api, client, _) = setup().await;
    let filter = Filter::field("type")
        .is_in(["ServiceNowSDIM", "Web \"Service\" SDIM"])
        .and(Filter::field("name").eq(r"back\slash").not());
    let sorters = Sorters::new().desc("name");
    let page = client
        .get_service_desk_integrations()
        .offset(2)
        .limit(3)
        .sorters(sorters.clone())
        .filters(filter.clone())
        .count(true)
        .await
        .unwrap();
    assert_eq!(
        api.last(),
        Received::List(
            Some(2),
            Some(3),
            Some(sorters.to_string()),
            Some(filter.to_string()),
            Some(true)
        )
    );
    let names: Vec<&str> = page.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["item 2", "item 3", "item 4"]);
    assert_eq!(page.total_count(), Some(7));

    // The client's paging stream over the generated server.
    let mut stream = client
        .get_service_desk_integrations()
        .limit(3)
        .count(true)
        .stream();
    let mut all = Vec::new();
    while let Some(item) = stream.try_next().await.unwrap() {
        all.push(item.id.unwrap());
    }
    assert_eq!(all, (0..7).map(|i| format!("id-{i}")).collect::<Vec<_>>());
    assert_eq!(stream.total_count(), Some(7));
}

#[tokio::test]
async fn documented_errors_arrive_typed_with_their_headers() {
    let (_, client, _) = setup().await;
    match client.get_service_desk_integration("missing").await {
        Err(Error::Api {
            status,
            body: GetServiceDeskIntegrationError::NotFound(dto),
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(dto, error_dto("404 Not found", "no such id"));
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    match client.delete_service_desk_integration("forbidden").await {
        Err(Error::Api {
            body: DeleteServiceDeskIntegrationError::Forbidden(dto),
            ..
        }) => {
            assert_eq!(dto.detail_code.as_deref(), Some("403 Forbidden"))
        }
        other => panic!("expected a typed 403, got {other:?}"),
    }
    match client.get_service_desk_integration_template("broken").await {
        Err(Error::Api {
            body: GetServiceDeskIntegrationTemplateError::InternalServerError(dto),
            ..
        }) => {
            assert_eq!(dto.detail_code.as_deref(), Some("500.0 Internal Fault"))
        }
        other => panic!("expected a typed 500, got {other:?}"),
    }
    let err = client
        .get_service_desk_integration("limited")
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    match err {
        Error::Api {
            body: GetServiceDeskIntegrationError::TooManyRequests(body),
            ..
        } => {
            assert_eq!(body.message.as_deref(), Some(" Rate Limit Exceeded "))
        }
        other => panic!("expected a typed 429, got {other:?}"),
    }
}

#[tokio::test]
async fn authentication_comes_before_reading_the_request() {
    let (api, _, base) = setup().await;
    let stranger = Client::builder()
        .base_url(&base)
        .bearer_token("wrong")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    match stranger.get_status_check_details().await {
        Err(Error::Api {
            body: GetStatusCheckDetailsError::Unauthorized(body),
            ..
        }) => assert_eq!(
            body.error.as_deref(),
            Some("JWT validation failed: JWT is invalid")
        ),
        other => panic!("expected a typed 401, got {other:?}"),
    }
    // A broken body without a token is a 401, not a 400: the body is never read.
    generated_client::install_crypto_provider(); // reqwest here has no TLS provider of its own
    let response = reqwest::Client::new()
        .post(format!("{base}/service-desk-integrations"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(api.calls(), 0);
}

/// A raw request with the good token; returns the status and the JSON body.
async fn raw(
    base: &str,
    method: reqwest::Method,
    path_and_query: &str,
    content_type: Option<&str>,
    body: &str,
) -> (u16, serde_json::Value) {
    generated_client::install_crypto_provider(); // reqwest here has no TLS provider of its own
    let mut request = reqwest::Client::new()
        .request(method, format!("{base}{path_and_query}"))
        .bearer_auth(TOKEN)
        .body(body.to_string());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

#[tokio::test]
async fn unreadable_requests_get_the_documented_400_and_never_reach_the_implementation() {
    let (api, _, base) = setup().await;
    let json = Some("application/json");
    let cases: &[(reqwest::Method, &str, Option<&str>, &str, &str)] = &[
        (
            reqwest::Method::GET,
            "/service-desk-integrations?limit=251",
            None,
            "",
            "query parameter `limit`: 251 is outside 0..=250",
        ),
        (
            reqwest::Method::GET,
            "/service-desk-integrations?offset=-1",
            None,
            "",
            "query parameter `offset`: -1 is outside 0..=∞",
        ),
        (
            reqwest::Method::GET,
            "/service-desk-integrations?limit=ten",
            None,
            "",
            "query parameter `limit`: `ten` is not valid here: invalid type: string \"ten\", expected i32",
        ),
        (
            reqwest::Method::GET,
            "/service-desk-integrations?count=maybe",
            None,
            "",
            "query parameter `count`: `maybe` is not valid here: invalid type: string \"maybe\", expected a boolean",
        ),
        (
            reqwest::Method::POST,
            "/service-desk-integrations",
            json,
            "",
            "request body: is missing; expected a body of type application/json",
        ),
        (
            reqwest::Method::POST,
            "/service-desk-integrations",
            json,
            "{\"name\": 1}",
            "request body: at `name`: invalid type: integer `1`, expected a string",
        ),
        (
            reqwest::Method::POST,
            "/service-desk-integrations",
            json,
            "{\"name\": \"n\", \"type\": \"t\", \"attributes\": {}}",
            "request body: missing field `description`",
        ),
        (
            reqwest::Method::POST,
            "/service-desk-integrations",
            Some("text/plain"),
            "{}",
            "request body: expected Content-Type `application/json`, got text/plain",
        ),
        (
            reqwest::Method::PATCH,
            "/service-desk-integrations/x",
            json,
            "[{\"op\": \"replace\"}]",
            "request body: at `[0]`: missing field `path`",
        ),
        (
            reqwest::Method::PUT,
            "/service-desk-integrations/status-check-configuration",
            json,
            "{\"provisioningMaxStatusCheckDays\": \"2\"}",
            "request body: missing field `provisioningStatusCheckIntervalMinutes`",
        ),
    ];
    for (method, path, content_type, body, message) in cases {
        let (status, answer) = raw(&base, method.clone(), path, *content_type, body).await;
        assert_eq!(status, 400, "{method} {path} {body}: {answer}");
        let dto: ErrorResponseDto = serde_json::from_value(answer.clone()).unwrap();
        assert_eq!(
            dto.detail_code.as_deref(),
            Some("400.1 Bad Request Content"),
            "{answer}"
        );
        let text = dto.messages.unwrap()[0].text.clone().unwrap();
        // serde_json adds where in the body it went wrong (`at line 1 column 10`).
        assert!(text.starts_with(message), "{method} {path} {body}: {text}");
    }
    assert_eq!(
        api.calls(),
        0,
        "no rejected request reaches the implementation"
    );
}

#[test]
fn rejections_name_the_operation_and_the_part() {
    let rejection = Rejection {
        operation: "getServiceDeskIntegrations",
        part: RequestPart::Query,
        name: Some("limit".into()),
        message: "251 is outside 0..=250".into(),
    };
    assert_eq!(
        rejection.to_string(),
        "query parameter `limit`: 251 is outside 0..=250"
    );
}
