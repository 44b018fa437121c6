//! JMESPath (waiter and paginator paths) compiled to Rust over the typed output, at generation
//! time.
//!
//! Each node compiles to code of one of three kinds. While the expression walks members, the
//! code stays typed (`Option<&T>`, or `Option<Vec<&T>>` after a projection), so member access is
//! plain field access and a member that does not exist is a model error found here. Computed
//! parts (comparisons, functions, literals, multi-selects) become the runtime's small
//! `jmespath::Value`, which borrows strings from the response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value as Json;

use super::rust_types::rt;
use crate::ir::{Crate, StructureIr, TypeRef};
use crate::jmespath::{CmpOp, Expr};
use crate::naming::ident;

/// The functions the runtime implements (`aws_lite_runtime::jmespath::call`), with their arity
/// (`max: None` is variadic). Kept in step with the runtime's table by a test.
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

/// What a compiled node's code evaluates to.
#[derive(Debug, Clone)]
enum Kind {
    /// `Option<&T>` for the type: `None` is JMESPath's null.
    Typed(TypeRef),
    /// `Option<Vec<&T>>`: the non-null results of a projection, all of one type.
    Many(TypeRef),
    /// A runtime `jmespath::Value`.
    Value,
    /// The `{input, output}` object of an `inputOutput` matcher.
    InputOutput {
        input: Option<String>,
        output: String,
    },
}

#[derive(Debug, Clone)]
struct Node {
    code: TokenStream,
    kind: Kind,
    /// The code is a literal `Some(…)`: never null, so no test for it is generated.
    present: bool,
}

/// Where an expression starts.
pub enum Root<'a> {
    /// The output structure, bound to the variable `output: &Output`.
    Output(&'a str),
    /// `input` and `output` (`inputOutput` matchers), bound to `waiter_input: Option<&Input>`
    /// and `output: &Output`.
    InputOutput {
        /// The input structure, if the operation has one.
        input: Option<&'a str>,
        /// The output structure.
        output: &'a str,
    },
}

/// Compiles `path` to an expression of type `aws_lite_runtime::jmespath::Value<'_>`.
pub fn compile(ir: &Crate, root: Root<'_>, path: &str) -> Result<TokenStream, PathError> {
    let expr = crate::jmespath::parse(path)
        .map_err(|e| PathError::Invalid(format!("path `{path}` is not valid JMESPath: {e}")))?;
    let start = match root {
        Root::Output(name) => Node {
            code: quote!(::std::option::Option::Some(output)),
            kind: Kind::Typed(TypeRef::Structure(name.to_string(), false)),
            present: true,
        },
        Root::InputOutput { input, output } => Node {
            code: quote!(()),
            kind: Kind::InputOutput {
                input: input.map(str::to_string),
                output: output.to_string(),
            },
            present: true,
        },
    };
    let mut cx = Cx { ir, depth: 0 };
    cx.compile(&expr, &start)
        .and_then(|node| cx.value_code(&node))
        .map_err(|e| match e.strip_prefix(UNSUPPORTED) {
            Some(what) => PathError::Unsupported(format!("path `{path}`: {what}")),
            None => PathError::Invalid(format!("path `{path}`: {e}")),
        })
}

/// Why a path did not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// The model is wrong: bad syntax, a member that does not exist, a type that cannot be
    /// selected from. A model error.
    Invalid(String),
    /// Valid JMESPath this generator does not implement (slices, `&expr`, some functions):
    /// the construct is left out with a warning.
    Unsupported(String),
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathError::Invalid(m) => f.write_str(m),
            PathError::Unsupported(m) => write!(f, "{m}, which this generator does not support"),
        }
    }
}

/// Marks the inner errors that are [`PathError::Unsupported`] (the compiler's own
/// functions pass plain messages).
const UNSUPPORTED: &str = "\u{0}unsupported: ";

struct Cx<'a> {
    ir: &'a Crate,
    /// Nesting of closures, for distinct variable names.
    depth: usize,
}

