//! `tests/waiters.rs` of a generated crate: one test per waiter acceptor.
//!
//! Each test answers every poll with one canned response and checks the state the waiter ends
//! in. The response is derived from the acceptor and the output's types, in three steps:
//!
//! 1. [`Cx::solve`] inverts the acceptor's JMESPath expression: given the result the comparator
//!    needs (`"available"`, `true`, a list of one `"available"`), it returns a [`Pat`], the
//!    part of the output that must be so (members down to the expected value; a projection as
//!    a list of one item; `length(x) > 0` as one item, `== 0` as none; …).
//! 2. [`Cx::complete`] fills in what parsing needs over the IR types: required members get a
//!    plausible value of their type, members with a default get the default.
//! 3. [`Cx::element`] writes the XML, and the protocol's envelope goes around it.
//!
//! `errorType` acceptors get an error response with the error's wire code; the input members a
//! request cannot be sent without (and those an `inputOutput` path reads) are set through the
//! waiter's setters.
//!
//! The state to expect is then found as the waiter finds it: every acceptor, in order, is
//! evaluated over the completed output ([`eval`], with the runtime's JMESPath semantics), and the
//! first that matches decides. When an earlier output acceptor matches too, the response is
//! changed, where it can be, so that it does not ([`Cx::solve_matcher`] for a miss). An acceptor
//! whose response cannot be made is listed, with the reason, at the top of the file instead.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::ir::{Crate, DefaultValue, OperationIr, Protocol, StructRole, StructureIr, TypeRef};
use crate::jmespath::{CmpOp, Expr};
use crate::model::{AcceptorState, Matcher, PathComparator, TimestampFormat, Waiter};
use crate::naming::module_name;

