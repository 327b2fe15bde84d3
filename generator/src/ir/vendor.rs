//! Whether a spec is SailPoint's: the one place that decides it. SailPoint's specs get the
//! runtime's SailPoint module (its configuration files and environment variables, the
//! `X-SailPoint-Experimental` header, `Client::from_env`) and SailPoint's wording in docs; every
//! other spec gets a runtime that names no vendor.
//!
//! Detected from the spec itself, since every SailPoint spec says so in one of two ways: an
//! extension named `x-sailpoint-...` (on the document, its `info` or any operation), or a server
//! on SailPoint's API hosts (`*.identitynow.com`, `*.sailpoint.com`). `--sailpoint yes|no`
//! overrides the detection either way ([`crate::Settings::sailpoint`]).

use openapiv3::OpenAPI;

/// The extension prefix SailPoint's specs use (`x-sailpoint-experimental`, ...).
const EXTENSION_PREFIX: &str = "x-sailpoint-";

/// The API hosts of SailPoint's tenants, as the end of a server URL's host.
const HOSTS: [&str; 2] = ["identitynow.com", "sailpoint.com"];

/// Whether `openapi` is SailPoint's, by its extensions or its servers (see the module docs).
pub fn is_sailpoint(openapi: &OpenAPI) -> bool {
    let marked = |extensions: &indexmap::IndexMap<String, serde_json::Value>| {
        extensions
            .keys()
            .any(|key| key.to_ascii_lowercase().starts_with(EXTENSION_PREFIX))
    };
    let operations = openapi
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op));
    marked(&openapi.extensions)
        || marked(&openapi.info.extensions)
        || operations.into_iter().any(|op| marked(&op.extensions))
        || openapi
            .servers
            .iter()
            .any(|server| on_sailpoint_host(&server.url))
}

/// Whether a server URL (variables unexpanded) is on one of [`HOSTS`]: its host is one of them
/// or ends with `.` and one of them.
fn on_sailpoint_host(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    HOSTS
        .iter()
        .any(|known| host == *known || host.ends_with(&format!(".{known}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> OpenAPI {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn sailpoint_hosts_are_recognized_and_lookalikes_are_not() {
        for url in [
            "https://{tenant}.api.identitynow.com/v3",
            "https://sailpoint.api.identitynow.com",
            "https://api.sailpoint.com:443/beta",
        ] {
            assert!(on_sailpoint_host(url), "{url}");
        }
        for url in [
            "https://api.example.com/v1",
            "https://notidentitynow.com/v3",
            "https://example.com/identitynow.com",
            "/v3",
        ] {
            assert!(!on_sailpoint_host(url), "{url}");
        }
    }

    #[test]
    fn an_extension_or_a_server_is_enough_and_neither_is_not() {
        let plain = r#"{"openapi":"3.0.1","info":{"title":"t","version":"1"},
            "servers":[{"url":"https://api.example.com"}],"paths":{"/a":{"get":{"responses":{}}}}}"#;
        assert!(!is_sailpoint(&spec(plain)));
        let by_operation =
            plain.replace(r#""get":{"#, r#""get":{"x-sailpoint-experimental":true,"#);
        assert!(is_sailpoint(&spec(&by_operation)));
        let by_info = plain.replace(
            r#""version":"1""#,
            r#""version":"1","x-SailPoint-Team":"x""#,
        );
        assert!(is_sailpoint(&spec(&by_info)));
        let by_server = plain.replace("api.example.com", "acme.api.identitynow.com");
        assert!(is_sailpoint(&spec(&by_server)));
    }
}
