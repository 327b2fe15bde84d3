//! The fake's list over HTTP: `offset`, `limit` (at most 250), `count` and `X-Total-Count`,
//! `sorters` on name, and `filters` on id, name, type and cluster in the V3 grammar that the
//! client's `Filter` builder writes.

use common::{integration, message, no_retries, raw};
use fake_service_desk::filter::{self, Expr, Value};
use fake_service_desk::FakeServer;
use generated_client::models::ServiceDeskIntegrationDto;
use generated_client::Filter;
use serde_json::json;

mod common;

// ---------------------------------------------------------------- the list

async fn seeded(names: &[(&str, &str)]) -> (FakeServer, Vec<ServiceDeskIntegrationDto>) {
    let fake = FakeServer::start().await;
    let stored = names
        .iter()
        .map(|(name, kind)| fake.insert(integration(name, kind)))
        .collect();
    (fake, stored)
}

fn names(items: &[ServiceDeskIntegrationDto]) -> Vec<&str> {
    items.iter().map(|i| i.name.as_str()).collect()
}

#[tokio::test]
async fn list_pages_by_offset_and_limit_counts_and_sorts_by_name() {
    let (fake, _) = seeded(&[("c", "A"), ("a", "B"), ("e", "A"), ("b", "B"), ("d", "A")]).await;
    let client = no_retries(&fake);

    let all = client.get_service_desk_integrations().await.unwrap();
    assert_eq!(
        names(&all),
        ["c", "a", "e", "b", "d"],
        "creation order by default"
    );
    assert_eq!(
        all.total_count(),
        None,
        "X-Total-Count only with count=true"
    );

    let page = client
        .get_service_desk_integrations()
        .offset(1)
        .limit(2)
        .count(true)
        .await
        .unwrap();
    assert_eq!(names(&page), ["a", "e"]);
    assert_eq!(page.total_count(), Some(5));

    let sorted = client
        .get_service_desk_integrations()
        .sorters("name")
        .await
        .unwrap();
    assert_eq!(names(&sorted), ["a", "b", "c", "d", "e"]);
    let sorted = client
        .get_service_desk_integrations()
        .sorters("-name")
        .limit(2)
        .await
        .unwrap();
    assert_eq!(names(&sorted), ["e", "d"]);

    let past = client
        .get_service_desk_integrations()
        .offset(10)
        .count(true)
        .await
        .unwrap();
    assert!(past.is_empty());
    assert_eq!(past.total_count(), Some(5));

    for (query, expected) in [
        (
            "limit=251",
            "query parameter `limit`: 251 is outside 0..=250",
        ),
        ("offset=-3", "query parameter `offset`: -3 is outside 0..=∞"),
        (
            "sorters=type",
            "sorters: sorting by `type` is not supported; supported: name",
        ),
        (
            "sorters=name,-created",
            "sorting by `created` is not supported",
        ),
    ] {
        let (status, _, answer) = raw(
            &fake,
            "GET",
            &format!("/service-desk-integrations?{query}"),
            None,
            "",
            "",
        )
        .await;
        assert_eq!(status, 400, "{query}");
        assert!(message(&answer).contains(expected), "{query}: {answer}");
    }
    let (status, _, _) = raw(
        &fake,
        "GET",
        "/service-desk-integrations?limit=250",
        None,
        "",
        "",
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn list_filters_on_id_name_type_and_cluster_with_the_client_builder() {
    let fake = FakeServer::start().await;
    let mut with_cluster = integration("one", "ServiceNowSDIM");
    #[allow(deprecated)]
    {
        with_cluster.cluster = Some(Some("cluster-1".into()));
    }
    let one = fake.insert(with_cluster);
    let mut with_ref = integration("two \"quoted\"", "Web Service SDIM");
    with_ref.cluster_ref =
        Some(serde_json::from_value(json!({"type": "CLUSTER", "id": "cluster-2"})).unwrap());
    let two = fake.insert(with_ref);
    let three = fake.insert(integration(r"three\back", "ServiceNowSDIM"));
    let client = no_retries(&fake);
    let id = |i: &ServiceDeskIntegrationDto| i.id.clone().unwrap();

    let cases: Vec<(Filter, Vec<&str>)> = vec![
        (Filter::field("id").eq(id(&two)), vec!["two \"quoted\""]),
        (
            Filter::field("id").is_in([id(&one), id(&three)]),
            vec!["one", r"three\back"],
        ),
        (
            Filter::field("name").eq("two \"quoted\""),
            vec!["two \"quoted\""],
        ),
        (Filter::field("name").eq(r"three\back"), vec![r"three\back"]),
        (
            Filter::field("type").eq("ServiceNowSDIM"),
            vec!["one", r"three\back"],
        ),
        (
            Filter::field("type").is_in(["Web Service SDIM", "Other"]),
            vec!["two \"quoted\""],
        ),
        (Filter::field("cluster").eq("cluster-1"), vec!["one"]),
        (
            Filter::field("cluster").is_in(["cluster-2", "cluster-9"]),
            vec!["two \"quoted\""],
        ),
        (
            Filter::field("type")
                .eq("ServiceNowSDIM")
                .and(Filter::field("name").eq("one").not()),
            vec![r"three\back"],
        ),
        (
            Filter::field("name")
                .eq("one")
                .or(Filter::field("cluster").eq("cluster-2"))
                .and(Filter::field("type").eq("Web Service SDIM")),
            vec!["two \"quoted\""],
        ),
        (
            Filter::field("name")
                .eq("one")
                .or(Filter::field("name").eq("nobody")),
            vec!["one"],
        ),
    ];
    for (filter, expected) in cases {
        let text = filter.to_string();
        let page = client
            .get_service_desk_integrations()
            .filters(filter)
            .count(true)
            .await
            .unwrap();
        assert_eq!(names(&page), expected, "{text}");
        assert_eq!(page.total_count(), Some(expected.len() as u64), "{text}");
        // The typed helpers write the same grammar.
    }

    for (filters, expected) in [
        (
            r#"name co "o""#,
            "`name` does not support `co`; supported: eq",
        ),
        (r#"name in ("one")"#, "`name` does not support `in`"),
        (
            r#"description eq "d""#,
            "filtering on `description` is not supported",
        ),
        ("pr cluster", "`cluster` does not support `pr`"),
        (
            "type eq ServiceNowSDIM",
            "expected a value, found `ServiceNowSDIM`",
        ),
        ("type eq 7", "compared with strings"),
        (r#"name EQ "one""#, "unknown operator `EQ`"),
        (r#"(name eq "one""#, "expected `)`"),
        (r#"name eq "one" and"#, "expected a comparison"),
    ] {
        let query = format!("/service-desk-integrations?filters={}", encode(filters));
        let (status, _, answer) = raw(&fake, "GET", &query, None, "", "").await;
        assert_eq!(status, 400, "{filters}");
        assert!(message(&answer).contains(expected), "{filters}: {answer}");
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[test]
fn what_the_client_filter_builder_writes_the_fake_parses() {
    let s = |v: &str| Value::String(v.into());
    let cmp = |field: &str, op: &str, value: Value| Expr::Compare {
        field: field.into(),
        op: op.into(),
        value,
    };
    let b = Box::new;
    let when = chrono::DateTime::parse_from_rfc3339("2018-12-18T23:05:55Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let cases: Vec<(Filter, Expr)> = vec![
        (
            Filter::field("name").eq("HR \"desk\" \\ 2"),
            cmp("name", "eq", s("HR \"desk\" \\ 2")),
        ),
        (
            Filter::field("type").is_in(["A", "B"]),
            Expr::List {
                field: "type".into(),
                op: "in".into(),
                values: vec![s("A"), s("B")],
            },
        ),
        (
            Filter::field("tags").contains_all(["x"]),
            Expr::List {
                field: "tags".into(),
                op: "ca".into(),
                values: vec![s("x")],
            },
        ),
        (
            Filter::field("owner.id").is_present(),
            Expr::Present("owner.id".into()),
        ),
        (
            Filter::field("cluster").is_null(),
            Expr::IsNull("cluster".into()),
        ),
        (
            Filter::field("created").gt(when),
            cmp("created", "gt", Value::DateTime(when)),
        ),
        (
            Filter::field("n").le(-3),
            cmp("n", "le", Value::Integer(-3)),
        ),
        (
            Filter::field("x").ne(1.5),
            cmp("x", "ne", Value::Number(1.5)),
        ),
        (
            Filter::field("on").eq(false),
            cmp("on", "eq", Value::Bool(false)),
        ),
        (
            Filter::field("name")
                .sw("a")
                .and(Filter::field("name").co("b")),
            Expr::And(b(cmp("name", "sw", s("a"))), b(cmp("name", "co", s("b")))),
        ),
        (
            Filter::field("a")
                .eq(1)
                .not()
                .or(Filter::field("b").eq(2).and(Filter::field("c").eq(3))),
            Expr::Or(
                b(Expr::Not(b(cmp("a", "eq", Value::Integer(1))))),
                b(Expr::And(
                    b(cmp("b", "eq", Value::Integer(2))),
                    b(cmp("c", "eq", Value::Integer(3))),
                )),
            ),
        ),
        (
            Filter::field("a")
                .eq(1)
                .or(Filter::field("b").eq(2))
                .and(Filter::field("c").eq(3)),
            Expr::And(
                b(Expr::Or(
                    b(cmp("a", "eq", Value::Integer(1))),
                    b(cmp("b", "eq", Value::Integer(2))),
                )),
                b(cmp("c", "eq", Value::Integer(3))),
            ),
        ),
        (
            Filter::field("a")
                .eq(1)
                .or(Filter::field("b").eq(2).or(Filter::field("c").eq(3))),
            Expr::Or(
                b(cmp("a", "eq", Value::Integer(1))),
                b(Expr::Or(
                    b(cmp("b", "eq", Value::Integer(2))),
                    b(cmp("c", "eq", Value::Integer(3))),
                )),
            ),
        ),
        (
            Filter::field("a").eq(1).and(Filter::field("b").eq(2)).not(),
            Expr::Not(b(Expr::And(
                b(cmp("a", "eq", Value::Integer(1))),
                b(cmp("b", "eq", Value::Integer(2))),
            ))),
        ),
    ];
    for (filter, expected) in cases {
        let text = filter.to_string();
        assert_eq!(filter::parse(&text), Ok(expected), "{text}");
    }
}
