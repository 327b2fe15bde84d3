//! Lenient decoding for what the live API really sends, so that one odd field never fails a
//! whole response.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::Value;

/// An optional object or date that the server may send as `""` when it has none: `""` and
/// `null` read as `None`. Date-times are also read without seconds or without a zone.
pub(crate) fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => match T::deserialize(Value::String(text.clone())) {
            Ok(value) => Ok(Some(value)),
            // Date-times like `2012-04-23T18:25Z` or `2012-04-23T18:25:43` (no zone: UTC).
            Err(err) => match lenient_datetime(&text) {
                Some(normalized) => T::deserialize(Value::String(normalized)).map(Some).map_err(D::Error::custom),
                None => Err(D::Error::custom(err)),
            },
        },
        Some(value) => T::deserialize(value).map(Some).map_err(D::Error::custom),
    }
}

/// Rewrites a date-time without seconds or zone as RFC 3339, or `None` when it is no date-time.
fn lenient_datetime(text: &str) -> Option<String> {
    let text = text.trim();
    let (local, zone) = match text.find(['Z', 'z', '+']).or_else(|| text.rfind('-').filter(|&i| i > 10)) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, "Z"),
    };
    let zone = if zone.eq_ignore_ascii_case("z") { "Z" } else { zone };
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(parsed) = chrono::NaiveDateTime::parse_from_str(local, format) {
            return Some(format!("{}{zone}", parsed.format("%Y-%m-%dT%H:%M:%S%.f")));
        }
    }
    None
}

/// A property that is present: `null` reads as `Some(None)`, a value as `Some(Some(value))`;
/// an absent one keeps the field's default, `None`. For optional, nullable properties, where
/// leaving a field out and sending `null` mean different things.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
