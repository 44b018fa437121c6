//! awsQuery response parsers: one function per structure or union that outputs and errors
//! reach, pulling elements from the runtime's `XmlReader` through its `XmlSource` cursor
//! (being generic, each is compiled only in a crate that calls it, once). Unknown elements are
//! skipped by the reader; unknown enum values are kept by the enums; missing elements stay
//! `None`.
//!
//! A parser is given the depth of its element, which is the reader's current element, and
//! reads its children with `r.child(depth)`. That returns `None` at the element's end and
//! after a malformed document, whose error the reader keeps: parsers returning a value check
//! `r.failure()` before deciding anything from what they saw, and the runtime checks it after
//! the outermost parser.
//!
//! A structure whose members are all optional is parsed in place: `de_x(r, depth, &mut out)`
//! fills a value that `new_x()` made with nothing set, so a nested structure is written where
//! it ends up instead of being moved up frame by frame (a `ReplicationGroup` is 1.3 KB).
//! Others are returned by value, which lets required members be checked at the end.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_types::{named, rt, value_ty};
use crate::ir::{Crate, Protocol, StructRole, StructureIr, TypeRef, UnionIr};
use crate::model::TimestampFormat;
use crate::naming::{ident, module_name};

/// The `protocol/de.rs` file for the given reachable type names.
pub fn de_file(ir: &Crate, names: &BTreeSet<String>) -> TokenStream {
    let ctx = Ctx {
        in_place: ir
            .structures
            .iter()
            .filter(|s| names.contains(&s.name) && parses_in_place(s))
            .map(|s| s.name.clone())
            .collect(),
    };
    let structs = ir
        .structures
        .iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| de_struct(&ctx, s, ir.service.protocol == Protocol::Ec2Query));
    let unions = ir
        .unions
        .iter()
        .filter(|u| names.contains(&u.name))
        .map(|u| de_union(&ctx, u));
    quote! {
        //! awsQuery response parsers, one per structure or union that outputs and errors reach.
        // Every structure is read with the same `match` shape, even when it has one member,
        // and attributes with the same `match` whether or not their parsing can fail.
        #![allow(clippy::single_match, clippy::manual_map)]
        #(#structs)*
        #(#unions)*
    }
}

/// The parser function name for a generated type.
pub fn fn_name(module: &str) -> Ident {
    format_ident!("de_{}", module.trim_end_matches('_'))
}

/// The name of the function making an empty value for an in-place parser to fill.
pub fn new_fn_name(module: &str) -> Ident {
    format_ident!("new_{}", module.trim_end_matches('_'))
}

/// Whether the structure is parsed in place (see the module's documentation): every member
/// is optional, so an empty value exists. Errors are read once each, by value.
pub fn parses_in_place(s: &StructureIr) -> bool {
    !matches!(s.role, StructRole::Error(_)) && s.fields.iter().all(|f| f.optional)
}

/// Whether an error structure's one member is the `<Message>` string that the runtime reads
/// into the error's metadata: such an error is made from that, without a parser and without
/// reading the body a second time. Nearly every AWS error is shaped so.
pub fn made_from_meta(s: &StructureIr) -> bool {
    matches!(s.role, StructRole::Error(_))
        && matches!(s.fields.as_slice(), [f] if matches!(f.ty, TypeRef::String)
            && f.optional
            && !f.boxed
            && !f.attribute
            && !f.flattened
            && f.wire_name == "Message")
}

/// What every parser needs to know about the others.
struct Ctx {
    /// Names of the structures parsed in place.
    in_place: BTreeSet<String>,
}

impl Ctx {
    /// The in-place parser and the empty-value maker of `t`, if it is parsed in place.
    fn in_place_fns(&self, t: &TypeRef) -> Option<(Ident, Ident)> {
        match t {
            TypeRef::Structure(n, _) if self.in_place.contains(n) => {
                let module = module_name(n);
                Some((fn_name(&module), new_fn_name(&module)))
            }
            _ => None,
        }
    }
}

