//! The generated client against a real HTTP server on 127.0.0.1 (wiremock, started by each test):
//! every operation's method, path, query, headers and body as sent, the typed value that came
//! back, and every documented error status decoded into its own type.

use generated_client::errors::GetServiceDeskIntegrationError as ApiError;
use generated_client::models::{
    ErrorResponseDto, JsonPatchOperation, JsonPatchOperationOp, QueuedCheckConfigDetails,
    ServiceDeskIntegrationDto,
};
use generated_client::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token";

async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    // These tests are about what is sent and how answers decode; retries have their own tests
    // (tests/runtime.rs) with an injected clock.
    let client = Client::builder()
        .base_url(&format!("{}/v3", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

fn integration_json(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "description": "A very nice Service Desk integration",
        "type": "ServiceNowSDIM",
        "created": "2024-01-17T18:45:25.994Z",
        "ownerRef": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "clusterRef": "",
        "attributes": {"property": "value"},
        "provisioningConfig": {"universalManager": true, "noProvisioningRequests": false}
    })
}

fn error_dto(code: &str) -> Value {
    json!({
        "detailCode": code,
        "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
        "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The server did not find a current representation for the target resource."}],
        "causes": []
    })
}

/// The one request the server received, checked for the headers every call carries.
async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.into_iter().next().unwrap();
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert_eq!(request.headers.get("accept").unwrap(), "application/json");
    request
}

#[tokio::test]
async fn list_sends_every_query_parameter_and_reads_the_total_count() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Total-Count", "42")
                .set_body_json(json!([
                    integration_json("1", "a"),
                    integration_json("2", "b")
                ])),
        )
        .mount(&server)
        .await;
    let page = client
        .get_service_desk_integrations()
        .offset(10)
        .limit(2)
        .sorters("-name")
        .filters(r#"name eq "John Doe""#)
        .count(true)
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.total_count(), Some(42));
    assert_eq!(page.len(), 2);
    assert_eq!(page[1].name, "b");
    assert_eq!(
        page[0].owner_ref.as_ref().unwrap().name.as_deref(),
        Some("Support")
    );
    assert!(
        page[0].cluster_ref.is_none(),
        "\"\" where an object is declared reads as absent"
    );
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("offset=10&limit=2&sorters=-name&filters=name+eq+%22John+Doe%22&count=true")
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_without_options_sends_no_query() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let page = client.get_service_desk_integrations().await.unwrap();
    assert!(page.is_empty());
    assert_eq!(page.total_count(), None);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn a_limit_above_250_is_refused_before_sending() {
    let (server, client) = server_and_client().await;
    let awaited = client.get_service_desk_integrations().limit(251).await;
    // Sent, then spawned: the future of a request refused while it was built resolves to that
    // error too.
    let spawned = tokio::spawn(client.get_service_desk_integrations().limit(251).send());
    for result in [awaited, spawned.await.unwrap()] {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(reason) if reason.contains("limit")),
            "{err}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_sent_request_owns_what_it_needs_and_waits_to_be_polled() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/one"))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("one", "n")))
        .expect(1)
        .mount(&server)
        .await;
    let id = String::from("one");
    let sending = client.get_service_desk_integration(&id).send();
    // The builder's borrows are over: the future outlives the id, the client handle, and moves
    // to another task.
    drop(id);
    drop(client);
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing is sent before the future is polled"
    );
    let got = tokio::spawn(sending).await.unwrap().unwrap();
    assert_eq!(got.id.as_deref(), Some("one"));
}

#[tokio::test]
async fn create_posts_the_body_as_json() {
    let (server, client) = server_and_client().await;
    let mut attributes = serde_json::Map::new();
    attributes.insert("key".into(), json!("value"));
    let new = ServiceDeskIntegrationDto::new("n", "d", "ServiceNowSDIM", attributes);
    Mock::given(method("POST"))
        .and(path("/v3/service-desk-integrations"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "n", "description": "d", "type": "ServiceNowSDIM", "attributes": {"key": "value"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("new-id", "n")))
        .expect(1)
        .mount(&server)
        .await;
    let created = client.create_service_desk_integration(&new).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("new-id"));
    only_request(&server).await;
}

