//! Helpers shared by the fake's HTTP tests.
// Each test file uses some of them.
#![allow(dead_code)]

use fake_service_desk::FakeServer;
use generated_client::models::{ErrorResponseDto, ServiceDeskIntegrationDto};
use generated_client::{Client, Error, RetryPolicy};
use serde_json::{json, Value as Json};

pub fn integration(name: &str, kind: &str) -> ServiceDeskIntegrationDto {
    let mut attributes = serde_json::Map::new();
    attributes.insert("instanceUrl".into(), json!("https://desk.example.com"));
    ServiceDeskIntegrationDto::new(name, "a description", kind, attributes)
}

/// A client that does not retry, so each fault and error shows as it is.
pub fn no_retries(fake: &FakeServer) -> Client {
    fake.client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A raw request with a valid token (unless `token` says otherwise): status, headers, JSON body.
pub async fn raw(
    fake: &FakeServer,
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    content_type: &str,
    body: &str,
) -> (u16, reqwest::header::HeaderMap, Json) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    generated_client::install_crypto_provider(); // reqwest here has no TLS provider of its own
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path_and_query}", fake.base_url()))
        .header("content-type", content_type)
        .body(body.to_string());
    let issued;
    let token = match token {
        Some(token) => Some(token),
        None => {
            issued = fake.issue_token().0;
            Some(issued.as_str())
        }
    };
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Json::String(text)),
    )
}

pub fn message(body: &Json) -> String {
    let dto: ErrorResponseDto = serde_json::from_value(body.clone()).unwrap();
    dto.messages.unwrap()[0].text.clone().unwrap()
}

pub fn typed_error<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> E {
    match result {
        Err(Error::Api { body, .. }) => body,
        other => panic!("expected a documented error, got {other:?}"),
    }
}
