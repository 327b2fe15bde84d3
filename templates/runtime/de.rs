//! Lenient decoding for what the live API really sends, so that one odd field never fails a
//! whole response.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// The value of an optional object or date that the server may send as `""` when it has none:
/// `""` and `null` read as `None`. Date-times are also read without seconds or without a zone.
///
/// The value is handed on to `T` as it is read, never copied into a `serde_json::Value` first:
/// decoding stays one pass over the bytes, and `T`'s decoder is the one compiled for the
/// response anyway (a detour through `Value` would compile a second one for every type).
pub(crate) fn lenient<'de, A, T>(map: &mut A) -> Result<Option<T>, A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    map.next_value_seed(EmptyAsNone(PhantomData))
}

/// [`lenient`] into a field's slot.
pub(crate) fn lenient_into<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    *slot = lenient(map)?;
    Ok(())
}

struct EmptyAsNone<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for EmptyAsNone<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for EmptyAsNone<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value, `null` or `\"\"`")
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Option<T>, E> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        match T::deserialize(text.into_deserializer()) {
            Ok(value) => Ok(Some(value)),
            // Date-times like `2012-04-23T18:25Z` or `2012-04-23T18:25:43` (no zone: UTC).
            Err(err) => match lenient_datetime(text) {
                Some(normalized) => T::deserialize(normalized.as_str().into_deserializer()).map(Some),
                None => Err(err),
            },
        }
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<Option<T>, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<Option<T>, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<Option<T>, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<Option<T>, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
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
