//! Unions: a Rust enum with a variant per member, plus `Unknown` for members added later.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, html_doc_attrs};
use super::rust_types::ty;
use super::structure::deprecated_attr;
use crate::ir::UnionIr;

/// Items of one union's module.
pub fn union(u: &UnionIr) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let docs = match &u.docs {
        Some(d) => html_doc_attrs(d),
        None => doc_attrs(&format!("The `{}` union.", u.id.name())),
    };
    let deprecated = deprecated_attr(&u.deprecated);
    let variants = u.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let docs = html_doc_attrs(&v.docs);
        let key = &v.member_name;
        let t = ty(&v.ty);
        let t = if v.boxed {
            quote!(::std::boxed::Box<#t>)
        } else {
            t
        };
        quote! {
            #docs
            #[cfg_attr(feature = "serde", serde(rename = #key))]
            #ident(#t),
        }
    });
    let unknown_doc = " A member this version of the crate does not know.";
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #[cfg_attr(feature = "serde", serde(skip))]
            Unknown,
        }
    }
}
