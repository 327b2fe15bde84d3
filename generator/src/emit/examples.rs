//! The `no_run` example in each operation's docs: the call with its required arguments, filled
//! from the spec's examples where it gives them and with placeholders of the right type where it
//! does not. The examples are doctests: they must compile for any spec, so everything that is not
//! a plain scalar is read from JSON text (`serde_json::from_str`), which fits any type.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::media::MediaKind;
use crate::ir::{Operation, TypeDef, TypeKind, TypeRef};

/// Stands for the generated crate's library name in doc text; `generate` puts the name in.
pub const CRATE: &str = "\u{E001}";

/// The Markdown of the example (a fenced `no_run` block).
pub fn operation_example(op: &Operation, types: &BTreeMap<String, TypeDef>) -> String {
    let mut lines = vec!["```no_run".to_string()];
    if op.deprecated {
        lines.push("# #![allow(deprecated)]".into());
    }
    lines.push(format!(
        "# async fn run(client: {CRATE}::Client) -> Result<(), Box<dyn std::error::Error>> {{"
    ));
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| argument(&p.ty, p.example.as_ref(), &p.wire, types))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let (setup, arg) = body_argument(body.kind, &body.ty, body.example.as_ref(), types);
        lines.extend(setup);
        args.push(arg);
    }
    // The name as Rust spells it (`r#move`).
    let call = format!("client.{}({})", op.method_name, args.join(", "));
    if op.success.ty.is_some() {
        lines.push(format!("let response = {call}.await?;"));
        lines.push("println!(\"{} {:?}\", response.status(), response.body());".into());
    } else {
        lines.push(format!("let response = {call}.await?;"));
        lines.push("println!(\"{}\", response.status());".into());
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    lines.join("\n")
}

/// A required parameter's argument, of the type `arg_type` gives it.
fn argument(
    ty: &TypeRef,
    example: Option<&Value>,
    wire: &str,
    types: &BTreeMap<String, TypeDef>,
) -> String {
    match ty {
        TypeRef::String => match example {
            Some(Value::String(s)) => format!("{s:?}"),
            Some(other) => format!("{:?}", other.to_string()),
            None => format!("{wire:?}"),
        },
        TypeRef::Bool => match example {
            Some(Value::Bool(b)) => b.to_string(),
            _ => "true".into(),
        },
        TypeRef::I32 | TypeRef::I64 => match example.and_then(Value::as_i64) {
            Some(n) if *ty == TypeRef::I64 || i32::try_from(n).is_ok() => n.to_string(),
            _ => "1".into(),
        },
        TypeRef::F32 | TypeRef::F64 => match example.and_then(Value::as_f64) {
            Some(n) if n.is_finite() => format!("{n:?}"),
            _ => "1.0".into(),
        },
        TypeRef::Vec(item) => {
            let items = match example {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| argument(item, Some(i), wire, types))
                    .collect(),
                _ => vec![argument(item, None, wire, types)],
            };
            // Items are values, but `argument` borrows non-scalars: take them by value; a
            // string item is a `String` (`&[String]` is the argument), not a literal.
            let items: Vec<String> = items
                .into_iter()
                .map(|i| i.strip_prefix('&').map(str::to_string).unwrap_or(i))
                .map(|i| match **item {
                    TypeRef::String => format!("{i}.to_string()"),
                    _ => i,
                })
                .collect();
            format!("&[{}]", items.join(", "))
        }
        // Enums, objects, dates, JSON: read from the example's JSON, whatever the type is.
        other => format!("&{}", from_json(&json_text(other, example, types))),
    }
}

/// The lines that make a required body, and the argument that passes it.
fn body_argument(
    kind: MediaKind,
    ty: &TypeRef,
    example: Option<&Value>,
    types: &BTreeMap<String, TypeDef>,
) -> (Vec<String>, String) {
    match (kind, ty) {
        (MediaKind::Text, _) | (_, TypeRef::String) => {
            let text = match example {
                Some(Value::String(s)) => s.clone(),
                _ => "text".into(),
            };
            (Vec::new(), format!("{text:?}"))
        }
        (MediaKind::Binary, _) | (_, TypeRef::Bytes) => (Vec::new(), "b\"contents\"".into()),
        _ => {
            let ty_text = type_text(ty);
            let json = json_text(ty, example, types);
            (
                vec![format!("let body: {ty_text} = {};", from_json(&json))],
                "&body".into(),
            )
        }
    }
}

/// `serde_json::from_str(r#"..."#)?`, with enough `#`s for the text.
fn from_json(json: &str) -> String {
    let mut hashes = "#".to_string();
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("serde_json::from_str(r{hashes}\"{json}\"{hashes})?")
}

/// The example as JSON text: the spec's, else the named type's own, else an empty value of the
/// type's shape.
fn json_text(ty: &TypeRef, example: Option<&Value>, types: &BTreeMap<String, TypeDef>) -> String {
    let value = example.cloned().or_else(|| type_example(ty, types));
    match value {
        Some(value) => value.to_string(),
        None => placeholder(ty, types, 0).to_string(),
    }
}

fn type_example(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> Option<Value> {
    match ty {
        TypeRef::Named(name) => types.get(name)?.example.clone().or_else(|| {
            // An alias without an example of its own shows its target's.
            match crate::ir::behind_aliases(ty, types) {
                resolved @ TypeRef::Named(_) if resolved != *ty => type_example(&resolved, types),
                _ => None,
            }
        }),
        TypeRef::Vec(item) => type_example(item, types).map(|item| Value::Array(vec![item])),
        _ => None,
    }
}

/// A value of the right JSON shape when the spec gives no example: objects with their required
/// fields (to a few levels: types may be recursive), each a placeholder of its own.
fn placeholder(ty: &TypeRef, types: &BTreeMap<String, TypeDef>, depth: usize) -> Value {
    match ty {
        TypeRef::Vec(_) => Value::Array(Vec::new()),
        TypeRef::Bytes => Value::String(String::new()),
        TypeRef::DateTime => Value::String("2024-01-01T00:00:00Z".into()),
        TypeRef::Date => Value::String("2024-01-01".into()),
        TypeRef::String => Value::String("text".into()),
        TypeRef::Bool => Value::Bool(true),
        TypeRef::I32 | TypeRef::I64 => Value::from(1),
        TypeRef::F32 | TypeRef::F64 => Value::from(1.0),
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::StringEnum(values)) => values
                .first()
                .map_or(Value::Null, |v| Value::String(v.wire.clone())),
            Some(TypeKind::IntegerEnum(values)) => {
                values.first().map_or(Value::Null, |v| Value::from(v.1))
            }
            Some(TypeKind::Alias(inner)) => placeholder(inner, types, depth),
            Some(TypeKind::Struct(s)) if depth < 3 => Value::Object(
                s.fields
                    .iter()
                    .filter(|f| f.required && !f.read_only)
                    .map(|f| {
                        let value = f
                            .default
                            .clone()
                            .unwrap_or_else(|| placeholder(&f.ty, types, depth + 1));
                        (f.wire.clone(), value)
                    })
                    .collect(),
            ),
            _ => Value::Object(Default::default()),
        },
        _ => Value::Object(Default::default()),
    }
}

/// A body's Rust type as the example names it (`generated_client::models::X`).
fn type_text(ty: &TypeRef) -> String {
    let tokens = super::types::rust_type(ty, super::types::Place::Absolute).to_string();
    tokens
        .replace(' ', "")
        .replace("crate::", &format!("{CRATE}::"))
}
