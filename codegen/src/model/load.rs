//! Reading JSON AST text into one merged [`Model`]: syntax, shape kinds, mixins, `apply`.
//!
//! Every problem is collected and returned together; nothing here panics on bad input.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::id::{is_identifier, ShapeId};
use super::prelude;
use super::shape::{Member, Model, Operation, Resource, Service, Shape, ShapeKind, Simple};
use super::traits::Traits;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// One model file's text and the name to use for it in messages.
#[derive(Debug, Clone)]
pub struct Source {
    /// A path or name for messages.
    pub name: String,
    /// The JSON text.
    pub text: String,
}

/// A shape as written, before mixins, `apply` and typing.
struct RawShape {
    id: ShapeId,
    body: Map<String, Value>,
    source: String,
}

/// Loads and merges model files into one model with the prelude.
pub fn load(sources: &[Source]) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut raw: BTreeMap<ShapeId, RawShape> = BTreeMap::new();
    let mut applies: Vec<(String, String, Map<String, Value>)> = Vec::new();

    for source in sources {
        let Some((root, version2)) = parse_json(source, &mut diags) else {
            continue;
        };
        for (key, body) in root {
            let Value::Object(body) = body else {
                diags.push(
                    Diagnostic::new("a shape definition must be a JSON object")
                        .at(&source.name)
                        .shape(&key),
                );
                continue;
            };
            if version2 && body.get("type").and_then(Value::as_str) == Some("set") {
                diags.push(
                    Diagnostic::new("`set` shapes are not allowed in Smithy 2.0 models")
                        .at(&source.name)
                        .shape(&key)
                        .help("use a `list` with the `smithy.api#uniqueItems` trait"),
                );
                continue;
            }
            if body.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = match body.get("traits") {
                    Some(Value::Object(t)) => t.clone(),
                    _ => {
                        diags.push(
                            Diagnostic::new("an `apply` entry needs a `traits` object")
                                .at(&source.name)
                                .shape(&key),
                        );
                        continue;
                    }
                };
                applies.push((key, source.name.clone(), traits));
                continue;
            }
            let id = match ShapeId::parse(&key) {
                Ok(id) => id,
                Err(e) => {
                    diags.push(
                        Diagnostic::new(e)
                            .at(&source.name)
                            .help("shape keys are absolute ids such as `com.example#MyShape`"),
                    );
                    continue;
                }
            };
            if id.is_prelude() {
                diags.push(
                    Diagnostic::new(
                        "a model may not define shapes in the `smithy.api` prelude namespace",
                    )
                    .at(&source.name)
                    .shape(&id),
                );
                continue;
            }
            if let Some(existing) = raw.get(&id) {
                // Identical definitions in several files merge; different ones conflict.
                if existing.body != body {
                    diags.push(
                        Diagnostic::new(format!(
                            "conflicting definitions: also defined differently in {}",
                            existing.source
                        ))
                        .at(&source.name)
                        .shape(&id)
                        .help("keep one definition, or make both identical"),
                    );
                }
                continue;
            }
            raw.insert(
                id.clone(),
                RawShape {
                    id,
                    body,
                    source: source.name.clone(),
                },
            );
        }
    }

    resolve_mixins(&mut raw, &mut diags);
    apply_traits(&mut raw, applies, &mut diags);

    let mut model = Model::default();
    for shape in prelude::shapes() {
        model.shapes.insert(shape.id.clone(), shape);
    }
    for shape in raw.into_values() {
        if shape
            .body
            .get("traits")
            .and_then(|t| t.get("smithy.api#mixin"))
            .is_some()
        {
            // Mixins only lend members and traits; they are not shapes of the API.
            continue;
        }
        if let Some(shape) = convert(shape, &mut diags) {
            model.shapes.insert(shape.id.clone(), shape);
        }
    }
    diags.into_result(model)
}

