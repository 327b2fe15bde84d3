//! Tests of [`super::bundle`]: how references across files are followed, bundled and reported.

use super::*;

/// Writes `text` to `dir/name`, creating its folders (also used by `schema_names`'s tests).
pub(crate) fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const ROOT: &str =
    "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './paths/a.yaml'\n";

#[test]
fn file_refs_become_components_and_path_items_are_inlined() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "root.yaml", ROOT);
    write(
        dir.path(),
        "paths/a.yaml",
        "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '../schemas/Thing.yaml'\n",
    );
    write(dir.path(), "schemas/Thing.yaml", "type: object\nproperties:\n  next:\n    $ref: './Thing.yaml'\n  other:\n    $ref: './Other.yaml#/definitions/Other'\n");
    write(
        dir.path(),
        "schemas/Other.yaml",
        "definitions:\n  Other:\n    type: string\n",
    );
    let bundle = bundle(&dir.path().join("root.yaml"), &Options::default()).unwrap();
    let doc = &bundle.document;
    assert_eq!(
        doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
            .unwrap(),
        "#/components/schemas/Thing"
    );
    assert_eq!(
        doc.pointer("/components/schemas/Thing/properties/next/$ref")
            .unwrap(),
        "#/components/schemas/Thing"
    );
    assert_eq!(
        doc.pointer("/components/schemas/Thing/properties/other/$ref")
            .unwrap(),
        "#/components/schemas/Other"
    );
    assert_eq!(
        doc.pointer("/components/schemas/Other/type").unwrap(),
        "string"
    );
    assert_eq!(bundle.origins["Other"].pointer, "/definitions/Other");
}

#[test]
fn broken_refs_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: './missing.yaml'}\n        y: {$ref: './B.yaml#/nope'}\n        z: {$ref: 'https://example.com/x.yaml'}\n        w: {$ref: '../../etc/passwd'}\n");
    write(dir.path(), "B.yaml", "type: string\n");
    let Err(Error::Spec(items)) = bundle(&dir.path().join("root.yaml"), &Options::default()) else {
        panic!("expected errors")
    };
    assert_eq!(items.len(), 4, "{items:#?}");
    assert!(items[0].message.contains("does not exist"));
    assert!(items[1].message.contains("/nope"));
    assert!(items[2].message.contains("remote"));
    assert!(items[3].message.contains("outside"));
    assert_eq!(
        items[0].pointer.as_deref(),
        Some("/components/schemas/A/properties/x/$ref")
    );
}

#[test]
fn the_source_map_leads_back_to_the_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "root.yaml", ROOT);
    write(
        dir.path(),
        "paths/a.yaml",
        "get:\n  parameters:\n    - $ref: '../p.yaml#/limit'\n  responses:\n    '200':\n      description: ok\n",
    );
    write(dir.path(), "p.yaml", "limit:\n  name: limit\n  in: query\n");
    let bundle = bundle(&dir.path().join("root.yaml"), &Options::default()).unwrap();
    let (file, pointer) = bundle
        .sources
        .origin_of("/paths/~1a/get/parameters/0/in")
        .unwrap();
    assert!(file.ends_with("p.yaml"));
    assert_eq!(pointer, "/limit/in");
    let (file, pointer) = bundle
        .sources
        .origin_of("/paths/~1a/get/responses")
        .unwrap();
    assert!(file.ends_with("paths/a.yaml"));
    assert_eq!(pointer, "/get/responses");
    let (file, _) = bundle.sources.origin_of("/info/title").unwrap();
    assert!(file.ends_with("root.yaml"));
}

#[test]
fn refs_outside_the_root_are_followed_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "spec/root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '../shared/A.yaml'\n");
    write(dir.path(), "shared/A.yaml", "type: string\n");
    let root = dir.path().join("spec/root.yaml");
    assert!(bundle(&root, &Options::default()).is_err());
    let options = Options {
        allow_outside_root: true,
        ..Options::default()
    };
    let bundle = bundle(&root, &options).unwrap();
    let files: Vec<&Path> = bundle.origins.values().map(|o| o.file.as_path()).collect();
    assert!(files.contains(&Path::new("../shared/A.yaml")), "{files:?}");
}

#[test]
fn looping_non_schema_refs_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "root.yaml",
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './p.yaml'\n",
    );
    write(dir.path(), "p.yaml", "$ref: './q.yaml'\n");
    write(dir.path(), "q.yaml", "$ref: './p.yaml'\n");
    let Err(Error::Spec(items)) = bundle(&dir.path().join("root.yaml"), &Options::default()) else {
        panic!("expected errors")
    };
    assert!(items[0].message.contains("loops"), "{items:#?}");
}

#[test]
fn other_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", "swagger: '2.0'\n");
    write(dir.path(), "b.yaml", "openapi: 3.1.0\n");
    for name in ["a.yaml", "b.yaml"] {
        let Err(Error::Spec(items)) = bundle(&dir.path().join(name), &Options::default()) else {
            panic!("expected errors")
        };
        assert!(items[0].message.contains("3.0.x"), "{items:#?}");
    }
}

#[test]
fn a_pointer_is_followed_through_the_references_on_its_way() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '#/components/schemas/Lib/Thing'}\n    Lib:\n      $ref: './lib.yaml#/defs'\n");
    write(dir.path(), "lib.yaml", "defs:\n  $ref: './more.yaml'\n");
    write(dir.path(), "more.yaml", "Thing:\n  type: string\n");
    let bundle = bundle(&dir.path().join("root.yaml"), &Options::default()).unwrap();
    assert_eq!(
        bundle
            .document
            .pointer("/components/schemas/A/properties/b/$ref")
            .unwrap(),
        "#/components/schemas/Thing"
    );
    assert_eq!(bundle.origins["Thing"].file, Path::new("more.yaml"));
}

#[test]
fn a_property_named_ref_is_a_property_and_data_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        $ref: {type: string}\n      x-data: {$ref: './nowhere.yaml'}\n");
    let bundle = bundle(&dir.path().join("root.yaml"), &Options::default()).unwrap();
    let a = bundle.document.pointer("/components/schemas/A").unwrap();
    assert_eq!(a["properties"]["$ref"]["type"], "string");
    assert_eq!(a["x-data"]["$ref"], "./nowhere.yaml");
}
