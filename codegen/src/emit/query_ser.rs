//! awsQuery request serializers: one function per structure or union that inputs reach,
//! writing form keys through the runtime's `QueryWriter`. Missing required members fail (as in
//! botocore); `length`, `range` and `pattern` are not enforced here, as Smithy's specification
//! says: the service is the authority. `validate()` checks them on request (see `validate.rs`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_types::rt;
use crate::ir::{Crate, FieldIr, Protocol, StructureIr, TypeRef, UnionIr};
use crate::model::TimestampFormat;
use crate::naming::ident;

/// The `protocol/ser.rs` file for the given reachable type names.
pub fn ser_file(ir: &Crate, names: &BTreeSet<String>) -> TokenStream {
    let ec2 = ir.service.protocol == Protocol::Ec2Query;
    let structs = ir
        .structures
        .iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| ser_struct(ec2, s));
    let unions = ir
        .unions
        .iter()
        .filter(|u| names.contains(&u.name))
        .map(|u| ser_union(ec2, u));
    quote! {
        //! awsQuery request serializers, one per structure or union that operation inputs reach.
        // Every optional member is written with the same `match` shape.
        #![allow(clippy::single_match)]
        #(#structs)*
        #(#unions)*
    }
}

/// The serializer function name for a generated type.
pub fn fn_name(module: &str) -> proc_macro2::Ident {
    format_ident!("ser_{}", module.trim_end_matches('_'))
}

fn module_of(ir_name: &str) -> String {
    crate::naming::module_name(ir_name)
}

fn ser_struct(ec2: bool, s: &StructureIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&s.module);
    let ty = super::rust_types::named(&s.name, matches!(s.role, crate::ir::StructRole::Error(_)));
    let shape = s.id.name();
    let fields = s.fields.iter().map(|f| ser_field(ec2, shape, f));
    let doc = format!(" Writes the members of `{shape}` under the writer's current key.");
    // A structure without members writes nothing: its parameters are unused.
    let (w, input) = if s.fields.is_empty() {
        (format_ident!("_w"), format_ident!("_input"))
    } else {
        (format_ident!("w"), format_ident!("input"))
    };
    quote! {
        #[doc = #doc]
        #[inline]
        pub(crate) fn #name(#w: &mut #rt::query::QueryWriter, #input: &#ty) -> ::std::result::Result<(), #rt::BuildError> {
            #(#fields)*
            ::std::result::Result::Ok(())
        }
    }
}

fn ser_union(ec2: bool, u: &UnionIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&u.module);
    let ty = super::rust_types::named(&u.name, false);
    let shape = u.id.name();
    let arms = u.variants.iter().map(|v| {
        let variant = format_ident!("{}", v.name);
        let key = &v.member_name;
        let value = if v.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        let body = ser_value(ec2, &v.ty, value, TimestampFormat::DateTime, shape, key, 0);
        quote! {
            #ty::#variant(value) => {
                let mark = w.push(#key);
                #body
                w.pop(mark);
            }
        }
    });
    let unknown_msg = format!("cannot send the Unknown variant of {shape}");
    quote! {
        #[inline]
        pub(crate) fn #name(w: &mut #rt::query::QueryWriter, input: &#ty) -> ::std::result::Result<(), #rt::BuildError> {
            match input {
                #(#arms)*
                #ty::Unknown => {
                    return ::std::result::Result::Err(#rt::BuildError::invalid_member(#shape, "Unknown", ::std::string::String::from(#unknown_msg)));
                }
            }
            ::std::result::Result::Ok(())
        }
    }
}

