//! Traits that change what goes on the wire: the generator honours the ones it implements and
//! refuses the others, so a model never silently gets a client that sends the wrong request.
//!
//! Implemented (see the emitters): the xml* traits, `timestampFormat`, `idempotencyToken`,
//! `awsQueryError`, `ec2QueryName`, `endpoint` with `hostLabel`, `requestCompression`, the
//! `sigv4` auth trait, `auth` (SigV4, or an empty list for unsigned operations),
//! `optionalAuth`, and the endpoint rule set's built-in parameters. Documents are refused
//! too: awsQuery and ec2Query have no wire form for them.

use serde_json::Value;

use crate::closure::Closure;
use crate::diagnostics::Diagnostic;
use crate::ir::{AUTH, ENDPOINT, HOST_LABEL};
use crate::model::{Model, Shape, ShapeKind, Simple};

/// Traits that would change a request or response and that this generator does not
/// implement, with what they do.
const REFUSED: &[(&str, &str)] = &[
    (
        "smithy.api#httpChecksumRequired",
        "adds a Content-MD5 header to every request",
    ),
    (
        "aws.protocols#httpChecksum",
        "adds request and response checksums",
    ),
    ("aws.auth#sigv4a", "signs with SigV4a"),
    ("aws.auth#unsignedPayload", "sends the payload unsigned"),
    ("smithy.api#httpApiKeyAuth", "authenticates with an API key"),
    (
        "smithy.api#httpBearerAuth",
        "authenticates with a bearer token",
    ),
    (
        "smithy.api#httpBasicAuth",
        "authenticates with HTTP basic auth",
    ),
    (
        "smithy.api#httpDigestAuth",
        "authenticates with HTTP digest auth",
    ),
    ("smithy.api#streaming", "streams a payload"),
    ("smithy.api#eventHeader", "binds an event stream header"),
    ("smithy.api#eventPayload", "binds an event stream payload"),
    (
        "smithy.rules#contextParam",
        "binds an input member to an endpoint parameter",
    ),
    (
        "smithy.rules#staticContextParams",
        "sets endpoint parameters for an operation",
    ),
    (
        "smithy.rules#operationContextParams",
        "binds input paths to endpoint parameters",
    ),
    (
        "aws.api#clientEndpointDiscovery",
        "discovers endpoints at run time",
    ),
    (
        "aws.api#clientDiscoveredEndpoint",
        "sends to a discovered endpoint",
    ),
];

