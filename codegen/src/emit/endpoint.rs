//! Endpoint rules: a service's `smithy.rules#endpointRuleSet` as static data for the
//! runtime's interpreter (`aws_lite_runtime::endpoint`), and its `smithy.rules#endpointTests`
//! as Rust tests.
//!
//! The rule set is checked while it is emitted: every function must be one the runtime
//! implements, with the right number of arguments, and every reference (`{"ref": …}` or a
//! `{Name}` template part) must name a parameter or a variable assigned earlier in scope.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::docs::html_to_markdown;
use super::rust_types::rt;
use crate::naming::is_keyword;

/// Functions the runtime implements, with their argument count (`None`: one or more).
const FUNCTIONS: &[(&str, Option<usize>)] = &[
    ("isSet", Some(1)),
    ("not", Some(1)),
    ("booleanEquals", Some(2)),
    ("stringEquals", Some(2)),
    ("getAttr", Some(2)),
    ("parseURL", Some(1)),
    ("substring", Some(4)),
    ("uriEncode", Some(1)),
    ("isValidHostLabel", Some(2)),
    ("coalesce", None),
    ("ite", Some(3)),
    ("split", Some(3)),
    ("aws.partition", Some(1)),
    ("aws.parseArn", Some(1)),
    ("aws.isVirtualHostableS3Bucket", Some(2)),
];

/// Deepest JSON nesting accepted (serde_json's own parser stops at 128).
const MAX_DEPTH: usize = 128;

/// The Rust items for a rule set (the value of `smithy.rules#endpointRuleSet`): a module doc
/// (`#![doc]`), `pub static RULES: aws_lite_runtime::endpoint::RuleSet` and a documented
/// `pub fn resolve(params: &Params) -> Result<Endpoint, EndpointError>`.
pub fn rules_file(rule_set: &Value) -> Result<TokenStream, String> {
    let rt = rt();
    let obj = rule_set
        .as_object()
        .ok_or("the endpoint rule set must be an object")?;
    match obj.get("version").and_then(Value::as_str) {
        Some(v) if v == "1" || v.starts_with("1.") => {}
        Some(v) => return Err(format!("endpoint rule set version {v} is not supported")),
        None => return Err("the endpoint rule set has no version".into()),
    }
    let empty = Map::new();
    let params = match obj.get("parameters") {
        Some(Value::Object(m)) => m,
        None => &empty,
        Some(_) => return Err("endpoint rule set `parameters` must be an object".into()),
    };
    let mut cx = Cx {
        scope: params.keys().cloned().collect(),
        used: BTreeSet::new(),
    };
    let param_tokens = params
        .iter()
        .map(|(name, p)| param(name, p))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = array(obj.get("rules"), "rules")?;
    if rules.is_empty() {
        return Err("the endpoint rule set has no rules".into());
    }
    let rule_tokens = rules
        .iter()
        .enumerate()
        .map(|(i, r)| rule(r, &format!("rules[{i}]"), &mut cx, 1))
        .collect::<Result<Vec<_>, _>>()?;

    // Import only what the data uses, so the generated crate has no unused imports.
    let mut used = std::mem::take(&mut cx.used);
    used.extend(["Expr", "Rule", "RuleSet"]);
    if !params.is_empty() {
        used.extend(["Param", "ParamKind"]);
    }
    if params
        .values()
        .any(|p| !matches!(p.get("default"), None | Some(Value::Null)))
    {
        used.insert("Literal");
    }
    let imports = used.iter().map(|n| format_ident!("{}", n));

    let mut doc = vec![
        " Resolves this service's endpoint for `params` with [`RULES`].".to_string(),
        String::new(),
    ];
    if params.is_empty() {
        doc.push(" The rules take no parameters.".into());
    } else {
        doc.push(" Parameters, by the name given to [`Params`]:".into());
        doc.push(String::new());
        for (name, p) in params {
            doc.push(format!(" - {}", param_doc(name, p)));
        }
    }
    doc.push(String::new());
    doc.push(
        " Fails with the rule set's own message (for example when a required value is missing)"
            .into(),
    );
    doc.push(" or when no rule matches.".into());

    Ok(quote! {
        #![doc = " Endpoint resolution: the service's endpoint rules (`smithy.rules#endpointRuleSet`) as static data."]

        pub use #rt::endpoint::{Endpoint, EndpointError, EndpointErrorKind, Params};

        /// The service's endpoint rules, interpreted by [`resolve`].
        pub static RULES: #rt::endpoint::RuleSet = {
            use #rt::endpoint::{#(#imports),*};
            RuleSet {
                parameters: &[#(#param_tokens),*],
                rules: &[#(#rule_tokens),*],
            }
        };

        #( #[doc = #doc] )*
        pub fn resolve(
            params: &#rt::endpoint::Params,
        ) -> ::std::result::Result<#rt::endpoint::Endpoint, #rt::endpoint::EndpointError> {
            #rt::endpoint::resolve(&RULES, params)
        }
    })
}

