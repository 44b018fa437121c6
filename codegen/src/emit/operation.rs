//! One module per operation: its error enum and the public wire entry points
//! (`serialize_request`, `parse_response`), so tests can drive the protocol without a network.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::html_doc_attrs;
use super::rust_types::{named, rt};
use crate::ir::{Crate, OperationIr, StructRole};
use crate::naming::{ident, module_name};

/// The operation's module.
pub fn operation(ir: &Crate, op: &OperationIr) -> TokenStream {
    let rt = rt();
    let op_name = &op.name;
    let version = &ir.service.version;
    let error = format_ident!("{}Error", op.type_name);
    let docs = match &op.docs {
        Some(d) => html_doc_attrs(d),
        None => quote!(),
    };
    let module_doc =
        format!(" The `{op_name}` operation: request serializer, response parser and error type.");

    let parse_success = match ir.service.protocol {
        crate::ir::Protocol::AwsQuery => format_ident!("parse_success"),
        crate::ir::Protocol::Ec2Query => format_ident!("parse_ec2_success"),
    };
    let (input_ty, ser_call) = match &op.input {
        Some(n) => {
            let f = super::query_ser::fn_name(&module_name(n));
            (
                named(n, false),
                quote!(crate::protocol::ser::#f(&mut w, input)?;),
            )
        }
        None => (quote!(()), quote!(let _ = (input, &mut w);)),
    };
    let (output_ty, parse_call) = match &op.output {
        Some(n) => {
            let s = ir.structures.iter().find(|s| &s.name == n);
            let f = super::xml_de::fn_name(&module_name(n));
            let ty = named(n, false);
            let has_meta = s.is_some_and(|s| s.role == StructRole::Output);
            // Only an output without members may come as an empty body; otherwise an empty
            // body is a truncated response, not a success.
            let empty = match s {
                Some(s) if s.fields.is_empty() && !s.fallible_builder => {
                    quote!(|| ::std::option::Option::Some(#ty::builder().build()))
                }
                _ => quote!(|| ::std::option::Option::None),
            };
            let ec2 = ir.service.protocol == crate::ir::Protocol::Ec2Query;
            let set_id = if has_meta && ec2 {
                // The header's id, else the body's `<requestId>` the parser kept.
                quote!(if request_id.is_some() {
                    output._request_id = request_id;
                })
            } else if has_meta {
                quote!(output._request_id = request_id;)
            } else {
                quote!(let _ = request_id;)
            };
            let in_place = s.is_some_and(super::xml_de::parses_in_place);
            let new = super::xml_de::new_fn_name(&module_name(n));
            let parse = if in_place && !ec2 {
                // Filled in place: the output is not moved out of the parser.
                let empty_ok = s.is_some_and(|s| s.fields.is_empty() && !s.fallible_builder);
                quote! {
                    let mut output = crate::protocol::de::#new();
                    let request_id = #rt::protocol::parse_success_into(response, #op_name, |r, depth| crate::protocol::de::#f(r, depth, &mut output), #empty_ok)
                        .map_err(#rt::protocol::SdkError::Response)?;
                }
            } else {
                let read = if in_place {
                    quote!(|r, depth| {
                        let mut output = crate::protocol::de::#new();
                        crate::protocol::de::#f(r, depth, &mut output)?;
                        ::std::result::Result::Ok(output)
                    })
                } else {
                    quote!(|r, depth| crate::protocol::de::#f(r, depth))
                };
                quote! {
                    let (mut output, request_id) = #rt::protocol::#parse_success(response, #op_name, #read, #empty)
                        .map_err(#rt::protocol::SdkError::Response)?;
                }
            };
            (
                ty.clone(),
                quote! {
                    #parse
                    #set_id
                    ::std::result::Result::Ok(output)
                },
            )
        }
        None => (
            quote!(()),
            quote! {
                #rt::protocol::#parse_success(response, #op_name, |r, depth| { while r.child(depth).is_some() {} ::std::result::Result::Ok(()) }, || ::std::option::Option::Some(()))
                    .map_err(#rt::protocol::SdkError::Response)?;
                ::std::result::Result::Ok(())
            },
        ),
    };

    let errors: Vec<_> = op
        .errors
        .iter()
        .filter_map(|n| ir.structures.iter().find(|s| &s.name == n))
        .collect();
    let variants = errors.iter().map(|s| {
        let v = format_ident!("{}", s.name);
        let ty = named(&s.name, true);
        let doc = format!(" The service returned `{}`.", s.id.name());
        quote!(#[doc = #doc] #v(#ty),)
    });
    let arms = errors.iter().map(|s| {
        let v = format_ident!("{}", s.name);
        let f = super::xml_de::fn_name(&s.module);
        let StructRole::Error(e) = &s.role else {
            return quote!();
        };
        let code = &e.code;
        if let (true, [field]) = (super::xml_de::made_from_meta(s), s.fields.as_slice()) {
            let ty = named(&s.name, true);
            let field = ident(&field.name);
            return quote! {
                #code => #error::#v(#ty { #field: meta.message.clone(), _meta: meta }),
            };
        }
        quote! {
            #code => match #rt::protocol::parse_error_members(response, |r, depth| crate::protocol::de::#f(r, depth)) {
                ::std::result::Result::Ok(mut error) => {
                    error._meta = meta;
                    #error::#v(error)
                }
                ::std::result::Result::Err(e) => return #rt::protocol::SdkError::Response(e),
            },
        }
    });
    let dispatch = if errors.is_empty() {
        quote!(#rt::protocol::SdkError::Service(#error::Unhandled(#rt::protocol::UnhandledError::new(meta))))
    } else {
        quote! {
            // The code is taken out to match on while `meta` moves into the error, and put back.
            let code = meta.code.take();
            let mut error = match code.as_deref().unwrap_or_default() {
                #(#arms)*
                _ => #error::Unhandled(#rt::protocol::UnhandledError::new(meta)),
            };
            #rt::protocol::ProvideErrorMeta::meta_mut(&mut error).code = code;
            #rt::protocol::SdkError::Service(error)
        }
    };
    // The dispatch takes the code out of `meta` when there are modeled errors.
    let meta_binding = if errors.is_empty() {
        quote!(meta)
    } else {
        quote!(mut meta)
    };
    let meta_arms: Vec<_> = errors
        .iter()
        .map(|s| {
            let v = format_ident!("{}", s.name);
            quote!(#error::#v(e) => &e._meta,)
        })
        .collect();
    let meta_mut_arms: Vec<_> = errors
        .iter()
        .map(|s| {
            let v = format_ident!("{}", s.name);
            quote!(#error::#v(e) => &mut e._meta,)
        })
        .collect();
    let source_arms = errors.iter().map(|s| {
        let v = format_ident!("{}", s.name);
        quote!(#error::#v(e) => ::std::option::Option::Some(e),)
    });
    let is_arms = errors.iter().map(|s| {
        let v = format_ident!("{}", s.name);
        let f = format_ident!("is_{}", s.module.trim_end_matches('_'));
        let doc = format!(" True when this is `{}`.", s.id.name());
        quote! {
            #[doc = #doc]
            pub fn #f(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    let error_doc = format!(" The errors `{op_name}` can return: one variant per modeled error, and `Unhandled` for the rest.");
    let ser_doc = format!(
        " Serializes a `{op_name}` request into its HTTP parts (method, path, headers, form body).\n\n Checks required members and the model's length, range and pattern constraints first;\n a violation is a [`BuildError`]({rt}::BuildError) naming the member, and nothing is sent.",
        rt = "::aws_lite_runtime"
    );
    let ser_doc = super::docs::doc_attrs(&ser_doc.replace("\n ", "\n")[1..]);
    let parse_doc = format!(
        " Parses an HTTP response to `{op_name}` into its output, or into [`{error}`] (dispatched on the\n error code, never the status), or into a response error for bodies that are not awsQuery XML."
    );
    let parse_doc = super::docs::doc_attrs(&parse_doc.replace("\n ", "\n")[1..]);
    quote! {
        #![doc = #module_doc]
        // Service errors carry the modeled members; they are the rare path, so they are not boxed.
        #![allow(clippy::result_large_err)]

        #docs
        #[doc = ""]
        #ser_doc
        #[inline]
        pub fn serialize_request(input: &#input_ty) -> ::std::result::Result<#rt::protocol::HttpRequest, #rt::BuildError> {
            let mut w = #rt::query::QueryWriter::new(#op_name, #version);
            #ser_call
            ::std::result::Result::Ok(#rt::protocol::HttpRequest::form_post(w.finish()))
        }

        #parse_doc
        #[inline]
        pub fn parse_response(response: &#rt::protocol::HttpResponse) -> ::std::result::Result<#output_ty, #rt::protocol::SdkError<#error>> {
            if !response.is_success() {
                return ::std::result::Result::Err(parse_error(response));
            }
            #parse_call
        }

        #[inline]
        fn parse_error(response: &#rt::protocol::HttpResponse) -> #rt::protocol::SdkError<#error> {
            let #meta_binding = match #rt::protocol::parse_error_meta(response) {
                ::std::result::Result::Ok(meta) => meta,
                ::std::result::Result::Err(e) => return #rt::protocol::SdkError::Response(e),
            };
            #dispatch
        }

        #[doc = #error_doc]
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error {
            #(#variants)*
            /// An error code this crate does not model for this operation.
            Unhandled(#rt::protocol::UnhandledError),
        }

        impl #error {
            /// The error code the service sent.
            pub fn code(&self) -> ::std::option::Option<&str> {
                #rt::protocol::ProvideErrorMeta::meta(self).code.as_deref()
            }

            /// The error message the service sent.
            pub fn message(&self) -> ::std::option::Option<&str> {
                #rt::protocol::ProvideErrorMeta::meta(self).message.as_deref()
            }

            /// The HTTP status of the response.
            pub fn status(&self) -> u16 {
                #rt::protocol::ProvideErrorMeta::meta(self).status
            }

            #(#is_arms)*
        }

        impl #rt::protocol::ProvideErrorMeta for #error {
            fn meta(&self) -> &#rt::protocol::ErrorMeta {
                match self {
                    #(#meta_arms)*
                    #error::Unhandled(e) => #rt::protocol::ProvideErrorMeta::meta(e),
                }
            }

            fn meta_mut(&mut self) -> &mut #rt::protocol::ErrorMeta {
                match self {
                    #(#meta_mut_arms)*
                    #error::Unhandled(e) => #rt::protocol::ProvideErrorMeta::meta_mut(e),
                }
            }
        }

        impl #rt::protocol::OperationName for #error {
            const OPERATION: &'static str = #op_name;
        }

        impl #rt::protocol::RequestId for #error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                #rt::protocol::ProvideErrorMeta::meta(self).request_id.as_deref()
            }
        }

        impl ::std::fmt::Display for #error {
            /// Code, message and request id: `Code: message (request id: …, HTTP 404)`.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(#rt::protocol::ProvideErrorMeta::meta(self), f)
            }
        }

        impl ::std::error::Error for #error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    #error::Unhandled(e) => ::std::option::Option::Some(e),
                }
            }
        }
    }
}
