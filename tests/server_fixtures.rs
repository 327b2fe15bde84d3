//! The generated server side compiles, warning-free, for every fixture spec (keywords, odd
//! names, parameters in every place, bodiless answers, ranges, defaults...) and for spec/, like
//! the client does in `snapshots.rs` (which checks the default features only).

use std::path::PathBuf;

use workspace_tests::{check_crates_with, fixtures, generate_into, workspace};

/// What the fixtures leave out and only the server side cares about: operations named like the
/// trait's hooks, parameters named like the handler's own variables and the trait's arguments,
/// integer path and header parameters with bounds, documented success headers, `4XX` and
/// `default` answers, and text and binary bodies both ways.
const SERVER_NAMES: &str = r#"
openapi: 3.0.3
info: {title: Server names, version: "1.0"}
paths:
  /things/{context}/{arg0}:
    post:
      operationId: authenticate
      parameters:
        - {name: context, in: path, required: true, schema: {type: string}}
        - {name: arg0, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}
        - {name: query, in: query, schema: {type: string}}
        - {name: api, in: query, required: true, schema: {type: array, items: {type: integer}}}
        - {name: request, in: header, schema: {type: integer, format: int32, maximum: 9}}
        - {name: response, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {body: {type: string}}}
      responses:
        "201":
          description: Made.
          headers:
            Location: {description: Where it is., schema: {type: string}}
            X-Total-Count: {schema: {type: integer}}
          content:
            application/json:
              schema: {type: object, properties: {status: {type: string}}}
        "4XX":
          description: Client errors.
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
        default:
          description: Anything else.
  /bad-request:
    get:
      operationId: badRequest
      responses:
        "200":
          description: Text.
          content:
            text/csv:
              schema: {type: string}
        "400":
          description: Bad.
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
        "401":
          description: Who?
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
        "503": {description: Down.}
    put:
      operationId: upload
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        "200":
          description: Bytes.
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
    post:
      operationId: note
      requestBody:
        content:
          text/plain:
            schema: {type: string}
      responses:
        "204": {description: Noted.}
"#;

/// Every fixture spec and spec/.
fn specs() -> Vec<(String, PathBuf)> {
    let mut found = fixtures();
    found.push(("service-desk".into(), workspace().join("spec/openapi.yaml")));
    found
}

#[test]
fn every_generated_server_compiles_without_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let extra = temp.path().join("specs/server-names.yaml");
    std::fs::create_dir_all(extra.parent().unwrap()).unwrap();
    std::fs::write(&extra, SERVER_NAMES).unwrap();
    let mut all = specs();
    all.push(("server-names".into(), extra));
    let mut members = Vec::new();
    for (name, root) in all {
        let output = generate_into(&root, &temp.path().join(&name));
        assert!(
            output.files.contains_key("src/server/mod.rs"),
            "{name}: no server module"
        );
        if name == "server-names" {
            let server = &output.files["src/server/mod.rs"];
            // The hooks step aside for the operations that took their names.
            assert!(server.contains("fn authenticate_2("), "{server}");
            assert!(server.contains("fn bad_request_2("), "{server}");
        }
        members.push(name);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    check_crates_with(temp.path(), &members, &["--all-features"]);
}