/// Parses a file and checks its envelope; returns its `shapes` object.
fn parse_json(source: &Source, diags: &mut Diagnostics) -> Option<(Map<String, Value>, bool)> {
    let value: Value = match serde_json::from_str(&source.text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::new(format!("invalid JSON: {e}"))
                    .at(format!("{}:{}:{}", source.name, e.line(), e.column()))
                    .help("fix the JSON syntax at that position"),
            );
            return None;
        }
    };
    let Value::Object(mut root) = value else {
        diags.push(Diagnostic::new("a model file must be a JSON object").at(&source.name));
        return None;
    };
    let version2 = match root.get("smithy").and_then(Value::as_str) {
        Some("1" | "1.0") => false,
        Some("2" | "2.0") => true,
        Some(other) => {
            diags.push(
                Diagnostic::new(format!("unsupported Smithy version `{other}`"))
                    .at(&source.name)
                    .help("this generator reads Smithy IDL versions 1.0 and 2.0"),
            );
            return None;
        }
        None => {
            diags.push(
                Diagnostic::new("missing `\"smithy\"` version string")
                    .at(&source.name)
                    .help("add `\"smithy\": \"2.0\"` at the top level"),
            );
            return None;
        }
    };
    match root.remove("shapes") {
        None => Some((Map::new(), version2)),
        Some(Value::Object(shapes)) => Some((shapes, version2)),
        Some(_) => {
            diags.push(Diagnostic::new("`shapes` must be a JSON object").at(&source.name));
            None
        }
    }
}

/// Copies mixin members (first, in order) and traits (unless overridden) into the shapes
/// that use them, mixins of mixins first.
fn resolve_mixins(raw: &mut BTreeMap<ShapeId, RawShape>, diags: &mut Diagnostics) {
    let ids: Vec<ShapeId> = raw.keys().cloned().collect();
    let mut done: BTreeSet<ShapeId> = BTreeSet::new();
    for id in ids {
        let mut stack = Vec::new();
        resolve_one(&id, raw, &mut done, &mut stack, diags);
    }
}