/// Variables in scope while the rules are checked (parameters, then assignments), and the
/// runtime types the emitted data names.
struct Cx {
    scope: Vec<String>,
    used: BTreeSet<&'static str>,
}

fn array<'v>(v: Option<&'v Value>, what: &str) -> Result<&'v [Value], String> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        None => Ok(&[]),
        Some(_) => Err(format!("{what}: must be an array")),
    }
}

fn kind_of(name: &str, p: &Value) -> Result<&'static str, String> {
    let ty = p
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("endpoint parameter `{name}` has no type"))?;
    match ty.to_ascii_lowercase().as_str() {
        "string" => Ok("String"),
        "boolean" => Ok("Boolean"),
        "stringarray" => Ok("StringArray"),
        _ => Err(format!(
            "endpoint parameter `{name}` has unknown type `{ty}`"
        )),
    }
}

fn param(name: &str, p: &Value) -> Result<TokenStream, String> {
    let kind = kind_of(name, p)?;
    let kind_ident = format_ident!("{}", kind);
    let builtin = match p.get("builtIn").and_then(Value::as_str) {
        Some(b) => quote!(::std::option::Option::Some(#b)),
        None => quote!(::std::option::Option::None),
    };
    let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
    let default = match p.get("default") {
        None | Some(Value::Null) => quote!(::std::option::Option::None),
        Some(d) => {
            let ok = match (kind, d) {
                ("String", Value::String(_)) | ("Boolean", Value::Bool(_)) => true,
                ("StringArray", Value::Array(items)) => items.iter().all(Value::is_string),
                _ => false,
            };
            if !ok {
                return Err(format!(
                    "endpoint parameter `{name}`: the default does not match its type"
                ));
            }
            let lit = literal(d, &format!("parameters.{name}.default"), None, 1)?;
            quote!(::std::option::Option::Some(#lit))
        }
    };
    Ok(quote! {
        Param { name: #name, builtin: #builtin, kind: ParamKind::#kind_ident, required: #required, default: #default }
    })
}

fn param_doc(name: &str, p: &Value) -> String {
    let kind = match kind_of(name, p) {
        Ok("Boolean") => "boolean",
        Ok("StringArray") => "array of strings",
        _ => "string",
    };
    let mut head = format!("`{name}` ({kind}");
    if p.get("required").and_then(Value::as_bool) == Some(true) {
        head.push_str(", required");
    }
    match p.get("default") {
        Some(Value::String(s)) => head.push_str(&format!(", default `{s:?}`")),
        Some(Value::Bool(b)) => head.push_str(&format!(", default `{b}`")),
        Some(Value::Array(a)) => head.push_str(&format!(", default `{}`", Value::Array(a.clone()))),
        _ => {}
    }
    if let Some(b) = p.get("builtIn").and_then(Value::as_str) {
        head.push_str(&format!("; built-in `{b}`"));
    }
    head.push(')');
    let text = p
        .get("documentation")
        .and_then(Value::as_str)
        .map(|d| {
            html_to_markdown(d)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let deprecated = if p.get("deprecated").is_some() {
        " Deprecated."
    } else {
        ""
    };
    if text.is_empty() {
        format!("{head}.{deprecated}")
    } else {
        format!("{head}: {text}{deprecated}")
    }
}

fn rule(v: &Value, path: &str, cx: &mut Cx, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{path}: rules nest too deeply"));
    }
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{path}: a rule must be an object"))?;
    let mark = cx.scope.len();
    let conditions = array(obj.get("conditions"), path)?
        .iter()
        .enumerate()
        .map(|(i, c)| condition(c, &format!("{path}.conditions[{i}]"), cx, depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    let ty = obj.get("type").and_then(Value::as_str).unwrap_or("");
    let out = match ty {
        "endpoint" => {
            let ep = obj
                .get("endpoint")
                .and_then(Value::as_object)
                .ok_or_else(|| format!("{path}: an endpoint rule needs an `endpoint` object"))?;
            let url = expr(
                ep.get("url")
                    .ok_or_else(|| format!("{path}: the endpoint has no url"))?,
                &format!("{path}.endpoint.url"),
                cx,
                depth + 1,
            )?;
            let mut headers = Vec::new();
            if let Some(h) = ep.get("headers") {
                let h = h
                    .as_object()
                    .ok_or_else(|| format!("{path}.endpoint.headers: must be an object"))?;
                for (name, values) in h {
                    let hp = format!("{path}.endpoint.headers.{name}");
                    let values = array(Some(values), &hp)?
                        .iter()
                        .map(|v| expr(v, &hp, cx, depth + 1))
                        .collect::<Result<Vec<_>, _>>()?;
                    headers.push(quote!((#name, &[#(#values),*])));
                }
            }
            let mut properties = Vec::new();
            if let Some(p) = ep.get("properties") {
                let p = p
                    .as_object()
                    .ok_or_else(|| format!("{path}.endpoint.properties: must be an object"))?;
                for (name, value) in p {
                    cx.used.insert("Literal");
                    let lit = literal(
                        value,
                        &format!("{path}.endpoint.properties.{name}"),
                        Some(&*cx),
                        depth + 1,
                    )?;
                    properties.push(quote!((#name, #lit)));
                }
            }
            quote! {
                Rule::Endpoint {
                    conditions: &[#(#conditions),*],
                    url: #url,
                    headers: &[#(#headers),*],
                    properties: &[#(#properties),*],
                }
            }
        }
        "error" => {
            let message = expr(
                obj.get("error")
                    .ok_or_else(|| format!("{path}: an error rule needs an `error` message"))?,
                &format!("{path}.error"),
                cx,
                depth + 1,
            )?;
            quote!(Rule::Error { conditions: &[#(#conditions),*], message: #message })
        }
        "tree" => {
            let rules = array(obj.get("rules"), path)?;
            if rules.is_empty() {
                return Err(format!("{path}: a tree rule needs rules"));
            }
            let rules = rules
                .iter()
                .enumerate()
                .map(|(i, r)| rule(r, &format!("{path}.rules[{i}]"), cx, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(Rule::Tree { conditions: &[#(#conditions),*], rules: &[#(#rules),*] })
        }
        other => return Err(format!("{path}: unknown rule type `{other}`")),
    };
    cx.scope.truncate(mark);
    Ok(out)
}

fn condition(v: &Value, path: &str, cx: &mut Cx, depth: usize) -> Result<TokenStream, String> {
    cx.used.insert("Condition");
    let call = call(v, path, cx, depth)?;
    let assign = match v.get("assign") {
        None | Some(Value::Null) => quote!(::std::option::Option::None),
        Some(Value::String(name)) => {
            if cx.scope.iter().any(|s| s == name) {
                return Err(format!("{path}: `{name}` is already defined in this scope"));
            }
            cx.scope.push(name.clone());
            quote!(::std::option::Option::Some(#name))
        }
        Some(_) => return Err(format!("{path}: `assign` must be a string")),
    };
    Ok(quote!(Condition { func: #call, assign: #assign }))
}

/// A `Call { name, args }` value (not a reference to one).
fn call(v: &Value, path: &str, cx: &mut Cx, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{path}: expressions nest too deeply"));
    }
    let name = v
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{path}: a function call needs `fn`"))?;
    let args = array(v.get("argv"), path)?;
    let Some((_, arity)) = FUNCTIONS.iter().find(|(f, _)| *f == name) else {
        return Err(format!(
            "{path}: function `{name}` is not supported by the endpoint rules runtime"
        ));
    };
    let count_ok = match arity {
        Some(n) => args.len() == *n,
        None => !args.is_empty(),
    };
    if !count_ok {
        return Err(format!(
            "{path}: function `{name}` gets {} argument(s), which is the wrong number",
            args.len()
        ));
    }
    cx.used.insert("Call");
    if name == "getAttr" && !args[1].is_string() {
        return Err(format!("{path}: getAttr's path must be a string"));
    }
    let args = args
        .iter()
        .enumerate()
        .map(|(i, a)| expr(a, &format!("{path}.argv[{i}]"), cx, depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote!(Call { name: #name, args: &[#(#args),*] }))
}

fn int(n: &serde_json::Number, path: &str) -> Result<TokenStream, String> {
    let i = n
        .as_i64()
        .ok_or_else(|| format!("{path}: only integer numbers are supported, found {n}"))?;
    let abs = Lit::u64_unsuffixed(i.unsigned_abs());
    Ok(if i < 0 { quote!(-#abs) } else { quote!(#abs) })
}

fn expr(v: &Value, path: &str, cx: &mut Cx, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{path}: expressions nest too deeply"));
    }
    Ok(match v {
        Value::String(s) => {
            check_template(s, path, cx)?;
            quote!(Expr::String(#s))
        }
        Value::Bool(b) => quote!(Expr::Bool(#b)),
        Value::Number(n) => {
            let n = int(n, path)?;
            quote!(Expr::Int(#n))
        }
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, e)| expr(e, &format!("{path}[{i}]"), cx, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(Expr::Array(&[#(#items),*]))
        }
        Value::Object(o) if o.contains_key("ref") => {
            let name = o
                .get("ref")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{path}: `ref` must be a string"))?;
            check_ref(name, path, cx)?;
            quote!(Expr::Ref(#name))
        }
        Value::Object(o) if o.contains_key("fn") => {
            let c = call(v, path, cx, depth + 1)?;
            quote!(Expr::Call(&#c))
        }
        _ => return Err(format!("{path}: not a valid expression: {v}")),
    })
}

fn check_ref(name: &str, path: &str, cx: &Cx) -> Result<(), String> {
    if cx.scope.iter().any(|s| s == name) {
        Ok(())
    } else {
        Err(format!(
            "{path}: `{name}` is not a parameter or a variable assigned before it"
        ))
    }
}

/// Checks a template's `{Name}`/`{Name#path}` parts (`{{` and `}}` are literal braces).
fn check_template(t: &str, path: &str, cx: &Cx) -> Result<(), String> {
    let mut rest = t;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if let Some(r) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
            rest = r;
        } else if let Some(r) = tail.strip_prefix('{') {
            let end = r
                .find('}')
                .ok_or_else(|| format!("{path}: unmatched `{{` in template {t:?}"))?;
            let inner = &r[..end];
            let name = inner.split('#').next().unwrap_or(inner);
            if name.is_empty() || inner.contains('{') {
                return Err(format!("{path}: bad template part `{{{inner}}}` in {t:?}"));
            }
            check_ref(name, path, cx)?;
            rest = &r[end + 1..];
        } else {
            return Err(format!("{path}: unmatched `}}` in template {t:?}"));
        }
    }
    Ok(())
}

/// A property value or parameter default; strings are templates when `cx` is given.
fn literal(v: &Value, path: &str, cx: Option<&Cx>, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{path}: values nest too deeply"));
    }
    Ok(match v {
        Value::String(s) => {
            if let Some(cx) = cx {
                check_template(s, path, cx)?;
            }
            quote!(Literal::Str(#s))
        }
        Value::Bool(b) => quote!(Literal::Bool(#b)),
        Value::Number(n) => {
            let n = int(n, path)?;
            quote!(Literal::Int(#n))
        }
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, e)| literal(e, &format!("{path}[{i}]"), cx, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(Literal::Array(&[#(#items),*]))
        }
        Value::Object(fields) => {
            let fields = fields
                .iter()
                .map(|(k, e)| {
                    let lit = literal(e, &format!("{path}.{k}"), cx, depth + 1)?;
                    Ok(quote!((#k, #lit)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(Literal::Object(&[#(#fields),*]))
        }
        Value::Null => return Err(format!("{path}: null is not a valid value")),
    })
}

/// A `#[cfg(test)] mod endpoint_tests` with one `#[test]` per case of
/// `smithy.rules#endpointTests`, named after the case's documentation.
///
/// The tests call `super::resolve`, so the module belongs in the module emitted by
/// [`rules_file`] (append these tokens to it). Each test sets the case's `params`
/// (`operationInputs` are not used) and checks the URL, and the headers and properties when
/// the case lists them, or the exact error message.
pub fn tests_file(tests: &Value) -> Result<TokenStream, String> {
    let obj = tests
        .as_object()
        .ok_or("endpoint tests must be an object")?;
    let cases = array(obj.get("testCases"), "testCases")?;
    let mut used = BTreeSet::new();
    let tests = cases
        .iter()
        .enumerate()
        .map(|(i, case)| test_case(case, i, &mut used))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        /// The model's endpoint test cases (`smithy.rules#endpointTests`).
        #[cfg(test)]
        mod endpoint_tests {
            #(#tests)*
        }
    })
}

fn test_case(
    case: &Value,
    index: usize,
    used: &mut BTreeSet<String>,
) -> Result<TokenStream, String> {
    let rt = rt();
    let path = format!("testCases[{index}]");
    let doc = case.get("documentation").and_then(Value::as_str);
    let name = format_ident!("{}", test_name(doc, index, used));
    let doc_attr = doc.map(|d| {
        let d = super::docs::strip_bidi(d);
        let d = format!(" {}", d.split_whitespace().collect::<Vec<_>>().join(" "));
        quote!(#[doc = #d])
    });
    let mut setters = Vec::new();
    match case.get("params") {
        None | Some(Value::Null) => {}
        Some(Value::Object(params)) => {
            for (k, v) in params {
                setters.push(match v {
                    Value::Null => continue,
                    Value::String(s) => quote!(.set_str(#k, #s)),
                    Value::Bool(b) => quote!(.set_bool(#k, #b)),
                    Value::Array(items) => {
                        let items = items
                            .iter()
                            .map(|i| {
                                i.as_str()
                                    .map(|s| quote!(#rt::endpoint::Value::String(::std::string::String::from(#s))))
                                    .ok_or_else(|| format!("{path}.params.{k}: arrays must hold strings"))
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        quote!(.set(#k, #rt::endpoint::Value::Array(::std::vec![#(#items),*])))
                    }
                    _ => return Err(format!("{path}.params.{k}: unsupported parameter value {v}")),
                });
            }
        }
        Some(_) => return Err(format!("{path}.params: must be an object")),
    }
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{path}: no `expect`"))?;
    let body = if let Some(err) = expect.get("error") {
        let msg = err
            .as_str()
            .ok_or_else(|| format!("{path}.expect.error: must be a string"))?;
        quote! {
            let error = match super::resolve(&params) {
                ::std::result::Result::Ok(endpoint) => ::std::panic!("expected the error {:?}, got the endpoint {}", #msg, endpoint.url),
                ::std::result::Result::Err(error) => error,
            };
            ::std::assert_eq!(error.to_string(), #msg);
        }
    } else if let Some(ep) = expect.get("endpoint") {
        let url = ep
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{path}.expect.endpoint: no url"))?;
        let headers = match ep.get("headers") {
            None | Some(Value::Null) => quote!(),
            Some(Value::Object(h)) => {
                let mut pairs = Vec::new();
                for (k, values) in h {
                    let values = array(Some(values), &path)?
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(|s| quote!(::std::string::String::from(#s)))
                                .ok_or_else(|| format!("{path}.expect.endpoint.headers.{k}: values must be strings"))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    pairs
                        .push(quote!((::std::string::String::from(#k), ::std::vec![#(#values),*])));
                }
                quote! {
                    let mut headers = endpoint.headers.clone();
                    headers.sort();
                    let mut expected: ::std::vec::Vec<(::std::string::String, ::std::vec::Vec<::std::string::String>)> = ::std::vec![#(#pairs),*];
                    expected.sort();
                    ::std::assert_eq!(headers, expected);
                }
            }
            Some(_) => return Err(format!("{path}.expect.endpoint.headers: must be an object")),
        };
        let properties = match ep.get("properties") {
            None | Some(Value::Null) => quote!(),
            Some(p @ Value::Object(_)) => {
                let doc = document(p, 0)?;
                quote!(::std::assert_eq!(endpoint.properties, #doc);)
            }
            Some(_) => {
                return Err(format!(
                    "{path}.expect.endpoint.properties: must be an object"
                ))
            }
        };
        quote! {
            let endpoint = match super::resolve(&params) {
                ::std::result::Result::Ok(endpoint) => endpoint,
                ::std::result::Result::Err(error) => ::std::panic!("expected an endpoint, got the error: {error}"),
            };
            ::std::assert_eq!(endpoint.url, #url);
            #headers
            #properties
        }
    } else {
        return Err(format!("{path}.expect: needs `endpoint` or `error`"));
    };
    Ok(quote! {
        #doc_attr
        #[test]
        fn #name() {
            let params = #rt::endpoint::Params::new() #(#setters)*;
            #body
        }
    })
}

/// A `Document` expression for an expected JSON value.
fn document(v: &Value, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err("expected endpoint properties nest too deeply".into());
    }
    let rt = rt();
    Ok(match v {
        Value::Null => quote!(#rt::Document::Null),
        Value::Bool(b) => quote!(#rt::Document::Bool(#b)),
        Value::Number(n) => {
            let text = n.to_string();
            quote!(#rt::Document::Number(::std::string::String::from(#text)))
        }
        Value::String(s) => quote!(#rt::Document::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|i| document(i, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(#rt::Document::Array(::std::vec![#(#items),*]))
        }
        Value::Object(fields) => {
            let fields = fields
                .iter()
                .map(|(k, f)| {
                    let f = document(f, depth + 1)?;
                    Ok(quote!((::std::string::String::from(#k), #f)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(#rt::Document::Object(::std::collections::BTreeMap::from([#(#fields),*])))
        }
    })
}

/// A snake_case test name from the case's documentation, unique among `used`.
fn test_name(doc: Option<&str>, index: usize, used: &mut BTreeSet<String>) -> String {
    let snake = doc.unwrap_or("").to_snake_case();
    let mut base = String::with_capacity(snake.len());
    for c in snake.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        if c == '_' && (base.is_empty() || base.ends_with('_')) {
            continue;
        }
        base.push(c);
    }
    if base.len() > 96 {
        let cut = base[..96].rfind('_').unwrap_or(96);
        base.truncate(cut);
    }
    let mut base = base.trim_end_matches('_').to_string();
    if base.is_empty() {
        base = format!("case_{}", index + 1);
    } else if base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("case_{base}");
    } else if is_keyword(&base) {
        base.push('_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample_rules() -> Value {
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String",
                           "documentation": "The region."},
                "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false,
                            "type": "Boolean", "documentation": "Use <b>FIPS</b> [endpoints]."},
                "Tags": {"required": false, "type": "stringArray", "documentation": "Tags."}
            },
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                 "type": "tree",
                 "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                                    {"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "P"}, "supportsFIPS"]}]}],
                     "endpoint": {"url": "https://svc-fips.{Region}.{P#dnsSuffix}",
                                  "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "n": -3}]},
                                  "headers": {"x-a": ["{P#name}", "b"]}},
                     "type": "endpoint"},
                    {"conditions": [{"fn": "substring", "argv": [{"ref": "Region"}, 0, 2, false], "assign": "Prefix"}],
                     "endpoint": {"url": {"ref": "Prefix"}}, "type": "endpoint"},
                    {"conditions": [], "error": "Bad region {Region}", "type": "error"}
                 ]},
                {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
            ]
        })
    }

    fn parse(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| panic!("does not parse: {e}"));
        prettyplease::unparse(&file)
    }

    #[test]
    fn rules_file_parses_and_holds_the_rules() {
        let text = parse(rules_file(&sample_rules()).unwrap());
        assert!(text.starts_with("//! Endpoint resolution"), "{text}");
        assert!(text.contains("pub static RULES: ::aws_lite_runtime::endpoint::RuleSet"));
        assert!(text.contains("pub fn resolve("));
        assert!(text.contains(r#"name: "aws.partition""#));
        assert!(text.contains(r#"assign: ::std::option::Option::Some("P")"#));
        assert!(text.contains("kind: ParamKind::StringArray"));
        assert!(text.contains("default: ::std::option::Option::Some(Literal::Bool(false))"));
        assert!(text.contains("Literal::Int(-3)"));
        assert!(text.contains("Expr::Call(\n"), "{text}");
        assert!(text.contains(r#"("x-a", &[Expr::String("{P#name}"), Expr::String("b")])"#));
        // Parameter docs, escaped for rustdoc.
        assert!(
            text.contains(
                "`UseFIPS` (boolean, required, default `false`; built-in `AWS::UseFIPS`)"
            ),
            "{text}"
        );
        assert!(!text.contains("<b>"));
    }

    #[test]
    fn rule_set_errors_name_the_place() {
        let mut r = sample_rules();
        r["rules"][0]["rules"][1]["conditions"][0]["fn"] = json!("frobnicate");
        let e = rules_file(&r).unwrap_err();
        assert!(
            e.contains("rules[0].rules[1].conditions[0]") && e.contains("frobnicate"),
            "{e}"
        );

        let mut r = sample_rules();
        r["rules"][1]["error"] = json!("no {P#name}");
        let e = rules_file(&r).unwrap_err();
        assert!(e.contains("rules[1].error") && e.contains("`P`"), "{e}");

        let mut r = sample_rules();
        r["rules"][0]["rules"][0]["conditions"][0]["argv"] = json!([{"ref": "UseFips"}, true]);
        assert!(rules_file(&r).unwrap_err().contains("UseFips"));

        let mut r = sample_rules();
        r["rules"][0]["rules"][0]["conditions"][0]["argv"] = json!([true]);
        assert!(rules_file(&r).unwrap_err().contains("wrong number"));

        let mut r = sample_rules();
        r["rules"][0]["rules"][0]["endpoint"]["url"] = json!("https://{Region");
        assert!(rules_file(&r).unwrap_err().contains("unmatched"));

        let mut r = sample_rules();
        r["rules"][0]["type"] = json!("bush");
        assert!(rules_file(&r).unwrap_err().contains("bush"));

        let mut r = sample_rules();
        r["parameters"]["Region"]["type"] = json!("Number");
        assert!(rules_file(&r).unwrap_err().contains("Number"));

        let mut r = sample_rules();
        r["parameters"]["UseFIPS"]["default"] = json!("yes");
        assert!(rules_file(&r).unwrap_err().contains("default"));

        let mut r = sample_rules();
        r["version"] = json!("2.0");
        assert!(rules_file(&r).is_err());
        assert!(rules_file(&json!([])).is_err());
        assert!(rules_file(&json!({"version": "1.0", "parameters": {}, "rules": []})).is_err());
    }

    #[test]
    fn assignments_are_scoped_to_their_rule() {
        let mut r = sample_rules();
        // `Prefix` is assigned in rules[0].rules[1]; rules[0].rules[2] cannot see it.
        r["rules"][0]["rules"][2]["error"] = json!("{Prefix}");
        assert!(rules_file(&r).unwrap_err().contains("Prefix"));
        // A tree's assignment is visible to its children (already used), not after it.
        let mut r = sample_rules();
        r["rules"][1]["error"] = json!({"ref": "P"});
        assert!(rules_file(&r).unwrap_err().contains("`P`"));
    }

    #[test]
    fn tests_file_emits_one_test_per_case() {
        let tests = json!({
            "version": "1.0",
            "testCases": [
                {"documentation": "For region us-east-1 with FIPS enabled",
                 "params": {"Region": "us-east-1", "UseFIPS": true, "Tags": ["a"], "Gone": null},
                 "expect": {"endpoint": {"url": "https://svc-fips.us-east-1.amazonaws.com",
                                         "headers": {"x-a": ["aws", "b"]},
                                         "properties": {"authSchemes": [{"name": "sigv4", "n": -3, "ok": true}]}}}},
                {"documentation": "For region us-east-1 with FIPS enabled",
                 "params": {"Region": "us-east-1"},
                 "expect": {"endpoint": {"url": "https://x"}}},
                {"documentation": "Missing region", "expect": {"error": "Invalid Configuration: Missing Region"}},
                {"documentation": "1 weird: case — with ünïcode!", "expect": {"error": "x"}},
                {"documentation": "", "expect": {"error": "x"}},
                {"documentation": "fn", "expect": {"error": "x"}}
            ]
        });
        let text = parse(tests_file(&tests).unwrap());
        for name in [
            "fn for_region_us_east_1_with_fips_enabled()",
            "fn for_region_us_east_1_with_fips_enabled_2()",
            "fn missing_region()",
            "fn case_1_weird_case_with_n_code()",
            "fn case_5()",
            "fn fn_()",
        ] {
            assert!(text.contains(name), "{name} in {text}");
        }
        assert_eq!(text.matches("#[test]").count(), 6);
        assert!(text.contains("#[cfg(test)]"));
        assert!(text.contains(r#".set_str("Region", "us-east-1")"#));
        assert!(text.contains(r#".set_bool("UseFIPS", true)"#));
        assert!(!text.contains("Gone"));
        assert!(text.contains(r#"error.to_string(), "Invalid Configuration: Missing Region""#));
        assert!(text.contains("endpoint.properties"));
        assert!(text.contains("headers.sort()"));

        assert!(tests_file(&json!({"testCases": [{"expect": {}}]})).is_err());
        assert!(tests_file(
            &json!({"testCases": [{"params": {"A": 1}, "expect": {"error": "x"}}]})
        )
        .is_err());
    }

    fn published_model() -> Option<Value> {
        let dir = std::env::var_os("SMITHY_MODELS_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models")
            });
        let text = std::fs::read_to_string(dir.join("elasticache-2015-02-02.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes `runtime/tests/endpoint_elasticache.rs` from AWS's published ElastiCache model:
    /// `cargo test -p codegen -j 1 -- --ignored write_elasticache_endpoint_tests`, then
    /// `cargo fmt -p aws-lite-runtime`.
    #[test]
    #[ignore = "writes runtime/tests/endpoint_elasticache.rs from the published model"]
    fn write_elasticache_endpoint_tests() {
        let model =
            published_model().expect("the published ElastiCache model (set SMITHY_MODELS_DIR)");
        let traits = &model["shapes"]["com.amazonaws.elasticache#AmazonElastiCacheV9"]["traits"];
        let rules = rules_file(&traits["smithy.rules#endpointRuleSet"]).unwrap();
        let tests = tests_file(&traits["smithy.rules#endpointTests"]).unwrap();
        let cases = traits["smithy.rules#endpointTests"]["testCases"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(cases, 53);
        let file: syn::File = syn::parse2(quote!(#rules #tests)).unwrap();
        let header = "\
// Generated by `codegen::emit::endpoint` from AWS's published ElastiCache model
// (elasticache-2015-02-02.json, service `com.amazonaws.elasticache#AmazonElastiCacheV9`):
// its endpoint rule set and its 53 `endpointTests` cases are the model's facts, used here
// as test data. Do not edit; regenerate with
//     cargo test -p codegen -j 1 -- --ignored write_elasticache_endpoint_tests
//     cargo fmt -p aws-lite-runtime

";
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../runtime/tests/endpoint_elasticache.rs");
        std::fs::write(&out, format!("{header}{}", prettyplease::unparse(&file))).unwrap();
    }
}
