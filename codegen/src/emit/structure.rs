//! A structure's file: the struct, its accessors, its builder, and error impls for errors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, html_doc_attrs};
use super::rust_types::{field_ty, is_copy, rt, ty, value_ty};
use crate::ir::{DefaultValue, FieldIr, StructRole, StructureIr, TypeRef};
use crate::model::Deprecated;
use crate::naming::{builder_name, ident};

/// Shown instead of sensitive values in `Debug` output.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// `#[deprecated]` for a deprecated item.
pub fn deprecated_attr(d: &Option<Deprecated>) -> TokenStream {
    match d {
        None => quote!(),
        Some(d) => {
            let note = match (&d.message, &d.since) {
                (Some(m), Some(s)) => format!("{m} (deprecated since {s})"),
                (Some(m), None) => m.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => String::new(),
            };
            if note.is_empty() {
                quote!(#[deprecated])
            } else {
                quote!(#[deprecated(note = #note)])
            }
        }
    }
}

/// Items of one structure's module.
pub fn structure(s: &StructureIr) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let builder = format_ident!("{}", builder_name(&s.name));
    let docs = match &s.docs {
        Some(d) => html_doc_attrs(d),
        None => doc_attrs(&format!("The `{}` structure.", s.id.name())),
    };
    let deprecated = deprecated_attr(&s.deprecated);
    let redact = s.sensitive || s.fields.iter().any(|f| f.sensitive);
    let derive_debug = if redact { quote!() } else { quote!(Debug,) };

    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.name);
        let t = field_ty(f);
        let docs = html_doc_attrs(&f.docs);
        let constraints = match super::validate::constraints_doc(f) {
            Some(c) => {
                let c = format!(" {c}");
                quote!(#[doc = ""] #[doc = #c])
            }
            None => quote!(),
        };
        let dep = deprecated_attr(&f.deprecated);
        let serde = serde_field_attr(f);
        quote! { #docs #constraints #dep #serde pub #ident: #t, }
    });
    let accessors = s.fields.iter().map(accessor);
    let rt = rt();
    // Outputs and errors also carry what the response said about the request.
    let (extra_field, extra_init, extra_impl) = match s.role {
        StructRole::Output => (
            quote! {
                #[cfg_attr(feature = "serde", serde(skip))]
                pub(crate) _request_id: ::std::option::Option<::std::string::String>,
            },
            quote!(_request_id: ::std::option::Option::None,),
            quote! {
                impl #rt::protocol::RequestId for #name {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        self._request_id.as_deref()
                    }
                }
            },
        ),
        StructRole::Error(_) => (
            quote! {
                #[cfg_attr(feature = "serde", serde(skip))]
                pub(crate) _meta: #rt::protocol::ErrorMeta,
            },
            quote!(_meta: ::std::default::Default::default(),),
            quote! {
                impl #rt::protocol::RequestId for #name {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        self._meta.request_id.as_deref()
                    }
                }
                impl #rt::protocol::ProvideErrorMeta for #name {
                    fn meta(&self) -> &#rt::protocol::ErrorMeta {
                        &self._meta
                    }

                    fn meta_mut(&mut self) -> &mut #rt::protocol::ErrorMeta {
                        &mut self._meta
                    }
                }
            },
        ),
        _ => (quote!(), quote!(), quote!()),
    };
    let struct_debug = if redact {
        debug_impl(&name, s)
    } else {
        quote!()
    };
    let error_impl = error_impl(s);
    let builder_items = builder_items(s);
    let builder_impl = builder_impl(s, &name, &builder, &extra_init);
    let builder_debug = if redact {
        debug_impl(&builder, s)
    } else {
        quote!()
    };
    let builder_doc = format!(" A builder for [`{}`].", s.name);
    let fn_doc = format!(" Starts a [`{}`] builder.", builder_name(&s.name));
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, PartialEq, #derive_debug)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        pub struct #name {
            #(#fields)*
            #extra_field
        }

        #extra_impl

        impl #name {
            #[doc = #fn_doc]
            pub fn builder() -> #builder {
                <#builder as ::std::default::Default>::default()
            }
            #(#accessors)*
        }

        #struct_debug
        #error_impl

        #[doc = #builder_doc]
        #[derive(Clone, PartialEq, Default, #derive_debug)]
        pub struct #builder {
            #(#builder_items)*
        }

        #builder_impl
        #builder_debug
    }
}

