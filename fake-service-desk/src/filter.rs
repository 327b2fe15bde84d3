//! The V3 `filters` grammar, parsed: what the client's `Filter` builder writes, the fake reads.
//!
//! - comparisons `field OP value` (`eq ne gt ge lt le co sw`), lists `field in ("a", "b")` and
//!   `field ca (...)`, prefix `pr field`, postfix `field isnull`;
//! - values: strings in double quotes with `\"` and `\\` escapes, integers, numbers, `true`,
//!   `false`, and unquoted RFC 3339 date-times;
//! - `and`, `or`, `not` with precedence `not` > `and` > `or`, and parentheses. Operators and
//!   keywords are lower case only, as the live API wants them.
//!
//! ```
//! use fake_service_desk::filter::{parse, Expr, Value};
//! let expr = parse(r#"not type eq "A" or name eq "x \"y\"""#).unwrap();
//! assert_eq!(
//!     expr,
//!     Expr::Or(
//!         Box::new(Expr::Not(Box::new(Expr::Compare {
//!             field: "type".into(), op: "eq".into(), value: Value::String("A".into()),
//!         }))),
//!         Box::new(Expr::Compare {
//!             field: "name".into(), op: "eq".into(), value: Value::String("x \"y\"".into()),
//!         }),
//!     )
//! );
//! ```

use std::fmt;

use chrono::{DateTime, Utc};

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `field op value`, `op` one of `eq ne gt ge lt le co sw`.
    Compare {
        /// The field path (`name`, `owner.id`).
        field: String,
        /// The operator.
        op: String,
        /// The value.
        value: Value,
    },
    /// `field op (v1, v2, ...)`, `op` one of `in ca`.
    List {
        /// The field path.
        field: String,
        /// The operator.
        op: String,
        /// The values, in order.
        values: Vec<Value>,
    },
    /// `pr field`.
    Present(String),
    /// `field isnull`.
    IsNull(String),
    /// `not expr`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
}

/// A value on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A quoted string, unescaped.
    String(String),
    /// An integer.
    Integer(i64),
    /// A number with a fraction or exponent.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// An unquoted RFC 3339 date-time.
    DateTime(DateTime<Utc>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::DateTime(d) => write!(f, "{}", d.to_rfc3339()),
        }
    }
}

/// Why a filter could not be parsed: the message, and the character offset where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Byte offset into the filter.
    pub offset: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

const COMPARISONS: &[&str] = &["eq", "ne", "gt", "ge", "lt", "le", "co", "sw"];
const LISTS: &[&str] = &["in", "ca"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Quoted(String),
    /// Anything else up to whitespace, a parenthesis, a comma or a quote.
    Word(String),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                chars.next();
                let token = match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                };
                tokens.push((at, token));
            }
            '"' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((escape_at, '\\')) => match chars.next() {
                            Some((_, c @ ('"' | '\\'))) => value.push(c),
                            _ => {
                                return Err(ParseError {
                                    message: "only \\\" and \\\\ may be escaped in a string".into(),
                                    offset: escape_at,
                                })
                            }
                        },
                        Some((_, c)) => value.push(c),
                        None => {
                            return Err(ParseError {
                                message: "unterminated string".into(),
                                offset: at,
                            })
                        }
                    }
                }
                tokens.push((at, Token::Quoted(value)));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push((at, Token::Word(word)));
            }
        }
    }
    Ok(tokens)
}

/// Parses a `filters` value.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        end: text.len(),
    };
    let expr = parser.or()?;
    match parser.tokens.get(parser.position) {
        None => Ok(expr),
        Some((at, token)) => Err(ParseError {
            message: format!("expected `and`, `or` or the end, found {}", describe(token)),
            offset: *at,
        }),
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    position: usize,
    end: usize,
}