fn mixin_targets(shape: &RawShape) -> Vec<String> {
    shape
        .body
        .get("mixins")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.get("target").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn resolve_one(
    id: &ShapeId,
    raw: &mut BTreeMap<ShapeId, RawShape>,
    done: &mut BTreeSet<ShapeId>,
    stack: &mut Vec<ShapeId>,
    diags: &mut Diagnostics,
) {
    if done.contains(id) {
        return;
    }
    if stack.contains(id) {
        diags.push(
            Diagnostic::new(format!(
                "mixin cycle: {}",
                stack
                    .iter()
                    .chain([id])
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" -> ")
            ))
            .shape(id)
            .help("a shape may not mix itself in, directly or through other mixins"),
        );
        done.insert(id.clone());
        return;
    }
    let Some(shape) = raw.get(id) else { return };
    let source = shape.source.clone();
    let targets = mixin_targets(shape);
    stack.push(id.clone());
    let mut inherited_members = Map::new();
    let mut inherited_traits = Map::new();
    for target in targets {
        let mixin_id = match ShapeId::parse(&target) {
            Ok(m) => m,
            Err(e) => {
                diags.push(Diagnostic::new(e).at(&source).shape(id));
                continue;
            }
        };
        resolve_one(&mixin_id, raw, done, stack, diags);
        let Some(mixin) = raw.get(&mixin_id) else {
            diags.push(
                Diagnostic::new(format!("mixin `{mixin_id}` is not defined"))
                    .at(&source)
                    .shape(id),
            );
            continue;
        };
        if mixin
            .body
            .get("traits")
            .and_then(|t| t.get("smithy.api#mixin"))
            .is_none()
        {
            diags.push(
                Diagnostic::new(format!(
                    "`{mixin_id}` is used as a mixin but lacks the `smithy.api#mixin` trait"
                ))
                .at(&source)
                .shape(id),
            );
            continue;
        }
        if let Some(Value::Object(members)) = mixin.body.get("members") {
            for (k, v) in members {
                inherited_members.insert(k.clone(), v.clone());
            }
        }
        if let Some(Value::Object(traits)) = mixin.body.get("traits") {
            // Traits listed in the mixin's `localTraits` stay on the mixin.
            let local: Vec<&str> = traits
                .get("smithy.api#mixin")
                .and_then(|m| m.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (k, v) in traits {
                if k != "smithy.api#mixin" && !local.contains(&k.as_str()) {
                    inherited_traits.insert(k.clone(), v.clone());
                }
            }
        }
    }
    stack.pop();
    done.insert(id.clone());
    if inherited_members.is_empty() && inherited_traits.is_empty() {
        return;
    }
    let Some(shape) = raw.get_mut(id) else { return };
    if let Some(Value::Object(own)) = shape.body.get("members") {
        for (k, v) in own {
            inherited_members.insert(k.clone(), v.clone());
        }
    }
    if !inherited_members.is_empty() {
        shape
            .body
            .insert("members".into(), Value::Object(inherited_members));
    }
    if let Some(Value::Object(own)) = shape.body.get("traits") {
        for (k, v) in own {
            inherited_traits.insert(k.clone(), v.clone());
        }
    }
    shape
        .body
        .insert("traits".into(), Value::Object(inherited_traits));
}

/// Applies `"type": "apply"` entries to shapes and members. A trait already present with a
/// different value is a conflict, except list-valued traits, which concatenate (Smithy's rule).
fn apply_traits(
    raw: &mut BTreeMap<ShapeId, RawShape>,
    applies: Vec<(String, String, Map<String, Value>)>,
    diags: &mut Diagnostics,
) {
    for (target, file, traits) in applies {
        let (shape_part, member) = match target.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (target.as_str(), None),
        };
        let id = match ShapeId::parse(shape_part) {
            Ok(id) => id,
            Err(e) => {
                diags.push(Diagnostic::new(e).at(&file));
                continue;
            }
        };
        let Some(shape) = raw.get_mut(&id) else {
            diags.push(
                Diagnostic::new(format!("`apply` targets `{target}`, which is not defined"))
                    .at(&file)
                    .shape(&id)
                    .help("apply traits only to shapes defined in the model"),
            );
            continue;
        };
        let holder = match member {
            None => Some(&mut shape.body),
            Some(m) => shape
                .body
                .get_mut("members")
                .and_then(Value::as_object_mut)
                .and_then(|ms| ms.get_mut(m))
                .and_then(Value::as_object_mut),
        };
        let Some(holder) = holder else {
            diags.push(
                Diagnostic::new(format!(
                    "`apply` targets member `{target}`, which does not exist"
                ))
                .at(&file)
                .shape(&id)
                .member(member.unwrap_or_default()),
            );
            continue;
        };
        let existing = holder
            .entry("traits")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(existing) = existing.as_object_mut() else {
            continue;
        };
        for (trait_id, value) in traits {
            match existing.get_mut(&trait_id) {
                None => {
                    existing.insert(trait_id, value);
                }
                Some(Value::Array(old)) if value.is_array() => {
                    if let Value::Array(new) = value {
                        old.extend(new);
                    }
                }
                Some(old) if *old == value => {}
                Some(_) => diags.push(
                    Diagnostic::new(format!(
                        "`apply` sets trait `{trait_id}` to a different value than the shape already has"
                    ))
                    .at(&file)
                    .shape(&id)
                    .help("remove one of the two values"),
                ),
            }
        }
    }
}

