//! awsQuery response parsers: one function per structure or union that outputs and errors
//! reach, pulling elements from the runtime's `XmlReader` (through `XmlSource`: being generic,
//! each is compiled only in a crate that calls it, once). Unknown elements are skipped by the
//! reader; unknown enum values are kept by the enums; missing elements stay `None`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_types::{named, rt, value_ty};
use crate::ir::{Crate, Protocol, StructRole, StructureIr, TypeRef, UnionIr};
use crate::model::TimestampFormat;
use crate::naming::{ident, module_name};

/// The `protocol/de.rs` file for the given reachable type names.
pub fn de_file(ir: &Crate, names: &BTreeSet<String>) -> TokenStream {
    let structs = ir
        .structures
        .iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| de_struct(s, ir.service.protocol == Protocol::Ec2Query));
    let unions = ir
        .unions
        .iter()
        .filter(|u| names.contains(&u.name))
        .map(de_union);
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

fn de_struct(s: &StructureIr, ec2: bool) -> TokenStream {
    let rt = rt();
    let name = fn_name(&s.module);
    let ty = named(&s.name, matches!(s.role, StructRole::Error(_)));
    let shape = s.id.name();
    let vars: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| format_ident!("f_{}", f.name))
        .collect();
    let decls = s.fields.iter().zip(&vars).map(|(f, v)| {
        let t = value_ty(f);
        if f.attribute {
            let key = &f.wire_name;
            let parse = parse_text_value(&f.ty, quote!(text), f.timestamp_format);
            quote! {
                let #v: ::std::option::Option<#t> = match tag.attr(#key.as_bytes())? {
                    ::std::option::Option::Some(text) => ::std::option::Option::Some(#parse),
                    ::std::option::Option::None => ::std::option::Option::None,
                };
            }
        } else {
            quote!(let mut #v: ::std::option::Option<#t> = ::std::option::Option::None;)
        }
    });
    let arms = s.fields.iter().zip(&vars).filter(|(f, _)| !f.attribute).map(|(f, v)| {
        let key = syn::LitByteStr::new(f.wire_name.as_bytes(), proc_macro2::Span::call_site());
        let body = if f.flattened {
            match &f.ty {
                TypeRef::List(l) => {
                    let item = item_value(&l.item, l.sparse, quote!(child), l.item_timestamp_format, 1);
                    quote!(#v.get_or_insert_with(::std::vec::Vec::new).push(#item);)
                }
                TypeRef::Map(m) => {
                    let entry = map_entry(m, quote!(child), 1);
                    quote! {
                        let (key, value) = #entry;
                        if let ::std::option::Option::Some(key) = key {
                            #v.get_or_insert_with(::std::collections::HashMap::new).insert(key, value);
                        }
                    }
                }
                other => {
                    let value = value(other, quote!(child), f.timestamp_format, 0);
                    quote!(#v = ::std::option::Option::Some(#value);)
                }
            }
        } else {
            let mut value = value(&f.ty, quote!(child), f.timestamp_format, 0);
            if f.boxed {
                value = quote!(::std::boxed::Box::new(#value));
            }
            quote!(#v = ::std::option::Option::Some(#value);)
        };
        quote!(#key => { #body })
    });
    let inits = s.fields.iter().zip(&vars).map(|(f, v)| {
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
    // ec2Query has no `Result` wrapper: the output's members sit beside a `<requestId>`.
    let ec2_request_id =
        ec2 && s.role == StructRole::Output && !s.fields.iter().any(|f| f.wire_name == "requestId");
    let (id_decl, id_arm) = if ec2_request_id {
        (
            quote!(let mut request_id: ::std::option::Option<::std::string::String> = ::std::option::Option::None;),
            quote!(b"requestId" => request_id = ::std::option::Option::Some(r.text(&child)?.trim().to_string()),),
        )
    } else {
        (quote!(), quote!())
    };
    let extra = match s.role {
        StructRole::Output if ec2_request_id => quote!(_request_id: request_id,),
        StructRole::Output => quote!(_request_id: ::std::option::Option::None,),
        StructRole::Error(_) => quote!(_meta: ::std::default::Default::default(),),
        _ => quote!(),
    };
    let has_children = s.fields.iter().any(|f| !f.attribute) || ec2_request_id;
    let walk = if has_children {
        quote! {
            while let ::std::option::Option::Some(child) = r.next_child(tag)? {
                match child.local_name() {
                    #(#arms)*
                    #id_arm
                    _ => {}
                }
            }
        }
    } else {
        quote!(while r.next_child(tag)?.is_some() {})
    };
    let doc = format!(" Reads a `{shape}` from the children of `tag`.");
    quote! {
        #[doc = #doc]
        pub(crate) fn #name<'a, R: #rt::xml::XmlSource<'a>>(r: &mut R, tag: &#rt::xml::Tag<'_>) -> ::std::result::Result<#ty, #rt::xml::XmlError> {
            #(#decls)*
            #id_decl
            #walk
            ::std::result::Result::Ok(#ty { #(#inits)* #extra })
        }
    }
}

fn de_union(u: &UnionIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&u.module);
    let ty = named(&u.name, false);
    let shape = u.id.name();
    let arms = u.variants.iter().map(|v| {
        let key = syn::LitByteStr::new(v.member_name.as_bytes(), proc_macro2::Span::call_site());
        let variant = format_ident!("{}", v.name);
        let mut value = value(&v.ty, quote!(child), TimestampFormat::DateTime, 0);
        if v.boxed {
            value = quote!(::std::boxed::Box::new(#value));
        }
        quote!(#key => { out = ::std::option::Option::Some(#ty::#variant(#value)); })
    });
    let msg = format!("<{shape}> has no member");
    quote! {
        pub(crate) fn #name<'a, R: #rt::xml::XmlSource<'a>>(r: &mut R, tag: &#rt::xml::Tag<'_>) -> ::std::result::Result<#ty, #rt::xml::XmlError> {
            let mut out = ::std::option::Option::None;
            let mut unknown = false;
            while let ::std::option::Option::Some(child) = r.next_child(tag)? {
                match child.local_name() {
                    #(#arms)*
                    _ => unknown = true,
                }
            }
            match out {
                ::std::option::Option::Some(value) => ::std::result::Result::Ok(value),
                // A member this crate does not know yet.
                ::std::option::Option::None if unknown => ::std::result::Result::Ok(#ty::Unknown),
                ::std::option::Option::None => ::std::result::Result::Err(#rt::xml::XmlError::custom(#msg)),
            }
        }
    }
}

fn item_value(
    t: &TypeRef,
    sparse: bool,
    tag: TokenStream,
    fmt: TimestampFormat,
    depth: usize,
) -> TokenStream {
    let v = value(t, tag, fmt, depth);
    if sparse {
        quote!(::std::option::Option::Some(#v))
    } else {
        v
    }
}

/// Reads one `<entry>` (or flattened entry element): `(Option<key>, value)`.
fn map_entry(m: &crate::ir::MapIr, tag: TokenStream, depth: usize) -> TokenStream {
    let rt = rt();
    let kv = format_ident!("kv{}", depth);
    let key_name = syn::LitByteStr::new(m.key_name.as_bytes(), proc_macro2::Span::call_site());
    let value_name = syn::LitByteStr::new(m.value_name.as_bytes(), proc_macro2::Span::call_site());
    let key_ty = super::rust_types::ty(&m.key);
    let val = item_value(
        &m.value,
        m.sparse,
        quote!(#kv),
        m.value_timestamp_format,
        depth + 1,
    );
    let missing = "a map entry lacks its value";
    quote! {
        {
            let mut key: ::std::option::Option<#key_ty> = ::std::option::Option::None;
            let mut value = ::std::option::Option::None;
            while let ::std::option::Option::Some(#kv) = r.next_child(&#tag)? {
                match #kv.local_name() {
                    #key_name => key = ::std::option::Option::Some(<#key_ty>::from(r.text(&#kv)?.as_ref())),
                    #value_name => value = ::std::option::Option::Some(#val),
                    _ => {}
                }
            }
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

/// An expression reading the value of element `tag`.
fn value(t: &TypeRef, tag: TokenStream, fmt: TimestampFormat, depth: usize) -> TokenStream {
    let rt = rt();
    match t {
        TypeRef::String => quote!(r.text(&#tag)?.into_owned()),
        TypeRef::BigNumber => quote!(r.text(&#tag)?.trim().to_string()),
        TypeRef::Bool => quote!(r.parse_bool(&#tag)?),
        TypeRef::I8 => quote!(r.parse_text::<i8>(&#tag)?),
        TypeRef::I16 => quote!(r.parse_text::<i16>(&#tag)?),
        TypeRef::I32 => quote!(r.parse_text::<i32>(&#tag)?),
        TypeRef::I64 => quote!(r.parse_text::<i64>(&#tag)?),
        TypeRef::F32 => quote!(r.parse_f32(&#tag)?),
        TypeRef::F64 => quote!(r.parse_f64(&#tag)?),
        TypeRef::Timestamp => {
            let f = fmt_tokens(fmt);
            quote! {
                {
                    let text = r.text(&#tag)?;
                    #rt::DateTime::parse(text.trim(), #rt::TimestampFormat::#f).map_err(|e| {
                        #rt::xml::XmlError::custom(::std::format!("<{}>: {e}", #tag.name_str()))
                    })?
                }
            }
        }
        TypeRef::Blob => quote! {
            #rt::Blob::new(#rt::base64::decode(&r.text(&#tag)?).map_err(|e| {
                #rt::xml::XmlError::custom(::std::format!("<{}>: {e}", #tag.name_str()))
            })?)
        },
        TypeRef::Document => quote!(#rt::Document::Null),
        TypeRef::Enum(_) => {
            let ty = super::rust_types::ty(t);
            quote!(<#ty>::from(r.text(&#tag)?.as_ref()))
        }
        TypeRef::IntEnum(_) => {
            let ty = super::rust_types::ty(t);
            quote!(<#ty>::from(r.parse_text::<i32>(&#tag)?))
        }
        TypeRef::Structure(n, _) | TypeRef::Union(n) => {
            let f = fn_name(&module_name(n));
            quote!(crate::protocol::de::#f(r, &#tag)?)
        }
        TypeRef::List(l) => {
            let c = format_ident!("c{}", depth + 1);
            let item = item_value(
                &l.item,
                l.sparse,
                quote!(#c),
                l.item_timestamp_format,
                depth + 1,
            );
            // Every child of a wrapped list is an item, whatever its name (`member` or the
            // modeled name): AWS's own artifacts disagree on some names (see PROTOCOL-NOTES §0).
            quote! {
                {
                    let mut items = ::std::vec::Vec::new();
                    while let ::std::option::Option::Some(#c) = r.next_child(&#tag)? {
                        items.push(#item);
                    }
                    items
                }
            }
        }
        TypeRef::Map(m) => {
            let c = format_ident!("c{}", depth + 1);
            let entry = map_entry(m, quote!(#c), depth + 1);
            quote! {
                {
                    let mut map = ::std::collections::HashMap::new();
                    while let ::std::option::Option::Some(#c) = r.next_child(&#tag)? {
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
