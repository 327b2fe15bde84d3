//! Content types: which media type of a `content` map the client speaks, and how.

use indexmap::IndexMap;
use openapiv3::MediaType;

/// How a body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaKind {
    /// `application/json` and every `+json` type: serde_json.
    Json,
    /// `application/x-www-form-urlencoded`: the fields as a form.
    Form,
    /// `multipart/form-data`: one part per field, files as bytes.
    Multipart,
    /// `text/*`: a string.
    Text,
    /// Anything else (`application/octet-stream`, `application/zip`, images): bytes.
    Binary,
}

/// The kind of a content type.
pub fn classify(content_type: &str) -> MediaKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or(content_type)
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "*/*" => MediaKind::Json,
        t if t.ends_with("+json") => MediaKind::Json,
        "application/x-www-form-urlencoded" => MediaKind::Form,
        "multipart/form-data" => MediaKind::Multipart,
        t if t.starts_with("text/") => MediaKind::Text,
        _ => MediaKind::Binary,
    }
}

/// The media type to use from a content map: JSON first (the API's own format), then form,
/// multipart, text, and bytes; among equals, the spec's order.
pub fn pick(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType, MediaKind)> {
    content
        .iter()
        .map(|(t, m)| (t.as_str(), m, classify(t)))
        .min_by_key(|(t, _, kind)| (*kind, !t.starts_with("application/json")))
}

/// The `Accept` header for responses with `contents`: each media type the client decodes as
/// `kind`, as the spec writes it (`application/vnd.x+json;version=2`, parameters and all), in
/// the spec's order, each once, joined with `, `. Asking for types the client cannot decode
/// would invite answers it cannot read; with none documented, `application/json`.
pub fn accept(contents: &[&IndexMap<String, MediaType>], kind: MediaKind) -> String {
    let mut types: Vec<&str> = Vec::new();
    for content in contents {
        for media_type in content.keys() {
            let media_type = media_type.trim();
            if classify(media_type) == kind && !types.contains(&media_type) {
                types.push(media_type);
            }
        }
    }
    if types.is_empty() {
        return "application/json".into();
    }
    types.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_corpus_content_types() {
        assert_eq!(classify("application/json"), MediaKind::Json);
        assert_eq!(classify("application/json-patch+json"), MediaKind::Json);
        assert_eq!(
            classify("application/scim+json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(classify("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(
            classify("application/x-www-form-urlencoded"),
            MediaKind::Form
        );
        assert_eq!(classify("text/csv"), MediaKind::Text);
        assert_eq!(classify("text/plain"), MediaKind::Text);
        assert_eq!(classify("application/octet-stream"), MediaKind::Binary);
        assert_eq!(classify("application/zip"), MediaKind::Binary);
    }

    #[test]
    fn accept_lists_what_the_client_decodes_in_the_specs_order() {
        let content = |types: &[&str]| -> IndexMap<String, MediaType> {
            types
                .iter()
                .map(|t| (t.to_string(), MediaType::default()))
                .collect()
        };
        let versioned = content(&["application/vnd.x+json;version=2"]);
        let both = content(&["application/json", "text/csv", "application/problem+json"]);
        assert_eq!(
            accept(&[&versioned], MediaKind::Json),
            "application/vnd.x+json;version=2"
        );
        assert_eq!(
            accept(&[&versioned, &both], MediaKind::Json),
            "application/vnd.x+json;version=2, application/json, application/problem+json"
        );
        assert_eq!(accept(&[&both], MediaKind::Text), "text/csv");
        assert_eq!(accept(&[], MediaKind::Json), "application/json");
    }
}