/// Turns a raw shape into a typed one; reports what is missing or malformed.
fn convert(shape: RawShape, diags: &mut Diagnostics) -> Option<Shape> {
    let RawShape { id, body, source } = shape;
    let err = |msg: String| Diagnostic::new(msg).at(&source).shape(&id);
    let Some(type_name) = body.get("type").and_then(Value::as_str) else {
        diags.push(
            err("missing `type`".into()).help("every shape needs a `type` such as `structure`"),
        );
        return None;
    };
    let traits = traits_of(&body, diags, &source, &id, None);
    let mut ok = true;
    let kind = if let Some(simple) = Simple::from_type(type_name) {
        ShapeKind::Simple(simple)
    } else {
        match type_name {
            "list" | "set" => ShapeKind::List {
                member: Box::new(parse_member(
                    "member",
                    body.get("member"),
                    &source,
                    &id,
                    diags,
                )?),
                unique: type_name == "set",
            },
            "map" => {
                let key = parse_member("key", body.get("key"), &source, &id, diags);
                let value = parse_member("value", body.get("value"), &source, &id, diags);
                ShapeKind::Map {
                    key: Box::new(key?),
                    value: Box::new(value?),
                }
            }
            "structure" | "union" | "enum" | "intEnum" => {
                let mut members = Vec::new();
                match body.get("members") {
                    None => {}
                    Some(Value::Object(ms)) => {
                        let mut lower = BTreeMap::new();
                        for name in ms.keys() {
                            if let Some(first) = lower.insert(name.to_ascii_lowercase(), name) {
                                diags.push(
                                    err(format!(
                                        "members `{first}` and `{name}` differ only in case"
                                    ))
                                    .member(name)
                                    .help("member names must be unique ignoring case; rename one"),
                                );
                                ok = false;
                            }
                        }
                        for (name, m) in ms {
                            if !is_identifier(name) {
                                diags.push(
                                    err(format!("`{name}` is not a valid member name"))
                                        .member(name),
                                );
                                ok = false;
                                continue;
                            }
                            match parse_member(name, Some(m), &source, &id, diags) {
                                Some(m) => members.push(m),
                                None => ok = false,
                            }
                        }
                    }
                    Some(_) => {
                        diags.push(err("`members` must be a JSON object".into()));
                        return None;
                    }
                }
                match type_name {
                    "structure" => ShapeKind::Structure { members },
                    "union" => ShapeKind::Union { members },
                    "enum" => ShapeKind::Enum { members },
                    _ => ShapeKind::IntEnum { members },
                }
            }
            "operation" => ShapeKind::Operation(Operation {
                input: opt_ref(&body, "input", diags, &source, &id),
                output: opt_ref(&body, "output", diags, &source, &id),
                errors: ref_list(&body, "errors", diags, &source, &id),
            }),
            "resource" => {
                let mut operations = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    operations.extend(opt_ref(&body, key, diags, &source, &id));
                }
                operations.extend(ref_list(&body, "operations", diags, &source, &id));
                operations.extend(ref_list(&body, "collectionOperations", diags, &source, &id));
                ShapeKind::Resource(Resource {
                    identifiers: ref_map(&body, "identifiers", diags, &source, &id),
                    properties: ref_map(&body, "properties", diags, &source, &id),
                    operations,
                    resources: ref_list(&body, "resources", diags, &source, &id),
                })
            }
            "service" => {
                let mut rename = BTreeMap::new();
                if let Some(Value::Object(r)) = body.get("rename") {
                    for (from, to) in r {
                        match (ShapeId::parse(from), to.as_str()) {
                            (Ok(from), Some(to)) => {
                                rename.insert(from, to.to_string());
                            }
                            _ => diags.push(err(format!("invalid `rename` entry `{from}`"))),
                        }
                    }
                }
                ShapeKind::Service(Service {
                    version: body
                        .get("version")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    operations: ref_list(&body, "operations", diags, &source, &id),
                    resources: ref_list(&body, "resources", diags, &source, &id),
                    errors: ref_list(&body, "errors", diags, &source, &id),
                    rename,
                })
            }
            other => {
                diags.push(err(format!("unknown shape type `{other}`")).help(
                    "use one of blob, boolean, string, byte, short, integer, long, float, double, \
                     bigInteger, bigDecimal, timestamp, document, list, set, map, structure, \
                     union, enum, intEnum, operation, resource, service, apply",
                ));
                return None;
            }
        }
    };
    ok.then_some(Shape {
        id,
        kind,
        traits,
        source,
    })
}

