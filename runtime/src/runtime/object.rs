//! How models are written and read as JSON objects: [`impl_object!`] writes a model's
//! `Serialize` and `Deserialize` from its list of fields; everything they share is here, compiled
//! once for all models.
//!
//! serde's derive is not used: for every model it also writes a field-identifier enum with its
//! own visitor, a sequence form JSON never uses and a wrapper type per lenient field, which was
//! most of what rustc spent its time on in a crate of hundreds of models, and it would make every
//! user compile the serde_derive proc-macro.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// `Serialize` and `Deserialize` for a model struct, from its fields in the spec's order:
///
/// ```text
/// impl_object! {
///     Name {
///         0 => rust_field: "wireName" mode,
///         ...
///         [..additional_properties]
///     }
/// }
/// ```
///
/// Each field's `mode` says how it is written and read:
///
/// - `required`: always written; reading it is required and `null` is an error.
/// - `nullable`: an `Option` always written (`None` as `null`); absent or `null` reads as `None`.
/// - `optional`: an `Option` left out when `None`; absent or `null` reads as `None`.
///   `optional_nullable`: the same for a nullable property.
/// - `lenient`: like `optional`, and `""` reads as `None` too (objects and dates the server
///   sends as `""` when it has none); `lenient_nullable`: like `nullable`, read the same way;
///   `lenient_optional_nullable`: like `optional_nullable`, read the same way.
/// - `tristate`: an `Option<Option<T>>` left out when `None`; `null` reads as `Some(None)`.
///
/// Decoding strictly (the server reading a request, see `de::strictly`), `null` is an error
/// for the modes whose name does not say `nullable` (`required`, `optional`, `lenient`), and
/// the lenient modes take neither `""` nor loose date-times.
///
/// Written as one JSON object, fields first, then the additional properties (a model that
/// ends its list with `..additional_properties` keeps unknown keys there; others skip them). A
/// repeated key's last value wins.
// A spec without object schemas never invokes it.
#[allow(unused_macros)]
macro_rules! impl_object {
    ($name:ident { $($index:literal => $field:ident: $wire:literal $mode:ident,)* }) => {
        $crate::runtime::object::impl_object!(@serde $name [] $($field $wire $mode)*);

        impl $crate::runtime::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            #[allow(deprecated)]
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)*
                while let Some(key) =
                    map.next_key_seed($crate::runtime::object::Field(&[$($wire),*]))?
                {
                    match key {
                        $($index => $crate::runtime::object::impl_object!(@read $mode map $field),)*
                        _ => $crate::runtime::object::skip(&mut map),
                    }?;
                }
                Ok(Self {
                    $($field: $crate::runtime::object::impl_object!(@take $mode $field $wire),)*
                })
            }
        }
    };
    (
        $name:ident {
            $($index:literal => $field:ident: $wire:literal $mode:ident,)* ..additional_properties
        }
    ) => {
        $crate::runtime::object::impl_object!(
            @serde $name [additional_properties] $($field $wire $mode)*
        );

        impl $crate::runtime::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            #[allow(deprecated)]
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)*
                let mut additional = ::std::collections::BTreeMap::new();
                while let Some(key) =
                    map.next_key_seed($crate::runtime::object::FieldOrName(&[$($wire),*]))?
                {
                    match key {
                        $(
                            Ok($index) =>
                                $crate::runtime::object::impl_object!(@read $mode map $field),
                        )*
                        Ok(_) => $crate::runtime::object::skip(&mut map),
                        Err(key) => $crate::runtime::object::insert(&mut map, &mut additional, key),
                    }?;
                }
                Ok(Self {
                    $($field: $crate::runtime::object::impl_object!(@take $mode $field $wire),)*
                    additional_properties: additional,
                })
            }
        }
    };
    // `Serialize` (the fields, then the map of additional properties if named) and
    // `Deserialize` (through `Object::read`), the same for both forms above.
    (@serde $name:ident [$($additional:ident)?] $($field:ident $wire:literal $mode:ident)*) => {
        impl ::serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $($crate::runtime::object::impl_object!(@write $mode map $wire &self.$field);)*
                $(
                    for (key, value) in &self.$additional {
                        map.serialize_entry(key, value)?;
                    }
                )?
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                $crate::runtime::object::deserialize(deserializer)
            }
        }
    };
    (@write required $map:ident $wire:literal $value:expr) => {
        $map.serialize_entry($wire, $value)?
    };
    (@write nullable $map:ident $wire:literal $value:expr) => {
        $map.serialize_entry($wire, $value)?
    };
    (@write lenient_nullable $map:ident $wire:literal $value:expr) => {
        $map.serialize_entry($wire, $value)?
    };
    (@write $mode:ident $map:ident $wire:literal $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    // Each arm is one call that stores the value: no early return per field, each with the
    // fields read so far to drop (this took rustc's peak for the V3 crate from 1245 to 1196 MB).
    (@read lenient $map:ident $local:ident) => {
        $crate::runtime::de::lenient_into(&mut $map, &mut $local)
    };
    (@read lenient_nullable $map:ident $local:ident) => {
        $crate::runtime::de::lenient_nullable_into(&mut $map, &mut $local)
    };
    (@read lenient_optional_nullable $map:ident $local:ident) => {
        $crate::runtime::de::lenient_nullable_into(&mut $map, &mut $local)
    };
    (@read optional $map:ident $local:ident) => {
        $crate::runtime::de::put_not_null(&mut $map, &mut $local)
    };
    (@read required $map:ident $local:ident) => {
        $crate::runtime::object::set(&mut $map, &mut $local)
    };
    (@read tristate $map:ident $local:ident) => {
        $crate::runtime::object::set(&mut $map, &mut $local)
    };
    (@read $mode:ident $map:ident $local:ident) => {
        $crate::runtime::object::put(&mut $map, &mut $local)
    };
    (@take required $local:ident $wire:literal) => {
        $crate::runtime::object::required($local, $wire)?
    };
    (@take $mode:ident $local:ident $wire:literal) => { $local };
}

