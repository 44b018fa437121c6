//! String enums and intEnums: a variant per value plus `Unknown`, which keeps values this
//! crate does not know yet (services add values; parsing never fails on a new one).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, html_doc_attrs};
use super::structure::deprecated_attr;
use crate::ir::EnumIr;
use crate::model::EnumValue;

/// Items of one enum's module.
pub fn enumeration(e: &EnumIr) -> TokenStream {
    if e.int {
        int_enum(e)
    } else {
        string_enum(e)
    }
}

fn variant_docs(e: &EnumIr) -> Vec<TokenStream> {
    e.variants
        .iter()
        .map(|v| {
            let wire = match &v.value {
                EnumValue::String(s) => format!("`{s}`"),
                EnumValue::Int(i) => i.to_string(),
            };
            let docs = match &v.docs {
                Some(d) => html_doc_attrs(d),
                None => doc_attrs(&format!("The value {wire}.")),
            };
            let dep = if v.deprecated {
                quote!(#[deprecated])
            } else {
                quote!()
            };
            quote!(#docs #dep)
        })
        .collect()
}

fn header(e: &EnumIr) -> (TokenStream, TokenStream) {
    let docs = match &e.docs {
        Some(d) => html_doc_attrs(d),
        None => doc_attrs(&format!("The `{}` enumeration.", e.id.name())),
    };
    (docs, deprecated_attr(&e.deprecated))
}

fn string_enum(e: &EnumIr) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let (docs, deprecated) = header(e);
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::String(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        })
        .collect();
    let vdocs = variant_docs(e);
    let unknown_doc = " A value this version of the crate does not know; [`as_str`](Self::as_str) returns it as sent.";
    let from_doc = format!(
        " Parses a wire value; unknown values become `{}::Unknown`.",
        e.name
    );
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #vdocs #variants, )*
            #[doc = #unknown_doc]
            Unknown(::aws_lite_runtime::UnknownVariantValue),
        }

        impl #name {
            /// Every value this version of the crate knows, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub fn values() -> &'static [&'static str] {
                Self::VALUES
            }
        }

        impl ::std::convert::From<&str> for #name {
            #[doc = #from_doc]
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(::aws_lite_runtime::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn int_enum(e: &EnumIr) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let (docs, deprecated) = header(e);
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values: Vec<i32> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::Int(i) => *i as i32,
            EnumValue::String(_) => 0,
        })
        .collect();
    let vdocs = variant_docs(e);
    let unknown_doc = " A value this version of the crate does not know, kept as sent.";
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #vdocs #variants, )*
            #[doc = #unknown_doc]
            Unknown(i32),
        }

        impl #name {
            /// Every value this version of the crate knows, in model order.
            pub const VALUES: &'static [i32] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub fn values() -> &'static [i32] {
                Self::VALUES
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i32(), f)
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <i32 as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }
    }
}