#[tokio::test]
async fn get_put_and_delete_address_one_integration() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("abc", "one")))
        .expect(1)
        .mount(&server)
        .await;
    let found = client
        .get_service_desk_integration("abc")
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found.name, "one");

    let mut changed = found.clone();
    changed.description = "changed".into();
    let mut sent = serde_json::to_value(&changed).unwrap();
    sent.as_object_mut().unwrap().remove("clusterRef");
    Mock::given(method("PUT"))
        .and(path("/v3/service-desk-integrations/abc"))
        .and(header("content-type", "application/json"))
        .and(body_json(sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("abc", "one")))
        .expect(1)
        .mount(&server)
        .await;
    client
        .put_service_desk_integration("abc", &changed)
        .await
        .unwrap();

    Mock::given(method("DELETE"))
        .and(path("/v3/service-desk-integrations/abc"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let deleted = client.delete_service_desk_integration("abc").await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(*deleted, ());
}

#[tokio::test]
async fn patch_sends_json_patch() {
    let (server, client) = server_and_client().await;
    let mut operation = JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/description");
    operation.value = Some("New description".into());
    Mock::given(method("PATCH"))
        .and(path("/v3/service-desk-integrations/abc"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(
            json!([{"op": "replace", "path": "/description", "value": "New description"}]),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("abc", "one")))
        .expect(1)
        .mount(&server)
        .await;
    let patched = client
        .patch_service_desk_integration("abc", &[operation])
        .await
        .unwrap();
    assert_eq!(patched.id.as_deref(), Some("abc"));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration_json("x", "y")))
        .mount(&server)
        .await;
    client.get_service_desk_integration("a/b c").await.unwrap();
    assert_eq!(
        only_request(&server).await.url.path(),
        "/v3/service-desk-integrations/a%2Fb%20c"
    );
}

