//! Typed builders for the V3 collection parameters `filters` and `sorters`.
//!
//! Both convert into `String`, so they go wherever a raw `filters` or `sorters` string does.

use std::fmt;

/// A value on the right of a comparison. Strings are quoted and escaped; numbers, booleans and
/// date-times are written bare, as the grammar wants.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// A string, written in double quotes with `"` and `\` escaped.
    String(String),
    /// An integer.
    Integer(i64),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A date-time, written unquoted in RFC 3339 (`2018-12-18T23:05:55Z`).
    DateTime(chrono::DateTime<chrono::Utc>),
}

impl From<&str> for FilterValue {
    fn from(value: &str) -> Self {
        FilterValue::String(value.to_string())
    }
}
impl From<String> for FilterValue {
    fn from(value: String) -> Self {
        FilterValue::String(value)
    }
}
impl From<&String> for FilterValue {
    fn from(value: &String) -> Self {
        FilterValue::String(value.clone())
    }
}
impl From<i32> for FilterValue {
    fn from(value: i32) -> Self {
        FilterValue::Integer(value.into())
    }
}
impl From<i64> for FilterValue {
    fn from(value: i64) -> Self {
        FilterValue::Integer(value)
    }
}
impl From<f64> for FilterValue {
    fn from(value: f64) -> Self {
        FilterValue::Number(value)
    }
}
impl From<bool> for FilterValue {
    fn from(value: bool) -> Self {
        FilterValue::Bool(value)
    }
}
impl From<chrono::DateTime<chrono::Utc>> for FilterValue {
    fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
        FilterValue::DateTime(value)
    }
}

impl fmt::Display for FilterValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterValue::String(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
            FilterValue::Integer(i) => write!(f, "{i}"),
            FilterValue::Number(n) => write!(f, "{n}"),
            FilterValue::Bool(b) => write!(f, "{b}"),
            FilterValue::DateTime(d) => {
                f.write_str(&d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
        }
    }
}

/// A filter expression. Build comparisons with [`Filter::field`], combine with
/// [`and`](Filter::and), [`or`](Filter::or) and [`not`](Filter::not); `Display` writes it with
/// the parentheses that precedence (`not` > `and` > `or`) requires, and no others. It converts
/// into `String`, so it goes wherever a raw `filters` string does. Operations that document their
/// filter fields also have typed helpers, all in [`filters`](crate::filters).
///
/// ```
/// use client_runtime::filters::{Filter, Sorters};
///
/// let filter = Filter::field("type").is_in(["ServiceNowSDIM", "ServiceNow"])
///     .and(Filter::field("name").eq("HR \"desk\""))
///     .or(Filter::field("cluster").is_null().not());
/// assert_eq!(
///     filter.to_string(),
///     r#"type in ("ServiceNowSDIM", "ServiceNow") and name eq "HR \"desk\"" or not cluster isnull"#
/// );
/// assert_eq!(Sorters::new().asc("type").desc("modified").to_string(), "type,-modified");
/// ```
///
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Expr);

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Compare {
        field: String,
        op: &'static str,
        value: FilterValue,
    },
    List {
        field: String,
        op: &'static str,
        values: Vec<FilterValue>,
    },
    Present(String),
    IsNull(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

/// A field to compare, from [`Filter::field`]. Dotted paths (`owner.id`) are fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterField(String);

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $op:literal),* $(,)?) => {
        impl FilterField {
            $(
                $(#[$doc])*
                pub fn $name(self, value: impl Into<FilterValue>) -> Filter {
                    Filter(Expr::Compare { field: self.0, op: $op, value: value.into() })
                }
            )*
        }
    };
}

comparisons! {
    /// `field eq value`
    eq => "eq",
    /// `field ne value`
    ne => "ne",
    /// `field gt value`
    gt => "gt",
    /// `field ge value`
    ge => "ge",
    /// `field lt value`
    lt => "lt",
    /// `field le value`
    le => "le",
    /// `field co value`: contains.
    co => "co",
    /// `field sw value`: starts with.
    sw => "sw",
}

impl FilterField {
    /// `field in ("a", "b")`: equals one of.
    pub fn is_in<V: Into<FilterValue>>(self, values: impl IntoIterator<Item = V>) -> Filter {
        Filter(Expr::List {
            field: self.0,
            op: "in",
            values: values.into_iter().map(Into::into).collect(),
        })
    }

    /// `field ca ("a", "b")`: contains all of.
    pub fn contains_all<V: Into<FilterValue>>(self, values: impl IntoIterator<Item = V>) -> Filter {
        Filter(Expr::List {
            field: self.0,
            op: "ca",
            values: values.into_iter().map(Into::into).collect(),
        })
    }

