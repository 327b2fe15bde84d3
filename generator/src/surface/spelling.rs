//! Types as the API listing spells them (see [`crate::surface`]), shared by the listing of the
//! client and of the server side (`emit::server::surface`), which both write lines of it.

use crate::ir::TypeRef;

/// A type as the generated code spells it, with short paths.
pub fn ty(t: &TypeRef) -> String {
    match t {
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Map(v) => format!("BTreeMap<String, {}>", ty(v)),
        TypeRef::Vec(v) => format!("Vec<{}>", ty(v)),
        TypeRef::Named(n) => format!("models::{n}"),
        TypeRef::Bytes => "Vec<u8>".into(),
    }
}
