//! Runs the fake service desk as a local server, to try the client (or anything else that
//! speaks the ISC V3 API) with no tenant and no secrets:
//!
//! ```sh
//! cargo run -p fake-service-desk --example fake-server -- --port 8080
//! ```
//!
//! It prints the base URL and the credentials it accepts, and the command that pages through
//! its integrations with the generated client's example.

use std::time::Duration;

use clap::Parser;
use fake_service_desk::{FakeServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use generated_client::models::ServiceDeskIntegrationDto;

/// A fake ISC V3 service-desk API on 127.0.0.1, in memory.
#[derive(Parser)]
struct Args {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The client id of the personal access token it accepts.
    #[arg(long, default_value = DEFAULT_CLIENT_ID)]
    client_id: String,
    /// The client secret of the personal access token it accepts.
    #[arg(long, default_value = DEFAULT_CLIENT_SECRET)]
    client_secret: String,
    /// How many sample integrations to start with.
    #[arg(long, default_value_t = 12)]
    seed: usize,
    /// How long issued access tokens live, in seconds.
    #[arg(long, default_value_t = 720)]
    token_lifetime: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let fake = FakeServer::builder()
        .port(args.port)
        .client_credentials(&args.client_id, &args.client_secret)
        .token_lifetime(Duration::from_secs(args.token_lifetime))
        .try_start()
        .await
        .map_err(|err| format!("cannot listen on 127.0.0.1:{}: {err}", args.port))?;
    for i in 1..=args.seed {
        let kind = if i % 3 == 0 {
            "Web Service SDIM"
        } else {
            "ServiceNowSDIM"
        };
        let mut attributes = serde_json::Map::new();
        attributes.insert(
            "instanceUrl".into(),
            format!("https://desk-{i}.example.com").into(),
        );
        fake.insert(ServiceDeskIntegrationDto::new(
            format!("Sample integration {i:02}"),
            format!("Sample {i} of the fake service desk"),
            kind,
            attributes,
        ));
    }

    println!(
        "Fake ISC service desk API, in memory, with {} sample integrations",
        args.seed
    );
    println!("  base URL (API):   {}", fake.base_url());
    println!("  tenant URL:       {}", fake.tenant_url());
    println!("  token endpoint:   {}", fake.token_url());
    println!("  client id:        {}", fake.client_id());
    println!("  client secret:    {}", fake.client_secret());
    println!();
    println!("Page through its integrations with the generated client's example:");
    println!(
        "  SAIL_BASE_URL={} SAIL_CLIENT_ID={} SAIL_CLIENT_SECRET={} cargo run -p generated-client --example page_through",
        fake.tenant_url(),
        fake.client_id(),
        fake.client_secret()
    );
    println!();
    println!("Ctrl-C stops it.");
    std::future::pending::<()>().await;
    Ok(())
}
