//! Target 3, client overhead: pages of 250 integrations from a local HTTP server, fetched by the
//! generated client and by the floor (a hand-written reqwest + `serde_json::from_slice` loop over
//! the same model type), in alternating rounds; then the memory of paging through 10,000 and
//! 100,000 integrations with the client's stream (each in a process of its own).
//!
//! `cargo run --release -p bench --bin client_overhead [-- --rounds N --pages N]`

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::{machine, median, mib};
use generated_client::models::ServiceDeskIntegrationDto;
use generated_client::server::axum;

const PAGE: usize = 250;
const TOKEN: &str = "bench-token";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| -> Option<u64> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Some(total) = flag("--stream-total") {
        // A child run: page through `total` items with the stream, print the peak memory.
        let peak = runtime.block_on(stream_all(total));
        println!("{peak}");
        return;
    }
    let rounds = flag("--rounds").unwrap_or(7) as usize;
    let pages = flag("--pages").unwrap_or(200) as usize;
    println!("client overhead: {}", machine());
    let (generated, floor) = runtime.block_on(throughput(rounds, pages));
    let items = (pages * PAGE) as f64;
    let rate = |d: Duration| items / d.as_secs_f64();
    let (g, f) = (median(&generated), median(&floor));
    println!(
        "  {pages} pages of {PAGE} integrations a round, {rounds} rounds each, alternating; medians:"
    );
    println!(
        "  floor (reqwest + serde_json::from_slice):  {:>9.0} items/s  ({:.1} ms a round)",
        rate(f),
        f.as_secs_f64() * 1e3
    );
    println!(
        "  generated client (.limit(250).offset(n)):  {:>9.0} items/s  ({:.1} ms a round)",
        rate(g),
        g.as_secs_f64() * 1e3
    );
    println!(
        "  ratio generated/floor throughput: {:.3} (target >= 0.95)",
        rate(g) / rate(f)
    );

    let exe = std::env::current_exe().expect("this program's path");
    let peak = |total: u64| -> u64 {
        let output = Command::new(&exe)
            .args(["--stream-total", &total.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .expect("the stream child runs");
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    };
    let (small, large) = (peak(10_000), peak(100_000));
    println!("  stream, peak RSS of the whole process (server included):");
    println!("    10,000 items:  {}", mib(small));
    println!("    100,000 items: {}", mib(large));
    println!(
        "  ratio peak(100k)/peak(10k): {:.3} (flat: ~1.0)",
        large as f64 / small.max(1) as f64
    );
}

/// Alternating rounds of the generated client and the floor; the time of each round.
async fn throughput(rounds: usize, pages: usize) -> (Vec<Duration>, Vec<Duration>) {
    let server = Server::start(u64::MAX).await;
    let client = generated_client::Client::new(&server.base_url(), TOKEN).expect("a client");
    generated_client::install_crypto_provider(); // reqwest here has no TLS provider of its own
    let http = reqwest::Client::new();
    let list_url = format!("{}/service-desk-integrations", server.base_url());
    // Warm both up: connections, allocator.
    generated_pages(&client, 5).await;
    floor_pages(&http, &list_url, 5).await;
    let (mut generated, mut floor) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so that neither always runs on a warmer machine.
        for first in [round % 2 == 0, round % 2 != 0] {
            let start = Instant::now();
            if first {
                generated_pages(&client, pages).await;
                generated.push(start.elapsed());
            } else {
                floor_pages(&http, &list_url, pages).await;
                floor.push(start.elapsed());
            }
        }
    }
    (generated, floor)
}

async fn generated_pages(client: &generated_client::Client, pages: usize) {
    let mut seen = 0;
    for page in 0..pages {
        let items = client
            .get_service_desk_integrations()
            .offset((page * PAGE) as i32)
            .limit(PAGE as i32)
            .await
            .expect("a page");
        seen += items.len();
    }
    assert_eq!(seen, pages * PAGE);
}

/// The floor: what a hand-written client does, with nothing around it.
async fn floor_pages(http: &reqwest::Client, url: &str, pages: usize) {
    let mut seen = 0;
    for page in 0..pages {
        let offset = (page * PAGE).to_string();
        let response = http
            .get(url)
            .query(&[("offset", offset.as_str()), ("limit", "250")])
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("a response");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("a body");
        let items: Vec<ServiceDeskIntegrationDto> =
            serde_json::from_slice(&body).expect("a page of integrations");
        seen += items.len();
    }
    assert_eq!(seen, pages * PAGE);
}

/// Pages through `total` items with the client's stream; the process's peak RSS in KiB.
async fn stream_all(total: u64) -> u64 {
    let server = Server::start(total).await;
    let client = generated_client::Client::new(&server.base_url(), TOKEN).expect("a client");
    let mut stream = client.get_service_desk_integrations().stream();
    let mut seen = 0u64;
    while let Some(item) = stream.try_next().await.expect("an item") {
        seen += 1;
        std::hint::black_box(&item);
    }
    assert_eq!(seen, total);
    bench::own_peak_kib()
}

/// A local HTTP server answering `GET /v3/service-desk-integrations?offset&limit` from a
/// collection of `total` integrations, with precomputed bytes: a full page is the same 250
/// distinct integrations every time, so the server does next to nothing per request.
struct Server {
    address: SocketAddr,
}

/// What the server answers from.
struct Collection {
    /// 250 distinct integrations, as JSON.
    items: Vec<String>,
    /// All of them as one page.
    full_page: Vec<u8>,
    total: u64,
}

impl Collection {
    /// The page at `offset` of at most `limit` items.
    fn page(&self, offset: u64, limit: u64) -> Vec<u8> {
        let count = limit.min(self.total.saturating_sub(offset)) as usize;
        if count == PAGE {
            self.full_page.clone()
        } else {
            bytes_of(&self.items[..count])
        }
    }
}

impl Server {
    async fn start(total: u64) -> Server {
        let items: Vec<String> = (0..PAGE)
            .map(|i| bench::integration(i).to_string())
            .collect();
        let full_page = bytes_of(&items);
        let collection = Arc::new(Collection {
            items,
            full_page,
            total,
        });
        let list = |axum::extract::State(collection): axum::extract::State<Arc<Collection>>,
                    axum::extract::RawQuery(query): axum::extract::RawQuery| async move {
            let param = |name: &str| -> Option<u64> {
                query.as_deref()?.split('&').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    (key == name).then(|| value.parse().ok()).flatten()
                })
            };
            let offset = param("offset").unwrap_or(0);
            let limit = param("limit").unwrap_or(PAGE as u64).min(PAGE as u64);
            (
                [("content-type", "application/json")],
                collection.page(offset, limit),
            )
        };
        let app = axum::Router::new()
            .route("/v3/service-desk-integrations", axum::routing::get(list))
            .with_state(collection);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port");
        let address = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Server { address }
    }

    fn base_url(&self) -> String {
        format!("http://{}/v3", self.address)
    }
}

fn bytes_of(items: &[String]) -> Vec<u8> {
    format!("[{}]", items.join(",")).into_bytes()
}
