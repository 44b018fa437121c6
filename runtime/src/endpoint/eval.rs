//! The interpreter: parameters → scope → rules → endpoint or error.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::functions;
use super::{
    Call, Condition, Endpoint, EndpointError, EndpointErrorKind, Expr, Literal, ParamKind, Params,
    Rule, RuleSet, Value,
};
use crate::Document;

/// Deepest nesting of tree rules, expressions or property literals evaluated; published rule
/// sets stay far below it.
const MAX_DEPTH: usize = 64;

static NONE: Value = Value::None;

/// Resolves an endpoint: applies parameter defaults, checks required parameters, then
/// evaluates `rules` in order.
///
/// ```
/// use aws_lite_runtime::endpoint::{
///     resolve, Call, Condition, Expr, Param, ParamKind, Params, Rule, RuleSet,
/// };
///
/// static RULES: RuleSet = RuleSet {
///     parameters: &[Param {
///         name: "Region",
///         builtin: Some("AWS::Region"),
///         kind: ParamKind::String,
///         required: false,
///         default: None,
///     }],
///     rules: &[
///         Rule::Endpoint {
///             conditions: &[Condition {
///                 func: Call { name: "aws.partition", args: &[Expr::Ref("Region")] },
///                 assign: Some("Partition"),
///             }],
///             url: Expr::String("https://svc.{Region}.{Partition#dnsSuffix}"),
///             headers: &[],
///             properties: &[],
///         },
///         Rule::Error { conditions: &[], message: Expr::String("Missing Region") },
///     ],
/// };
///
/// let endpoint = resolve(&RULES, &Params::new().set_str("Region", "cn-north-1")).unwrap();
/// assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
/// let error = resolve(&RULES, &Params::new()).unwrap_err();
/// assert_eq!(error.to_string(), "Missing Region");
/// ```
pub fn resolve(rules: &RuleSet, params: &Params) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope {
        vars: Vec::with_capacity(rules.parameters.len() + 4),
    };
    for p in rules.parameters {
        let value = match params.get(p.name) {
            Some(v) => {
                check_kind(p.name, p.kind, v)?;
                v.clone()
            }
            None => match &p.default {
                Some(d) => {
                    let v = default_value(d, 0)?;
                    check_kind(p.name, p.kind, &v)?;
                    v
                }
                None => Value::None,
            },
        };
        if p.required && value.is_none() {
            return Err(EndpointError::new(
                EndpointErrorKind::MissingParameter,
                format!("endpoint parameter `{}` is required but not set", p.name),
            ));
        }
        scope.vars.push((p.name, value));
    }
    eval_rules(rules.rules, &mut scope, 0)
}

fn check_kind(name: &str, kind: ParamKind, v: &Value) -> Result<(), EndpointError> {
    let ok = match kind {
        ParamKind::String => matches!(v, Value::String(_)),
        ParamKind::Boolean => matches!(v, Value::Bool(_)),
        ParamKind::StringArray => match v {
            Value::Array(items) => items.iter().all(|i| matches!(i, Value::String(_))),
            _ => false,
        },
    };
    if ok {
        Ok(())
    } else {
        let want = match kind {
            ParamKind::String => "a string",
            ParamKind::Boolean => "a boolean",
            ParamKind::StringArray => "an array of strings",
        };
        Err(EndpointError::new(
            EndpointErrorKind::InvalidParameter,
            format!("endpoint parameter `{name}` must be {want}"),
        ))
    }
}

fn default_value(lit: &Literal, depth: usize) -> Result<Value, EndpointError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    Ok(match lit {
        Literal::Str(s) => Value::String((*s).to_string()),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| default_value(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Literal::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((*k, default_value(v, depth + 1)?)))
                .collect::<Result<_, EndpointError>>()?,
        ),
    })
}

