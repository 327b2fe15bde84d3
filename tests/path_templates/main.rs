//! Run by tests/path_templates.rs against the crates generated from the fixtures
//! path-templates and ignored-headers-and-accept (with their `server` feature): every path form
//! as the client sends it, read by a server that records the raw request on 127.0.0.1, then the
//! same calls through the generated server's router. Panics on the first difference.
#![deny(warnings)]

use std::sync::{Arc, Mutex};

use ignored_headers_and_accept as headers;
use path_templates::models::Echo;
use path_templates::reqwest::StatusCode;
use path_templates::server::axum;
use path_templates::server::{self, RequestContext};
use path_templates::{Client, Error};

type Log = Arc<Mutex<Vec<String>>>;

/// Serves `app` on 127.0.0.1 (a free port); its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}/api")
}

/// A server that records each request as `METHOD path accept=[...] content-type=[...]` (the
/// path as received, percent-encoding and all) and answers `{}`, a CSV for `/report` paths.
async fn recorder() -> (String, Log) {
    let log = Log::default();
    let record = log.clone();
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let record = record.clone();
        async move {
            let all = |name: &str| -> Vec<String> {
                let values = request.headers().get_all(name).iter();
                values.map(|v| v.to_str().unwrap().to_string()).collect()
            };
            let mut line = format!(
                "{} {} accept={:?} content-type={:?}",
                request.method(),
                request.uri().path(),
                all("accept"),
                all("content-type")
            );
            if request.headers().contains_key("x-ids") {
                line.push_str(&format!(" x-ids={:?}", all("x-ids")));
            }
            record.lock().unwrap().push(line);
            let path = request.uri().path().to_string();
            let (kind, body) = match path.ends_with("/report") {
                true => ("text/csv", "a,b\n1,2"),
                false => ("application/json", "{}"),
            };
            axum::http::Response::builder()
                .header("content-type", kind)
                .body(axum::body::Body::from(body))
                .unwrap()
        }
    });
    (serve(app).await, log)
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).build().unwrap()
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// The path each call sends, exactly, values needing percent-encoding included.
async fn the_client_sends_each_path_as_its_template_says() {
    let (base, log) = recorder().await;
    let client = client(&base);
    let sent = |method: &str, path: &str| {
        format!("{method} {path} accept=[\"application/json\"] content-type=[]")
    };
    let _ = client.get_account("AC 1/2?#%é").await;
    let _ = client.get_file_with_extension("report.final", "tar gz").await;
    let _ = client.get_file("a;b=c").await;
    let _ = client.delete_file("x").await;
    let _ = client.get_pair("a-b", 7).await;
    let _ = client.get_user_by_id(42).await;
    let _ = client.cancel_job("j:1").await;
    let _ = client.batch_jobs().await;
    let _ = client.list_items().await;
    let _ = client.get_same_pair("p q").await;
    let _ = client.get_escaped("é").await;
    let _ = client.get_report("2024", "05").await;
    let _ = client.get_tags(&["a b".into(), "c,d".into()], &[1, 2]).await;
    assert_eq!(
        take(&log),
        [
            sent("GET", "/api/Accounts/AC%201%2F2%3F%23%25%C3%A9.json"),
            sent("GET", "/api/files/report.final.tar%20gz"),
            sent("GET", "/api/files/a%3Bb%3Dc"),
            sent("DELETE", "/api/files/x"),
            sent("GET", "/api/v1/a-b-7/x"),
            sent("GET", "/api/users/id_42"),
            sent("POST", "/api/jobs/j%3A1:cancel"),
            sent("POST", "/api/jobs/:batch"),
            sent("GET", "/api/items/"),
            sent("GET", "/api/pairs/p%20q/same/p%20q"),
            sent("GET", "/api/with%20space/%C3%A9"),
            sent("GET", "/api/reports/202405"),
            // Arrays in the `simple` style: items joined by commas, each item encoded.
            sent("GET", "/api/tags/a%20b,c%2Cd") + " x-ids=[\"1,2\"]",
        ]
    );

    // A value that would be a `..` segment is refused, not resolved away.
    for value in ["..", "."] {
        match client.get_file(value).await {
            Err(Error::InvalidRequest(reason)) => assert!(reason.contains("segment"), "{reason}"),
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert_eq!(take(&log), Vec::<String>::new());
}

/// One Accept (the responses' media types) and one Content-Type, whatever header parameters
/// of those names the spec declares.
async fn accept_comes_from_the_media_types_and_ignored_headers_are_not_sent() {
    let (base, log) = recorder().await;
    let client = headers::Client::builder().base_url(&base).build().unwrap();
    let widget = headers::models::Widget::new().with_name("w");
    let _ = client.create_widget(&widget).x_request_id("r-1").await;
    let _ = client.get_widget("w").await;
    let _ = client.delete_widget("w").await;
    let report = client.get_widget_report("w").await.unwrap();
    assert_eq!(report.into_inner().as_deref(), Some("a,b\n1,2"));
    assert_eq!(
        take(&log),
        [
            "POST /api/widgets accept=[\"application/vnd.widgets+json;version=2\"] content-type=[\"application/json\"]",
            "GET /api/widgets/w accept=[\"application/vnd.widgets+json;version=2, application/json\"] content-type=[]",
            "DELETE /api/widgets/w accept=[\"application/problem+json\"] content-type=[]",
            "GET /api/widgets/w/report accept=[\"text/csv\"] content-type=[]",
        ]
    );
}

/// The generated server's implementation: GETs echo the parameters they read, the others log them.
#[derive(Default)]
struct Fake {
    log: Log,
}

fn echo(operation: &str, values: &[&str]) -> Echo {
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    Echo::new().with_operation(operation).with_values(values)
}

impl server::Api for Fake {
    async fn get_account(&self, _: RequestContext, r: server::GetAccountRequest) -> server::GetAccountResponse {
        server::GetAccountResponse::ok(echo("getAccount", &[&r.sid]))
    }

    async fn get_file_with_extension(
        &self,
        _: RequestContext,
        r: server::GetFileWithExtensionRequest,
    ) -> server::GetFileWithExtensionResponse {
        server::GetFileWithExtensionResponse::ok(echo("getFileWithExtension", &[&r.name, &r.ext]))
    }

    async fn get_file(&self, _: RequestContext, r: server::GetFileRequest) -> server::GetFileResponse {
        server::GetFileResponse::ok(echo("getFile", &[&r.id]))
    }

    async fn delete_file(&self, _: RequestContext, r: server::DeleteFileRequest) -> server::DeleteFileResponse {
        self.log.lock().unwrap().push(format!("deleteFile {}", r.id));
        server::DeleteFileResponse::no_content()
    }

    async fn get_pair(&self, _: RequestContext, r: server::GetPairRequest) -> server::GetPairResponse {
        server::GetPairResponse::ok(echo("getPair", &[&r.a, &r.b.to_string()]))
    }

    async fn get_user_by_id(&self, _: RequestContext, r: server::GetUserByIdRequest) -> server::GetUserByIdResponse {
        server::GetUserByIdResponse::ok(echo("getUserById", &[&r.id.to_string()]))
    }

    async fn cancel_job(&self, _: RequestContext, r: server::CancelJobRequest) -> server::CancelJobResponse {
        self.log.lock().unwrap().push(format!("cancelJob {}", r.job));
        server::CancelJobResponse::no_content()
    }

    async fn batch_jobs(&self, _: RequestContext, _: server::BatchJobsRequest) -> server::BatchJobsResponse {
        self.log.lock().unwrap().push("batchJobs".into());
        server::BatchJobsResponse::no_content()
    }

    async fn list_items(&self, _: RequestContext, _: server::ListItemsRequest) -> server::ListItemsResponse {
        server::ListItemsResponse::ok(echo("listItems", &[]))
    }

    async fn get_same_pair(&self, _: RequestContext, r: server::GetSamePairRequest) -> server::GetSamePairResponse {
        server::GetSamePairResponse::ok(echo("getSamePair", &[&r.id]))
    }

    async fn get_escaped(&self, _: RequestContext, r: server::GetEscapedRequest) -> server::GetEscapedResponse {
        server::GetEscapedResponse::ok(echo("getEscaped", &[&r.id]))
    }

    async fn get_tags(&self, _: RequestContext, r: server::GetTagsRequest) -> server::GetTagsResponse {
        let ids: Vec<String> = r.x_ids.iter().map(|id| id.to_string()).collect();
        let values: Vec<&str> = r.names.iter().chain(&ids).map(String::as_str).collect();
        server::GetTagsResponse::ok(echo("getTags", &values))
    }
}

/// Each call reaches its own operation with the values it sent, through the generated router
/// nested where the client's base URL points.
async fn the_generated_server_routes_each_path_to_its_operation() {
    let fake = Arc::new(Fake::default());
    let log = fake.log.clone();
    let base = serve(axum::Router::new().nest("/api", server::router(fake))).await;
    let client = client(&base);
    let got = |echo: Echo| (echo.operation.unwrap_or_default(), echo.values.unwrap_or_default());
    let expect = |operation: &str, values: &[&str]| {
        (operation.to_string(), values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    };

    let account = client.get_account("AC 1/2?#%é").await.unwrap().into_inner();
    assert_eq!(got(account), expect("getAccount", &["AC 1/2?#%é"]));
    let file = client.get_file_with_extension("report", "tar gz").await.unwrap().into_inner();
    assert_eq!(got(file), expect("getFileWithExtension", &["report", "tar gz"]));
    let file = client.get_file("readme").await.unwrap().into_inner();
    assert_eq!(got(file), expect("getFile", &["readme"]));
    let file = client.get_file("a;b=c").await.unwrap().into_inner();
    assert_eq!(got(file), expect("getFile", &["a;b=c"]));
    let pair = client.get_pair("a b", 7).await.unwrap().into_inner();
    assert_eq!(got(pair), expect("getPair", &["a b", "7"]));
    let user = client.get_user_by_id(42).await.unwrap().into_inner();
    assert_eq!(got(user), expect("getUserById", &["42"]));
    let items = client.list_items().await.unwrap().into_inner();
    assert_eq!(got(items), expect("listItems", &[]));
    let same = client.get_same_pair("p q").await.unwrap().into_inner();
    assert_eq!(got(same), expect("getSamePair", &["p q"]));
    let escaped = client.get_escaped("é").await.unwrap().into_inner();
    assert_eq!(got(escaped), expect("getEscaped", &["é"]));
    let tags = client.get_tags(&["a b".into(), "c".into()], &[1, 2]).await.unwrap().into_inner();
    assert_eq!(got(tags), expect("getTags", &["a b", "c", "1", "2"]));

    client.delete_file("x").await.unwrap();
    client.cancel_job("j:1").await.unwrap();
    client.batch_jobs().await.unwrap();
    assert_eq!(take(&log), ["deleteFile x", "cancelJob j:1", "batchJobs"]);

    // Not routed (parameters side by side), and a segment no template of its shape fits.
    let unrouted = client.get_report("2024", "05").await.unwrap_err();
    assert_eq!(unrouted.status(), Some(StatusCode::NOT_FOUND));
    path_templates::install_crypto_provider();
    let http = path_templates::reqwest::Client::new();
    use path_templates::reqwest::Method;
    for (method, path) in [(Method::GET, "/users/xyz"), (Method::POST, "/jobs/j:pause"), (Method::POST, "/jobs/:batches")] {
        let response = http.request(method.clone(), format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert_eq!(take(&log), Vec::<String>::new());
}

#[tokio::main]
async fn main() {
    the_client_sends_each_path_as_its_template_says().await;
    accept_comes_from_the_media_types_and_ignored_headers_are_not_sent().await;
    the_generated_server_routes_each_path_to_its_operation().await;
    println!("all path template checks passed");
}
