//! Part of target 3: how fast the generated models decode, against the same structs decoded by
//! serde's derive (what the generator emitted before it wrote `impl_object!` lists; see
//! runtime/src/runtime/object.rs). Both decode the same page of 250 integrations from bytes with
//! `serde_json::from_slice`, alternating, many times; medians.
//!
//! The page has real objects where the live API sometimes sends `""` (the derived structs
//! would reject `""`; the generated ones read it as absent), so both do the same work.
//!
//! `cargo run --release -p bench --bin decode_speed [-- --rounds N]`

use std::time::{Duration, Instant};

use bench::{machine, median};
use generated_client::models::ServiceDeskIntegrationDto;
use serde::Deserialize;

/// `ServiceDeskIntegrationDto` and what it contains, decoded by serde's derive.
#[allow(dead_code)]
#[derive(Deserialize)]
struct Derived {
    id: Option<String>,
    name: String,
    created: Option<chrono::DateTime<chrono::Utc>>,
    modified: Option<chrono::DateTime<chrono::Utc>>,
    description: String,
    r#type: String,
    #[serde(rename = "ownerRef")]
    owner_ref: Option<Reference>,
    #[serde(rename = "clusterRef")]
    cluster_ref: Option<Reference>,
    #[serde(default)]
    cluster: Option<Option<String>>,
    #[serde(rename = "managedSources")]
    managed_sources: Option<Vec<String>>,
    #[serde(rename = "provisioningConfig")]
    provisioning_config: Option<DerivedProvisioningConfig>,
    attributes: serde_json::Map<String, serde_json::Value>,
    #[serde(rename = "beforeProvisioningRule")]
    before_provisioning_rule: Option<Reference>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Reference {
    r#type: Option<String>,
    id: Option<String>,
    name: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct DerivedProvisioningConfig {
    #[serde(rename = "universalManager")]
    universal_manager: Option<bool>,
    #[serde(rename = "managedResourceRefs")]
    managed_resource_refs: Option<Vec<Reference>>,
    #[serde(rename = "planInitializerScript")]
    plan_initializer_script: Option<Script>,
    #[serde(rename = "noProvisioningRequests")]
    no_provisioning_requests: Option<bool>,
    #[serde(rename = "provisioningRequestExpiration")]
    provisioning_request_expiration: Option<i32>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Script {
    source: Option<String>,
}

fn main() {
    let rounds = bench::rounds_arg(15);
    const DECODES: usize = 200;
    let page = page();
    // Both must read the page, or the comparison means nothing.
    let ours: Vec<ServiceDeskIntegrationDto> = serde_json::from_slice(&page).expect("generated");
    let theirs: Vec<Derived> = serde_json::from_slice(&page).expect("derived");
    assert_eq!((ours.len(), theirs.len()), (250, 250));
    assert_eq!(
        ours[7].owner_ref.as_ref().and_then(|o| o.name.as_deref()),
        Some("Support")
    );

    let time = |decode: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..DECODES {
            decode();
        }
        start.elapsed()
    };
    let generated = || {
        let items: Vec<ServiceDeskIntegrationDto> = serde_json::from_slice(&page).unwrap();
        std::hint::black_box(items);
    };
    let derived = || {
        let items: Vec<Derived> = serde_json::from_slice(&page).unwrap();
        std::hint::black_box(items);
    };
    let (mut ours, mut theirs): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            ours.push(time(&generated));
            theirs.push(time(&derived));
        } else {
            theirs.push(time(&derived));
            ours.push(time(&generated));
        }
    }
    let items = (DECODES * 250) as f64;
    let rate = |d: Duration| items / d.as_secs_f64();
    let (ours, theirs) = (median(&ours), median(&theirs));
    println!("model decoding: {}", machine());
    println!("  a page of 250 integrations ({} KB) decoded {DECODES} times a round, {rounds} rounds, alternating; medians:", page.len() / 1024);
    println!("  serde's derive:           {:>9.0} items/s", rate(theirs));
    println!("  generated impl_object!:   {:>9.0} items/s", rate(ours));
    println!("  ratio generated/derive: {:.3}", rate(ours) / rate(theirs));
}

/// A page of 250 integrations as the live API sends them, every reference a real object.
fn page() -> Vec<u8> {
    let items: Vec<String> = (0..250)
        .map(|i| {
            let mut item = bench::integration(i);
            item["clusterRef"] = serde_json::json!(
                {"type": "CLUSTER", "id": "2c9180847a7fccdd017aa5896f9f4f6f", "name": "Training VA"}
            );
            item["beforeProvisioningRule"] = serde_json::json!(
                {"type": "RULE", "id": "e2e3f4c5d6a7b8c9d0e1f2a3b4c5d6e7", "name": "Example Rule"}
            );
            item.to_string()
        })
        .collect();
    format!("[{}]", items.join(",")).into_bytes()
}