fn de_struct(ctx: &Ctx, s: &StructureIr, ec2: bool) -> TokenStream {
    let rt = rt();
    let name = fn_name(&s.module);
    let ty = named(&s.name, matches!(s.role, StructRole::Error(_)));
    let shape = s.id.name();
    let in_place = ctx.in_place.contains(&s.name);
    // Where each member's value goes: a field of `out`, or a local assembled at the end.
    let slots: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            if in_place {
                let field = ident(&f.name);
                quote!(out.#field)
            } else {
                let v = format_ident!("f_{}", f.name);
                quote!(#v)
            }
        })
        .collect();
    let decls = s.fields.iter().zip(&slots).map(|(f, v)| {
        let t = value_ty(f);
        if f.attribute {
            let key = &f.wire_name;
            let parse = parse_text_value(&f.ty, quote!(text), f.timestamp_format);
            let read = quote! {
                match r.current_attr(#key.as_bytes())? {
                    ::std::option::Option::Some(text) => ::std::option::Option::Some(#parse),
                    ::std::option::Option::None => ::std::option::Option::None,
                }
            };
            if in_place {
                quote!(#v = #read;)
            } else {
                quote!(let #v: ::std::option::Option<#t> = #read;)
            }
        } else if in_place {
            quote!()
        } else {
            quote!(let mut #v: ::std::option::Option<#t> = ::std::option::Option::None;)
        }
    });
    let arms = s.fields.iter().zip(&slots).filter(|(f, _)| !f.attribute).map(|(f, v)| {
        let key = syn::LitByteStr::new(f.wire_name.as_bytes(), proc_macro2::Span::call_site());
        // A boxed member is built first, then boxed.
        let fill = if f.boxed { None } else { ctx.in_place_fns(&f.ty) };
        let body = match (&f.ty, fill) {
            (TypeRef::List(l), _) if f.flattened => {
                let list = quote!(#v.get_or_insert_with(::std::vec::Vec::new));
                push_item(ctx, (list.clone(), list), l, 1)
            }
            (TypeRef::Map(m), _) if f.flattened => {
                let entry = map_entry(ctx, m, 1);
                quote! {
                    let (key, value) = #entry;
                    if let ::std::option::Option::Some(key) = key {
                        #v.get_or_insert_with(::std::collections::HashMap::new).insert(key, value);
                    }
                }
            }
            // Parsed straight into the member; a repeated element's value replaces the first.
            (_, Some((de, new))) => {
                let child = at(1);
                quote! {
                    crate::protocol::de::#de(r, #child, #rt::xml::fresh(&mut #v, crate::protocol::de::#new))?;
                }
            }
            (t, None) => {
                let mut value = value(ctx, t, 1, f.timestamp_format);
                if f.boxed {
                    value = quote!(::std::boxed::Box::new(#value));
                }
                quote!(#v = ::std::option::Option::Some(#value);)
            }
        };
        quote!(#key => { #body })
    });
    // ec2Query has no `Result` wrapper: the output's members sit beside a `<requestId>`.
    let ec2_request_id =
        ec2 && s.role == StructRole::Output && !s.fields.iter().any(|f| f.wire_name == "requestId");
    let read_id = quote!(::std::option::Option::Some(
        r.read_text()?.trim().to_string()
    ));
    let (id_decl, id_arm) = match (ec2_request_id, in_place) {
        (false, _) => (quote!(), quote!()),
        (true, true) => (
            quote!(),
            quote!(b"requestId" => out._request_id = #read_id,),
        ),
        (true, false) => (
            quote!(let mut request_id: ::std::option::Option<::std::string::String> = ::std::option::Option::None;),
            quote!(b"requestId" => request_id = #read_id,),
        ),
    };
    let has_children = s.fields.iter().any(|f| !f.attribute) || ec2_request_id;
    let walk = if has_children {
        quote! {
            while let ::std::option::Option::Some(name) = r.child(depth) {
                match name {
                    #(#arms)*
                    #id_arm
                    _ => {}
                }
            }
        }
    } else if in_place && s.fields.is_empty() {
        // Nothing to fill.
        quote! {
            let _ = out;
            while r.child(depth).is_some() {}
        }
    } else {
        quote!(while r.child(depth).is_some() {})
    };
    if in_place {
        let new = new_fn_name(&s.module);
        let empty = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            quote!(#field: ::std::option::Option::None,)
        });
        let extra = match s.role {
            StructRole::Output => quote!(_request_id: ::std::option::Option::None,),
            _ => quote!(),
        };
        let doc = format!(" Reads a `{shape}` from the element at `depth` into `out`.");
        let new_doc = format!(" A `{shape}` with no member set, for [`{name}`] to fill.");
        return quote! {
            #[doc = #doc]
            pub(crate) fn #name<'a, R: #rt::xml::XmlSource<'a>>(r: &mut R, depth: usize, out: &mut #ty) -> ::std::result::Result<(), #rt::xml::XmlError> {
                #(#decls)*
                #walk
                ::std::result::Result::Ok(())
            }
            #[doc = #new_doc]
            #[inline]
            pub(crate) fn #new() -> #ty {
                #ty { #(#empty)* #extra }
            }
        };
    }
    let inits = s.fields.iter().zip(&slots).map(|(f, v)| {
        let field = ident(&f.name);
        if f.optional {
            quote!(#field: #v,)
        } else if let Some(d) = &f.default {
            let value = super::rust_types::or_default(quote!(#v), d, &f.ty, f.boxed);
            quote!(#field: #value,)
        } else {
            let msg = format!("<{}> lacks the required element <{}>", shape, f.wire_name);
            quote!(#field: #v.ok_or_else(|| #rt::xml::XmlError::custom(#msg))?,)
        }
    });
    let extra = match s.role {
        StructRole::Output if ec2_request_id => quote!(_request_id: request_id,),
        StructRole::Output => quote!(_request_id: ::std::option::Option::None,),
        StructRole::Error(_) => quote!(_meta: ::std::default::Default::default(),),
        _ => quote!(),
    };
    let doc = format!(" Reads a `{shape}` from the element at `depth`.");
    quote! {
        #[doc = #doc]
        pub(crate) fn #name<'a, R: #rt::xml::XmlSource<'a>>(r: &mut R, depth: usize) -> ::std::result::Result<#ty, #rt::xml::XmlError> {
            #(#decls)*
            #id_decl
            #walk
            // A member missing because the document broke off is reported as the break.
            r.failure()?;
            ::std::result::Result::Ok(#ty { #(#inits)* #extra })
        }
    }
}

/// The depth of an element `k` levels below the parser's own, as an expression.
fn at(k: usize) -> TokenStream {
    if k == 0 {
        quote!(depth)
    } else {
        let k = proc_macro2::Literal::usize_unsuffixed(k);
        quote!(depth + #k)
    }
}

/// Statements pushing the item read from the current element, `k` levels below the parser's,
/// onto `list` (a `Vec` or a `&mut Vec`; `list_mut` is a `&mut Vec` to it).
fn push_item(
    ctx: &Ctx,
    (list, list_mut): (TokenStream, TokenStream),
    l: &crate::ir::ListIr,
    k: usize,
) -> TokenStream {
    match ctx.in_place_fns(&l.item) {
        // Parsed where it is stored.
        Some((de, new)) if !l.sparse => {
            let item_depth = at(k);
            quote! {
                let items = #list_mut;
                items.push(crate::protocol::de::#new());
                if let ::std::option::Option::Some(item) = items.last_mut() {
                    crate::protocol::de::#de(r, #item_depth, item)?;
                }
            }
        }
        _ => {
            let item = item_value(ctx, &l.item, l.sparse, k, l.item_timestamp_format);
            quote!(#list.push(#item);)
        }
    }
}

fn de_union(ctx: &Ctx, u: &UnionIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&u.module);
    let ty = named(&u.name, false);
    let shape = u.id.name();
    let arms = u.variants.iter().map(|v| {
        let key = syn::LitByteStr::new(v.member_name.as_bytes(), proc_macro2::Span::call_site());
        let variant = format_ident!("{}", v.name);
        let mut value = value(ctx, &v.ty, 1, TimestampFormat::DateTime);
        if v.boxed {
            value = quote!(::std::boxed::Box::new(#value));
        }
        quote!(#key => { out = ::std::option::Option::Some(#ty::#variant(#value)); })
    });
    let msg = format!("<{shape}> has no member");
    quote! {
        pub(crate) fn #name<'a, R: #rt::xml::XmlSource<'a>>(r: &mut R, depth: usize) -> ::std::result::Result<#ty, #rt::xml::XmlError> {
            let mut out = ::std::option::Option::None;
            let mut unknown = false;
            while let ::std::option::Option::Some(name) = r.child(depth) {
                match name {
                    #(#arms)*
                    _ => unknown = true,
                }
            }
            r.failure()?;
            match out {
                ::std::option::Option::Some(value) => ::std::result::Result::Ok(value),
                // A member this crate does not know yet.
                ::std::option::Option::None if unknown => ::std::result::Result::Ok(#ty::Unknown),
                ::std::option::Option::None => ::std::result::Result::Err(#rt::xml::XmlError::custom(#msg)),
            }
        }
    }
}

fn item_value(ctx: &Ctx, t: &TypeRef, sparse: bool, k: usize, fmt: TimestampFormat) -> TokenStream {
    let v = value(ctx, t, k, fmt);
    if sparse {
        quote!(::std::option::Option::Some(#v))
    } else {
        v
    }
}

/// Reads one `<entry>` (or flattened entry element), the current element, `k` levels below
/// the parser's: `(Option<key>, value)`.
fn map_entry(ctx: &Ctx, m: &crate::ir::MapIr, k: usize) -> TokenStream {
    let rt = rt();
    let kv = format_ident!("kv{}", k);
    let entry_depth = at(k);
    let key_name = syn::LitByteStr::new(m.key_name.as_bytes(), proc_macro2::Span::call_site());
    let value_name = syn::LitByteStr::new(m.value_name.as_bytes(), proc_macro2::Span::call_site());
    let key_ty = super::rust_types::ty(&m.key);
    let val = item_value(ctx, &m.value, m.sparse, k + 1, m.value_timestamp_format);
    let missing = "a map entry lacks its value";
    quote! {
        {
            let mut key: ::std::option::Option<#key_ty> = ::std::option::Option::None;
            let mut value = ::std::option::Option::None;
            while let ::std::option::Option::Some(#kv) = r.child(#entry_depth) {
                match #kv {
                    #key_name => key = ::std::option::Option::Some(<#key_ty>::from(r.read_text()?.as_ref())),
                    #value_name => value = ::std::option::Option::Some(#val),
                    _ => {}
                }
            }
            r.failure()?;
            (key, value.ok_or_else(|| #rt::xml::XmlError::custom(#missing))?)
        }
    }
}

/// Parses text (an attribute value) into a scalar.
fn parse_text_value(t: &TypeRef, text: TokenStream, fmt: TimestampFormat) -> TokenStream {
    let rt = rt();
    let bad = quote!(|e| #rt::xml::XmlError::custom(::std::format!("bad attribute value: {e}")));
    match t {
        TypeRef::String | TypeRef::BigNumber => quote!(#text.into_owned()),
        TypeRef::Enum(_) => {
            let ty = super::rust_types::ty(t);
            quote!(<#ty>::from(#text.as_ref()))
        }
        TypeRef::Timestamp => {
            let f = fmt_tokens(fmt);
            quote!(#rt::DateTime::parse(#text.trim(), #rt::TimestampFormat::#f).map_err(#bad)?)
        }
        TypeRef::Bool => {
            quote!(match #text.trim() { "true" => true, "false" => false, other => return ::std::result::Result::Err(#rt::xml::XmlError::custom(::std::format!("bad boolean attribute {other:?}"))) })
        }
        _ => {
            let ty = super::rust_types::ty(t);
            quote!(#text.trim().parse::<#ty>().map_err(#bad)?)
        }
    }
}

fn fmt_tokens(fmt: TimestampFormat) -> TokenStream {
    match fmt {
        TimestampFormat::DateTime => quote!(DateTime),
        TimestampFormat::HttpDate => quote!(HttpDate),
        TimestampFormat::EpochSeconds => quote!(EpochSeconds),
    }
}

/// An expression reading the value of the current element, `k` levels below the parser's.
fn value(ctx: &Ctx, t: &TypeRef, k: usize, fmt: TimestampFormat) -> TokenStream {
    let rt = rt();
    let el = at(k);
    if let Some((de, new)) = ctx.in_place_fns(t) {
        return quote! {
            {
                let mut value = crate::protocol::de::#new();
                crate::protocol::de::#de(r, #el, &mut value)?;
                value
            }
        };
    }
    match t {
        TypeRef::String => quote!(r.read_string()?),
        TypeRef::BigNumber => quote!(r.read_text()?.trim().to_string()),
        TypeRef::Bool => quote!(r.read_bool()?),
        TypeRef::I8 => quote!(r.read_parse::<i8>()?),
        TypeRef::I16 => quote!(r.read_parse::<i16>()?),
        TypeRef::I32 => quote!(r.read_parse::<i32>()?),
        TypeRef::I64 => quote!(r.read_parse::<i64>()?),
        TypeRef::F32 => quote!(r.read_f32()?),
        TypeRef::F64 => quote!(r.read_f64()?),
        TypeRef::Timestamp => {
            let f = fmt_tokens(fmt);
            quote!(r.read_timestamp(#rt::TimestampFormat::#f)?)
        }
        TypeRef::Blob => quote!(r.read_blob()?),
        TypeRef::Document => quote!(#rt::Document::Null),
        TypeRef::Enum(_) => {
            let ty = super::rust_types::ty(t);
            quote!(<#ty>::from(r.read_text()?.as_ref()))
        }
        TypeRef::IntEnum(_) => {
            let ty = super::rust_types::ty(t);
            quote!(<#ty>::from(r.read_parse::<i32>()?))
        }
        TypeRef::Structure(n, _) | TypeRef::Union(n) => {
            let f = fn_name(&module_name(n));
            quote!(crate::protocol::de::#f(r, #el)?)
        }
        TypeRef::List(l) => {
            let push = push_item(ctx, (quote!(items), quote!(&mut items)), l, k + 1);
            // Structures can be large: `Gather` keeps a list of large ones in chunks below
            // 1 KiB while it is read, so no large allocation lands in the middle of the parse.
            let (new, done) = match l.item {
                TypeRef::Structure(..) | TypeRef::Union(_) => {
                    (quote!(#rt::xml::Gather::new()), quote!(items.finish()))
                }
                _ => (quote!(::std::vec::Vec::new()), quote!(items)),
            };
            // Every child of a wrapped list is an item, whatever its name (`member` or the
            // modeled name): AWS's own artifacts disagree on some names (see PROTOCOL-NOTES §0).
            quote! {
                {
                    let mut items = #new;
                    while r.child(#el).is_some() {
                        #push
                    }
                    #done
                }
            }
        }
        TypeRef::Map(m) => {
            let entry = map_entry(ctx, m, k + 1);
            quote! {
                {
                    let mut map = ::std::collections::HashMap::new();
                    while r.child(#el).is_some() {
                        let (key, value) = #entry;
                        if let ::std::option::Option::Some(key) = key {
                            map.insert(key, value);
                        }
                    }
                    map
                }
            }
        }
    }
}
