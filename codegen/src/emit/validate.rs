//! `validate()` on input types: the model's `length`, `range` and `pattern` constraints,
//! checked only when the caller asks. Sending does not check them (Smithy's specification:
//! constraint traits are not enforced when serializing; the service is the authority, and its
//! rules may be newer than the model).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_types::{named, rt};
use crate::ir::{Constraints, Crate, FieldIr, StructRole, StructureIr, TypeRef, UnionIr};
use crate::naming::ident;

/// The `protocol/validate.rs` file: a check per reachable input structure or union, and the
/// public `validate()` of each operation input.
pub fn validate_file(ir: &Crate, names: &BTreeSet<String>) -> TokenStream {
    let structs = ir
        .structures
        .iter()
        .filter(|s| names.contains(&s.name))
        .map(check_struct);
    let unions = ir
        .unions
        .iter()
        .filter(|u| names.contains(&u.name))
        .map(check_union);
    quote! {
        //! Constraint checks (`length`, `range`, `pattern`) behind the inputs' `validate()`.
        #(#structs)*
        #(#unions)*
    }
}

/// Whether any reachable input member has a `pattern` (the crate then needs regex-lite).
pub fn needs_regex(ir: &Crate, names: &BTreeSet<String>) -> bool {
    ir.structures
        .iter()
        .filter(|s| names.contains(&s.name))
        .any(|s| {
            s.fields
                .iter()
                .any(|f| f.constraints.pattern.is_some() && matches!(f.ty, TypeRef::String))
        })
}

/// The check function's name for a generated type.
fn fn_name(module: &str) -> proc_macro2::Ident {
    format_ident!("check_{}", module.trim_end_matches('_'))
}

fn check_struct(s: &StructureIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&s.module);
    let ty = named(&s.name, matches!(s.role, StructRole::Error(_)));
    let shape = s.id.name();
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| check_field(shape, f))
        .collect();
    let input = if checks.is_empty() {
        format_ident!("_input")
    } else {
        format_ident!("input")
    };
    let doc = format!(" Checks the constraints of `{shape}` and of everything it contains.");
    let public = (s.role == StructRole::Input).then(|| {
        let tyname = format_ident!("{}", s.name);
        quote! {
            impl crate::types::#tyname {
                /// Checks the model's `length`, `range` and `pattern` constraints on this input
                /// and on everything it contains, and names the first member that breaks one.
                ///
                /// Sending a request does not check them: the service is the authority, and its
                /// rules may be newer than this crate's model.
                #[inline]
                pub fn validate(&self) -> ::std::result::Result<(), #rt::BuildError> {
                    #name(self)
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[inline]
        pub(crate) fn #name(#input: &#ty) -> ::std::result::Result<(), #rt::BuildError> {
            #(#checks)*
            ::std::result::Result::Ok(())
        }
        #public
    }
}

