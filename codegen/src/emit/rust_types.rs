//! Rust type tokens for IR types, always as absolute paths so model names such as `String`
//! or `Option` cannot shadow what the generated code means.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{DefaultValue, FieldIr, TypeRef};

/// The runtime crate's path.
pub fn rt() -> TokenStream {
    quote!(::aws_lite_runtime)
}

/// Tokens naming a generated type.
pub fn named(name: &str, error: bool) -> TokenStream {
    let ident = format_ident!("{}", name);
    if error {
        quote!(crate::types::error::#ident)
    } else {
        quote!(crate::types::#ident)
    }
}

/// The Rust type of a value.
pub fn ty(t: &TypeRef) -> TokenStream {
    let rt = rt();
    match t {
        TypeRef::String | TypeRef::BigNumber => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I8 => quote!(i8),
        TypeRef::I16 => quote!(i16),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Timestamp => quote!(#rt::DateTime),
        TypeRef::Blob => quote!(#rt::Blob),
        TypeRef::Document => quote!(#rt::Document),
        TypeRef::Enum(n) | TypeRef::IntEnum(n) | TypeRef::Union(n) => named(n, false),
        TypeRef::Structure(n, error) => named(n, *error),
        TypeRef::List(l) => {
            let item = ty(&l.item);
            if l.sparse {
                quote!(::std::vec::Vec<::std::option::Option<#item>>)
            } else {
                quote!(::std::vec::Vec<#item>)
            }
        }
        TypeRef::Map(m) => {
            let k = ty(&m.key);
            let v = ty(&m.value);
            if m.sparse {
                quote!(::std::collections::HashMap<#k, ::std::option::Option<#v>>)
            } else {
                quote!(::std::collections::HashMap<#k, #v>)
            }
        }
    }
}

/// The stored type of a field's value: boxed when recursive.
pub fn value_ty(f: &FieldIr) -> TokenStream {
    let t = ty(&f.ty);
    if f.boxed {
        quote!(::std::boxed::Box<#t>)
    } else {
        t
    }
}

/// The declared type of a field.
pub fn field_ty(f: &FieldIr) -> TokenStream {
    let t = value_ty(f);
    if f.optional {
        quote!(::std::option::Option<#t>)
    } else {
        t
    }
}

/// Copy types are returned by value from accessors.
pub fn is_copy(t: &TypeRef) -> bool {
    matches!(
        t,
        TypeRef::Bool
            | TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Timestamp
    )
}

/// An expression building a default value of a field's type.
/// `value` (an `Option`) or the member's default: `unwrap_or` for a literal (clippy's
/// `unnecessary_lazy_evaluations`), `unwrap_or_else` for anything that allocates.
pub fn or_default(value: TokenStream, d: &DefaultValue, t: &TypeRef, boxed: bool) -> TokenStream {
    let mut e = default_expr(d, t);
    if boxed {
        e = quote!(::std::boxed::Box::new(#e));
    }
    match d {
        DefaultValue::Bool(_) | DefaultValue::Int(_) | DefaultValue::Float(_) if !boxed => {
            quote!(#value.unwrap_or(#e))
        }
        _ => quote!(#value.unwrap_or_else(|| #e)),
    }
}

/// The Rust expression of a member's default value.
pub fn default_expr(d: &DefaultValue, t: &TypeRef) -> TokenStream {
    let rt = rt();
    match d {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Int(i) => match t {
            TypeRef::I8 => {
                let v = *i as i8;
                quote!(#v)
            }
            TypeRef::I16 => {
                let v = *i as i16;
                quote!(#v)
            }
            TypeRef::I32 => {
                let v = *i as i32;
                quote!(#v)
            }
            _ => quote!(#i),
        },
        DefaultValue::Float(f) => match t {
            TypeRef::F32 => {
                let v = *f as f32;
                quote!(#v)
            }
            _ => quote!(#f),
        },
        DefaultValue::Str(s) => match t {
            TypeRef::Enum(_) => {
                let path = ty(t);
                quote!(<#path>::from(#s))
            }
            _ => quote!(::std::string::String::from(#s)),
        },
        DefaultValue::EmptyList => quote!(::std::vec::Vec::new()),
        DefaultValue::EmptyMap => quote!(::std::collections::HashMap::new()),
        DefaultValue::Timestamp(secs) => {
            let whole = secs.trunc() as i64;
            let nanos = ((secs.fract()) * 1e9).round() as u32;
            quote!(#rt::DateTime::from_secs_and_nanos(#whole, #nanos))
        }
        DefaultValue::Blob(b64) => {
            quote!(#rt::Blob::new(#rt::base64::decode(#b64).unwrap_or_default()))
        }
        DefaultValue::IntEnum(i) => {
            let path = ty(t);
            let v = *i as i32;
            quote!(<#path>::from(#v))
        }
    }
}