#[tokio::test]
async fn templates_and_types() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/templates/ServiceNowSDIM"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "t1", "name": "aName", "created": "2015-05-28T14:07:17Z", "modified": "2015-05-28T14:07:17Z",
            "type": "Web Service SDIM", "attributes": {"property": "value"},
            "provisioningConfig": {"universalManager": true, "managedResourceRefs": [], "planInitializerScript": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let template = client
        .get_service_desk_integration_template("ServiceNowSDIM")
        .await
        .unwrap();
    assert_eq!(template.r#type, "Web Service SDIM");
    assert_eq!(template.provisioning_config.universal_manager, Some(true));

    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/types"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"name": "ServiceNow", "type": "ServiceNowSDIM", "scriptName": "servicenow"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let types = client.get_service_desk_integration_types().await.unwrap();
    assert_eq!(types[0].script_name, "servicenow");
}

#[tokio::test]
async fn status_check_configuration_get_and_put() {
    let (server, client) = server_and_client().await;
    let config = json!({"provisioningStatusCheckIntervalMinutes": "30", "provisioningMaxStatusCheckDays": "2"});
    Mock::given(method("GET"))
        .and(path(
            "/v3/service-desk-integrations/status-check-configuration",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(config.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let current = client
        .get_status_check_details()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(current.provisioning_max_status_check_days, "2");

    let update = QueuedCheckConfigDetails::new("15", "3");
    Mock::given(method("PUT"))
        .and(path("/v3/service-desk-integrations/status-check-configuration"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"provisioningStatusCheckIntervalMinutes": "15", "provisioningMaxStatusCheckDays": "3"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(config))
        .expect(1)
        .mount(&server)
        .await;
    client.update_status_check_details(&update).await.unwrap();
}

/// Answers the next request with `status` and `body`, and returns the typed error (of
/// `get_service_desk_integration`, called `ApiError` here for short).
async fn error_for(status: u16, body: Value, headers: &[(&str, &str)]) -> Error<ApiError> {
    let (server, client) = server_and_client().await;
    let mut response = ResponseTemplate::new(status).set_body_json(body);
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    client
        .get_service_desk_integration("missing")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn every_documented_error_status_decodes_into_its_own_type() {
    for (status, code) in [
        (400, "400.1 Bad Request Content"),
        (403, "403 Forbidden"),
        (404, "404 Not found"),
        (500, "500.0 Internal Fault"),
    ] {
        let err = error_for(status, error_dto(code), &[]).await;
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let dto: &ErrorResponseDto = match err.api_error() {
            Some(ApiError::BadRequest(dto)) if status == 400 => dto,
            Some(ApiError::Forbidden(dto)) if status == 403 => dto,
            Some(ApiError::NotFound(dto)) if status == 404 => dto,
            Some(ApiError::InternalServerError(dto)) if status == 500 => dto,
            other => panic!("{status} decoded as {other:?}"),
        };
        assert_eq!(dto.detail_code.as_deref(), Some(code));
        assert_eq!(
            dto.messages.as_ref().unwrap()[0].locale.as_deref(),
            Some("en-US")
        );
    }

    let err = error_for(
        401,
        json!({"error": "JWT validation failed: JWT is expired"}),
        &[],
    )
    .await;
    match err {
        Error::Api {
            body: ApiError::Unauthorized(body),
            ..
        } => {
            assert_eq!(
                body.error.as_deref(),
                Some("JWT validation failed: JWT is expired")
            )
        }
        other => panic!("401 decoded as {other:?}"),
    }

    let err = error_for(
        429,
        json!({"message": " Rate Limit Exceeded "}),
        &[("Retry-After", "7")],
    )
    .await;
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
    assert!(
        matches!(err.api_error(), Some(ApiError::TooManyRequests(body)) if body.message.as_deref() == Some(" Rate Limit Exceeded "))
    );
}

#[tokio::test]
async fn the_status_decides_the_type_not_the_body_shape() {
    // A 404 whose body looks like a 429 body is still a 404 (ErrorResponseDto has no required fields).
    let err = error_for(404, json!({"message": "x"}), &[]).await;
    assert!(
        matches!(err.api_error(), Some(ApiError::NotFound(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn undecodable_and_undocumented_answers_keep_the_raw_body() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/bad"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>gateway error</html>"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations/teapot"))
        .respond_with(ResponseTemplate::new(418).set_body_string("short and stout"))
        .mount(&server)
        .await;
    let err = client
        .get_service_desk_integration("bad")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.raw_body(), Some(&b"<html>gateway error</html>"[..]));
    let err = client
        .get_service_desk_integration("teapot")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.raw_body(), Some(&b"short and stout"[..]));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_with_the_body_kept() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[{\"name\": "))
        .mount(&server)
        .await;
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status, .. } if *status == 200),
        "{err:?}"
    );
    assert_eq!(err.raw_body(), Some(&b"[{\"name\": "[..]));
}

#[tokio::test]
async fn retry_after_also_reads_an_http_date() {
    let in_a_minute = (std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let date = http_date(in_a_minute);
    let err = error_for(
        429,
        json!({"message": "slow down"}),
        &[("Retry-After", &date)],
    )
    .await;
    let wait = err.retry_after().unwrap();
    assert!(
        wait.as_secs() > 50 && wait.as_secs() <= 60,
        "{wait:?} from {date}"
    );
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for a Unix time, without a date library.
fn http_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let client = Client::new("https://acme.api.identitynow.com/v3", "secret-token-value").unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("secret-token-value"), "{debug}");
    let builder = Client::builder().bearer_token("secret-token-value");
    assert!(!format!("{builder:?}").contains("secret-token-value"));
}

#[test]
fn a_bad_base_url_is_a_build_error() {
    assert!(Client::new("not a url", "t").is_err());
    assert!(Client::new("mailto:someone@example.com", "t").is_err());
    assert_eq!(
        Client::builder().build().unwrap().base_url(),
        generated_client::DEFAULT_BASE_URL
    );
}

#[tokio::test]
async fn filters_with_quotes_arrive_as_written() {
    // The documented example filter arrives decoded exactly as written.
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .and(query_param(
            "filters",
            r#"type in ("ServiceNowSDIM","ServiceNow")"#,
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    client
        .get_service_desk_integrations()
        .filters(r#"type in ("ServiceNowSDIM","ServiceNow")"#)
        .await
        .unwrap();
}
