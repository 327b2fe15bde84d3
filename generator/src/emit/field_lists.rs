//! Lays out the field lists of `impl_object!` invocations one field per line. prettyplease
//! prints a macro's tokens as running text, wrapped at the line width, which makes a model's
//! list of fields hard to read and its diffs noisy; the list has a fixed shape the generator
//! itself writes, so it is re-laid out here, right after prettyplease, for every path that
//! formats code.

/// The line prettyplease starts an invocation with (models are items at the top of their file).
const OPENING: &str = "crate::runtime::object::impl_object! {\n";

/// `text` with every `impl_object!` invocation laid out one field per line; anything that does
/// not have the expected shape is left as prettyplease printed it.
pub(super) fn lay_out(text: String) -> String {
    if !text.contains(OPENING) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(OPENING) {
        let at_line_start = start == 0 || rest[..start].ends_with('\n');
        let body_start = start + OPENING.len();
        let Some(body_len) = rest[body_start..].find("\n}\n") else {
            break;
        };
        let body = &rest[body_start..body_start + body_len];
        out.push_str(&rest[..start]);
        match lay_out_body(body).filter(|_| at_line_start) {
            Some(laid_out) => {
                out.push_str(OPENING);
                out.push_str(&laid_out);
                out.push_str("}\n");
            }
            None => out.push_str(&rest[start..body_start + body_len + 3]),
        }
        rest = &rest[body_start + body_len + 3..];
    }
    out.push_str(rest);
    out
}

/// `Name { 0 => field : "wire" mode, ... [..additional_properties] }` as indented lines.
fn lay_out_body(body: &str) -> Option<String> {
    let tokens = tokens(body)?;
    let mut tokens = tokens.iter().map(String::as_str);
    let name = tokens.next()?;
    if tokens.next()? != "{" {
        return None;
    }
    let mut out = format!("    {name} {{\n");
    let mut fields = 0;
    loop {
        match tokens.next()? {
            "}" if fields == 0 => {
                return tokens
                    .next()
                    .is_none()
                    .then(|| format!("    {name} {{}}\n"))
            }
            "}" => break,
            "..additional_properties" => {
                out.push_str("        ..additional_properties\n");
                if tokens.next()? != "}" {
                    return None;
                }
                break;
            }
            index => {
                let (arrow, field, colon, wire, mode, comma) = (
                    tokens.next()?,
                    tokens.next()?,
                    tokens.next()?,
                    tokens.next()?,
                    tokens.next()?,
                    tokens.next()?,
                );
                let well_formed = index.bytes().all(|b| b.is_ascii_digit())
                    && arrow == "=>"
                    && colon == ":"
                    && wire.starts_with('"')
                    && comma == ",";
                if !well_formed {
                    return None;
                }
                out.push_str(&format!("        {index} => {field}: {wire} {mode},\n"));
                fields += 1;
            }
        }
    }
    tokens.next().is_none().then_some(out + "    }\n")
}

/// The body's tokens: string literals whole (with their escapes), `,` on its own, and every
/// other run of non-space characters.
fn tokens(body: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            let mut literal = String::from(chars.next()?);
            loop {
                let c = chars.next()?;
                literal.push(c);
                match c {
                    '\\' => literal.push(chars.next()?),
                    '"' => break,
                    _ => {}
                }
            }
            tokens.push(literal);
        } else if c == ',' {
            tokens.push(chars.next()?.to_string());
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == ',' || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(word);
        }
    }
    Some(tokens)
}

#[cfg(test)]
mod tests {
    use super::lay_out;

    #[test]
    fn field_lists_get_one_line_per_field() {
        let printed = "struct A;\ncrate::runtime::object::impl_object! {\n    Bag { 0 => a : \"a, \\\"b\\\" c\" optional, 1\n    => r#type : \"type\" required, ..additional_properties }\n}\nimpl A {}\n";
        let expected = "struct A;\ncrate::runtime::object::impl_object! {\n    Bag {\n        0 => a: \"a, \\\"b\\\" c\" optional,\n        1 => r#type: \"type\" required,\n        ..additional_properties\n    }\n}\nimpl A {}\n";
        assert_eq!(lay_out(printed.to_string()), expected);
    }

    #[test]
    fn an_empty_list_and_odd_shapes() {
        let empty = "crate::runtime::object::impl_object! {\n    Empty {}\n}\n";
        assert_eq!(lay_out(empty.to_string()), empty);
        let odd = "crate::runtime::object::impl_object! {\n    Bag { 0 => a \"a\" optional, }\n}\n";
        assert_eq!(lay_out(odd.to_string()), odd);
    }
}