fn ser_field(ec2: bool, shape: &str, f: &FieldIr) -> TokenStream {
    let rt = rt();
    let field = ident(&f.name);
    let member = &f.member_name;
    let key = &f.query_name;
    let value = if f.boxed {
        quote!(&**value)
    } else {
        quote!(value)
    };
    // ec2Query flattens every list (`Name.N`).
    let body = if f.flattened || (ec2 && matches!(f.ty, TypeRef::List(_))) {
        ser_flattened(ec2, &f.ty, value.clone(), key, shape, member)
    } else {
        let inner = ser_value(
            ec2,
            &f.ty,
            value.clone(),
            f.timestamp_format,
            shape,
            member,
            0,
        );
        quote! {
            let mark = w.push(#key);
            #inner
            w.pop(mark);
        }
    };
    if !f.optional {
        return quote! {
            {
                let value = &input.#field;
                #body
            }
        };
    }
    let missing = if f.required && f.default.is_none() {
        quote! {
            ::std::option::Option::None => {
                return ::std::result::Result::Err(#rt::BuildError::missing_members(#shape, ::std::vec![#member]));
            }
        }
    } else if f.idempotency_token && matches!(f.ty, TypeRef::String) {
        // An unset idempotency token gets a fresh one, so retries of this request share it.
        quote! {
            ::std::option::Option::None => {
                let mark = w.push(#key);
                w.string(&#rt::protocol::idempotency_token());
                w.pop(mark);
            }
        }
    } else {
        quote!(::std::option::Option::None => {})
    };
    quote! {
        match &input.#field {
            ::std::option::Option::Some(value) => {
                #body
            }
            #missing
        }
    }
}

/// A flattened list or map: items repeat under the member's own key (`L.1`, `M.1.key`).
fn ser_flattened(
    ec2: bool,
    t: &TypeRef,
    value: TokenStream,
    key: &str,
    shape: &str,
    member: &str,
) -> TokenStream {
    match t {
        TypeRef::List(l) => {
            let item = ser_item(
                ec2,
                &l.item,
                l.sparse,
                l.item_timestamp_format,
                shape,
                member,
                1,
            );
            // awsQuery sends an empty list as `Name=`; ec2Query leaves it out.
            let empty = if ec2 {
                quote!()
            } else {
                quote!(if #value.is_empty() { w.empty(); })
            };
            quote! {
                let mark = w.push(#key);
                #empty
                for (i, item) in #value.iter().enumerate() {
                    let item_mark = w.push_index(::std::option::Option::None, i + 1);
                    #item
                    w.pop(item_mark);
                }
                w.pop(mark);
            }
        }
        TypeRef::Map(_) => {
            let inner = ser_map(ec2, t, value, true, shape, member, 1);
            quote! {
                let mark = w.push(#key);
                #inner
                w.pop(mark);
            }
        }
        other => {
            let inner = ser_value(
                ec2,
                other,
                value,
                TimestampFormat::DateTime,
                shape,
                member,
                0,
            );
            quote! {
                let mark = w.push(#key);
                #inner
                w.pop(mark);
            }
        }
    }
}

fn ser_item(
    ec2: bool,
    t: &TypeRef,
    sparse: bool,
    fmt: TimestampFormat,
    shape: &str,
    member: &str,
    depth: usize,
) -> TokenStream {
    if sparse {
        let inner = ser_value(ec2, t, quote!(item), fmt, shape, member, depth);
        quote! {
            match item {
                ::std::option::Option::Some(item) => { #inner }
                ::std::option::Option::None => w.empty(),
            }
        }
    } else {
        ser_value(ec2, t, quote!(item), fmt, shape, member, depth)
    }
}

fn ser_map(
    ec2: bool,
    t: &TypeRef,
    value: TokenStream,
    flattened: bool,
    shape: &str,
    member: &str,
    depth: usize,
) -> TokenStream {
    let TypeRef::Map(m) = t else { return quote!() };
    let key_name = &m.key_name;
    let value_name = &m.value_name;
    let entry = if flattened {
        quote!(::std::option::Option::None)
    } else {
        quote!(::std::option::Option::Some("entry"))
    };
    let key_str = match &m.key {
        TypeRef::Enum(_) => quote!(k.as_str()),
        _ => quote!(k.as_str()),
    };
    let v = ser_item(
        ec2,
        &m.value,
        m.sparse,
        m.value_timestamp_format,
        shape,
        member,
        depth + 1,
    );
    // Entries in key order, so the same input always makes the same body.
    quote! {
        let mut entries: ::std::vec::Vec<_> = #value.iter().collect();
        entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        for (i, (k, item)) in entries.into_iter().enumerate() {
            let entry_mark = w.push_index(#entry, i + 1);
            let key_mark = w.push(#key_name);
            w.string(#key_str);
            w.pop(key_mark);
            let value_mark = w.push(#value_name);
            #v
            w.pop(value_mark);
            w.pop(entry_mark);
        }
    }
}

/// Writes one value (a reference expression) at the writer's current key.
fn ser_value(
    ec2: bool,
    t: &TypeRef,
    v: TokenStream,
    fmt: TimestampFormat,
    shape: &str,
    member: &str,
    depth: usize,
) -> TokenStream {
    let rt = rt();
    match t {
        TypeRef::String => quote!(w.string(#v);),
        TypeRef::BigNumber => quote!(w.big(#v);),
        TypeRef::Bool => quote!(w.boolean(*#v);),
        TypeRef::I8 | TypeRef::I16 | TypeRef::I32 => quote!(w.integer(i64::from(*#v));),
        TypeRef::I64 => quote!(w.integer(*#v);),
        TypeRef::F32 => quote!(w.float(*#v);),
        TypeRef::F64 => quote!(w.double(*#v);),
        TypeRef::Blob => quote!(w.blob(#v.as_ref());),
        TypeRef::Document => quote!(),
        TypeRef::Enum(_) => quote!(w.string(#v.as_str());),
        TypeRef::IntEnum(_) => quote!(w.integer(i64::from(#v.as_i32()));),
        TypeRef::Timestamp => {
            let f = match fmt {
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
            };
            quote! {
                w.date_time(#v, #rt::TimestampFormat::#f)
                    .map_err(|e| #rt::BuildError::invalid_member(#shape, #member, e.to_string()))?;
            }
        }
        TypeRef::Structure(n, _) | TypeRef::Union(n) => {
            let f = fn_name(&module_of(n));
            quote!(crate::protocol::ser::#f(w, #v)?;)
        }
        TypeRef::List(l) => {
            let item_name = &l.item_name;
            let item = ser_item(
                ec2,
                &l.item,
                l.sparse,
                l.item_timestamp_format,
                shape,
                member,
                depth + 1,
            );
            let i = format_ident!("i{}", depth);
            // ec2Query: nested lists are flattened too, and empty ones left out.
            let (empty, item_key) = if ec2 {
                (quote!(), quote!(::std::option::Option::None))
            } else {
                (
                    quote!(if #v.is_empty() { w.empty(); }),
                    quote!(::std::option::Option::Some(#item_name)),
                )
            };
            quote! {
                #empty
                for (#i, item) in #v.iter().enumerate() {
                    let item_mark = w.push_index(#item_key, #i + 1);
                    #item
                    w.pop(item_mark);
                }
            }
        }
        TypeRef::Map(_) => ser_map(ec2, t, v, false, shape, member, depth),
    }
}