    /// `pr field`: the field is present.
    pub fn is_present(self) -> Filter {
        Filter(Expr::Present(self.0))
    }

    /// `field isnull`: the field is null.
    pub fn is_null(self) -> Filter {
        Filter(Expr::IsNull(self.0))
    }
}

impl Filter {
    /// Starts a comparison on `field`.
    pub fn field(field: impl Into<String>) -> FilterField {
        FilterField(field.into())
    }

    /// Both must hold.
    pub fn and(self, other: Filter) -> Filter {
        Filter(Expr::And(Box::new(self.0), Box::new(other.0)))
    }

    /// Either must hold.
    pub fn or(self, other: Filter) -> Filter {
        Filter(Expr::Or(Box::new(self.0), Box::new(other.0)))
    }

    /// Must not hold.
    #[allow(clippy::should_implement_trait)] // `!filter` reads worse in a query than `.not()`.
    pub fn not(self) -> Filter {
        Filter(Expr::Not(Box::new(self.0)))
    }
}

impl Expr {
    /// Binding strength: higher binds tighter.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) => 3,
            _ => 4,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, parent: u8) -> fmt::Result {
        let wrap = self.precedence() < parent;
        if wrap {
            f.write_str("(")?;
        }
        match self {
            Expr::Compare { field, op, value } => write!(f, "{field} {op} {value}")?,
            Expr::List { field, op, values } => {
                write!(f, "{field} {op} (")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value}")?;
                }
                f.write_str(")")?;
            }
            Expr::Present(field) => write!(f, "pr {field}")?,
            Expr::IsNull(field) => write!(f, "{field} isnull")?,
            Expr::Not(inner) => {
                f.write_str("not ")?;
                inner.write(f, 4)?;
            }
            // Left operands of the same operator need no parentheses (both are associative);
            // a right operand of the same strength does, to keep the tree as built.
            Expr::And(left, right) => {
                left.write(f, 2)?;
                f.write_str(" and ")?;
                right.write(f, 3)?;
            }
            Expr::Or(left, right) => {
                left.write(f, 1)?;
                f.write_str(" or ")?;
                right.write(f, 2)?;
            }
        }
        if wrap {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, 0)
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> String {
        filter.to_string()
    }
}

/// A `sorters` value: fields in order, `-` marking descending ones (`type,-modified`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sorters(Vec<String>);

impl Sorters {
    /// No sorting yet.
    pub fn new() -> Self {
        Sorters::default()
    }

    /// Then by `field`, ascending.
    pub fn asc(mut self, field: impl Into<String>) -> Self {
        self.0.push(field.into());
        self
    }

    /// Then by `field`, descending.
    pub fn desc(mut self, field: impl Into<String>) -> Self {
        self.0.push(format!("-{}", field.into()));
        self
    }
}

impl fmt::Display for Sorters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(","))
    }
}

impl From<Sorters> for String {
    fn from(sorters: Sorters) -> String {
        sorters.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(field: &str, value: i64) -> Filter {
        Filter::field(field).eq(value)
    }

    #[test]
    fn precedence_gives_minimal_parentheses() {
        // not a eq 1 or b eq 2 and c eq 3 == (not (a eq 1)) or ((b eq 2) and (c eq 3))
        let expr = f("a", 1).not().or(f("b", 2).and(f("c", 3)));
        assert_eq!(expr.to_string(), "not a eq 1 or b eq 2 and c eq 3");
        let expr = f("a", 1).or(f("b", 2)).and(f("c", 3));
        assert_eq!(expr.to_string(), "(a eq 1 or b eq 2) and c eq 3");
        let expr = f("a", 1).and(f("b", 2)).not();
        assert_eq!(expr.to_string(), "not (a eq 1 and b eq 2)");
        let expr = f("a", 1).or(f("b", 2).or(f("c", 3)));
        assert_eq!(expr.to_string(), "a eq 1 or (b eq 2 or c eq 3)");
    }

    #[test]
    fn values_are_quoted_and_escaped() {
        let when = chrono::DateTime::parse_from_rfc3339("2018-12-18T23:05:55Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            Filter::field("name").sw(r#"a"b\c"#).to_string(),
            r#"name sw "a\"b\\c""#
        );
        assert_eq!(
            Filter::field("created").gt(when).to_string(),
            "created gt 2018-12-18T23:05:55Z"
        );
        assert_eq!(
            Filter::field("enabled").eq(true).to_string(),
            "enabled eq true"
        );
        assert_eq!(
            Filter::field("owner.id").is_present().to_string(),
            "pr owner.id"
        );
        assert_eq!(
            Filter::field("tags").contains_all(["a", "b"]).to_string(),
            r#"tags ca ("a", "b")"#
        );
    }
}