fn check_union(u: &UnionIr) -> TokenStream {
    let rt = rt();
    let name = fn_name(&u.module);
    let ty = named(&u.name, false);
    let arms: Vec<TokenStream> = u
        .variants
        .iter()
        .filter_map(|v| {
            let variant = format_ident!("{}", v.name);
            let value = if v.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            let nested = nested(&v.ty, &value)?;
            Some(quote!(#ty::#variant(value) => { #nested }))
        })
        .collect();
    let doc = format!(" Checks the constraints inside `{}`.", u.id.name());
    if arms.is_empty() {
        return quote! {
            #[doc = #doc]
            #[inline]
            pub(crate) fn #name(_input: &#ty) -> ::std::result::Result<(), #rt::BuildError> {
                ::std::result::Result::Ok(())
            }
        };
    }
    quote! {
        #[doc = #doc]
        #[inline]
        pub(crate) fn #name(input: &#ty) -> ::std::result::Result<(), #rt::BuildError> {
            #[allow(clippy::single_match)]
            match input {
                #(#arms)*
                _ => {}
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// The checks of one member, or `None` when it has nothing to check.
fn check_field(shape: &str, f: &FieldIr) -> Option<TokenStream> {
    let field = ident(&f.name);
    let value = if f.boxed {
        quote!(&**value)
    } else {
        quote!(value)
    };
    let mut body = constraint_checks(shape, f, &value);
    if let Some(n) = nested(&f.ty, &value) {
        body.extend(n);
    }
    if body.is_empty() {
        return None;
    }
    Some(if f.optional {
        quote! {
            if let ::std::option::Option::Some(value) = &input.#field {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &input.#field;
                #body
            }
        }
    })
}

/// Checks of the structures and unions a value contains, or `None` when it contains none.
fn nested(t: &TypeRef, value: &TokenStream) -> Option<TokenStream> {
    match t {
        TypeRef::Structure(n, _) | TypeRef::Union(n) => {
            let f = fn_name(&crate::naming::module_name(n));
            Some(quote!(#f(#value)?;))
        }
        TypeRef::List(l) => {
            let inner = nested(&l.item, &quote!(item))?;
            Some(if l.sparse {
                quote!(for item in #value.iter().flatten() { #inner })
            } else {
                quote!(for item in #value.iter() { #inner })
            })
        }
        TypeRef::Map(m) => {
            let inner = nested(&m.value, &quote!(item))?;
            Some(if m.sparse {
                quote!(for item in #value.values().flatten() { #inner })
            } else {
                quote!(for item in #value.values() { #inner })
            })
        }
        _ => None,
    }
}

/// A sentence listing a member's constraints, for its documentation.
pub fn constraints_doc(f: &FieldIr) -> Option<String> {
    let c = &f.constraints;
    let mut parts = Vec::new();
    if let Some(l) = &c.length {
        let what = if matches!(f.ty, TypeRef::List(_) | TypeRef::Map(_)) {
            "entries"
        } else if matches!(f.ty, TypeRef::Blob) {
            "bytes"
        } else {
            "characters"
        };
        match (l.min, l.max) {
            (Some(a), Some(b)) if a == b => parts.push(format!("exactly {a} {what}")),
            (Some(a), Some(b)) => parts.push(format!("{a} to {b} {what}")),
            (Some(a), None) => parts.push(format!("at least {a} {what}")),
            (None, Some(b)) => parts.push(format!("at most {b} {what}")),
            (None, None) => {}
        }
    }
    if let Some(r) = &c.range {
        match (r.min, r.max) {
            (Some(a), Some(b)) => parts.push(format!("from {a} to {b}")),
            (Some(a), None) => parts.push(format!("at least {a}")),
            (None, Some(b)) => parts.push(format!("at most {b}")),
            (None, None) => {}
        }
    }
    if let Some(p) = &c.pattern {
        let fence = if p.contains('`') { "``" } else { "`" };
        let p = super::docs::escape_bidi(p);
        parts.push(format!("matches {fence} {p} {fence}"));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "Constraints (checked by `validate()`, not when sending): {}.",
        parts.join("; ")
    ))
}

/// Checks of `length`, `range` and `pattern` on a member's value.
fn constraint_checks(shape: &str, f: &FieldIr, value: &TokenStream) -> TokenStream {
    let rt = rt();
    let member = &f.member_name;
    let Constraints {
        length,
        range,
        pattern,
    } = &f.constraints;
    let mut out = TokenStream::new();
    if let Some(len) = length {
        let measure = match &f.ty {
            TypeRef::String => Some(quote!(#value.chars().count())),
            TypeRef::Blob => Some(quote!(#value.as_ref().len())),
            TypeRef::List(_) | TypeRef::Map(_) => Some(quote!(#value.len())),
            _ => None,
        };
        if let Some(measure) = measure {
            // A minimum of 0 says nothing a length could break.
            if let Some(min) = len.min.filter(|m| *m > 0) {
                let min = min as usize;
                let msg = format!("length must be at least {min}, got {{}}");
                let too_short = if min == 1 && !matches!(f.ty, TypeRef::String) {
                    quote!(#value.is_empty())
                } else {
                    quote!(#measure < #min)
                };
                out.extend(quote! {
                    if #too_short {
                        return ::std::result::Result::Err(#rt::BuildError::invalid_member(#shape, #member, ::std::format!(#msg, #measure)));
                    }
                });
            }
            if let Some(max) = len.max {
                let max = max as usize;
                let msg = format!("length must be at most {max}, got {{}}");
                out.extend(quote! {
                    if #measure > #max {
                        return ::std::result::Result::Err(#rt::BuildError::invalid_member(#shape, #member, ::std::format!(#msg, #measure)));
                    }
                });
            }
        }
    }
    if let Some(r) = range {
        let numeric = matches!(
            &f.ty,
            TypeRef::I8 | TypeRef::I16 | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
        );
        if numeric {
            for (bound, below) in [(r.min, true), (r.max, false)] {
                let Some(b) = bound else { continue };
                let msg = if below {
                    format!("must be at least {b}, got {{}}")
                } else {
                    format!("must be at most {b}, got {{}}")
                };
                let cmp = if below { quote!(<) } else { quote!(>) };
                let as_f64 = match &f.ty {
                    TypeRef::F64 => quote!(*#value),
                    TypeRef::I64 => quote!((*#value as f64)),
                    _ => quote!(f64::from(*#value)),
                };
                out.extend(quote! {
                    if #as_f64 #cmp #b {
                        return ::std::result::Result::Err(#rt::BuildError::invalid_member(#shape, #member, ::std::format!(#msg, #value)));
                    }
                });
            }
        }
    }
    if let (Some(p), TypeRef::String) = (pattern, &f.ty) {
        let msg = format!("must match the pattern {p}");
        out.extend(quote! {
            {
                // Compiled once; a pattern regex-lite cannot compile is not checked here
                // (the service still checks it).
                static PATTERN: ::std::sync::OnceLock<::std::option::Option<::regex_lite::Regex>> = ::std::sync::OnceLock::new();
                if let ::std::option::Option::Some(re) = PATTERN.get_or_init(|| ::regex_lite::Regex::new(#p).ok()) {
                    if !re.is_match(#value) {
                        return ::std::result::Result::Err(#rt::BuildError::invalid_member(#shape, #member, ::std::string::String::from(#msg)));
                    }
                }
            }
        });
    }
    out
}