fn parse_member(
    name: &str,
    body: Option<&Value>,
    source: &str,
    id: &ShapeId,
    diags: &mut Diagnostics,
) -> Option<Member> {
    let err = |msg: &str| Diagnostic::new(msg).at(source).shape(id).member(name);
    let Some(Value::Object(body)) = body else {
        diags.push(err(
            "missing member definition (expected an object with `target`)",
        ));
        return None;
    };
    let Some(target) = body.get("target").and_then(Value::as_str) else {
        diags.push(
            err("member has no `target`").help("add `\"target\": \"ns#Shape\"` to the member"),
        );
        return None;
    };
    let target = match ShapeId::parse(target) {
        Ok(t) => t,
        Err(e) => {
            diags.push(err(&e));
            return None;
        }
    };
    let traits = traits_of(body, diags, source, id, Some(name));
    Some(Member {
        name: name.to_string(),
        target,
        traits,
    })
}

fn traits_of(
    body: &Map<String, Value>,
    diags: &mut Diagnostics,
    source: &str,
    id: &ShapeId,
    member: Option<&str>,
) -> Traits {
    let raw: BTreeMap<String, Value> = match body.get("traits") {
        Some(Value::Object(t)) => t.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(_) => {
            let mut d = Diagnostic::new("`traits` must be a JSON object")
                .at(source)
                .shape(id);
            if let Some(m) = member {
                d = d.member(m);
            }
            diags.push(d);
            BTreeMap::new()
        }
        None => BTreeMap::new(),
    };
    let (traits, errors) = Traits::parse(raw);
    for e in errors {
        let mut d = Diagnostic::new(e).at(source).shape(id);
        if let Some(m) = member {
            d = d.member(m);
        }
        diags.push(d);
    }
    traits
}

fn to_id(
    v: &Value,
    what: &str,
    diags: &mut Diagnostics,
    source: &str,
    id: &ShapeId,
) -> Option<ShapeId> {
    let Some(target) = v.get("target").and_then(Value::as_str) else {
        diags.push(
            Diagnostic::new(format!(
                "`{what}` must be an object with a `target` shape id"
            ))
            .at(source)
            .shape(id),
        );
        return None;
    };
    match ShapeId::parse(target) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(
                Diagnostic::new(format!("`{what}`: {e}"))
                    .at(source)
                    .shape(id),
            );
            None
        }
    }
}

fn opt_ref(
    body: &Map<String, Value>,
    key: &str,
    diags: &mut Diagnostics,
    source: &str,
    id: &ShapeId,
) -> Option<ShapeId> {
    body.get(key).and_then(|v| to_id(v, key, diags, source, id))
}

fn ref_list(
    body: &Map<String, Value>,
    key: &str,
    diags: &mut Diagnostics,
    source: &str,
    id: &ShapeId,
) -> Vec<ShapeId> {
    match body.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| to_id(v, key, diags, source, id))
            .collect(),
        Some(_) => {
            diags.push(
                Diagnostic::new(format!("`{key}` must be an array"))
                    .at(source)
                    .shape(id),
            );
            Vec::new()
        }
    }
}

fn ref_map(
    body: &Map<String, Value>,
    key: &str,
    diags: &mut Diagnostics,
    source: &str,
    id: &ShapeId,
) -> BTreeMap<String, ShapeId> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = body.get(key) {
        for (name, v) in m {
            if let Some(t) = to_id(v, key, diags, source, id) {
                out.insert(name.clone(), t);
            }
        }
    }
    out
}