impl Cx<'_> {
    fn structure(&self, name: &str) -> Result<&StructureIr, String> {
        self.ir
            .structures
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("unknown structure {name}"))
    }

    fn fresh(&mut self, stem: &str) -> proc_macro2::Ident {
        self.depth += 1;
        format_ident!("{stem}{}", self.depth)
    }

    fn compile(&mut self, e: &Expr, cur: &Node) -> Result<Node, String> {
        let rt = rt();
        Ok(match e {
            Expr::Identity => cur.clone(),
            Expr::Field(name) => self.field(cur, name)?,
            Expr::Subexpr(l, r) | Expr::Pipe(l, r) => {
                let left = self.compile(l, cur)?;
                self.compile(r, &left)?
            }
            Expr::Index(l, i) => {
                let left = self.compile(l, cur)?;
                let code = &left.code;
                match &left.kind {
                    Kind::Typed(TypeRef::List(list)) => {
                        let get = quote!(#code.and_then(|l| #rt::jmespath::at(l, #i)));
                        Node {
                            code: if list.sparse {
                                quote!(#get.and_then(|x| x.as_ref()))
                            } else {
                                get
                            },
                            kind: Kind::Typed(list.item.clone()),
                            present: false,
                        }
                    }
                    Kind::Many(t) => Node {
                        code: quote!(#code.and_then(|v| #rt::jmespath::at(&v, #i).copied())),
                        kind: Kind::Typed(t.clone()),
                        present: false,
                    },
                    Kind::Value => Node {
                        code: quote!(#code.index(#i)),
                        kind: Kind::Value,
                        present: false,
                    },
                    other => {
                        return Err(format!(
                            "`[{i}]` indexes {}, which is not a list",
                            describe(other)
                        ))
                    }
                }
            }
            Expr::Flatten(l) => {
                let left = self.compile(l, cur)?;
                self.flatten(left)?
            }
            Expr::Projection(l, r) => {
                let left = self.compile(l, cur)?;
                self.project(left, r, None)?
            }
            Expr::FilterProjection(l, r, cond) => {
                let left = self.compile(l, cur)?;
                self.project(left, r, Some(cond))?
            }
            Expr::ObjectProjection(l, r) => {
                let left = self.compile(l, cur)?;
                self.object_project(left, r)?
            }
            Expr::Compare(op, l, r) => {
                let a = self.value(l, cur)?;
                let b = self.value(r, cur)?;
                let op = match op {
                    CmpOp::Eq => quote!(Eq),
                    CmpOp::Ne => quote!(Ne),
                    CmpOp::Lt => quote!(Lt),
                    CmpOp::Le => quote!(Le),
                    CmpOp::Gt => quote!(Gt),
                    CmpOp::Ge => quote!(Ge),
                };
                value_node(quote!(#rt::jmespath::compare(#rt::jmespath::CmpOp::#op, &#a, &#b)))
            }
            Expr::And(l, r) | Expr::Or(l, r) => {
                let a = self.value(l, cur)?;
                let b = self.value(r, cur)?;
                let f = if matches!(e, Expr::And(..)) {
                    quote!(and)
                } else {
                    quote!(or)
                };
                value_node(quote!(#rt::jmespath::#f(#a, || #b)))
            }
            Expr::Not(x) => {
                let a = self.value(x, cur)?;
                value_node(quote!(#rt::jmespath::not(&#a)))
            }
            Expr::Literal(j) => value_node(literal(j)),
            Expr::RawString(s) => value_node(quote!(#rt::jmespath::Value::str(#s))),
            Expr::MultiSelectList(items) => {
                let values = items
                    .iter()
                    .map(|i| self.value(i, cur))
                    .collect::<Result<Vec<_>, _>>()?;
                // A multi-select on null is null.
                let list =
                    quote!(#rt::jmespath::Value::Array(::std::vec::Vec::from([#(#values),*])));
                value_node(match self.is_null(cur) {
                    Some(guard) => quote!(if #guard { #rt::jmespath::Value::Null } else { #list }),
                    None => list,
                })
            }
            Expr::MultiSelectHash(pairs) => {
                let keys = pairs.iter().map(|(k, _)| k);
                let values = pairs
                    .iter()
                    .map(|(_, v)| self.value(v, cur))
                    .collect::<Result<Vec<_>, _>>()?;
                let object = quote!(#rt::jmespath::Value::Object(::std::vec::Vec::from([#((::std::borrow::Cow::Borrowed(#keys), #values)),*])));
                value_node(match self.is_null(cur) {
                    Some(guard) => {
                        quote!(if #guard { #rt::jmespath::Value::Null } else { #object })
                    }
                    None => object,
                })
            }
            Expr::Function(name, args) => {
                let Some((_, min, max)) = FUNCTIONS.iter().find(|(n, _, _)| n == name) else {
                    return Err(format!("{UNSUPPORTED}the function `{name}`"));
                };
                if args.len() < *min || max.is_some_and(|m| args.len() > m) {
                    return Err(format!(
                        "function `{name}` takes {}, not {} argument(s)",
                        match max {
                            Some(m) if m == min => format!("{min}"),
                            Some(m) => format!("{min} to {m}"),
                            None => format!("at least {min}"),
                        },
                        args.len()
                    ));
                }
                let values = args
                    .iter()
                    .map(|a| self.value(a, cur))
                    .collect::<Result<Vec<_>, _>>()?;
                value_node(
                    quote!(#rt::jmespath::call(#name, ::std::vec::Vec::from([#(#values),*]))),
                )
            }
            Expr::Slice(..) => return Err(format!("{UNSUPPORTED}slices")),
            Expr::ExprRef(_) => {
                return Err(format!("{UNSUPPORTED}expression references (`&expr`)"))
            }
        })
    }

    /// `e` evaluated at `cur`, as a runtime value.
    fn value(&mut self, e: &Expr, cur: &Node) -> Result<TokenStream, String> {
        let n = self.compile(e, cur)?;
        self.value_code(&n)
    }

    /// An expression that is true when `n` is null; `None` when it never is.
    fn is_null(&mut self, n: &Node) -> Option<TokenStream> {
        let code = &n.code;
        if n.present {
            return None;
        }
        match &n.kind {
            Kind::Typed(_) | Kind::Many(_) => Some(quote!(#code.is_none())),
            Kind::Value => Some(quote!(#code.is_null())),
            Kind::InputOutput { .. } => None,
        }
    }

    fn field(&mut self, cur: &Node, name: &str) -> Result<Node, String> {
        let code = &cur.code;
        match &cur.kind {
            Kind::Typed(TypeRef::Structure(s, _)) => {
                let s = self.structure(s)?;
                let f = s
                    .fields
                    .iter()
                    .find(|f| f.member_name == name)
                    .ok_or_else(|| format!("`{}` has no member `{name}`", s.id.name()))?;
                let fid = ident(&f.name);
                let code = match (f.optional, f.boxed) {
                    (true, false) => quote!(#code.and_then(|v| v.#fid.as_ref())),
                    (true, true) => quote!(#code.and_then(|v| v.#fid.as_deref())),
                    (false, false) => quote!(#code.map(|v| &v.#fid)),
                    (false, true) => quote!(#code.map(|v| &*v.#fid)),
                };
                Ok(Node {
                    code,
                    kind: Kind::Typed(f.ty.clone()),
                    present: false,
                })
            }
            Kind::Typed(TypeRef::Map(m)) => {
                let get = quote!(#code.and_then(|m| m.iter().find(|(k, _)| k.as_str() == #name).map(|(_, v)| v)));
                Ok(Node {
                    code: if m.sparse {
                        quote!(#get.and_then(|v| v.as_ref()))
                    } else {
                        get
                    },
                    kind: Kind::Typed(m.value.clone()),
                    present: false,
                })
            }
            Kind::Value => Ok(value_node(quote!(#code.field(#name)))),
            Kind::InputOutput { input, output } => match name {
                "output" => Ok(Node {
                    code: quote!(::std::option::Option::Some(output)),
                    kind: Kind::Typed(TypeRef::Structure(output.clone(), false)),
                    present: true,
                }),
                "input" => match input {
                    Some(i) => Ok(Node {
                        code: quote!(waiter_input),
                        kind: Kind::Typed(TypeRef::Structure(i.clone(), false)),
                        present: false,
                    }),
                    None => Err("`input`: the operation has no input".into()),
                },
                other => Err(format!(
                    "an inputOutput path starts with `input` or `output`, not `{other}`"
                )),
            },
            other => Err(format!(
                "`{name}` is selected from {}, which has no members",
                describe(other)
            )),
        }
    }

    /// `left[]`.
    fn flatten(&mut self, left: Node) -> Result<Node, String> {
        let code = &left.code;
        let items = self.fresh("items");
        Ok(match &left.kind {
            // A list of lists (without null items): the inner items, still typed.
            Kind::Typed(TypeRef::List(l)) => match &l.item {
                TypeRef::List(inner) if !l.sparse && !inner.sparse => Node {
                    code: quote!(#code.map(|#items| #items.iter().flat_map(|x| x.iter()).collect::<::std::vec::Vec<_>>())),
                    kind: Kind::Many(inner.item.clone()),
                    present: false,
                },
                TypeRef::List(_) => value_node(flattened(self.value_code(&left)?)),
                item => Node {
                    code: if l.sparse {
                        quote!(#code.map(|#items| #items.iter().flatten().collect::<::std::vec::Vec<_>>()))
                    } else {
                        quote!(#code.map(|#items| #items.iter().collect::<::std::vec::Vec<_>>()))
                    },
                    kind: Kind::Many(item.clone()),
                    present: false,
                },
            },
            Kind::Many(TypeRef::List(l)) if !l.sparse => Node {
                code: quote!(#code.map(|#items| #items.into_iter().flat_map(|x| x.iter()).collect::<::std::vec::Vec<_>>())),
                kind: Kind::Many(l.item.clone()),
                present: false,
            },
            Kind::Many(TypeRef::List(_)) => value_node(flattened(self.value_code(&left)?)),
            // Projected items that are not lists stay as they are.
            Kind::Many(_) => left.clone(),
            Kind::Value => value_node(quote!(#code.flatten())),
            other => {
                return Err(format!(
                    "`[]` flattens {}, which is not a list",
                    describe(other)
                ))
            }
        })
    }

    /// A list projection of `left` (with a filter), applying `rhs` to each element.
    fn project(&mut self, left: Node, rhs: &Expr, cond: Option<&Expr>) -> Result<Node, String> {
        let rt = rt();
        let code = &left.code;
        let items = self.fresh("items");
        let item = self.fresh("item");
        // Null items are dropped up front: a projection drops null results anyway.
        let (elements, elem_kind, owned) = match &left.kind {
            Kind::Typed(TypeRef::List(l)) => {
                let iter = if l.sparse {
                    quote!(#items.iter().flatten())
                } else {
                    quote!(#items.iter())
                };
                (iter, Kind::Typed(l.item.clone()), false)
            }
            Kind::Many(t) => (quote!(#items.into_iter()), Kind::Typed(t.clone()), false),
            Kind::Value => (quote!(#items.iter()), Kind::Value, true),
            other => {
                return Err(format!(
                    "`[*]` projects {}, which is not a list",
                    describe(other)
                ))
            }
        };
        let elem = Node {
            code: if owned {
                quote!(#item.clone())
            } else {
                quote!(::std::option::Option::Some(#item))
            },
            kind: elem_kind,
            present: !owned,
        };
        let keep = match cond {
            Some(c) => {
                let c = self.value(c, &elem)?;
                quote!(.filter(|#item| { let #item = *#item; #c.is_truthy() }))
            }
            None => quote!(),
        };
        let identity = matches!(rhs, Expr::Identity);
        let out = self.compile(rhs, &elem)?;
        if owned {
            // A computed list: the projection stays a runtime value.
            let map = if identity {
                quote!(.filter(|v| !v.is_null()).cloned())
            } else {
                let v = self.value_code(&out)?;
                quote!(.map(|#item| #v).filter(|v| !v.is_null()))
            };
            return Ok(value_node(quote! {
                match #code {
                    #rt::jmespath::Value::Array(#items) => #rt::jmespath::Value::Array(#elements #keep #map .collect()),
                    _ => #rt::jmespath::Value::Null,
                }
            }));
        }
        let out_code = &out.code;
        Ok(match &out.kind {
            Kind::Typed(t) => Node {
                code: if identity {
                    quote!(#code.map(|#items| #elements #keep .collect::<::std::vec::Vec<_>>()))
                } else {
                    quote!(#code.map(|#items| #elements #keep .filter_map(|#item| #out_code).collect::<::std::vec::Vec<_>>()))
                },
                kind: Kind::Many(t.clone()),
                present: false,
            },
            _ => {
                let v = self.value_code(&out)?;
                value_node(quote! {
                    match #code {
                        ::std::option::Option::Some(#items) => #rt::jmespath::Value::Array(
                            #elements #keep .map(|#item| #v).filter(|v| !v.is_null()).collect()
                        ),
                        ::std::option::Option::None => #rt::jmespath::Value::Null,
                    }
                })
            }
        })
    }

    /// `left.*.rhs`.
    fn object_project(&mut self, left: Node, rhs: &Expr) -> Result<Node, String> {
        let rt = rt();
        let code = left.code.clone();
        match &left.kind {
            Kind::Typed(TypeRef::Map(m)) => {
                // The map's values, as a list projection (order does not matter to waiters).
                let items = self.fresh("values");
                let list = Node {
                    code: if m.sparse {
                        quote!(#code.map(|#items| #items.values().flatten().collect::<::std::vec::Vec<_>>()))
                    } else {
                        quote!(#code.map(|#items| #items.values().collect::<::std::vec::Vec<_>>()))
                    },
                    kind: Kind::Many(m.value.clone()),
                    present: false,
                };
                self.project(list, rhs, None)
            }
            Kind::Typed(TypeRef::Structure(s, _)) => {
                // Each member, in model order, through `rhs`; null results dropped.
                let s = self.structure(s)?.clone();
                let mut values = Vec::new();
                for f in &s.fields {
                    let member = self.field(&left, &f.member_name)?;
                    values.push(self.value(rhs, &member)?);
                }
                Ok(value_node(quote! {
                    if #code.is_none() { #rt::jmespath::Value::Null } else {
                        #rt::jmespath::Value::Array(
                            [#(#values),*].into_iter().filter(|v| !v.is_null()).collect()
                        )
                    }
                }))
            }
            Kind::Value => {
                let list = value_node(quote!(#code.object_values()));
                self.project(list, rhs, None)
            }
            other => Err(format!(
                "`.*` projects {}, which is not an object",
                describe(other)
            )),
        }
    }

    /// A node's value as a runtime `jmespath::Value`.
    fn value_code(&mut self, n: &Node) -> Result<TokenStream, String> {
        let rt = rt();
        let code = &n.code;
        Ok(match &n.kind {
            Kind::Value => code.clone(),
            Kind::Typed(t) => {
                let v = self.fresh("v");
                let conv = self.convert(t, quote!(#v))?;
                quote!(match #code { ::std::option::Option::Some(#v) => #conv, ::std::option::Option::None => #rt::jmespath::Value::Null })
            }
            Kind::Many(t) => {
                let v = self.fresh("v");
                let items = self.fresh("items");
                let conv = self.convert(t, quote!(#v))?;
                quote! {
                    match #code {
                        ::std::option::Option::Some(#items) => #rt::jmespath::Value::Array(#items.into_iter().map(|#v| #conv).collect()),
                        ::std::option::Option::None => #rt::jmespath::Value::Null,
                    }
                }
            }
            Kind::InputOutput { .. } => {
                return Err(format!(
                    "{UNSUPPORTED}the whole `{{input, output}}` object as a value"
                ))
            }
        })
    }

    /// Converts `v: &T` of type `t` to a runtime value.
    fn convert(&mut self, t: &TypeRef, v: TokenStream) -> Result<TokenStream, String> {
        let rt = rt();
        let value = quote!(#rt::jmespath::Value);
        Ok(match t {
            TypeRef::String | TypeRef::BigNumber => quote!(#value::str(#v.as_str())),
            TypeRef::Enum(_) => quote!(#value::str(#v.as_str())),
            TypeRef::IntEnum(_) => quote!(#value::number(#v.as_i32())),
            TypeRef::Bool => quote!(#value::Bool(*#v)),
            TypeRef::I8 | TypeRef::I16 | TypeRef::I32 | TypeRef::F32 | TypeRef::F64 => {
                quote!(#value::number(*#v))
            }
            TypeRef::I64 => quote!(#value::long(*#v)),
            // As botocore does with a parsed timestamp in an expression: seconds since the epoch.
            TypeRef::Timestamp => quote!(#value::long(#v.secs())),
            TypeRef::Blob | TypeRef::Document => {
                return Err(format!("{UNSUPPORTED}blobs and documents as values"))
            }
            TypeRef::Structure(..) | TypeRef::Union(_) => quote!({ let _ = #v; #value::Structure }),
            TypeRef::List(l) => {
                let x = self.fresh("x");
                let inner = self.convert(&l.item, quote!(#x))?;
                if l.sparse {
                    quote!(#value::Array(#v.iter().map(|#x| match #x { ::std::option::Option::Some(#x) => #inner, ::std::option::Option::None => #value::Null }).collect()))
                } else {
                    quote!(#value::Array(#v.iter().map(|#x| #inner).collect()))
                }
            }
            TypeRef::Map(m) => {
                let x = self.fresh("x");
                let inner = self.convert(&m.value, quote!(#x))?;
                let inner = if m.sparse {
                    quote!(match #x { ::std::option::Option::Some(#x) => #inner, ::std::option::Option::None => #value::Null })
                } else {
                    inner
                };
                quote!({
                    let mut entries: ::std::vec::Vec<_> = #v.iter().map(|(k, #x)| (::std::borrow::Cow::Borrowed(k.as_str()), #inner)).collect();
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    #value::Object(entries)
                })
            }
        })
    }
}

fn value_node(code: TokenStream) -> Node {
    Node {
        code,
        kind: Kind::Value,
        present: false,
    }
}

fn flattened(value: TokenStream) -> TokenStream {
    quote!(#value.flatten())
}

fn describe(k: &Kind) -> String {
    match k {
        Kind::Many(t) => format!("a projection of {}", type_word(t)),
        Kind::Typed(t) => type_word(t),
        Kind::Value => "a computed value".into(),
        Kind::InputOutput { .. } => "the inputOutput object".into(),
    }
}

fn type_word(t: &TypeRef) -> String {
    match t {
        TypeRef::Structure(n, _) => format!("structure `{n}`"),
        TypeRef::Union(n) => format!("union `{n}`"),
        TypeRef::List(_) => "a list".into(),
        TypeRef::Map(_) => "a map".into(),
        TypeRef::Enum(_) | TypeRef::String => "a string".into(),
        TypeRef::Bool => "a boolean".into(),
        TypeRef::Timestamp => "a timestamp".into(),
        _ => "a number".into(),
    }
}

/// A JSON literal as a runtime value.
fn literal(j: &Json) -> TokenStream {
    let rt = rt();
    let value = quote!(#rt::jmespath::Value);
    match j {
        Json::Null => quote!(#value::Null),
        Json::Bool(b) => quote!(#value::Bool(#b)),
        Json::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            quote!(#value::Number(#f))
        }
        Json::String(s) => quote!(#value::str(#s)),
        Json::Array(a) => {
            let items = a.iter().map(literal);
            quote!(#value::Array(::std::vec::Vec::from([#(#items),*])))
        }
        Json::Object(o) => {
            let keys = o.keys();
            let values = o.values().map(literal);
            quote!(#value::Object(::std::vec::Vec::from([#((::std::borrow::Cow::Borrowed(#keys), #values)),*])))
        }
    }
}