/// Parameters and assigned variables; assignments are popped when their rule is done.
struct Scope {
    vars: Vec<(&'static str, Value)>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

fn too_deep() -> EndpointError {
    invalid("the endpoint rules nest too deeply to evaluate")
}

fn invalid(message: impl Into<String>) -> EndpointError {
    EndpointError::new(EndpointErrorKind::InvalidRuleSet, message)
}

fn eval_rules(
    rules: &'static [Rule],
    scope: &mut Scope,
    depth: usize,
) -> Result<Endpoint, EndpointError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    for rule in rules {
        let mark = scope.vars.len();
        let matched = eval_conditions(rule.conditions(), scope);
        let out = match matched {
            Err(e) => Err(e),
            Ok(false) => {
                scope.vars.truncate(mark);
                continue;
            }
            Ok(true) => match rule {
                Rule::Endpoint {
                    url,
                    headers,
                    properties,
                    ..
                } => endpoint(url, headers, properties, scope),
                Rule::Error { message, .. } => match string_of(message, scope) {
                    Ok(m) => Err(EndpointError::new(EndpointErrorKind::Rule, m)),
                    Err(e) => Err(e),
                },
                Rule::Tree { rules, .. } => eval_rules(rules, scope, depth + 1),
            },
        };
        scope.vars.truncate(mark);
        return out;
    }
    Err(EndpointError::new(
        EndpointErrorKind::NoMatch,
        "no endpoint rule matched the parameters",
    ))
}

fn eval_conditions(conditions: &[Condition], scope: &mut Scope) -> Result<bool, EndpointError> {
    for c in conditions {
        let value = eval_call(&c.func, scope, 0)?;
        let holds = !matches!(&*value, Value::None | Value::Bool(false));
        if !holds {
            return Ok(false);
        }
        if let Some(name) = c.assign {
            let owned = value.into_owned();
            scope.vars.push((name, owned));
        }
    }
    Ok(true)
}

fn endpoint(
    url: &Expr,
    headers: &[(&'static str, &'static [Expr])],
    properties: &[(&'static str, Literal)],
    scope: &Scope,
) -> Result<Endpoint, EndpointError> {
    let url = string_of(url, scope)?;
    let mut out_headers = Vec::with_capacity(headers.len());
    for (name, values) in headers {
        let values = values
            .iter()
            .map(|v| string_of(v, scope))
            .collect::<Result<Vec<_>, _>>()?;
        out_headers.push(((*name).to_string(), values));
    }
    let mut props = BTreeMap::new();
    for (name, lit) in properties {
        props.insert((*name).to_string(), property(lit, scope, 0)?);
    }
    Ok(Endpoint {
        url,
        headers: out_headers,
        properties: Document::Object(props),
    })
}

fn property(lit: &Literal, scope: &Scope, depth: usize) -> Result<Document, EndpointError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    Ok(match lit {
        Literal::Str(t) => {
            let mut s = String::new();
            render(t, scope, &mut s)?;
            Document::String(s)
        }
        Literal::Bool(b) => Document::Bool(*b),
        Literal::Int(i) => Document::Number(i.to_string()),
        Literal::Array(items) => Document::Array(
            items
                .iter()
                .map(|i| property(i, scope, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Literal::Object(fields) => {
            let mut map = BTreeMap::new();
            for (k, v) in *fields {
                map.insert((*k).to_string(), property(v, scope, depth + 1)?);
            }
            Document::Object(map)
        }
    })
}

/// Evaluates an expression that must produce a string (URL, header value, error message).
fn string_of(expr: &Expr, scope: &Scope) -> Result<String, EndpointError> {
    if let Expr::String(t) = expr {
        let mut s = String::with_capacity(t.len() + 16);
        render(t, scope, &mut s)?;
        return Ok(s);
    }
    match eval(expr, scope, 0)?.into_owned() {
        Value::String(s) => Ok(s),
        Value::None => Err(invalid(
            "an endpoint URL, header or error message evaluated to no value",
        )),
        _ => Err(invalid(
            "an endpoint URL, header or error message is not a string",
        )),
    }
}

/// Renders a template: `{Name}`, `{Name#path}`, and `{{`/`}}` for literal braces.
fn render(template: &str, scope: &Scope, out: &mut String) -> Result<(), EndpointError> {
    if !template.contains(['{', '}']) {
        out.push_str(template);
        return Ok(());
    }
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(r) = tail.strip_prefix("{{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = tail.strip_prefix("}}") {
            out.push('}');
            rest = r;
        } else if let Some(r) = tail.strip_prefix('{') {
            let Some(end) = r.find('}') else {
                return Err(invalid(format!("unmatched `{{` in template `{template}`")));
            };
            let inner = &r[..end];
            if inner.contains('{') {
                return Err(invalid(format!("nested `{{` in template `{template}`")));
            }
            let value = shortform(inner, scope)?;
            match value {
                Value::String(s) => out.push_str(s),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Int(n) => out.push_str(&n.to_string()),
                Value::None => {
                    return Err(invalid(format!(
                        "template `{template}` uses `{inner}`, which has no value"
                    )))
                }
                Value::Array(_) | Value::Object(_) => {
                    return Err(invalid(format!(
                        "template `{template}` uses `{inner}`, which is not a string"
                    )))
                }
            }
            rest = &r[end + 1..];
        } else {
            return Err(invalid(format!("unmatched `}}` in template `{template}`")));
        }
    }
    out.push_str(rest);
    Ok(())
}

/// `Name` or `Name#path` inside a template.
fn shortform<'s>(text: &str, scope: &'s Scope) -> Result<&'s Value, EndpointError> {
    let (name, path) = match text.split_once('#') {
        Some((n, p)) => (n, Some(p)),
        None => (text, None),
    };
    let Some(base) = scope.get(name) else {
        return Err(invalid(format!(
            "template uses `{name}`, which is not a parameter or variable"
        )));
    };
    match path {
        Some(p) => Ok(get_path(base, p)?.unwrap_or(&NONE)),
        None => Ok(base),
    }
}