/// Every problem with the wire traits of the shapes a crate will contain.
pub fn check(model: &Model, closure: &Closure<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let shapes = std::iter::once(closure.service).chain(closure.shapes.values().copied());
    for shape in shapes.chain(closure.operations.iter().copied()) {
        refused(shape, None, &shape.traits.raw, &mut out);
        for m in shape.kind.members() {
            refused(shape, Some(&m.name), &m.traits.raw, &mut out);
            documents(model, shape, m, &mut out);
            host_label_member(model, shape, m, &mut out);
        }
        if let ShapeKind::Operation(op) = &shape.kind {
            host_prefix(model, shape, op.input.as_ref(), &mut out);
        }
        auth_schemes(shape, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// `smithy.api#auth` must list SigV4 (the one scheme implemented) or nothing (unsigned, on an
/// operation).
fn auth_schemes(shape: &Shape, out: &mut Vec<Diagnostic>) {
    let Some(schemes) = shape.traits.raw.get(AUTH) else {
        return;
    };
    let Some(list) = schemes.as_array() else {
        out.push(
            Diagnostic::new("`smithy.api#auth` must be a list of auth scheme shape ids")
                .at(&shape.source)
                .shape(&shape.id),
        );
        return;
    };
    let is_service = matches!(shape.kind, ShapeKind::Service(_));
    if list.is_empty() && is_service {
        out.push(
            Diagnostic::new("`smithy.api#auth` on the service lists no scheme: every operation would be unsigned, which this generator supports only per operation")
                .at(&shape.source)
                .shape(&shape.id)
                .help("put `\"smithy.api#auth\": []` on the operations that are unsigned"),
        );
    }
    if !list.is_empty() && !list.iter().any(|s| s.as_str() == Some("aws.auth#sigv4")) {
        let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        out.push(
            Diagnostic::new(format!(
                "`smithy.api#auth` lists {}, and this generator implements only `aws.auth#sigv4`",
                names.join(", ")
            ))
            .at(&shape.source)
            .shape(&shape.id)
            .help("add `aws.auth#sigv4` to the list if the service accepts SigV4"),
        );
    }
}

fn refused(
    shape: &Shape,
    member: Option<&str>,
    traits: &std::collections::BTreeMap<String, Value>,
    out: &mut Vec<Diagnostic>,
) {
    for (id, what) in REFUSED {
        if traits.contains_key(*id) {
            let mut d = Diagnostic::new(format!(
                "`{id}` {what}, which this generator does not implement; the client would send or read the wrong thing"
            ))
            .at(&shape.source)
            .shape(&shape.id)
            .help("remove the trait only if the service does not need it; otherwise this model needs a generator that implements it");
            if let Some(m) = member {
                d = d.member(m);
            }
            out.push(d);
        }
    }
}

/// awsQuery and ec2Query have no wire form for documents (their specifications say so).
fn documents(model: &Model, shape: &Shape, m: &crate::model::Member, out: &mut Vec<Diagnostic>) {
    let Some(target) = model.get(&m.target) else {
        return;
    };
    if matches!(target.kind, ShapeKind::Simple(Simple::Document)) {
        out.push(
            Diagnostic::new(format!(
                "member targets document `{}`, which the query protocols cannot send or receive",
                m.target
            ))
            .at(&shape.source)
            .shape(&shape.id)
            .member(&m.name)
            .help("use a structure, a map or a string instead"),
        );
    }
}

/// `hostLabel` members are required strings (Smithy's `hostLabel` trait).
fn host_label_member(
    model: &Model,
    shape: &Shape,
    m: &crate::model::Member,
    out: &mut Vec<Diagnostic>,
) {
    if !m.traits.raw.contains_key(HOST_LABEL) {
        return;
    }
    let is_string = model
        .get(&m.target)
        .is_some_and(|t| matches!(t.kind, ShapeKind::Simple(Simple::String)));
    if !m.traits.required || !is_string {
        out.push(
            Diagnostic::new("`smithy.api#hostLabel` is on a member that is not a required string")
                .at(&shape.source)
                .shape(&shape.id)
                .member(&m.name)
                .help("a host label fills part of a host name: target `smithy.api#String` and add `smithy.api#required`"),
        );
    }
}

/// Each `{Label}` of an operation's host prefix names a `hostLabel` member of its input.
fn host_prefix(
    model: &Model,
    op: &Shape,
    input: Option<&crate::model::ShapeId>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(endpoint) = op.traits.raw.get(ENDPOINT) else {
        return;
    };
    let err = |msg: String| Diagnostic::new(msg).at(&op.source).shape(&op.id);
    let Some(template) = endpoint.get("hostPrefix").and_then(Value::as_str) else {
        out.push(err(
            "`smithy.api#endpoint` has no string `hostPrefix`".into()
        ));
        return;
    };
    let input = input.and_then(|i| model.get(i));
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push(err(format!(
                "`smithy.api#endpoint` hostPrefix `{template}` has an unclosed `{{`"
            )));
            return;
        };
        let label = &after[..close];
        let member = input.and_then(|i| i.kind.members().into_iter().find(|m| m.name == label));
        match member {
            Some(m) if m.traits.raw.contains_key(HOST_LABEL) => {}
            _ => out.push(
                err(format!(
                    "`smithy.api#endpoint` hostPrefix `{template}` names `{label}`, which is not a `smithy.api#hostLabel` member of the operation's input"
                ))
                .help("add that member to the input with `smithy.api#hostLabel` and `smithy.api#required`, or fix the label"),
            ),
        }
        rest = &after[close + 1..];
    }
}
