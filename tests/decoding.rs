//! How generated models read JSON, run rather than only compiled: the generator writes each
//! object's `Deserialize` itself (see `runtime::de`), so its semantics are tested here, in crates
//! generated from fixtures with a test file of their own added.

use std::path::Path;

use workspace_tests::{cargo_denying_warnings, generate_into, throwaway_workspace, workspace};

/// Decoding an object with extra properties, with a missing or repeated field, and from the
/// wrong kind of JSON value.
const ADDITIONAL: &str = r##"
use additional_properties::models::{Bag, Labelled, Open};

#[test]
fn unknown_keys_are_kept_where_the_schema_allows_and_skipped_elsewhere() {
    let labelled: Labelled =
        serde_json::from_str(r#"{"color": "red", "name": "n", "size": "L"}"#).unwrap();
    assert_eq!(labelled.name, "n");
    assert_eq!(labelled.additional_properties.len(), 2);
    assert_eq!(labelled.additional_properties["color"], "red");
    // An extra property of the wrong type is an error where the schema types them.
    let err = serde_json::from_str::<Labelled>(r#"{"name": "n", "size": 3}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type: integer `3`"), "{err}");

    let open: Open = serde_json::from_str(r#"{"name": "n", "x": {"y": [1]}}"#).unwrap();
    assert_eq!(open.additional_properties["x"], serde_json::json!({"y": [1]}));

    let bag: Bag = serde_json::from_str(
        r#"{"new": {"deep": [1, {"x": null}]}, "closed": {"a": "z", "b": 1}, "counts": {"k": 2}}"#,
    )
    .unwrap();
    assert_eq!(bag.closed.unwrap().a.as_deref(), Some("z"));
    assert_eq!(bag.counts.unwrap()["k"], 2);
}

#[test]
fn encoding_writes_the_additional_properties_back_beside_the_fields() {
    let text = r#"{"color":"red","name":"n"}"#;
    let labelled: Labelled = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&labelled).unwrap(), r#"{"name":"n","color":"red"}"#);
}

#[test]
fn missing_fields_and_wrong_shapes_are_errors_that_say_what() {
    let err = serde_json::from_str::<Labelled>(r#"{"size": "L"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `name`"), "{err}");
    let err = serde_json::from_str::<Labelled>(r#"["n"]"#).unwrap_err();
    assert!(err.to_string().contains("expected a Labelled object"), "{err}");
    let err = serde_json::from_str::<Labelled>(r#"{"name": null}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type: null"), "{err}");
}

#[test]
fn a_repeated_key_keeps_its_last_value() {
    let labelled: Labelled = serde_json::from_str(r#"{"name": "a", "name": "b"}"#).unwrap();
    assert_eq!(labelled.name, "b");
}

#[test]
fn optional_objects_read_empty_strings_and_null_as_absent() {
    let bag: Bag = serde_json::from_str(r#"{"open": "", "labelled": null, "closed": "  "}"#).unwrap();
    assert!(bag.open.is_none() && bag.labelled.is_none() && bag.closed.is_none());
    // Any other string is still an error.
    assert!(serde_json::from_str::<Bag>(r#"{"open": "x"}"#).is_err());
}

#[test]
fn models_decode_from_a_value_and_from_a_reader_too() {
    let value = serde_json::json!({"name": "n", "k": "v"});
    let labelled: Labelled = serde_json::from_value(value).unwrap();
    assert_eq!(labelled.additional_properties["k"], "v");
    let labelled: Labelled = serde_json::from_reader(&br#"{"n\u0061me": "n"}"#[..]).unwrap();
    assert_eq!(labelled.name, "n");
}
"##;

/// Absent, `null` and a value are three different things for an optional, nullable field of a
/// PUT body.
const TRISTATE: &str = r##"
use put_absent_or_null::models::Account;

#[test]
fn absent_null_and_a_value_differ() {
    let absent: Account = serde_json::from_str(r#"{"name": "n"}"#).unwrap();
    assert_eq!(absent.manager, None);
    let null: Account = serde_json::from_str(r#"{"name": "n", "manager": null}"#).unwrap();
    assert_eq!(null.manager, Some(None));
    let value: Account = serde_json::from_str(r#"{"name": "n", "manager": "m"}"#).unwrap();
    assert_eq!(value.manager, Some(Some("m".to_string())));
    assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"name":"n","manager":null}"#);
    assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"name":"n"}"#);
}
"##;

/// `allOf: [$ref, {nullable: true}]` and the like: the position's name is the referenced type
/// (so code naming it compiles), `null` decodes where the annotation allows it, and a type that
/// holds itself through such a position is boxed.
const MODIFIERS: &str = r##"
use all_of_modifiers::models::{
    Person, PersonManager, Status, TicketAssignee, TicketAssigneeRole, TicketSummary,
    TicketSummaryOwner,
};

#[test]
fn annotated_references_keep_their_names_and_take_null() {
    let owner: TicketSummaryOwner = TicketAssignee::new("n").with_role(TicketAssigneeRole::Lead);
    let null: TicketSummary = serde_json::from_str(r#"{"owner": null, "state": null}"#).unwrap();
    assert_eq!(null.owner, None);
    assert!(null.state.is_none());
    let value: TicketSummary =
        serde_json::from_str(r#"{"owner": {"name": "n", "role": "lead"}, "state": "open"}"#).unwrap();
    assert_eq!(value.owner, Some(owner));
    assert!(matches!(value.state, Some(Status::Open)));
    let person: Person =
        serde_json::from_str(r#"{"name": "a", "manager": {"name": "b", "manager": null}}"#).unwrap();
    let manager: PersonManager = Person::new("b").with_manager(None);
    assert_eq!(person.manager, Some(Some(Box::new(manager))));
}
"##;

fn fixture_with_test(root: &Path, fixture: &str, test: &str) {
    let spec = workspace()
        .join("tests/fixtures")
        .join(fixture)
        .join("openapi.yaml");
    let out = root.join(fixture);
    generate_into(&spec, &out);
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/decoding.rs"), test).unwrap();
}

#[test]
fn generated_models_decode_as_documented() {
    let temp = tempfile::tempdir().unwrap();
    fixture_with_test(temp.path(), "additional-properties", ADDITIONAL);
    fixture_with_test(temp.path(), "put-absent-or-null", TRISTATE);
    fixture_with_test(temp.path(), "all-of-modifiers", MODIFIERS);
    throwaway_workspace(
        temp.path(),
        &[
            "additional-properties",
            "put-absent-or-null",
            "all-of-modifiers",
        ],
    );
    let output =
        cargo_denying_warnings(temp.path(), &["test", "--workspace", "--test", "decoding"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the generated models' tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The three crates' tests ran: 6 + 1 + 1.
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(passed, 8, "{stdout}");
}