/// Follows a `getAttr` path (`a.b[2]`) into a value; `None` when a key or index is absent.
/// A malformed path is an error whatever the value.
pub(super) fn get_path<'v>(
    value: &'v Value,
    path: &str,
) -> Result<Option<&'v Value>, EndpointError> {
    for part in path.split('.') {
        parse_segment(part).ok_or_else(|| invalid(format!("bad getAttr path `{path}`")))?;
    }
    let mut cur = value;
    for part in path.split('.') {
        let Some((key, index)) = parse_segment(part) else {
            return Ok(None);
        };
        if !key.is_empty() {
            match cur.field(key) {
                Some(v) => cur = v,
                None => return Ok(None),
            }
        }
        if let Some(i) = index {
            match cur {
                Value::Array(items) => match items.get(i) {
                    Some(v) => cur = v,
                    None => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
    }
    Ok(Some(cur))
}

/// `key`, `key[i]` or `[i]`.
fn parse_segment(part: &str) -> Option<(&str, Option<usize>)> {
    let (key, index) = match part.split_once('[') {
        Some((key, idx)) => (key, Some(idx.strip_suffix(']')?.parse::<usize>().ok()?)),
        None => (part, None),
    };
    if key.is_empty() && index.is_none() {
        return None;
    }
    Some((key, index))
}

fn eval<'s>(expr: &Expr, scope: &'s Scope, depth: usize) -> Result<Cow<'s, Value>, EndpointError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    Ok(match expr {
        Expr::String(t) => {
            let mut s = String::with_capacity(t.len());
            render(t, scope, &mut s)?;
            Cow::Owned(Value::String(s))
        }
        Expr::Bool(b) => Cow::Owned(Value::Bool(*b)),
        Expr::Int(i) => Cow::Owned(Value::Int(*i)),
        Expr::Ref(name) => match scope.get(name) {
            Some(v) => Cow::Borrowed(v),
            None => {
                return Err(invalid(format!(
                    "the endpoint rules refer to `{name}`, which is not a parameter or variable"
                )))
            }
        },
        Expr::Call(call) => eval_call(call, scope, depth + 1)?,
        Expr::Array(items) => Cow::Owned(Value::Array(
            items
                .iter()
                .map(|i| eval(i, scope, depth + 1).map(Cow::into_owned))
                .collect::<Result<_, _>>()?,
        )),
    })
}

fn arity(call: &Call, n: usize) -> Result<(), EndpointError> {
    if call.args.len() == n {
        Ok(())
    } else {
        Err(invalid(format!(
            "function `{}` takes {n} argument(s), got {}",
            call.name,
            call.args.len()
        )))
    }
}

fn eval_call<'s>(
    call: &Call,
    scope: &'s Scope,
    depth: usize,
) -> Result<Cow<'s, Value>, EndpointError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let args = call.args;
    match call.name {
        "isSet" => {
            arity(call, 1)?;
            let v = eval(&args[0], scope, depth + 1)?;
            Ok(Cow::Owned(Value::Bool(!v.is_none())))
        }
        "getAttr" => {
            arity(call, 2)?;
            let base = eval(&args[0], scope, depth + 1)?;
            let path = eval(&args[1], scope, depth + 1)?;
            let Value::String(path) = &*path else {
                return Err(invalid("getAttr's path must be a string"));
            };
            Ok(match base {
                Cow::Borrowed(v) => Cow::Borrowed(get_path(v, path)?.unwrap_or(&NONE)),
                Cow::Owned(v) => Cow::Owned(get_path(&v, path)?.cloned().unwrap_or_default()),
            })
        }
        "coalesce" => {
            if args.is_empty() {
                return Err(invalid("function `coalesce` needs arguments"));
            }
            for a in args {
                let v = eval(a, scope, depth + 1)?;
                if !v.is_none() {
                    return Ok(v);
                }
            }
            Ok(Cow::Borrowed(&NONE))
        }
        "ite" => {
            arity(call, 3)?;
            match &*eval(&args[0], scope, depth + 1)? {
                Value::Bool(true) => eval(&args[1], scope, depth + 1),
                Value::Bool(false) => eval(&args[2], scope, depth + 1),
                Value::None => Ok(Cow::Borrowed(&NONE)),
                _ => Err(invalid("function `ite` needs a boolean condition")),
            }
        }
        name => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(eval(a, scope, depth + 1)?);
            }
            // An empty argument makes the result empty (so the condition fails) rather than
            // an error: well-typed rule sets guard optional values with `isSet` first.
            if values.iter().any(|v| v.is_none()) {
                if !functions::is_known(name) {
                    return Err(functions::unknown(name));
                }
                return Ok(Cow::Borrowed(&NONE));
            }
            let refs: Vec<&Value> = values.iter().map(|v| &**v).collect();
            functions::call(name, &refs).map(Cow::Owned)
        }
    }
}
