//! Values and functions for waiter expressions.
//!
//! The generator compiles each waiter's JMESPath expression to Rust at generation time: member
//! access becomes field access on the typed output, projections and filters become loops. What
//! is left for run time is small and lives here: the value that a computed part of an
//! expression yields (a JMESPath value borrowing from the response), JMESPath's truthiness and
//! comparisons, its built-in functions, and the acceptor comparators.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::waiter::Comparator;

/// A JMESPath value, borrowing strings from the response it was taken from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`: an absent member, or a mismatch of types.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (JMESPath numbers are JSON numbers).
    Number(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// A list.
    Array(Vec<Value<'a>>),
    /// A map, as (key, value) pairs in key order.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
    /// A structure, taken as a whole. Expressions reach into structures at generation time
    /// (member access compiles to field access), so a structure that ends up as a value is
    /// only looked at as a whole: it is an object, truthy, equal to no other value; `length`,
    /// `keys` and `values` of it give null.
    Structure,
}

impl<'a> Value<'a> {
    /// A borrowed string value.
    pub fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    /// JMESPath truthiness: false, null, empty strings, lists and objects are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null | Value::Bool(false) => false,
            Value::Bool(true) | Value::Number(_) | Value::Structure => true,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// JMESPath's `type()` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) | Value::Structure => "object",
        }
    }

    /// A number from any Rust number a model can hold.
    pub fn number(n: impl Into<f64>) -> Self {
        Value::Number(n.into())
    }

    /// `i64` members (JSON numbers are doubles, as in every JMESPath implementation).
    #[allow(clippy::cast_precision_loss)]
    pub fn long(n: i64) -> Self {
        Value::Number(n as f64)
    }

    /// Flattens one level (`[]`): lists inside the list are spliced in, and null is dropped.
    /// A value that is not a list gives null.
    pub fn flatten(self) -> Self {
        match self {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Array(inner) => out.extend(inner),
                        Value::Null => {}
                        other => out.push(other),
                    }
                }
                Value::Array(out)
            }
            _ => Value::Null,
        }
    }

    /// `a[i]`, negative from the end.
    pub fn index(self, i: i64) -> Self {
        let Value::Array(mut items) = self else {
            return Value::Null;
        };
        let len = items.len() as i64;
        let at = if i < 0 { len + i } else { i };
        if at < 0 || at >= len {
            return Value::Null;
        }
        items.swap_remove(at as usize)
    }

    /// The member `key` of an object, null for anything else.
    pub fn field(&self, key: &str) -> Self {
        match self {
            Value::Object(o) => o
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// The values of an object (`.*`), or null.
    pub fn object_values(self) -> Self {
        match self {
            Value::Object(o) => Value::Array(o.into_iter().map(|(_, v)| v).collect()),
            _ => Value::Null,
        }
    }
}

/// `items[i]`, negative from the end; `None` out of range.
pub fn at<T>(items: &[T], i: i64) -> Option<&T> {
    let len = i64::try_from(items.len()).ok()?;
    let at = if i < 0 { len + i } else { i };
    usize::try_from(at).ok().and_then(|a| items.get(a))
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A comparison: equality is deep on any values; ordering is defined only on numbers (and,
/// as JMESPath 2016 allows in newer revisions, on two strings); anything else gives null.
pub fn compare<'a>(op: CmpOp, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
    match op {
        CmpOp::Eq => Value::Bool(equal(a, b)),
        CmpOp::Ne => Value::Bool(!equal(a, b)),
        _ => {
            let ord = match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
                (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                _ => None,
            };
            match ord {
                None => Value::Null,
                Some(o) => Value::Bool(match op {
                    CmpOp::Lt => o == Ordering::Less,
                    CmpOp::Le => o != Ordering::Greater,
                    CmpOp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }),
            }
        }
    }
}

fn equal(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && equal(v, v2)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Structure, _) | (_, Value::Structure) => false,
        _ => a == b,
    }
}

/// `a && b`: `b` when `a` is truthy, else `a`.
pub fn and<'a>(a: Value<'a>, b: impl FnOnce() -> Value<'a>) -> Value<'a> {
    if a.is_truthy() {
        b()
    } else {
        a
    }
}

/// `a || b`: `a` when it is truthy, else `b`.
pub fn or<'a>(a: Value<'a>, b: impl FnOnce() -> Value<'a>) -> Value<'a> {
    if a.is_truthy() {
        a
    } else {
        b()
    }
}