fn describe(token: &Token) -> String {
    match token {
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::Comma => "`,`".into(),
        Token::Quoted(s) => format!("the string {s:?}"),
        Token::Word(w) => format!("`{w}`"),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.position)
            .map_or(self.end, |(at, _)| *at)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            message: message.into(),
            offset: self.offset(),
        })
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).map(|(_, t)| t.clone());
        self.position += 1;
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.position += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while self.is_word("and") {
            self.position += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.position += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Some(Token::Open) => {
                self.position += 1;
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => {
                        self.position -= 1;
                        self.error("expected `)`")
                    }
                }
            }
            Some(Token::Word(w)) if w == "pr" => {
                self.position += 1;
                Ok(Expr::Present(self.field()?))
            }
            Some(_) => {
                let field = self.field()?;
                let op = match self.next() {
                    Some(Token::Word(op)) => op,
                    _ => {
                        self.position -= 1;
                        return self.error(format!("expected an operator after `{field}`"));
                    }
                };
                if op == "isnull" {
                    return Ok(Expr::IsNull(field));
                }
                if COMPARISONS.contains(&op.as_str()) {
                    let value = self.value()?;
                    return Ok(Expr::Compare { field, op, value });
                }
                if LISTS.contains(&op.as_str()) {
                    let values = self.list()?;
                    return Ok(Expr::List { field, op, values });
                }
                self.position -= 1;
                self.error(format!(
                    "unknown operator `{op}` (operators are lower case: eq ne gt ge lt le co sw in ca pr isnull)"
                ))
            }
            None => self.error("expected a comparison, found the end"),
        }
    }

    fn field(&mut self) -> Result<String, ParseError> {
        match self.next() {
            Some(Token::Word(w)) if is_field(&w) => Ok(w),
            other => {
                self.position -= 1;
                let found = other.map_or("the end".to_string(), |t| describe(&t));
                self.error(format!("expected a field name, found {found}"))
            }
        }
    }

    fn list(&mut self) -> Result<Vec<Value>, ParseError> {
        if self.next() != Some(Token::Open) {
            self.position -= 1;
            return self.error("expected `(` to open a list of values");
        }
        let mut values = vec![self.value()?];
        loop {
            match self.next() {
                Some(Token::Comma) => values.push(self.value()?),
                Some(Token::Close) => return Ok(values),
                _ => {
                    self.position -= 1;
                    return self.error("expected `,` or `)` in a list of values");
                }
            }
        }
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.next() {
            Some(Token::Quoted(s)) => Ok(Value::String(s)),
            Some(Token::Word(w)) => {
                if w == "true" || w == "false" {
                    return Ok(Value::Bool(w == "true"));
                }
                if let Ok(i) = w.parse::<i64>() {
                    return Ok(Value::Integer(i));
                }
                if let Ok(d) = DateTime::parse_from_rfc3339(&w) {
                    return Ok(Value::DateTime(d.with_timezone(&Utc)));
                }
                if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                    if let Ok(n) = w.parse::<f64>() {
                        return Ok(Value::Number(n));
                    }
                }
                self.position -= 1;
                self.error(format!(
                    "expected a value, found `{w}` (strings go in double quotes)"
                ))
            }
            other => {
                self.position -= 1;
                let found = other.map_or("the end".to_string(), |t| describe(&t));
                self.error(format!("expected a value, found {found}"))
            }
        }
    }
}

fn is_field(word: &str) -> bool {
    !word.is_empty()
        && !["and", "or", "not", "pr"].contains(&word)
        && word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(field: &str, value: i64) -> Expr {
        Expr::Compare {
            field: field.into(),
            op: "eq".into(),
            value: Value::Integer(value),
        }
    }

    fn b(e: Expr) -> Box<Expr> {
        Box::new(e)
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(
            parse("not a eq 1 or b eq 2 and c eq 3").unwrap(),
            Expr::Or(
                b(Expr::Not(b(eq("a", 1)))),
                b(Expr::And(b(eq("b", 2)), b(eq("c", 3))))
            )
        );
        assert_eq!(
            parse("(a eq 1 or b eq 2) and c eq 3").unwrap(),
            Expr::And(b(Expr::Or(b(eq("a", 1)), b(eq("b", 2)))), b(eq("c", 3)))
        );
        assert_eq!(
            parse("a eq 1 or (b eq 2 or c eq 3)").unwrap(),
            Expr::Or(b(eq("a", 1)), b(Expr::Or(b(eq("b", 2)), b(eq("c", 3)))))
        );
        assert_eq!(
            parse("not (a eq 1 and b eq 2)").unwrap(),
            Expr::Not(b(Expr::And(b(eq("a", 1)), b(eq("b", 2)))))
        );
    }

    #[test]
    fn values_strings_lists_and_unary_forms() {
        assert_eq!(
            parse(r#"name sw "a\"b\\c""#).unwrap(),
            Expr::Compare {
                field: "name".into(),
                op: "sw".into(),
                value: Value::String(r#"a"b\c"#.into())
            }
        );
        assert_eq!(
            parse(r#"type in ("A","B" , "C")"#).unwrap(),
            Expr::List {
                field: "type".into(),
                op: "in".into(),
                values: ["A", "B", "C"].map(|s| Value::String(s.into())).to_vec()
            }
        );
        let when = DateTime::parse_from_rfc3339("2018-12-18T23:05:55Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse("created gt 2018-12-18T23:05:55Z").unwrap(),
            Expr::Compare {
                field: "created".into(),
                op: "gt".into(),
                value: Value::DateTime(when)
            }
        );
        assert_eq!(
            parse("pr owner.id").unwrap(),
            Expr::Present("owner.id".into())
        );
        assert_eq!(
            parse("cluster isnull").unwrap(),
            Expr::IsNull("cluster".into())
        );
        assert_eq!(
            parse("enabled eq true and score ge -1.5").unwrap(),
            Expr::And(
                b(Expr::Compare {
                    field: "enabled".into(),
                    op: "eq".into(),
                    value: Value::Bool(true)
                }),
                b(Expr::Compare {
                    field: "score".into(),
                    op: "ge".into(),
                    value: Value::Number(-1.5)
                })
            )
        );
    }

    #[test]
    fn malformed_filters_are_refused_with_a_position() {
        for bad in [
            "",
            "name",
            "name EQ \"x\"",
            "name eq",
            "name eq x",
            "name eq \"x",
            "name eq \"x\" and",
            "(name eq \"x\"",
            "name eq \"x\")",
            "type in \"A\"",
            "type in (\"A\" \"B\")",
            "name eq \"a\\nb\"",
            "\"name\" eq \"x\"",
            "name eq \"x\" name eq \"y\"",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(err.offset <= bad.len(), "{bad}: {err}");
        }
    }
}