/// The text of `tests/waiters.rs` for the crate whose Rust name is `crate_name`, or `None`
/// when it has no waiter to test. Waiters in `left_out` (operation name, waiter name) were not
/// generated and get no tests.
pub fn waiter_tests(
    ir: &Crate,
    crate_name: &str,
    left_out: &BTreeSet<(String, String)>,
) -> Option<String> {
    let cx = Cx { ir };
    let mut tests = String::new();
    let mut skipped = Vec::new();
    let mut deprecated = false;
    let mut waiter_error = false;
    for op in &ir.operations {
        for (name, waiter) in &op.waiters {
            if left_out.contains(&(op.name.clone(), name.clone())) {
                continue;
            }
            for i in 0..waiter.acceptors.len() {
                match cx.case(op, waiter, i, crate_name) {
                    Ok(case) => {
                        deprecated |= waiter.deprecated;
                        waiter_error |= case.state != AcceptorState::Success;
                        tests.push_str(&test_fn(name, waiter, i, &case));
                    }
                    Err(why) => skipped.push(format!("`{name}` acceptor {i}: {why}")),
                }
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    let mut out = String::from(crate::render::HEADER);
    out.push_str(
        "//! One test per waiter acceptor: every poll gets a response that the acceptor matches,
//! and the waiter must end in the state of the first acceptor, in the model's order, that
//! matches it (`success`: `Ok`; `failure`: `WaiterError::Failure`; `retry`: it polls until the
//! maximum wait passes). Time is paused, so no test really waits.
",
    );
    if !skipped.is_empty() {
        out.push_str("//!\n//! Acceptors without a test (no response for them could be made):\n");
        for s in &skipped {
            let _ = writeln!(out, "//! - {}", ascii(s));
        }
    }
    if deprecated {
        out.push_str("// Deprecated waiters are tested too.\n#![allow(deprecated)]\n");
    }
    out.push_str(
        "
use std::time::Duration;

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::MockTransport;
use aws_lite_runtime::protocol::HttpResponse;
",
    );
    if waiter_error {
        out.push_str("use aws_lite_runtime::waiter::WaiterError;\n");
    }
    let _ = write!(
        out,
        "
/// Longer than any waiter's first delays: a `retry` test polls several times before giving up.
const MAX_WAIT: Duration = Duration::from_secs(300);

/// A client whose every request gets `status` and `body`.
fn client(status: u16, body: &'static str) -> {crate_name}::Client {{
    let mock = MockTransport::from_fn(move |_| Ok(HttpResponse::new(status, vec![], body)));
    let config = {crate_name}::Config::builder()
        .region(\"us-east-1\")
        .credentials(Credentials::new(\"a\", \"b\", None))
        .transport(mock)
        .initial_backoff(Duration::from_millis(1))
        .build();
    {crate_name}::Client::new(&config)
}}
"
    );
    out.push_str(&tests);
    Some(out)
}

/// One acceptor's test: the response and what the waiter must do with it.
struct Case {
    status: u16,
    /// The body's lines, indented by nesting.
    lines: Vec<String>,
    /// The acceptor that decides (the first that matches) and its state.
    decider: usize,
    state: AcceptorState,
    /// Setter calls that give the input its members (`.member(value)`).
    setters: Vec<String>,
}

fn test_fn(name: &str, waiter: &Waiter, i: usize, case: &Case) -> String {
    let acceptor = &waiter.acceptors[i];
    let mut out = String::new();
    let _ = write!(
        out,
        "\n#[tokio::test(start_paused = true)]\nasync fn {}_acceptor_{i}() {{\n",
        module_name(name)
    );
    let _ = writeln!(
        out,
        "    // {}: {}",
        state_name(acceptor.state),
        ascii(&describe(&acceptor.matcher))
    );
    if case.decider != i {
        let first = &waiter.acceptors[case.decider];
        let _ = writeln!(
            out,
            "    // Acceptor {} matches it too and comes first ({}: {}).",
            case.decider,
            state_name(first.state),
            ascii(&describe(&first.matcher))
        );
    }
    out.push_str("    let body = \"\\\n");
    for (n, line) in case.lines.iter().enumerate() {
        let end = if n + 1 == case.lines.len() {
            "\";"
        } else {
            "\\"
        };
        let _ = writeln!(out, "        {}{end}", rust_escape(line));
    }
    // rustfmt's layout: a method chain longer than 60 characters goes one call per line.
    let mut calls = vec![format!(".wait_until_{}()", module_name(name))];
    calls.extend(case.setters.iter().cloned());
    calls.push(".wait(MAX_WAIT)".into());
    calls.push(".await".into());
    let start = format!("client({}, body)", case.status);
    let chain = format!("{start}{}", calls.concat());
    if chain.len() <= 60 {
        let _ = writeln!(out, "    let result = {chain};");
    } else {
        let _ = write!(out, "    let result = {start}");
        for c in &calls {
            let _ = write!(out, "\n        {c}");
        }
        out.push_str(";\n");
    }
    match case.state {
        AcceptorState::Success => out.push_str("    assert!(result.is_ok(), \"{result:?}\");\n"),
        AcceptorState::Failure => {
            let _ = write!(
                out,
                "    assert!(\n        matches!(\n            result,\n            Err(WaiterError::Failure {{\n                acceptor: Some({}),\n                ..\n            }})\n        ),\n        \"{{result:?}}\"\n    );\n",
                case.decider
            );
        }
        AcceptorState::Retry => out.push_str(
            "    assert!(\n        matches!(result, Err(WaiterError::TimedOut { .. })),\n        \"{result:?}\"\n    );\n",
        ),
    }
    out.push_str("}\n");
    out
}

fn state_name(s: AcceptorState) -> &'static str {
    match s {
        AcceptorState::Success => "success",
        AcceptorState::Failure => "failure",
        AcceptorState::Retry => "retry",
    }
}

fn describe(m: &Matcher) -> String {
    match m {
        Matcher::Output(p) | Matcher::InputOutput(p) => {
            let cmp = match p.comparator {
                PathComparator::StringEquals => "stringEquals",
                PathComparator::BooleanEquals => "booleanEquals",
                PathComparator::AllStringEquals => "allStringEquals",
                PathComparator::AnyStringEquals => "anyStringEquals",
            };
            format!("{} {cmp} {:?}", p.path, p.expected)
        }
        Matcher::Success(b) => format!("success {b}"),
        Matcher::ErrorType(t) => format!("error {t}"),
    }
}

/// Text inside a Rust string literal, all in printable ASCII: anything else (text-direction
/// controls, which rustc rejects in literals and comments, included) as a `\u{…}` escape.
fn rust_escape(s: &str) -> String {
    ascii(&s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Printable ASCII, with other characters as `\u{…}`.
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == ' ' || c.is_ascii_graphic() {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    out
}

/// A Rust string literal.
fn rust_str(s: &str) -> String {
    format!("\"{}\"", rust_escape(s))
}

/// A JSON-like value: a synthesized output (structures keyed by member name, maps by key), or
/// what an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<V>),
    /// A map (keys sorted), or a JSON object.
    Obj(Vec<(String, V)>),
    /// A structure or union (members in model order). As in the runtime, where a structure
    /// that ends up as a value is only seen whole, it is truthy, equal to nothing, and has no
    /// length.
    Struct(Vec<(String, V)>),
}

/// What part of a value must be: a partial value. `Any` is any value there (one is made up).
#[derive(Debug, Clone, PartialEq)]
enum Pat {
    Any,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Pat>),
    Obj(Vec<(String, Pat)>),
}

impl Pat {
    fn of(v: &V) -> Pat {
        match v {
            V::Null => Pat::Any,
            V::Bool(b) => Pat::Bool(*b),
            V::Num(n) => Pat::Num(*n),
            V::Str(s) => Pat::Str(s.clone()),
            V::Arr(a) => Pat::Arr(a.iter().map(Pat::of).collect()),
            V::Obj(o) | V::Struct(o) => {
                Pat::Obj(o.iter().map(|(k, v)| (k.clone(), Pat::of(v))).collect())
            }
        }
    }
}

/// Both patterns at once.
fn merge(a: Pat, b: Pat) -> Result<Pat, String> {
    Ok(match (a, b) {
        (Pat::Any, x) | (x, Pat::Any) => x,
        (Pat::Obj(mut a), Pat::Obj(b)) => {
            for (k, v) in b {
                match a.iter().position(|(ka, _)| *ka == k) {
                    Some(i) => {
                        let old = std::mem::replace(&mut a[i].1, Pat::Any);
                        a[i].1 = merge(old, v)?;
                    }
                    None => a.push((k, v)),
                }
            }
            Pat::Obj(a)
        }
        (Pat::Arr(a), Pat::Arr(b)) if a.len() == b.len() => Pat::Arr(
            a.into_iter()
                .zip(b)
                .map(|(x, y)| merge(x, y))
                .collect::<Result<_, _>>()?,
        ),
        (a, b) if a == b => a,
        (a, b) => return Err(format!("needs both {a:?} and {b:?}")),
    })
}

/// The static type of an expression's value, as far as it is known.
#[derive(Debug, Clone)]
enum Ty {
    /// A value of a model type.
    Ref(TypeRef),
    /// A list computed by a projection.
    Many(Box<Ty>),
    Num,
    Bool,
    Str,
    Unknown,
    /// The `{input, output}` object of an `inputOutput` matcher: the structures' names.
    InputOutput(Option<String>, String),
}

fn elem(t: &Ty) -> Ty {
    match t {
        Ty::Ref(TypeRef::List(l)) => Ty::Ref(l.item.clone()),
        Ty::Many(t) => (**t).clone(),
        _ => Ty::Unknown,
    }
}

fn is_list(t: &Ty) -> bool {
    matches!(t, Ty::Ref(TypeRef::List(_)) | Ty::Many(_))
}

/// The scalar kind of a type: candidate values for comparisons.
fn scalars(t: &Ty) -> Option<[V; 2]> {
    match t {
        Ty::Num
        | Ty::Ref(
            TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::IntEnum(_)
            | TypeRef::Timestamp,
        ) => Some([V::Num(0.0), V::Num(1.0)]),
        Ty::Str | Ty::Ref(TypeRef::String | TypeRef::Enum(_) | TypeRef::BigNumber) => {
            Some([V::Str("x".into()), V::Str("y".into())])
        }
        Ty::Bool | Ty::Ref(TypeRef::Bool) => Some([V::Bool(false), V::Bool(true)]),
        _ => None,
    }
}

fn is_string(t: &Ty) -> bool {
    matches!(
        t,
        Ty::Str | Ty::Ref(TypeRef::String | TypeRef::Enum(_) | TypeRef::BigNumber)
    )
}

/// A value other than `v`, of its type.
fn different(v: &V) -> V {
    match v {
        V::Bool(b) => V::Bool(!b),
        V::Num(n) => V::Num(n + 1.0),
        V::Str(s) if s == "x" => V::Str("y".into()),
        _ => V::Str("x".into()),
    }
}

fn constant(e: &Expr) -> Option<V> {
    match e {
        Expr::Literal(j) => Some(json(j)),
        Expr::RawString(s) => Some(V::Str(s.clone())),
        _ => None,
    }
}

fn json(j: &serde_json::Value) -> V {
    match j {
        serde_json::Value::Null => V::Null,
        serde_json::Value::Bool(b) => V::Bool(*b),
        serde_json::Value::Number(n) => V::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => V::Str(s.clone()),
        serde_json::Value::Array(a) => V::Arr(a.iter().map(json).collect()),
        serde_json::Value::Object(o) => {
            V::Obj(o.iter().map(|(k, v)| (k.clone(), json(v))).collect())
        }
    }
}

/// A response the mock sends.
#[derive(Clone)]
enum Response {
    /// A success with this output.
    Output(V),
    /// An error with this code (and the error structure's members, when it is modeled).
    Error(String, Option<(String, V)>),
}

/// An element's attributes: names and values.
type Attrs = Vec<(String, String)>;

/// One line of XML, or an element with children.
struct El {
    name: String,
    attrs: Attrs,
    body: Body,
}

enum Body {
    Text(String),
    Children(Vec<El>),
}

impl El {
    fn text(name: &str, text: &str) -> El {
        El {
            name: name.to_string(),
            attrs: Vec::new(),
            body: Body::Text(text.to_string()),
        }
    }

    fn node(name: &str, children: Vec<El>) -> El {
        El {
            name: name.to_string(),
            attrs: Vec::new(),
            body: Body::Children(children),
        }
    }

    fn open(&self) -> String {
        let mut s = format!("<{}", self.name);
        for (k, v) in &self.attrs {
            let _ = write!(s, " {k}=\"{}\"", xml_escape(v).replace('"', "&quot;"));
        }
        s.push('>');
        s
    }

    fn inline(&self) -> String {
        let inner = match &self.body {
            Body::Text(t) => xml_escape(t),
            Body::Children(c) => c.iter().map(El::inline).collect(),
        };
        format!("{}{inner}</{}>", self.open(), self.name)
    }

    /// Indented lines: an element on one line when it is short.
    fn lines(&self, depth: usize, out: &mut Vec<String>) {
        let pad = "  ".repeat(depth);
        let one = self.inline();
        match &self.body {
            Body::Children(children) if one.len() + pad.len() > 72 => {
                out.push(format!("{pad}{}", self.open()));
                for c in children {
                    c.lines(depth + 1, out);
                }
                out.push(format!("{pad}</{}>", self.name));
            }
            _ => out.push(format!("{pad}{one}")),
        }
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Cx<'a> {
    ir: &'a Crate,
}

impl Cx<'_> {
    fn structure(&self, name: &str) -> Result<&StructureIr, String> {
        self.ir
            .structures
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("unknown structure {name}"))
    }

    /// The response for acceptor `i`, and which acceptor decides it.
    fn case(
        &self,
        op: &OperationIr,
        waiter: &Waiter,
        i: usize,
        crate_name: &str,
    ) -> Result<Case, String> {
        let output = op.output.as_deref().ok_or("the operation has no output")?;
        let output_ty = TypeRef::Structure(output.to_string(), false);
        let input = op.input.as_deref().map(|n| self.structure(n)).transpose()?;
        // The input: what the request cannot be sent without (a required list with one item,
        // a required map with one entry), and what an inputOutput path needs.
        let mut input_pat = match input {
            Some(s) => Pat::Obj(
                must(s)
                    .map(|f| {
                        let p = match &f.ty {
                            TypeRef::List(_) => Pat::Arr(vec![Pat::Any]),
                            TypeRef::Map(_) => Pat::Obj(vec![("k".into(), Pat::Any)]),
                            _ => Pat::Any,
                        };
                        (f.member_name.clone(), p)
                    })
                    .collect(),
            ),
            None => Pat::Any,
        };
        let output_pat = match &waiter.acceptors[i].matcher {
            Matcher::Output(_) | Matcher::InputOutput(_) | Matcher::Success(true) => {
                let (o, inp) = self.solve_matcher(op, &waiter.acceptors[i].matcher, true)?;
                input_pat = merge(input_pat, inp)?;
                Some(o)
            }
            _ => None,
        };
        let error = match &waiter.acceptors[i].matcher {
            // An error no acceptor names.
            Matcher::Success(false) => Some(self.error(op, "WaiterTestUnexpectedError")?),
            Matcher::ErrorType(t) => Some(self.error(op, t)?),
            _ => None,
        };
        let mut pats = (output_pat, input_pat);
        let mut found = None;
        // An earlier acceptor that matches too decides; when it reads the output, the response
        // is changed so that it does not match (when the acceptor still does), once per
        // earlier acceptor at most.
        for _ in 0..=i {
            let attempt = || -> Result<Option<(Response, V, usize)>, String> {
                let input_value = match input {
                    Some(s) => {
                        self.complete(&pats.1, &TypeRef::Structure(s.name.clone(), false), 0)?
                    }
                    None => V::Null,
                };
                let response = match (&pats.0, &error) {
                    (Some(p), _) => Response::Output(self.complete(p, &output_ty, 0)?),
                    (None, Some(e)) => e.clone(),
                    (None, None) => return Err("no response".into()),
                };
                let matches = |m: &Matcher| self.matches(op, m, &response, &input_value);
                if !matches(&waiter.acceptors[i].matcher)? {
                    return Ok(None);
                }
                let mut decider = i;
                for (j, a) in waiter.acceptors.iter().enumerate().take(i) {
                    if matches(&a.matcher)? {
                        decider = j;
                        break;
                    }
                }
                Ok(Some((response, input_value, decider)))
            };
            // A change that breaks the response keeps the last one that worked.
            let (response, input_value, decider) = match attempt() {
                Ok(Some(next)) => next,
                Ok(None) if found.is_none() => {
                    return Err("the response made for it does not match it".into())
                }
                Err(e) if found.is_none() => return Err(e),
                _ => break,
            };
            found = Some((response, input_value, decider));
            if decider == i {
                break;
            }
            let (Some(out), Ok((o, inp))) = (
                &pats.0,
                self.solve_matcher(op, &waiter.acceptors[decider].matcher, false),
            ) else {
                break;
            };
            match (merge(out.clone(), o), merge(pats.1.clone(), inp)) {
                (Ok(o), Ok(inp)) => pats = (Some(o), inp),
                _ => break,
            }
        }
        let (response, input_value, decider) =
            found.ok_or("the response made for it does not match it")?;
        let (status, el) = self.envelope(op, &response)?;
        let mut lines = Vec::new();
        el.lines(0, &mut lines);
        let setters = match input {
            Some(s) => self.setters(s, &input_value, crate_name, 0)?,
            None => Vec::new(),
        };
        Ok(Case {
            status,
            lines,
            decider,
            state: waiter.acceptors[decider].state,
            setters,
        })
    }

    // ---- the input, set through the waiter's setters ----

    /// Setter calls that give a builder of `s` the value `v`: `.member(value)` (once per item
    /// of a list or entry of a map). Members equal to their default are left to the builder.
    fn setters(
        &self,
        s: &StructureIr,
        v: &V,
        krate: &str,
        depth: usize,
    ) -> Result<Vec<String>, String> {
        if depth > 8 {
            return Err("input members nest too deep".into());
        }
        let V::Struct(values) = v else {
            return Err(format!("`{}` is not a structure", s.id.name()));
        };
        let mut calls = Vec::new();
        for f in &s.fields {
            let Some((_, x)) = values.iter().find(|(k, _)| *k == f.member_name) else {
                continue;
            };
            if f.default.as_ref().is_some_and(|d| default_value(d) == *x) {
                continue;
            }
            let one = crate::naming::ident(&f.name);
            match (&f.ty, x) {
                (TypeRef::List(_), V::Arr(items)) if items.is_empty() => {
                    calls.push(format!(".set_{}(Some(Vec::new()))", f.name));
                }
                (TypeRef::List(l), V::Arr(items)) => {
                    for item in items {
                        let mut arg = self.rust_value(&l.item, item, krate, depth)?;
                        if l.sparse {
                            arg = format!("Some({arg})");
                        }
                        calls.push(format!(".{one}({arg})"));
                    }
                }
                (TypeRef::Map(_), V::Obj(entries)) if entries.is_empty() => {
                    calls.push(format!(
                        ".set_{}(Some(std::collections::HashMap::new()))",
                        f.name
                    ));
                }
                (TypeRef::Map(m), V::Obj(entries)) => {
                    for (k, x) in entries {
                        let mut arg = self.rust_value(&m.value, x, krate, depth)?;
                        if m.sparse {
                            arg = format!("Some({arg})");
                        }
                        calls.push(format!(".{one}({}, {arg})", rust_str(k)));
                    }
                }
                (t, x) => calls.push(format!(".{one}({})", self.rust_value(t, x, krate, depth)?)),
            }
        }
        Ok(calls)
    }

    /// A Rust expression that converts into `t` (`impl Into<T>`) and is `v`.
    fn rust_value(&self, t: &TypeRef, v: &V, krate: &str, depth: usize) -> Result<String, String> {
        let suffixed = |suffix: &str| match v {
            V::Num(n) if n.fract() == 0.0 => Ok(format!("{}{suffix}", *n as i64)),
            V::Num(n) => Ok(format!("{n:?}{suffix}")),
            _ => Err(format!("{v:?} is not a number")),
        };
        Ok(match (t, v) {
            (TypeRef::String | TypeRef::BigNumber | TypeRef::Enum(_), V::Str(s)) => rust_str(s),
            (TypeRef::Bool, V::Bool(b)) => b.to_string(),
            (TypeRef::I8, _) => suffixed("i8")?,
            (TypeRef::I16, _) => suffixed("i16")?,
            (TypeRef::I32 | TypeRef::IntEnum(_), _) => suffixed("i32")?,
            (TypeRef::I64, _) => suffixed("i64")?,
            (TypeRef::F32, V::Num(n)) => format!("{n:?}f32"),
            (TypeRef::F64, V::Num(n)) => format!("{n:?}f64"),
            (TypeRef::Timestamp, V::Num(n)) if n.fract() == 0.0 => {
                format!("aws_lite_runtime::DateTime::from_secs({})", *n as i64)
            }
            (TypeRef::Blob, V::Str(b)) if b == "eA==" => {
                "aws_lite_runtime::Blob::new(b\"x\".to_vec())".into()
            }
            (TypeRef::Structure(name, error), _) => {
                let s = self.structure(name)?;
                let module = if *error { "types::error" } else { "types" };
                let calls = self.setters(s, v, krate, depth + 1)?.concat();
                let expect = if s.fallible_builder {
                    ".expect(\"builds\")"
                } else {
                    ""
                };
                format!("{krate}::{module}::{name}::builder(){calls}.build(){expect}")
            }
            _ => {
                return Err(format!(
                    "an input member of type {t:?} these tests cannot write"
                ))
            }
        })
    }

    /// The output and input patterns of a response the matcher matches (`hit`) or of one it
    /// does not match (for output paths only).
    fn solve_matcher(
        &self,
        op: &OperationIr,
        m: &Matcher,
        hit: bool,
    ) -> Result<(Pat, Pat), String> {
        let output = op.output.as_deref().ok_or("the operation has no output")?;
        let want = |p: &crate::model::PathMatcher| -> Result<Pat, String> {
            let w = wanted(p)?;
            Ok(if hit {
                w
            } else {
                // The other boolean, another string: the comparator does not match.
                match w {
                    Pat::Bool(b) => Pat::Bool(!b),
                    Pat::Str(e) => Pat::of(&different(&V::Str(e))),
                    Pat::Arr(items) => Pat::Arr(
                        items
                            .iter()
                            .map(|p| match p {
                                Pat::Str(e) => Pat::of(&different(&V::Str(e.clone()))),
                                other => other.clone(),
                            })
                            .collect(),
                    ),
                    other => other,
                }
            })
        };
        match m {
            Matcher::Output(p) => {
                let expr = crate::jmespath::parse(&p.path).map_err(|e| e.to_string())?;
                let root = Ty::Ref(TypeRef::Structure(output.to_string(), false));
                Ok((self.solve(&expr, &root, want(p)?)?, Pat::Any))
            }
            Matcher::InputOutput(p) => {
                let expr = crate::jmespath::parse(&p.path).map_err(|e| e.to_string())?;
                let root = Ty::InputOutput(op.input.clone(), output.to_string());
                match self.solve(&expr, &root, want(p)?)? {
                    Pat::Any => Ok((Pat::Any, Pat::Any)),
                    Pat::Obj(parts) => {
                        let mut split = (Pat::Any, Pat::Any);
                        for (k, p) in parts {
                            match k.as_str() {
                                "input" if op.input.is_some() => split.1 = p,
                                "output" => split.0 = p,
                                other => {
                                    return Err(format!("an inputOutput path reads `{other}`"))
                                }
                            }
                        }
                        Ok(split)
                    }
                    other => Err(format!("an inputOutput path needs {other:?}")),
                }
            }
            Matcher::Success(true) if hit => Ok((Pat::Any, Pat::Any)),
            _ => Err("not a matcher of outputs".into()),
        }
    }

    /// The wire code of an `errorType` (a shape name or a code), and its modeled structure.
    fn error_code<'s>(&'s self, op: &OperationIr, t: &str) -> (String, Option<&'s StructureIr>) {
        let modeled = op
            .errors
            .iter()
            .filter_map(|e| self.structure(e).ok())
            .find(|s| s.id.name() == t);
        match modeled {
            Some(s) => match &s.role {
                StructRole::Error(e) => (e.code.clone(), Some(s)),
                _ => (t.to_string(), None),
            },
            None => (t.to_string(), None),
        }
    }

    fn error(&self, op: &OperationIr, t: &str) -> Result<Response, String> {
        let (code, modeled) = self.error_code(op, t);
        let members = match modeled {
            Some(s) => Some((
                s.name.clone(),
                self.complete(&Pat::Any, &TypeRef::Structure(s.name.clone(), true), 0)?,
            )),
            None => None,
        };
        Ok(Response::Error(code, members))
    }

    /// Whether an acceptor matches the response, as the generated classifier decides.
    fn matches(
        &self,
        op: &OperationIr,
        m: &Matcher,
        r: &Response,
        input: &V,
    ) -> Result<bool, String> {
        Ok(match (m, r) {
            (Matcher::Success(ok), _) => *ok == matches!(r, Response::Output(_)),
            (Matcher::Output(p), Response::Output(v)) => {
                let expr = crate::jmespath::parse(&p.path).map_err(|e| e.to_string())?;
                compare_result(&eval(&expr, v)?, p.comparator, &p.expected)
            }
            (Matcher::InputOutput(p), Response::Output(v)) => {
                let expr = crate::jmespath::parse(&p.path).map_err(|e| e.to_string())?;
                // The object the generated code reads from (as a value, it is a structure).
                let root = V::Struct(vec![
                    ("input".into(), input.clone()),
                    ("output".into(), v.clone()),
                ]);
                compare_result(&eval(&expr, &root)?, p.comparator, &p.expected)
            }
            (Matcher::ErrorType(t), Response::Error(code, _)) => {
                *code == self.error_code(op, t).0 || code == t
            }
            _ => false,
        })
    }

    // ---- 1. the pattern an expression's input must fit for it to give `want` ----

    fn ty_of(&self, e: &Expr, cur: &Ty) -> Ty {
        match e {
            Expr::Identity => cur.clone(),
            Expr::Field(n) => match cur {
                Ty::Ref(TypeRef::Structure(s, _)) => self
                    .structure(s)
                    .ok()
                    .and_then(|s| s.fields.iter().find(|f| f.member_name == *n))
                    .map_or(Ty::Unknown, |f| Ty::Ref(f.ty.clone())),
                Ty::Ref(TypeRef::Map(m)) => Ty::Ref(m.value.clone()),
                Ty::InputOutput(input, output) => match n.as_str() {
                    "input" => input.as_ref().map_or(Ty::Unknown, |i| {
                        Ty::Ref(TypeRef::Structure(i.clone(), false))
                    }),
                    "output" => Ty::Ref(TypeRef::Structure(output.clone(), false)),
                    _ => Ty::Unknown,
                },
                _ => Ty::Unknown,
            },
            Expr::Subexpr(l, r) | Expr::Pipe(l, r) => self.ty_of(r, &self.ty_of(l, cur)),
            Expr::Index(l, _) => elem(&self.ty_of(l, cur)),
            Expr::Projection(l, r) | Expr::FilterProjection(l, r, _) => {
                Ty::Many(Box::new(self.ty_of(r, &elem(&self.ty_of(l, cur)))))
            }
            Expr::Flatten(l) => {
                let e = elem(&self.ty_of(l, cur));
                Ty::Many(Box::new(if is_list(&e) { elem(&e) } else { e }))
            }
            Expr::ObjectProjection(l, r) => match self.ty_of(l, cur) {
                Ty::Ref(TypeRef::Map(m)) => {
                    Ty::Many(Box::new(self.ty_of(r, &Ty::Ref(m.value.clone()))))
                }
                _ => Ty::Many(Box::new(Ty::Unknown)),
            },
            Expr::Compare(..) | Expr::Not(_) => Ty::Bool,
            Expr::And(_, r) | Expr::Or(_, r) => self.ty_of(r, cur),
            Expr::Literal(j) => match j {
                serde_json::Value::Bool(_) => Ty::Bool,
                serde_json::Value::Number(_) => Ty::Num,
                serde_json::Value::String(_) => Ty::Str,
                serde_json::Value::Array(_) => Ty::Many(Box::new(Ty::Unknown)),
                _ => Ty::Unknown,
            },
            Expr::RawString(_) => Ty::Str,
            Expr::MultiSelectList(items) => Ty::Many(Box::new(
                items.first().map_or(Ty::Unknown, |i| self.ty_of(i, cur)),
            )),
            Expr::Function(name, _) => match name.as_str() {
                "length" | "abs" | "ceil" | "floor" | "sum" | "avg" | "to_number" => Ty::Num,
                "contains" | "starts_with" | "ends_with" => Ty::Bool,
                "to_string" | "join" | "type" => Ty::Str,
                _ => Ty::Unknown,
            },
            _ => Ty::Unknown,
        }
    }

    /// The pattern the current value (of type `cur`) must fit for `e` to give `want`.
    fn solve(&self, e: &Expr, cur: &Ty, want: Pat) -> Result<Pat, String> {
        match e {
            Expr::Identity => Ok(want),
            Expr::Field(n) => Ok(Pat::Obj(vec![(n.clone(), want)])),
            Expr::Subexpr(l, r) | Expr::Pipe(l, r) => {
                let mid = self.solve(r, &self.ty_of(l, cur), want)?;
                self.solve(l, cur, mid)
            }
            Expr::Index(l, i) => {
                let len =
                    usize::try_from(if *i < 0 { -i } else { i + 1 }).map_err(|e| e.to_string())?;
                let at = if *i < 0 { 0 } else { len - 1 };
                let mut items = vec![Pat::Any; len];
                items[at] = want;
                self.solve(l, cur, Pat::Arr(items))
            }
            Expr::Projection(l, r) => self.solve_projection(l, r, None, cur, want),
            Expr::FilterProjection(l, r, c) => self.solve_projection(l, r, Some(c), cur, want),
            Expr::Flatten(l) => {
                let items = match want {
                    Pat::Any => return Ok(Pat::Any),
                    Pat::Arr(items) => items,
                    other => return Err(format!("`[]` gives a list, not {other:?}")),
                };
                // Items of nested lists: all of them in one inner list.
                let nested = is_list(&elem(&self.ty_of(l, cur)));
                let left = if nested && !items.is_empty() {
                    vec![Pat::Arr(items)]
                } else {
                    items
                };
                self.solve(l, cur, Pat::Arr(left))
            }
            Expr::ObjectProjection(l, r) => {
                let items = match want {
                    Pat::Any => return Ok(Pat::Any),
                    Pat::Arr(items) => items,
                    other => return Err(format!("`.*` gives a list, not {other:?}")),
                };
                let Ty::Ref(TypeRef::Map(m)) = self.ty_of(l, cur) else {
                    return Err("`.*` over something other than a map".into());
                };
                let value = Ty::Ref(m.value.clone());
                let mut entries = Vec::new();
                for (k, w) in items.into_iter().enumerate() {
                    entries.push((format!("key{}", k + 1), self.solve(r, &value, w)?));
                }
                self.solve(l, cur, Pat::Obj(entries))
            }
            Expr::Compare(op, a, b) => {
                let want = match want {
                    Pat::Any => true,
                    Pat::Bool(b) => b,
                    other => return Err(format!("a comparison gives a boolean, not {other:?}")),
                };
                self.solve_compare(*op, a, b, cur, want)
            }
            Expr::Not(x) => match want {
                Pat::Bool(b) => self.solve(x, cur, Pat::Bool(!b)),
                other => Err(format!("`!` gives a boolean, not {other:?}")),
            },
            Expr::And(l, r) => match want {
                Pat::Bool(false) => self.solve(l, cur, Pat::Bool(false)),
                want => merge(
                    self.solve(l, cur, Pat::Bool(true))?,
                    self.solve(r, cur, want)?,
                ),
            },
            Expr::Or(l, r) => match want {
                Pat::Bool(false) => merge(
                    self.solve(l, cur, Pat::Bool(false))?,
                    self.solve(r, cur, Pat::Bool(false))?,
                ),
                want => self.solve(l, cur, want),
            },
            Expr::Literal(_) | Expr::RawString(_) => {
                let c = constant(e).unwrap_or(V::Null);
                if want == Pat::Any || want == Pat::of(&c) {
                    Ok(Pat::Any)
                } else {
                    Err(format!("the constant {c:?} is never {want:?}"))
                }
            }
            Expr::MultiSelectList(items) => match want {
                Pat::Arr(ws) if ws.len() == items.len() => {
                    let mut all = Pat::Any;
                    for (item, w) in items.iter().zip(ws) {
                        all = merge(all, self.solve(item, cur, w)?)?;
                    }
                    Ok(all)
                }
                Pat::Any => Ok(Pat::Any),
                other => Err(format!(
                    "a multi-select list of {} is not {other:?}",
                    items.len()
                )),
            },
            Expr::Function(name, args) => self.solve_function(name, args, cur, want),
            _ => Err("the path uses an expression these tests cannot invert".into()),
        }
    }

    /// `left[*].right` or `left[?cond].right`: each wanted item from one element of `left`.
    fn solve_projection(
        &self,
        l: &Expr,
        r: &Expr,
        cond: Option<&Expr>,
        cur: &Ty,
        want: Pat,
    ) -> Result<Pat, String> {
        let items = match want {
            Pat::Any => return Ok(Pat::Any),
            Pat::Arr(items) => items,
            other => return Err(format!("a projection gives a list, not {other:?}")),
        };
        let item_ty = elem(&self.ty_of(l, cur));
        let mut elements = Vec::new();
        for w in items {
            let mut p = self.solve(r, &item_ty, w)?;
            if let Some(c) = cond {
                p = merge(p, self.solve(c, &item_ty, Pat::Bool(true))?)?;
            }
            elements.push(p);
        }
        self.solve(l, cur, Pat::Arr(elements))
    }

    /// `a <op> b` giving `want`. Against a constant, the other side gets the first of a few
    /// candidates (for numbers the smallest of 0, 1, n-1, n, n+1 that works, so a length is as
    /// short as it can be); between two computed sides, both get small values of their type.
    /// So AutoScaling's `length(Instances[?LifecycleState=='InService']) >= MinSize` is true
    /// with no instances and MinSize 0, and false with no instances and MinSize 1.
    fn solve_compare(
        &self,
        op: CmpOp,
        a: &Expr,
        b: &Expr,
        cur: &Ty,
        want: bool,
    ) -> Result<Pat, String> {
        let holds = |x: &V, y: &V| compare(op, x, y) == V::Bool(want);
        match (constant(a), constant(b)) {
            (Some(x), Some(y)) if holds(&x, &y) => Ok(Pat::Any),
            (Some(_), Some(_)) => Err("a comparison of constants that never holds".into()),
            (None, Some(c)) => {
                let x = candidates(&c)
                    .into_iter()
                    .find(|x| holds(x, &c))
                    .ok_or("no value compares as needed")?;
                self.solve(a, cur, Pat::of(&x))
            }
            (Some(c), None) => {
                let y = candidates(&c)
                    .into_iter()
                    .find(|y| holds(&c, y))
                    .ok_or("no value compares as needed")?;
                self.solve(b, cur, Pat::of(&y))
            }
            (None, None) => {
                let values = scalars(&self.ty_of(a, cur))
                    .or_else(|| scalars(&self.ty_of(b, cur)))
                    .ok_or("a comparison of values of unknown type")?;
                for x in &values {
                    for y in &values {
                        if holds(x, y) {
                            return merge(
                                self.solve(a, cur, Pat::of(x))?,
                                self.solve(b, cur, Pat::of(y))?,
                            );
                        }
                    }
                }
                Err("no values compare as needed".into())
            }
        }
    }

    fn solve_function(
        &self,
        name: &str,
        args: &[Expr],
        cur: &Ty,
        want: Pat,
    ) -> Result<Pat, String> {
        match (name, args) {
            ("length", [x]) => {
                let n = match want {
                    Pat::Any => 1,
                    Pat::Num(n) if n >= 0.0 && n.fract() == 0.0 && n < 100.0 => n as usize,
                    other => return Err(format!("a length is not {other:?}")),
                };
                let t = self.ty_of(x, cur);
                let target = if is_string(&t) {
                    Pat::Str("x".repeat(n))
                } else if let Ty::Ref(TypeRef::Map(_)) = t {
                    Pat::Obj((1..=n).map(|k| (format!("key{k}"), Pat::Any)).collect())
                } else {
                    Pat::Arr(vec![Pat::Any; n])
                };
                self.solve(x, cur, target)
            }
            ("contains", [x, needle]) => {
                let want = match want {
                    Pat::Any => true,
                    Pat::Bool(b) => b,
                    other => return Err(format!("contains gives a boolean, not {other:?}")),
                };
                let c = constant(needle).ok_or("contains with a computed needle")?;
                let target = if is_string(&self.ty_of(x, cur)) {
                    match (&c, want) {
                        (V::Str(s), true) => Pat::Str(s.clone()),
                        (V::Str(_), false) => Pat::of(&different(&c)),
                        _ => {
                            return Err("contains on a string with a needle that is not one".into())
                        }
                    }
                } else if want {
                    Pat::Arr(vec![Pat::of(&c)])
                } else {
                    // One item that is not the needle.
                    Pat::Arr(vec![Pat::of(&different(&c))])
                };
                self.solve(x, cur, target)
            }
            _ => Err(format!(
                "the path calls `{name}`, which these tests cannot invert"
            )),
        }
    }

    // ---- 2. a whole value of a type, fitting a pattern ----

    /// A value of type `t` that fits `p`, with every member parsing requires.
    fn complete(&self, p: &Pat, t: &TypeRef, depth: usize) -> Result<V, String> {
        if depth > 16 {
            return Err("required members nest too deep".into());
        }
        let mismatch = || format!("{p:?} does not fit a {t:?}");
        Ok(match t {
            TypeRef::Structure(name, _) => {
                let s = self.structure(name)?;
                let given: &[(String, Pat)] = match p {
                    Pat::Any => &[],
                    Pat::Obj(members) => members,
                    _ => return Err(mismatch()),
                };
                if let Some((k, _)) = given
                    .iter()
                    .find(|(k, _)| !s.fields.iter().any(|f| f.member_name == *k))
                {
                    return Err(format!("`{}` has no member `{k}`", s.id.name()));
                }
                let mut out = Vec::new();
                for f in &s.fields {
                    let value = match given.iter().find(|(k, _)| *k == f.member_name) {
                        Some((_, p)) => Some(self.complete(p, &f.ty, depth + 1)?),
                        None if f.optional => None,
                        None => Some(match &f.default {
                            Some(d) => default_value(d),
                            None => self.complete(&Pat::Any, &f.ty, depth + 1)?,
                        }),
                    };
                    // An empty flattened list is no element at all: the member stays unset.
                    let value = match value {
                        Some(V::Arr(a)) if f.flattened && a.is_empty() && f.optional => None,
                        v => v,
                    };
                    if let Some(v) = value {
                        out.push((f.member_name.clone(), v));
                    }
                }
                V::Struct(out)
            }
            TypeRef::Union(name) => {
                let u = self
                    .ir
                    .unions
                    .iter()
                    .find(|u| u.name == *name)
                    .ok_or_else(|| format!("unknown union {name}"))?;
                let (member, p) = match p {
                    Pat::Any => (
                        u.variants
                            .first()
                            .ok_or("an empty union")?
                            .member_name
                            .clone(),
                        Pat::Any,
                    ),
                    Pat::Obj(m) if m.len() == 1 => m[0].clone(),
                    _ => return Err(mismatch()),
                };
                let v = u
                    .variants
                    .iter()
                    .find(|v| v.member_name == member)
                    .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
                V::Struct(vec![(member, self.complete(&p, &v.ty, depth + 1)?)])
            }
            TypeRef::List(l) => match p {
                Pat::Any => V::Arr(Vec::new()),
                Pat::Arr(items) => V::Arr(
                    items
                        .iter()
                        .map(|i| self.complete(i, &l.item, depth + 1))
                        .collect::<Result<_, _>>()?,
                ),
                _ => return Err(mismatch()),
            },
            TypeRef::Map(m) => match p {
                Pat::Any => V::Obj(Vec::new()),
                Pat::Obj(entries) => {
                    let mut out = entries
                        .iter()
                        .map(|(k, p)| Ok((k.clone(), self.complete(p, &m.value, depth + 1)?)))
                        .collect::<Result<Vec<_>, String>>()?;
                    out.sort_by(|a, b| a.0.cmp(&b.0));
                    V::Obj(out)
                }
                _ => return Err(mismatch()),
            },
            TypeRef::String => match p {
                Pat::Any => V::Str("x".into()),
                Pat::Str(s) => V::Str(s.clone()),
                _ => return Err(mismatch()),
            },
            TypeRef::BigNumber => match p {
                Pat::Any => V::Str("1".into()),
                Pat::Str(s) => V::Str(s.clone()),
                _ => return Err(mismatch()),
            },
            TypeRef::Enum(name) => match p {
                // The enum's first value: any value parses, but a known one reads better.
                Pat::Any => V::Str(
                    self.ir
                        .enums
                        .iter()
                        .find(|e| e.name == *name)
                        .and_then(|e| e.variants.first())
                        .and_then(|v| match &v.value {
                            crate::model::EnumValue::String(s) => Some(s.clone()),
                            crate::model::EnumValue::Int(_) => None,
                        })
                        .unwrap_or_else(|| "x".into()),
                ),
                Pat::Str(s) => V::Str(s.clone()),
                _ => return Err(mismatch()),
            },
            TypeRef::IntEnum(name) => match p {
                Pat::Any => V::Num(
                    self.ir
                        .enums
                        .iter()
                        .find(|e| e.name == *name)
                        .and_then(|e| e.variants.first())
                        .and_then(|v| match &v.value {
                            crate::model::EnumValue::Int(i) => Some(*i as f64),
                            crate::model::EnumValue::String(_) => None,
                        })
                        .unwrap_or(1.0),
                ),
                Pat::Num(n) if n.fract() == 0.0 => V::Num(*n),
                _ => return Err(mismatch()),
            },
            TypeRef::Bool => match p {
                Pat::Any => V::Bool(false),
                Pat::Bool(b) => V::Bool(*b),
                _ => return Err(mismatch()),
            },
            TypeRef::I8 | TypeRef::I16 | TypeRef::I32 | TypeRef::I64 => match p {
                Pat::Any => V::Num(1.0),
                Pat::Num(n) if n.fract() == 0.0 => V::Num(*n),
                _ => return Err(mismatch()),
            },
            TypeRef::F32 | TypeRef::F64 => match p {
                Pat::Any => V::Num(1.0),
                Pat::Num(n) => V::Num(*n),
                _ => return Err(mismatch()),
            },
            // 2024-01-01T00:00:00Z; in an expression, a timestamp is its epoch seconds.
            TypeRef::Timestamp => match p {
                Pat::Any => V::Num(1_704_067_200.0),
                Pat::Num(n) if n.fract() == 0.0 => V::Num(*n),
                _ => return Err(mismatch()),
            },
            // Base64 of "x".
            TypeRef::Blob => match p {
                Pat::Any => V::Str("eA==".into()),
                _ => return Err("a path compares a blob".into()),
            },
            TypeRef::Document => match p {
                Pat::Any => V::Null,
                _ => return Err("a path compares a document".into()),
            },
        })
    }

    // ---- 3. the XML ----

    /// The HTTP status and the body's root element.
    fn envelope(&self, op: &OperationIr, r: &Response) -> Result<(u16, El), String> {
        let ec2 = self.ir.service.protocol == Protocol::Ec2Query;
        Ok(match r {
            Response::Output(v) => {
                let output = op.output.as_deref().ok_or("the operation has no output")?;
                let (attrs, children) = self.members(self.structure(output)?, v)?;
                let mut result = El::node(&format!("{}Result", op.name), children);
                result.attrs = attrs;
                if ec2 {
                    result.name = format!("{}Response", op.name);
                    (200, result)
                } else {
                    (200, El::node(&format!("{}Response", op.name), vec![result]))
                }
            }
            Response::Error(code, members) => {
                let mut error = vec![El::text("Code", code), El::text("Message", "m")];
                if let Some((name, v)) = members {
                    let (_, children) = self.members(self.structure(name)?, v)?;
                    // The envelope's own elements are already there.
                    error.extend(
                        children
                            .into_iter()
                            .filter(|c| !matches!(c.name.as_str(), "Code" | "Message" | "Type")),
                    );
                }
                let error = El::node("Error", error);
                let root = if ec2 {
                    El::node(
                        "Response",
                        vec![El::node("Errors", vec![error]), El::text("RequestID", "r")],
                    )
                } else {
                    El::node("ErrorResponse", vec![error, El::text("RequestId", "r")])
                };
                (400, root)
            }
        })
    }

    /// A structure's attributes and child elements. Members equal to their default are left
    /// out: the parser fills them in.
    fn members(&self, s: &StructureIr, v: &V) -> Result<(Attrs, Vec<El>), String> {
        let V::Struct(values) = v else {
            return Err(format!("`{}` is not a structure", s.id.name()));
        };
        let mut attrs = Vec::new();
        let mut children = Vec::new();
        for f in &s.fields {
            let Some((_, value)) = values.iter().find(|(k, _)| *k == f.member_name) else {
                continue;
            };
            if f.default
                .as_ref()
                .is_some_and(|d| default_value(d) == *value)
            {
                continue;
            }
            if f.attribute {
                attrs.push((f.wire_name.clone(), text(value, &f.ty, f.timestamp_format)?));
                continue;
            }
            match (&f.ty, f.flattened) {
                (TypeRef::List(l), true) => {
                    let V::Arr(items) = value else {
                        return Err("a list that is not one".into());
                    };
                    for item in items {
                        children.push(self.element(
                            &f.wire_name,
                            &l.item,
                            l.item_timestamp_format,
                            item,
                        )?);
                    }
                }
                (TypeRef::Map(m), true) => {
                    let V::Obj(entries) = value else {
                        return Err("a map that is not one".into());
                    };
                    for (k, x) in entries {
                        children.push(El::node(&f.wire_name, self.entry(m, k, x)?));
                    }
                }
                _ => children.push(self.element(&f.wire_name, &f.ty, f.timestamp_format, value)?),
            }
        }
        Ok((attrs, children))
    }

    fn entry(&self, m: &crate::ir::MapIr, k: &str, x: &V) -> Result<Vec<El>, String> {
        Ok(vec![
            El::text(&m.key_name, k),
            self.element(&m.value_name, &m.value, m.value_timestamp_format, x)?,
        ])
    }

    /// The element `name` holding `v` of type `t`.
    fn element(&self, name: &str, t: &TypeRef, fmt: TimestampFormat, v: &V) -> Result<El, String> {
        Ok(match t {
            TypeRef::Structure(n, _) => {
                let (attrs, children) = self.members(self.structure(n)?, v)?;
                let mut el = El::node(name, children);
                el.attrs = attrs;
                el
            }
            TypeRef::Union(n) => {
                let u = self
                    .ir
                    .unions
                    .iter()
                    .find(|u| u.name == *n)
                    .ok_or_else(|| format!("unknown union {n}"))?;
                let V::Struct(m) = v else {
                    return Err("a union that is not a structure".into());
                };
                let mut children = Vec::new();
                for (member, x) in m {
                    let variant = u
                        .variants
                        .iter()
                        .find(|v| v.member_name == *member)
                        .ok_or("unknown union member")?;
                    children.push(self.element(
                        member,
                        &variant.ty,
                        TimestampFormat::DateTime,
                        x,
                    )?);
                }
                El::node(name, children)
            }
            TypeRef::List(l) => {
                let V::Arr(items) = v else {
                    return Err("a list that is not one".into());
                };
                let children = items
                    .iter()
                    .map(|i| self.element(&l.item_name, &l.item, l.item_timestamp_format, i))
                    .collect::<Result<_, _>>()?;
                El::node(name, children)
            }
            TypeRef::Map(m) => {
                let V::Obj(entries) = v else {
                    return Err("a map that is not one".into());
                };
                let children = entries
                    .iter()
                    .map(|(k, x)| Ok(El::node("entry", self.entry(m, k, x)?)))
                    .collect::<Result<_, String>>()?;
                El::node(name, children)
            }
            scalar => El::text(name, &text(v, scalar, fmt)?),
        })
    }
}

/// The value a path must give for the comparator to match.
fn wanted(m: &crate::model::PathMatcher) -> Result<Pat, String> {
    let e = &m.expected;
    Ok(match m.comparator {
        PathComparator::StringEquals => Pat::Str(e.clone()),
        PathComparator::BooleanEquals => match e.as_str() {
            "true" => Pat::Bool(true),
            "false" => Pat::Bool(false),
            _ => return Err(format!("booleanEquals expects {e:?}")),
        },
        PathComparator::AllStringEquals | PathComparator::AnyStringEquals => {
            Pat::Arr(vec![Pat::Str(e.clone())])
        }
    })
}

/// The members a structure's builder cannot build without (as `structure::builder` decides).
fn must(s: &StructureIr) -> impl Iterator<Item = &crate::ir::FieldIr> {
    s.fields.iter().filter(move |f| {
        if f.optional {
            f.required && s.role == StructRole::Input && f.default.is_none()
        } else {
            f.default.is_none()
        }
    })
}

/// The value of a member default, as the parser fills it in.
fn default_value(d: &DefaultValue) -> V {
    match d {
        DefaultValue::Bool(b) => V::Bool(*b),
        DefaultValue::Int(i) | DefaultValue::IntEnum(i) => V::Num(*i as f64),
        DefaultValue::Float(f) | DefaultValue::Timestamp(f) => V::Num(*f),
        DefaultValue::Str(s) | DefaultValue::Blob(s) => V::Str(s.clone()),
        DefaultValue::EmptyList => V::Arr(Vec::new()),
        DefaultValue::EmptyMap => V::Obj(Vec::new()),
    }
}

/// A scalar's text on the wire.
fn text(v: &V, t: &TypeRef, fmt: TimestampFormat) -> Result<String, String> {
    Ok(match (v, t) {
        (V::Num(n), TypeRef::Timestamp) => timestamp(*n as i64, fmt),
        (V::Num(n), _) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        (V::Num(n), _) => format!("{n}"),
        (V::Str(s), _) => s.clone(),
        (V::Bool(b), _) => b.to_string(),
        (V::Null, _) => String::new(),
        _ => return Err(format!("{v:?} is not a scalar")),
    })
}

/// Epoch seconds in a timestamp format.
fn timestamp(secs: i64, fmt: TimestampFormat) -> String {
    // Days to a civil date (proleptic Gregorian), after Howard Hinnant's `civil_from_days`.
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    match fmt {
        TimestampFormat::EpochSeconds => secs.to_string(),
        TimestampFormat::DateTime => {
            format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
        }
        TimestampFormat::HttpDate => {
            const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "{}, {day:02} {} {year:04} {h:02}:{m:02}:{s:02} GMT",
                WEEKDAYS[days.rem_euclid(7) as usize],
                MONTHS[(month - 1) as usize]
            )
        }
    }
}

// ---- evaluation, as the runtime does it (`aws_lite_runtime::jmespath`) ----

fn truthy(v: &V) -> bool {
    match v {
        V::Null | V::Bool(false) => false,
        V::Bool(true) | V::Num(_) | V::Struct(_) => true,
        V::Str(s) => !s.is_empty(),
        V::Arr(a) => !a.is_empty(),
        V::Obj(o) => !o.is_empty(),
    }
}

/// Numbers and strings order; anything else compares for equality only (ordering gives null).
fn compare(op: CmpOp, a: &V, b: &V) -> V {
    use std::cmp::Ordering;
    let ord = match (a, b) {
        (V::Num(x), V::Num(y)) => x.partial_cmp(y),
        (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
        _ => None,
    };
    match (op, ord) {
        (CmpOp::Eq, _) => V::Bool(equal(a, b)),
        (CmpOp::Ne, _) => V::Bool(!equal(a, b)),
        (_, None) => V::Null,
        (CmpOp::Lt, Some(o)) => V::Bool(o == Ordering::Less),
        (CmpOp::Le, Some(o)) => V::Bool(o != Ordering::Greater),
        (CmpOp::Gt, Some(o)) => V::Bool(o == Ordering::Greater),
        (CmpOp::Ge, Some(o)) => V::Bool(o != Ordering::Less),
    }
}

/// Deep equality: objects whatever their key order; a structure equals nothing.
fn equal(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Obj(x), V::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && equal(v, v2)))
        }
        (V::Arr(x), V::Arr(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q)),
        (V::Struct(_), _) | (_, V::Struct(_)) => false,
        _ => a == b,
    }
}