/// `!a`.
pub fn not(a: &Value<'_>) -> Value<'static> {
    Value::Bool(!a.is_truthy())
}

/// The built-in functions the generator accepts, by name, with their arity: `(min, max)`,
/// `max = None` for variadic ones. The generator refuses any other name.
pub const FUNCTIONS: &[(&str, usize, Option<usize>)] = &[
    ("abs", 1, Some(1)),
    ("avg", 1, Some(1)),
    ("ceil", 1, Some(1)),
    ("contains", 2, Some(2)),
    ("ends_with", 2, Some(2)),
    ("floor", 1, Some(1)),
    ("join", 2, Some(2)),
    ("keys", 1, Some(1)),
    ("length", 1, Some(1)),
    ("max", 1, Some(1)),
    ("min", 1, Some(1)),
    ("not_null", 1, None),
    ("reverse", 1, Some(1)),
    ("sort", 1, Some(1)),
    ("starts_with", 2, Some(2)),
    ("sum", 1, Some(1)),
    ("to_array", 1, Some(1)),
    ("to_number", 1, Some(1)),
    ("to_string", 1, Some(1)),
    ("type", 1, Some(1)),
    ("values", 1, Some(1)),
];

/// Calls a built-in function. Arguments of the wrong type give null (JMESPath raises an
/// error there; for a waiter, an acceptor that cannot match is the same outcome).
pub fn call<'a>(name: &str, mut args: Vec<Value<'a>>) -> Value<'a> {
    let first = if args.is_empty() {
        Value::Null
    } else {
        args.remove(0)
    };
    let second = args.first().cloned().unwrap_or(Value::Null);
    match (name, first) {
        ("length", Value::Str(s)) => Value::long(s.chars().count() as i64),
        ("length", Value::Array(a)) => Value::long(a.len() as i64),
        ("length", Value::Object(o)) => Value::long(o.len() as i64),
        ("contains", Value::Array(a)) => Value::Bool(a.iter().any(|v| equal(v, &second))),
        ("contains", Value::Str(s)) => match second {
            Value::Str(needle) => Value::Bool(s.contains(needle.as_ref())),
            _ => Value::Null,
        },
        ("starts_with", Value::Str(s)) => match second {
            Value::Str(p) => Value::Bool(s.starts_with(p.as_ref())),
            _ => Value::Null,
        },
        ("ends_with", Value::Str(s)) => match second {
            Value::Str(p) => Value::Bool(s.ends_with(p.as_ref())),
            _ => Value::Null,
        },
        ("abs", Value::Number(n)) => Value::Number(n.abs()),
        ("ceil", Value::Number(n)) => Value::Number(n.ceil()),
        ("floor", Value::Number(n)) => Value::Number(n.floor()),
        ("sum", Value::Array(a)) => {
            numbers(&a).map_or(Value::Null, |n| Value::Number(n.iter().sum()))
        }
        ("avg", Value::Array(a)) if !a.is_empty() => numbers(&a).map_or(Value::Null, |n| {
            Value::Number(n.iter().sum::<f64>() / n.len() as f64)
        }),
        ("max" | "min", Value::Array(a)) => {
            let want = if name == "max" {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<Value<'a>> = None;
            for v in a {
                let better = match (&best, &v) {
                    (None, Value::Number(_) | Value::Str(_)) => true,
                    (Some(b), _) => compare_order(&v, b) == Some(want),
                    _ => return Value::Null,
                };
                if better {
                    best = Some(v);
                }
            }
            best.unwrap_or(Value::Null)
        }
        ("not_null", first) => {
            if !first.is_null() {
                return first;
            }
            args.into_iter()
                .find(|v| !v.is_null())
                .unwrap_or(Value::Null)
        }
        ("to_string", Value::Str(s)) => Value::Str(s),
        ("to_string", v) => Value::Str(Cow::Owned(to_json(&v))),
        ("to_number", Value::Number(n)) => Value::Number(n),
        ("to_number", Value::Str(s)) => s.parse().map_or(Value::Null, Value::Number),
        ("to_array", Value::Array(a)) => Value::Array(a),
        ("to_array", v) => Value::Array(vec![v]),
        ("type", v) => Value::str(v.type_name()),
        ("keys", Value::Object(o)) => {
            Value::Array(o.into_iter().map(|(k, _)| Value::Str(k)).collect())
        }
        ("values", Value::Object(o)) => Value::Array(o.into_iter().map(|(_, v)| v).collect()),
        ("reverse", Value::Array(mut a)) => {
            a.reverse();
            Value::Array(a)
        }
        ("reverse", Value::Str(s)) => Value::Str(Cow::Owned(s.chars().rev().collect())),
        ("sort", Value::Array(mut a)) => {
            if a.iter().all(|v| matches!(v, Value::Number(_)))
                || a.iter().all(|v| matches!(v, Value::Str(_)))
            {
                a.sort_by(|x, y| compare_order(x, y).unwrap_or(Ordering::Equal));
                Value::Array(a)
            } else {
                Value::Null
            }
        }
        ("join", Value::Str(sep)) => match second {
            Value::Array(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Str(s) => parts.push(s),
                        _ => return Value::Null,
                    }
                }
                Value::Str(Cow::Owned(parts.join(sep.as_ref())))
            }
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

fn numbers(a: &[Value<'_>]) -> Option<Vec<f64>> {
    a.iter()
        .map(|v| match v {
            Value::Number(n) => Some(*n),
            _ => None,
        })
        .collect()
}

fn compare_order(a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn to_json(v: &Value<'_>) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Value::Number(n) => n.to_string(),
        Value::Str(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Value::Array(a) => format!("[{}]", a.iter().map(to_json).collect::<Vec<_>>().join(",")),
        Value::Structure => "{}".into(),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}:{}", to_json(&Value::Str(k.clone())), to_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Applies an acceptor's comparator to the value its path selected, as Smithy's waiter
/// specification defines them: `stringEquals` and `booleanEquals` on one value;
/// `allStringEquals` on a non-empty list whose every item equals; `anyStringEquals` on a list
/// with at least one equal item.
pub fn matches(value: &Value<'_>, comparator: Comparator, expected: &str) -> bool {
    let is = |v: &Value<'_>| matches!(v, Value::Str(s) if s == expected);
    match comparator {
        Comparator::StringEquals => is(value),
        Comparator::BooleanEquals => match value {
            Value::Bool(b) => expected == if *b { "true" } else { "false" },
            _ => false,
        },
        Comparator::AllStringEquals => match value {
            Value::Array(a) => !a.is_empty() && a.iter().all(is),
            _ => false,
        },
        Comparator::AnyStringEquals => match value {
            Value::Array(a) => a.iter().any(is),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value<'_> {
        Value::str(x)
    }

    #[test]
    fn truthiness_follows_jmespath() {
        for v in [
            Value::Null,
            Value::Bool(false),
            s(""),
            Value::Array(vec![]),
            Value::Object(vec![]),
        ] {
            assert!(!v.is_truthy(), "{v:?}");
        }
        for v in [
            Value::Bool(true),
            Value::Number(0.0),
            s("x"),
            Value::Array(vec![Value::Null]),
        ] {
            assert!(v.is_truthy(), "{v:?}");
        }
    }

    #[test]
    fn comparisons_order_numbers_only_and_compare_deeply() {
        assert_eq!(
            compare(CmpOp::Ge, &Value::Number(2.0), &Value::Number(2.0)),
            Value::Bool(true)
        );
        assert_eq!(
            compare(CmpOp::Lt, &Value::Number(2.0), &s("3")),
            Value::Null
        );
        assert_eq!(
            compare(
                CmpOp::Eq,
                &Value::Array(vec![s("a")]),
                &Value::Array(vec![s("a")])
            ),
            Value::Bool(true)
        );
        assert_eq!(
            compare(CmpOp::Ne, &Value::Null, &Value::Bool(false)),
            Value::Bool(true)
        );
    }

    #[test]
    fn functions() {
        assert_eq!(
            call("length", vec![Value::Array(vec![Value::Null, s("a")])]),
            Value::Number(2.0)
        );
        assert_eq!(call("length", vec![s("héllo")]), Value::Number(5.0));
        assert_eq!(call("length", vec![Value::Null]), Value::Null);
        assert_eq!(
            call(
                "contains",
                vec![
                    Value::Array(vec![Value::Bool(true), Value::Bool(false)]),
                    Value::Bool(false)
                ]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            call("contains", vec![s("foobar"), s("oba")]),
            Value::Bool(true)
        );
        assert_eq!(
            call("not_null", vec![Value::Null, Value::Null, s("x")]),
            s("x")
        );
        assert_eq!(
            call(
                "max",
                vec![Value::Array(vec![Value::Number(1.0), Value::Number(3.0)])]
            ),
            Value::Number(3.0)
        );
        assert_eq!(
            call(
                "to_string",
                vec![Value::Array(vec![Value::Number(1.0), s("a")])]
            ),
            s("[1,\"a\"]")
        );
        assert_eq!(
            call("join", vec![s(", "), Value::Array(vec![s("a"), s("b")])]),
            s("a, b")
        );
        assert_eq!(
            call("sort", vec![Value::Array(vec![s("b"), s("a")])]),
            Value::Array(vec![s("a"), s("b")])
        );
    }

    #[test]
    fn flatten_and_index() {
        let v = Value::Array(vec![
            Value::Array(vec![s("a"), s("b")]),
            Value::Null,
            s("c"),
        ]);
        assert_eq!(v.flatten(), Value::Array(vec![s("a"), s("b"), s("c")]));
        assert_eq!(Value::Array(vec![s("a"), s("b")]).index(-1), s("b"));
        assert_eq!(Value::Array(vec![s("a")]).index(3), Value::Null);
    }

    #[test]
    fn comparators() {
        let list = Value::Array(vec![s("available"), s("available")]);
        assert!(matches(&list, Comparator::AllStringEquals, "available"));
        assert!(!matches(
            &Value::Array(vec![]),
            Comparator::AllStringEquals,
            "available"
        ));
        assert!(!matches(
            &Value::Array(vec![]),
            Comparator::AnyStringEquals,
            "available"
        ));
        assert!(matches(
            &Value::Array(vec![s("x"), s("available")]),
            Comparator::AnyStringEquals,
            "available"
        ));
        assert!(matches(
            &Value::Bool(false),
            Comparator::BooleanEquals,
            "false"
        ));
        assert!(!matches(&s("false"), Comparator::BooleanEquals, "false"));
        assert!(matches(&s("ok"), Comparator::StringEquals, "ok"));
        assert!(!matches(&list, Comparator::StringEquals, "available"));
    }
}