fn serde_field_attr(f: &FieldIr) -> TokenStream {
    let key = &f.member_name;
    if f.optional {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #key, default, skip_serializing_if = "::std::option::Option::is_none"))])
    } else if matches!(
        f.default,
        Some(
            DefaultValue::Bool(false)
                | DefaultValue::Int(0)
                | DefaultValue::EmptyList
                | DefaultValue::EmptyMap
        )
    ) || f.default == Some(DefaultValue::Str(String::new())) && f.ty == TypeRef::String
    {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #key, default))])
    } else {
        quote!(#[cfg_attr(feature = "serde", serde(rename = #key))])
    }
}

/// A getter that hides `Option` nesting where it gets in the way: lists read as slices
/// (empty when unset), strings as `&str`, copy types by value.
fn accessor(f: &FieldIr) -> TokenStream {
    let ident = ident(&f.name);
    let docs = html_doc_attrs(&f.docs);
    let dep = deprecated_attr(&f.deprecated);
    let t = ty(&f.ty);
    let (ret, body) = match (&f.ty, f.optional) {
        (TypeRef::List(l), opt) => {
            let item = match (&l.sparse, ty(&l.item)) {
                (true, i) => quote!(::std::option::Option<#i>),
                (false, i) => i,
            };
            let note = " Empty when unset.";
            let body = if opt {
                quote!(self.#ident.as_deref().unwrap_or_default())
            } else {
                quote!(&self.#ident)
            };
            return quote! { #docs #[doc = ""] #[doc = #note] #dep pub fn #ident(&self) -> &[#item] { #body } };
        }
        (TypeRef::String | TypeRef::BigNumber, true) => (
            quote!(::std::option::Option<&str>),
            quote!(self.#ident.as_deref()),
        ),
        (TypeRef::String | TypeRef::BigNumber, false) => (quote!(&str), quote!(&self.#ident)),
        (t2, true) if is_copy(t2) => (quote!(::std::option::Option<#t>), quote!(self.#ident)),
        (t2, false) if is_copy(t2) => (quote!(#t), quote!(self.#ident)),
        (_, true) if f.boxed => (
            quote!(::std::option::Option<&#t>),
            quote!(self.#ident.as_deref()),
        ),
        (_, true) => (
            quote!(::std::option::Option<&#t>),
            quote!(self.#ident.as_ref()),
        ),
        (_, false) => (quote!(&#t), quote!(&self.#ident)),
    };
    quote! { #docs #dep pub fn #ident(&self) -> #ret { #body } }
}

fn builder_items(s: &StructureIr) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|f| {
            let ident = ident(&f.name);
            let t = value_ty(f);
            quote! { #ident: ::std::option::Option<#t>, }
        })
        .collect()
}

fn builder_impl(
    s: &StructureIr,
    name: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    extra_init: &TokenStream,
) -> TokenStream {
    let rt = rt();
    let setters = s.fields.iter().map(setter);
    let shape_name = s.id.name();
    // Members that must be present: required ones of inputs (kept optional in the type, so a
    // member made required later does not break code), and non-optional members without default.
    let must: Vec<&FieldIr> = s
        .fields
        .iter()
        .filter(|f| {
            if f.optional {
                f.required && s.role == StructRole::Input && f.default.is_none()
            } else {
                f.default.is_none()
            }
        })
        .collect();
    let checks = must.iter().map(|f| {
        let ident = ident(&f.name);
        let wire = &f.member_name;
        quote! { if self.#ident.is_none() { missing.push(#wire); } }
    });
    let inits = s.fields.iter().map(|f| {
        let ident = ident(&f.name);
        let wire = &f.member_name;
        if f.optional {
            quote!(#ident: self.#ident,)
        } else if let Some(d) = &f.default {
            let value = super::rust_types::or_default(quote!(self.#ident), d, &f.ty, f.boxed);
            quote!(#ident: #value,)
        } else {
            quote!(#ident: self.#ident.ok_or_else(|| #rt::BuildError::missing_members(#shape_name, ::std::vec![#wire]))?,)
        }
    });
    let build_doc = format!(" Builds the [`{}`].", s.name);
    let build = if s.fallible_builder {
        let err_doc = if must.is_empty() {
            String::from(" Fails with a [`BuildError`](::aws_lite_runtime::BuildError) naming any required member that is missing.")
        } else {
            format!(
                " Fails with a [`BuildError`](::aws_lite_runtime::BuildError) naming every missing required member ({}).",
                must.iter().map(|f| format!("`{}`", f.member_name)).collect::<Vec<_>>().join(", ")
            )
        };
        let missing_decl = if must.is_empty() {
            quote!()
        } else {
            quote! {
                let mut missing: ::std::vec::Vec<&'static str> = ::std::vec::Vec::new();
                #(#checks)*
                if !missing.is_empty() {
                    return ::std::result::Result::Err(#rt::BuildError::missing_members(#shape_name, missing));
                }
            }
        };
        quote! {
            #[doc = #build_doc]
            #[doc = ""]
            #[doc = #err_doc]
            pub fn build(self) -> ::std::result::Result<#name, #rt::BuildError> {
                #missing_decl
                ::std::result::Result::Ok(#name { #(#inits)* #extra_init })
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> #name {
                #name { #(#inits)* #extra_init }
            }
        }
    };
    quote! {
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

/// One builder method: the fluent operation builders delegate to the same signatures.
pub struct Setter {
    /// Its doc comment.
    pub doc: String,
    /// Its name.
    pub name: proc_macro2::Ident,
    /// Its parameters after `mut self`.
    pub params: TokenStream,
    /// The parameter names, to pass them on.
    pub args: TokenStream,
    /// What it does to the builder's field.
    body: TokenStream,
    /// Lint allowances its name needs.
    pub attrs: TokenStream,
}

/// A setter named like a binary operator's method (`add` for a member `Add`, as EC2 has)
/// has that method's shape (`fn add(self, x) -> Self`); the name is the model's, so clippy's
/// `should_implement_trait` is allowed on it.
fn setter_attrs(name: &proc_macro2::Ident) -> TokenStream {
    const OPERATOR_METHODS: &[&str] = &[
        "add", "sub", "mul", "div", "rem", "bitand", "bitor", "bitxor", "shl", "shr",
    ];
    if OPERATOR_METHODS.contains(&name.to_string().trim_start_matches("r#")) {
        quote!(#[allow(clippy::should_implement_trait)])
    } else {
        quote!()
    }
}

/// The setters of a member: one that sets (appends, for lists; inserts, for maps) a value,
/// and `set_…` that replaces or clears the whole value.
pub fn setters(f: &FieldIr) -> [Setter; 2] {
    let ident = ident(&f.name);
    let vt = value_ty(f);
    let wire = &f.member_name;
    let set = Setter {
        doc: format!(" Sets or clears `{wire}`."),
        name: format_ident!("set_{}", f.name),
        params: quote!(value: ::std::option::Option<#vt>),
        args: quote!(value),
        body: quote!(self.#ident = value;),
        attrs: quote!(),
    };
    let one = match &f.ty {
        TypeRef::List(l) => {
            let item = ty(&l.item);
            let item = if l.sparse {
                quote!(::std::option::Option<#item>)
            } else {
                item
            };
            Setter {
                doc: format!(" Appends one item to `{wire}`."),
                name: ident.clone(),
                params: quote!(item: impl ::std::convert::Into<#item>),
                args: quote!(item),
                body: quote!(self.#ident.get_or_insert_with(::std::vec::Vec::new).push(item.into());),
                attrs: setter_attrs(&ident),
            }
        }
        TypeRef::Map(m) => {
            let k = ty(&m.key);
            let v = ty(&m.value);
            let v = if m.sparse {
                quote!(::std::option::Option<#v>)
            } else {
                v
            };
            Setter {
                doc: format!(" Inserts one entry into `{wire}`."),
                name: ident.clone(),
                params: quote!(key: impl ::std::convert::Into<#k>, value: impl ::std::convert::Into<#v>),
                args: quote!(key, value),
                body: quote!(self.#ident.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());),
                attrs: quote!(),
            }
        }
        t => {
            let inner = ty(t);
            let value = if f.boxed {
                quote!(::std::boxed::Box::new(value.into()))
            } else {
                quote!(value.into())
            };
            Setter {
                doc: format!(" Sets `{wire}`."),
                name: ident.clone(),
                params: quote!(value: impl ::std::convert::Into<#inner>),
                args: quote!(value),
                body: quote!(self.#ident = ::std::option::Option::Some(#value);),
                attrs: setter_attrs(&ident),
            }
        }
    };
    [one, set]
}

/// Setters with the builder's signatures that forward to the builder in `self.<field>`, for
/// the types that wrap an input builder (fluent operation builders, waiters).
pub fn delegating_setters(s: &StructureIr, field: TokenStream) -> TokenStream {
    let methods = s.fields.iter().flat_map(|f| {
        let dep = deprecated_attr(&f.deprecated);
        let field = field.clone();
        setters(f).into_iter().map(
            move |Setter {
                      doc,
                      name,
                      params,
                      args,
                      attrs,
                      ..
                  }| {
                quote! {
                    #[doc = #doc]
                    #dep
                    #attrs
                    pub fn #name(mut self, #params) -> Self {
                        self.#field = self.#field.#name(#args);
                        self
                    }
                }
            },
        )
    });
    quote!(#(#methods)*)
}

fn setter(f: &FieldIr) -> TokenStream {
    let dep = deprecated_attr(&f.deprecated);
    let methods = setters(f).into_iter().map(
        |Setter {
             doc,
             name,
             params,
             body,
             attrs,
             ..
         }| {
            quote! {
                #[doc = #doc]
                #dep
                #attrs
                pub fn #name(mut self, #params) -> Self {
                    #body
                    self
                }
            }
        },
    );
    quote!(#(#methods)*)
}

/// `Debug` that prints sensitive members (or the whole sensitive structure) as redacted.
fn debug_impl(name: &proc_macro2::Ident, s: &StructureIr) -> TokenStream {
    let label = name.to_string();
    if s.sensitive {
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        };
    }
    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.name);
        let key = &f.name;
        if f.sensitive {
            quote!(.field(#key, &#REDACTED))
        } else {
            quote!(.field(#key, &self.#ident))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

fn error_impl(s: &StructureIr) -> TokenStream {
    let StructRole::Error(e) = &s.role else {
        return quote!();
    };
    let name = format_ident!("{}", s.name);
    let code = &e.code;
    let status = e.status;
    let label = s.id.name();
    let code_doc = " The error code the service sends for this error.";
    let status_doc = " The HTTP status the service sends with this error.";
    // A field already named `message` has its own accessor of that name.
    let has_message_accessor = s.fields.iter().any(|f| f.name == "message");
    let (message_fn, display_message) = match e.message_field.and_then(|i| s.fields.get(i)) {
        Some(f) => {
            let ident = ident(&f.name);
            let get = if f.optional {
                quote!(self.#ident.as_deref())
            } else {
                quote!(::std::option::Option::Some(self.#ident.as_str()))
            };
            // Read the field itself: a `message` accessor the structure already has may return
            // `&str` (a required member) rather than `Option<&str>`.
            let display = if f.sensitive || s.sensitive {
                quote!()
            } else if f.optional {
                quote! {
                    if let ::std::option::Option::Some(message) = self.#ident.as_deref() {
                        write!(f, ": {message}")?;
                    }
                }
            } else {
                quote!(write!(f, ": {}", self.#ident)?;)
            };
            let message_fn = if has_message_accessor {
                quote!()
            } else {
                quote! {
                    /// The error message, if the service sent one.
                    pub fn message(&self) -> ::std::option::Option<&str> { #get }
                }
            };
            (message_fn, display)
        }
        None if has_message_accessor => (quote!(), quote!()),
        None => (
            quote! {
                /// This error has no message member.
                pub fn message(&self) -> ::std::option::Option<&str> { ::std::option::Option::None }
            },
            quote!(),
        ),
    };
    quote! {
        impl #name {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;
            #[doc = #status_doc]
            pub const STATUS: u16 = #status;
            #message_fn
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#label)?;
                #display_message
                ::std::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}