#[allow(unused_imports)]
pub(crate) use impl_object;

/// `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord` of a model enum by its wire value
/// (`as_str` of a string enum, `value` of an integer enum), not by the position of its variants:
/// a value the spec adds later, inserted anywhere in the list, moves no other value's order, and
/// `Unknown("X")` equals the variant whose wire value is `X`. `#[inline]`: compiled only where
/// used.
#[allow(unused_macros)]
macro_rules! by_wire_value {
    ($name:ident, $value:ident) => {
        impl ::std::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.$value() == other.$value()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            #[inline]
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(&self.$value(), state)
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for $name {
            #[inline]
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                ::std::cmp::Ord::cmp(&self.$value(), &other.$value())
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use by_wire_value;

/// A model read from a map (a JSON object): its fields in any order, unknown ones skipped
/// (or kept, for models with additional properties), a missing required one an error.
pub(crate) trait Object: Sized {
    /// The model's name, for error messages.
    const NAME: &'static str;

    /// Reads the model's fields from `map`.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every [`Object`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Object>(
    deserializer: D,
) -> Result<T, D::Error> {
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
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .unwrap_or(UNKNOWN))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|name| name.as_bytes() == key)
            .unwrap_or(UNKNOWN))
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
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .ok_or_else(|| key.to_string()))
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

/// Reads a field's value into its slot, as found (`Option` fields read `null` as `None`).
pub(crate) fn put<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads a field's value into its slot, found (required fields; tristate ones, whose `null` is
/// kept as `Some(None)`).
pub(crate) fn set<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps the value of a key the model does not know, for a model with additional properties.
pub(crate) fn insert<'de, A: MapAccess<'de>, V: serde::Deserialize<'de>>(
    map: &mut A,
    additional: &mut std::collections::BTreeMap<String, V>,
    key: String,
) -> Result<(), A::Error> {
    additional.insert(key, map.next_value()?);
    Ok(())
}

/// Skips the value of a key the model does not know.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A required field's value, or the error that names it.
pub(crate) fn required<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}