/// Values to try against the constant `c`: for numbers the smallest non-negative that works.
fn candidates(c: &V) -> Vec<V> {
    match c {
        V::Num(n) => {
            let mut xs: Vec<f64> = [0.0, 1.0, n - 1.0, *n, n + 1.0]
                .into_iter()
                .filter(|x| *x >= 0.0 && x.fract() == 0.0)
                .collect();
            xs.sort_by(f64::total_cmp);
            xs.dedup();
            xs.into_iter().map(V::Num).collect()
        }
        other => vec![other.clone(), different(other)],
    }
}

fn project<'v>(items: impl Iterator<Item = &'v V>, r: &Expr) -> Result<V, String> {
    let mut out = Vec::new();
    for item in items {
        let v = eval(r, item)?;
        if v != V::Null {
            out.push(v);
        }
    }
    Ok(V::Arr(out))
}

fn eval(e: &Expr, v: &V) -> Result<V, String> {
    Ok(match e {
        Expr::Identity => v.clone(),
        Expr::Field(n) => match v {
            V::Obj(o) | V::Struct(o) => o
                .iter()
                .find(|(k, _)| k == n)
                .map_or(V::Null, |(_, x)| x.clone()),
            _ => V::Null,
        },
        Expr::Subexpr(l, r) | Expr::Pipe(l, r) => eval(r, &eval(l, v)?)?,
        Expr::Index(l, i) => match eval(l, v)? {
            V::Arr(items) => {
                let len = items.len() as i64;
                let at = if *i < 0 { len + i } else { *i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.get(at).cloned())
                    .unwrap_or(V::Null)
            }
            _ => V::Null,
        },
        Expr::Projection(l, r) => match eval(l, v)? {
            V::Arr(items) => project(items.iter(), r)?,
            _ => V::Null,
        },
        Expr::FilterProjection(l, r, c) => match eval(l, v)? {
            V::Arr(items) => {
                let mut kept = Vec::new();
                for item in &items {
                    if truthy(&eval(c, item)?) {
                        kept.push(item);
                    }
                }
                project(kept.into_iter(), r)?
            }
            _ => V::Null,
        },
        Expr::ObjectProjection(l, r) => match eval(l, v)? {
            V::Obj(o) | V::Struct(o) => project(o.iter().map(|(_, x)| x), r)?,
            _ => V::Null,
        },
        Expr::Flatten(l) => match eval(l, v)? {
            V::Arr(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        V::Arr(inner) => out.extend(inner),
                        V::Null => {}
                        other => out.push(other),
                    }
                }
                V::Arr(out)
            }
            _ => V::Null,
        },
        Expr::Compare(op, a, b) => compare(*op, &eval(a, v)?, &eval(b, v)?),
        Expr::And(l, r) => {
            let left = eval(l, v)?;
            if truthy(&left) {
                eval(r, v)?
            } else {
                left
            }
        }
        Expr::Or(l, r) => {
            let left = eval(l, v)?;
            if truthy(&left) {
                left
            } else {
                eval(r, v)?
            }
        }
        Expr::Not(x) => V::Bool(!truthy(&eval(x, v)?)),
        Expr::Literal(j) => json(j),
        Expr::RawString(s) => V::Str(s.clone()),
        Expr::MultiSelectList(_) | Expr::MultiSelectHash(_) if *v == V::Null => V::Null,
        Expr::MultiSelectList(items) => {
            V::Arr(items.iter().map(|i| eval(i, v)).collect::<Result<_, _>>()?)
        }
        Expr::MultiSelectHash(pairs) => V::Obj(
            pairs
                .iter()
                .map(|(k, e)| Ok((k.clone(), eval(e, v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Expr::Function(name, args) => {
            let args = args
                .iter()
                .map(|a| eval(a, v))
                .collect::<Result<Vec<_>, _>>()?;
            match (name.as_str(), args.as_slice()) {
                ("length", [V::Str(s)]) => V::Num(s.chars().count() as f64),
                ("length", [V::Arr(a)]) => V::Num(a.len() as f64),
                ("length", [V::Obj(o)]) => V::Num(o.len() as f64),
                ("length", [_]) => V::Null,
                ("contains", [V::Arr(a), x]) => V::Bool(a.iter().any(|i| equal(i, x))),
                ("contains", [V::Str(s), V::Str(x)]) => V::Bool(s.contains(x.as_str())),
                ("contains", [_, _]) => V::Null,
                _ => {
                    return Err(format!(
                        "the path calls `{name}`, which these tests do not evaluate"
                    ))
                }
            }
        }
        Expr::Slice(..) | Expr::ExprRef(_) => {
            return Err("the path uses an expression these tests do not evaluate".into())
        }
    })
}

/// The comparator's verdict (`aws_lite_runtime::jmespath::matches`).
fn compare_result(value: &V, comparator: PathComparator, expected: &str) -> bool {
    let is = |v: &V| matches!(v, V::Str(s) if s == expected);
    match comparator {
        PathComparator::StringEquals => is(value),
        PathComparator::BooleanEquals => {
            matches!(value, V::Bool(b) if expected == if *b { "true" } else { "false" })
        }
        PathComparator::AllStringEquals => {
            matches!(value, V::Arr(a) if !a.is_empty() && a.iter().all(is))
        }
        PathComparator::AnyStringEquals => matches!(value, V::Arr(a) if a.iter().any(is)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve_eval(path: &str, want: Pat) -> V {
        // Types unknown: the patterns come out as plain values.
        let ir = Crate {
            service: crate::ir::ServiceIr {
                id: crate::model::ShapeId::parse("a.b#S").expect("id"),
                sdk_id: "S".into(),
                version: "1".into(),
                signing_name: None,
                xml_namespace: None,
                protocol: Protocol::AwsQuery,
                docs: None,
                endpoint_rule_set: None,
                endpoint_tests: None,
                paginated: None,
            },
            structures: Vec::new(),
            enums: Vec::new(),
            unions: Vec::new(),
            operations: Vec::new(),
        };
        let cx = Cx { ir: &ir };
        let expr = crate::jmespath::parse(path).expect("parses");
        let pat = cx.solve(&expr, &Ty::Unknown, want).expect("solves");
        let value = to_value(&pat);
        eval(&expr, &value).expect("evaluates")
    }

    fn to_value(p: &Pat) -> V {
        match p {
            Pat::Any => V::Str("x".into()),
            Pat::Bool(b) => V::Bool(*b),
            Pat::Num(n) => V::Num(*n),
            Pat::Str(s) => V::Str(s.clone()),
            Pat::Arr(a) => V::Arr(a.iter().map(to_value).collect()),
            Pat::Obj(o) => V::Obj(o.iter().map(|(k, p)| (k.clone(), to_value(p))).collect()),
        }
    }

    #[test]
    fn solved_patterns_evaluate_to_what_was_wanted() {
        let s = |x: &str| V::Str(x.into());
        assert_eq!(solve_eval("A.B", Pat::Str("on".into())), s("on"));
        assert_eq!(
            solve_eval("A[].B.C", Pat::Arr(vec![Pat::Str("on".into())])),
            V::Arr(vec![s("on")])
        );
        for want in [true, false] {
            for path in ["length(A) > `0`", "length(A) == `0`", "length(A[].B) > `2`"] {
                assert_eq!(solve_eval(path, Pat::Bool(want)), V::Bool(want), "{path}");
            }
        }
        assert_eq!(
            solve_eval("A[?S=='on'].N", Pat::Arr(vec![Pat::Num(3.0)])),
            V::Arr(vec![V::Num(3.0)])
        );
        assert_eq!(solve_eval("A[1]", Pat::Str("z".into())), s("z"));
        assert_eq!(solve_eval("A[-1]", Pat::Str("z".into())), s("z"));
        assert_eq!(
            solve_eval("!(A == 'x') && B", Pat::Bool(true)),
            V::Bool(true)
        );
    }

    #[test]
    fn literals_and_comments_are_printable_ascii() {
        assert_eq!(
            rust_escape("do\u{202e}ne \"q\" \\"),
            "do\\u{202e}ne \\\"q\\\" \\\\"
        );
        assert_eq!(ascii("é \"q\""), "\\u{e9} \"q\"");
    }

    #[test]
    fn timestamps_in_each_format() {
        assert_eq!(
            timestamp(1_704_067_200, TimestampFormat::DateTime),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            timestamp(1_704_067_200, TimestampFormat::EpochSeconds),
            "1704067200"
        );
        assert_eq!(
            timestamp(1_704_067_200, TimestampFormat::HttpDate),
            "Mon, 01 Jan 2024 00:00:00 GMT"
        );
        assert_eq!(
            timestamp(951_782_400, TimestampFormat::DateTime),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn the_first_matching_acceptor_decides() {
        let v = V::Obj(vec![(
            "L".into(),
            V::Arr(vec![V::Obj(vec![("S".into(), V::Str("on".into()))])]),
        )]);
        let expr = crate::jmespath::parse("L[].S").expect("parses");
        let value = eval(&expr, &v).expect("evaluates");
        assert!(compare_result(
            &value,
            PathComparator::AllStringEquals,
            "on"
        ));
        assert!(compare_result(
            &value,
            PathComparator::AnyStringEquals,
            "on"
        ));
        assert!(!compare_result(
            &V::Arr(vec![]),
            PathComparator::AllStringEquals,
            "on"
        ));
    }
}
