//! Lenient decoding for what the live API really sends, so that one odd field never fails a
//! whole response; and the strict decoding the server side uses for requests ([`strictly`]).

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, Error, IntoDeserializer,
    MapAccess, SeqAccess, Unexpected, Visitor,
};

thread_local! {
    /// Whether this thread is decoding strictly (see [`strictly`]).
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with strict decoding on this thread: what the client tolerates in a response is
/// an error in a request the server reads. An enum value the spec does not list (`Unknown`),
/// `null` for a property that is not nullable, `""` for an object or date, and a date-time that
/// is not RFC 3339 all fail the decode. Decoding never awaits, so a thread-local is exactly the
/// scope of one decode.
pub(crate) fn strictly<R>(decode: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT.with(|strict| strict.set(self.0));
        }
    }
    let _restore = Restore(STRICT.with(|strict| strict.replace(true)));
    decode()
}

/// Whether this thread decodes strictly: read only where the lenient and the strict decoding
/// differ (an unknown enum value, a `null`, a `""`), so decoding a good value costs nothing more.
pub(crate) fn strict() -> bool {
    STRICT.with(Cell::get)
}

/// Reads an optional property that is not nullable: `null` reads as `None`, except when
/// decoding [`strictly`].
pub(crate) fn put_not_null<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value_seed(NotNull(PhantomData))?;
    Ok(())
}

struct NotNull<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NotNull<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for NotNull<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value (this property is not nullable)")
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        if strict() {
            return Err(E::invalid_type(Unexpected::Unit, &self));
        }
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }
}

/// The value of an optional object or date that the server may send as `""` when it has none:
/// `""` and `null` read as `None`. Date-times are also read without seconds or without a zone.
/// Decoding [`strictly`], none of that: `""` and a loose date-time are errors, and so is `null`
/// unless `nullable`.
///
/// The value is handed on to `T` as it is read, never copied into a `serde_json::Value` first:
/// decoding stays one pass over the bytes, and `T`'s decoder is the one compiled for the
/// response anyway (a detour through `Value` would compile a second one for every type).
pub(crate) fn lenient<'de, A, T>(map: &mut A, nullable: bool) -> Result<Option<T>, A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    map.next_value_seed(EmptyAsNone(nullable, PhantomData))
}

/// [`lenient`] into a field's slot, for a property that is not nullable.
pub(crate) fn lenient_into<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    *slot = lenient(map, false)?;
    Ok(())
}

/// [`lenient`] into a field's slot, for a nullable property.
pub(crate) fn lenient_nullable_into<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    *slot = lenient(map, true)?;
    Ok(())
}

/// Whether the property is nullable, and the type read.
struct EmptyAsNone<T>(bool, PhantomData<T>);

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
        if !self.0 && strict() {
            return Err(E::invalid_type(
                Unexpected::Unit,
                &"a value (this property is not nullable)",
            ));
        }
        Ok(None)
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Option<T>, E> {
        if strict() {
            return T::deserialize(text.into_deserializer()).map(Some);
        }
        if text.trim().is_empty() {
            return Ok(None);
        }
        match T::deserialize(text.into_deserializer()) {
            Ok(value) => Ok(Some(value)),
            // Date-times like `2012-04-23T18:25Z` or `2012-04-23T18:25:43` (no zone: UTC).
            Err(err) => match lenient_datetime(text) {
                Some(normalized) => {
                    T::deserialize(normalized.as_str().into_deserializer()).map(Some)
                }
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
    let (local, zone) = match text
        .find(['Z', 'z', '+'])
        .or_else(|| text.rfind('-').filter(|&i| i > 10))
    {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, "Z"),
    };
    let zone = if zone.eq_ignore_ascii_case("z") {
        "Z"
    } else {
        zone
    };
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(parsed) = chrono::NaiveDateTime::parse_from_str(local, format) {
            return Some(format!("{}{zone}", parsed.format("%Y-%m-%dT%H:%M:%S%.f")));
        }
    }
    None
}
