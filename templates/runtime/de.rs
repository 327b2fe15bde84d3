//! How models are read: the shared half of every object's `Deserialize`, and lenient decoding
//! for what the live API really sends, so that one odd field never fails a whole response.
//!
//! Objects are read by hand-written `visit_map`s (see [`Object`]) rather than serde's derive:
//! the derive also writes a field-identifier enum with its own visitor, a sequence form JSON
//! never uses, and a wrapper type per lenient field, for every model, and that is most of what
//! rustc spends its time on in a crate of hundreds of models. What all objects share lives here
//! and is compiled once.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error, IgnoredAny, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};

/// A model read from a map (a JSON object): its fields in any order, unknown ones skipped
/// (or kept, for models with additional properties), a missing required one an error.
pub(crate) trait Object: Sized {
    /// The model's name, for error messages.
    const NAME: &'static str;

    /// Reads the model's fields from `map`.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every [`Object`].
pub(crate) fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// Reads an object's key as the index of its name in the field list, or [`UNKNOWN`]: one key
/// decoder for all models instead of an identifier enum per model.
pub(crate) struct Field(pub &'static [&'static str]);

/// The index [`Field`] gives a key that is not in the list.
pub(crate) const UNKNOWN: usize = usize::MAX;

impl<'de> DeserializeSeed<'de> for Field {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| *name == key).unwrap_or(UNKNOWN))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key).unwrap_or(UNKNOWN))
    }
}

/// Like [`Field`], but an unknown key comes back as its name: for models that keep
/// additional properties.
pub(crate) struct FieldOrName(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldOrName {
    type Value = Result<usize, String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldOrName {
    type Value = Result<usize, String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key).ok_or_else(|| key.to_string()))
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key).ok_or(key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(key), &self)),
        }
    }
}

/// Skips the value of a key the model does not know.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A required field's value, or the error that names it.
pub(crate) fn required<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

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
