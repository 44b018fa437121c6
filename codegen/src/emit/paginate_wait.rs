//! Paginators (from `smithy.api#paginated`) and waiters (from `smithy.waiters#waitable`).
//!
//! Their JMESPath paths are compiled to Rust at generation time (`waiter_expr`): no expression
//! engine runs at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_types::{named, rt};
use super::waiter_expr::{PathError, Root};

fn invalid(message: &str) -> PathError {
    PathError::Invalid(message.to_string())
}
use crate::ir::{Crate, FieldIr, OperationIr, StructureIr, TypeRef};
use crate::model::{AcceptorState, Matcher, PathComparator};
use crate::naming::ident;

fn structure<'a>(ir: &'a Crate, name: &str) -> Option<&'a StructureIr> {
    ir.structures.iter().find(|s| s.name == name)
}

fn field<'a>(s: &'a StructureIr, member: &str) -> Result<&'a FieldIr, String> {
    s.fields
        .iter()
        .find(|f| f.member_name == member)
        .ok_or_else(|| format!("`{}` has no member `{member}`", s.id.name()))
}

/// Delegating setters of an operation's input, for fluent wrappers (waiters).
fn delegating_setters(ir: &Crate, op: &OperationIr, field: TokenStream) -> TokenStream {
    match op.input.as_ref().and_then(|n| structure(ir, n)) {
        Some(input) => super::structure::delegating_setters(input, field),
        None => quote!(),
    }
}

/// An expression moving the list at `path` (`A` or `A.B`) out of `page`, empty when any
/// step is unset; and the item type.
fn owned_items(
    ir: &Crate,
    output: &StructureIr,
    path: &str,
) -> Result<(TokenStream, TokenStream), String> {
    let mut expr = quote!(::std::option::Option::Some(page));
    let mut current = output;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        let f = field(current, seg)?;
        let fid = ident(&f.name);
        let unbox = if f.boxed {
            quote!(.map(|b| *b))
        } else {
            quote!()
        };
        expr = if f.optional {
            quote!(#expr.and_then(|v| v.#fid #unbox))
        } else if f.boxed {
            quote!(#expr.map(|v| *v.#fid))
        } else {
            quote!(#expr.map(|v| v.#fid))
        };
        let last = i + 1 == segments.len();
        match (&f.ty, last) {
            (TypeRef::List(l), true) => {
                let item = super::rust_types::ty(&l.item);
                let item = if l.sparse {
                    quote!(::std::option::Option<#item>)
                } else {
                    item
                };
                return Ok((quote!(#expr.unwrap_or_default()), item));
            }
            (TypeRef::Structure(n, _), false) => {
                current = structure(ir, n).ok_or_else(|| format!("unknown structure {n}"))?;
            }
            _ => return Err(format!("`{path}` must lead through structures to a list")),
        }
    }
    Err(format!("empty path `{path}`"))
}

/// The paginator of an operation (added to its module), if it is paginated.
pub fn paginator(ir: &Crate, op: &OperationIr) -> Result<TokenStream, PathError> {
    let Some(p) = &op.paginated else {
        return Ok(quote!());
    };
    let rt = rt();
    let (Some(input_name), Some(output_name)) = (&op.input, &op.output) else {
        return Err(PathError::Invalid(
            "a paginated operation needs an input and an output".into(),
        ));
    };
    let input = structure(ir, input_name).ok_or(invalid("missing input"))?;
    let output = structure(ir, output_name).ok_or(invalid("missing output"))?;
    let fluent = format_ident!("{}FluentBuilder", op.type_name);
    let error = format_ident!("{}Error", op.type_name);
    let out_ty = named(output_name, false);
    let paginator = format_ident!("{}Paginator", op.type_name);
    let items_ty = format_ident!("{}Items", op.type_name);
    let in_token = p
        .input_token
        .as_deref()
        .ok_or(invalid("`smithy.api#paginated` has no inputToken"))?;
    let out_token = p
        .output_token
        .as_deref()
        .ok_or(invalid("`smithy.api#paginated` has no outputToken"))?;
    let set_token = format_ident!(
        "set_{}",
        field(input, in_token).map_err(PathError::Invalid)?.name
    );
    let token_value = super::waiter_expr::compile(ir, Root::Output(&output.name), out_token)?;

    let page_size = match p.page_size.as_deref() {
        Some(ps) => {
            let f = field(input, ps).map_err(PathError::Invalid)?;
            let setter = ident(&f.name);
            let t = super::rust_types::ty(&f.ty);
            let doc = format!(" Sets the page size (`{ps}`).");
            quote! {
                #[doc = #doc]
                pub fn page_size(mut self, size: #t) -> Self {
                    self.call = self.call.#setter(size);
                    self
                }
            }
        }
        None => quote!(),
    };
    let items = match p.items.as_deref() {
        Some(items_path) => {
            let (take, item_ty) = owned_items(ir, output, items_path)
                .map_err(|e| PathError::Invalid(format!("items: {e}")))?;
            let doc = format!(" Every item (`{items_path}`) of every page, in order.");
            quote! {
                impl #paginator {
                    #[doc = #doc]
                    pub fn items(self) -> #items_ty {
                        #items_ty { pages: self, buffer: ::std::collections::VecDeque::new() }
                    }
                }

                #[doc = #doc]
                #[derive(Debug)]
                pub struct #items_ty {
                    pages: #paginator,
                    buffer: ::std::collections::VecDeque<#item_ty>,
                }

                impl #items_ty {
                    /// The next item, fetching the next page when needed; `None` after the last.
                    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<#item_ty, #rt::protocol::SdkError<#error>>> {
                        loop {
                            if let ::std::option::Option::Some(item) = self.buffer.pop_front() {
                                return ::std::option::Option::Some(::std::result::Result::Ok(item));
                            }
                            match self.pages.next_page().await? {
                                ::std::result::Result::Ok(page) => self.buffer.extend(#take),
                                ::std::result::Result::Err(e) => return ::std::option::Option::Some(::std::result::Result::Err(e)),
                            }
                        }
                    }

                    /// Every remaining item, or the first error.
                    pub async fn collect(mut self) -> ::std::result::Result<::std::vec::Vec<#item_ty>, #rt::protocol::SdkError<#error>> {
                        let mut all = ::std::vec::Vec::new();
                        while let ::std::option::Option::Some(item) = self.next().await {
                            all.push(item?);
                        }
                        ::std::result::Result::Ok(all)
                    }
                }
            }
        }
        None => quote!(),
    };
    let doc = format!(" Pages of `{}` results: each call to [`next_page`](Self::next_page) sends one request with the previous page's `{out_token}` as `{in_token}`; it stops when the service sends no token, an empty one, or one it already sent.", op.name);
    Ok(quote! {
        impl #fluent {
            /// Pages through the results instead of sending one request.
            pub fn into_paginator(self) -> #paginator {
                #paginator { call: self, token: ::std::option::Option::None, seen: ::std::collections::HashSet::new(), done: false }
            }
        }

        #[doc = #doc]
        #[derive(Debug)]
        pub struct #paginator {
            call: #fluent,
            token: ::std::option::Option<::std::string::String>,
            seen: ::std::collections::HashSet<::std::string::String>,
            done: bool,
        }

        impl #paginator {
            #page_size

            /// The next page, `None` after the last (or after an error).
            pub async fn next_page(&mut self) -> ::std::option::Option<::std::result::Result<#out_ty, #rt::protocol::SdkError<#error>>> {
                if self.done {
                    return ::std::option::Option::None;
                }
                let result = self.call.clone().#set_token(self.token.clone()).send().await;
                match &result {
                    ::std::result::Result::Ok(output) => {
                        let value = #token_value;
                        let token = match value {
                            #rt::jmespath::Value::Str(t) if !t.is_empty() => ::std::option::Option::Some(t.into_owned()),
                            _ => ::std::option::Option::None,
                        };
                        match token {
                            // A token the service already sent would loop forever: stop.
                            ::std::option::Option::Some(next) if self.seen.insert(next.clone()) => self.token = ::std::option::Option::Some(next),
                            _ => self.done = true,
                        }
                    }
                    ::std::result::Result::Err(_) => self.done = true,
                }
                ::std::option::Option::Some(result)
            }
        }

        #items
    })
}

/// One waiter of an operation (added to its module), and the `Client` method that starts it.
pub fn waiter(
    ir: &Crate,
    op: &OperationIr,
    name: &str,
) -> Result<(TokenStream, TokenStream), PathError> {
    let w = op.waiters.get(name).ok_or(invalid("no such waiter"))?;
    let rt = rt();
    let output = op
        .output
        .as_ref()
        .and_then(|n| structure(ir, n))
        .ok_or(invalid("a waitable operation needs an output"))?;
    let fluent = format_ident!("{}FluentBuilder", op.type_name);
    let error = format_ident!("{}Error", op.type_name);
    let out_ty = named(&output.name, false);
    let module = format_ident!("{}", op.snake_name);
    let waiter = format_ident!("{}Waiter", name);
    let classify = format_ident!("classify_{}", crate::naming::module_name(name));
    let mut arms = Vec::new();
    // Each distinct path is evaluated once per poll, however many acceptors compare it.
    let mut paths: Vec<(bool, &str, proc_macro2::Ident, TokenStream)> = Vec::new();
    let mut uses_input = false;
    let mut invalid_acceptors = Vec::new();
    let mut unsupported_acceptors = Vec::new();
    for (i, a) in w.acceptors.iter().enumerate() {
        let state = match a.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let hit =
            quote!(return ::std::option::Option::Some((#i, #rt::waiter::AcceptorState::#state)););
        arms.push(match &a.matcher {
            Matcher::Output(m) | Matcher::InputOutput(m) => {
                let root = if matches!(a.matcher, Matcher::InputOutput(_)) {
                    uses_input = true;
                    Root::InputOutput { input: op.input.as_deref(), output: &output.name }
                } else {
                    Root::Output(&output.name)
                };
                let io = matches!(a.matcher, Matcher::InputOutput(_));
                let value = match paths.iter().find(|(i, p, ..)| *i == io && *p == m.path) {
                    Some((_, _, ident, _)) => ident.clone(),
                    // Every acceptor is compiled, so one run reports all of a waiter's bad paths.
                    None => match super::waiter_expr::compile(ir, root, &m.path) {
                        Ok(code) => {
                            let ident = format_ident!("path_{}", paths.len());
                            paths.push((io, &m.path, ident.clone(), code));
                            ident
                        }
                        Err(PathError::Invalid(e)) => {
                            invalid_acceptors.push(format!("acceptor {}: {e}", i + 1));
                            continue;
                        }
                        Err(PathError::Unsupported(e)) => {
                            unsupported_acceptors.push(format!("acceptor {}: {e}", i + 1));
                            continue;
                        }
                    },
                };
                let cmp = match m.comparator {
                    PathComparator::StringEquals => quote!(StringEquals),
                    PathComparator::BooleanEquals => quote!(BooleanEquals),
                    PathComparator::AllStringEquals => quote!(AllStringEquals),
                    PathComparator::AnyStringEquals => quote!(AnyStringEquals),
                };
                let expected = &m.expected;
                quote! {
                    if let ::std::option::Option::Some(value) = &#value {
                        if #rt::jmespath::matches(value, #rt::waiter::Comparator::#cmp, #expected) {
                            #hit
                        }
                    }
                }
            }
            Matcher::Success(expect_ok) => {
                let test = if *expect_ok { quote!(result.is_ok()) } else { quote!(result.is_err()) };
                quote! {
                    if #test {
                        #hit
                    }
                }
            }
            Matcher::ErrorType(t) => {
                // The model may name the error by shape or by code: accept both.
                let code = op
                    .errors
                    .iter()
                    .filter_map(|e| structure(ir, e))
                    .find(|s| s.id.name() == t)
                    .and_then(|s| match &s.role {
                        crate::ir::StructRole::Error(e) => Some(e.code.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| t.clone());
                quote! {
                    if let ::std::result::Result::Err(#rt::protocol::SdkError::Service(e)) = result {
                        if e.code() == ::std::option::Option::Some(#code) || e.code() == ::std::option::Option::Some(#t) {
                            #hit
                        }
                    }
                }
            }
        });
    }
    // The paths' values on a successful poll (`None` on an error).
    let path_values = paths
        .iter()
        .map(|(_, _, ident, code)| quote!(let #ident = result.as_ref().ok().map(|output| #code);));
    if !invalid_acceptors.is_empty() {
        return Err(PathError::Invalid(invalid_acceptors.join("; ")));
    }
    if !unsupported_acceptors.is_empty() {
        return Err(PathError::Unsupported(unsupported_acceptors.join("; ")));
    }
    let min = w.min_delay;
    let max = w.max_delay;
    // `inputOutput` acceptors read the request's input too: built once, as sent.
    let (input_param, run) = match (&op.input, uses_input) {
        (Some(input), true) => {
            let input_ty = named(input, false);
            (
                quote!(waiter_input: ::std::option::Option<&#input_ty>,),
                quote! {
                    let waiter_input = call.as_input().clone().build().ok();
                    #rt::waiter::wait(timing, || call.clone().send(), |result| #classify(waiter_input.as_ref(), result)).await
                },
            )
        }
        _ => (
            quote!(),
            quote!(#rt::waiter::wait(timing, || call.clone().send(), #classify).await),
        ),
    };
    let setters = delegating_setters(ir, op, quote!(call));
    let docs = match &w.documentation {
        Some(d) => super::docs::html_doc_attrs(d),
        None => quote!(),
    };
    let doc = format!(
        " Waits, polling `{}`, until the `{name}` condition holds.",
        op.name
    );
    let wait_doc = format!(
        " Polls until an acceptor decides (every {min} s at first, backing off to {max} s, with jitter), or `max_wait` passes."
    );
    let method = format_ident!("wait_until_{}", crate::naming::module_name(name));
    let item = quote! {
        #[doc = #doc]
        #[doc = ""]
        #docs
        #[derive(Clone, Debug)]
        pub struct #waiter {
            call: #fluent,
        }

        impl #waiter {
            pub(crate) fn new(call: #fluent) -> Self {
                #waiter { call }
            }

            #setters

            #[doc = #wait_doc]
            pub async fn wait(self, max_wait: ::std::time::Duration) -> ::std::result::Result<#rt::waiter::FinalPoll<#out_ty, #error>, #rt::waiter::WaiterError<#out_ty, #error>> {
                let timing = #rt::waiter::WaiterTiming {
                    min_delay: ::std::time::Duration::from_secs(#min),
                    max_delay: ::std::time::Duration::from_secs(#max),
                    max_wait,
                };
                let call = self.call;
                #run
            }
        }

        fn #classify(#input_param result: &::std::result::Result<#out_ty, #rt::protocol::SdkError<#error>>) -> ::std::option::Option<(usize, #rt::waiter::AcceptorState)> {
            #(#path_values)*
            #(#arms)*
            ::std::option::Option::None
        }
    };
    let method_doc = format!(" Starts the `{name}` waiter (it polls `{}`).", op.name);
    let dep = if w.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let client_method = quote! {
        #[doc = #method_doc]
        #dep
        pub fn #method(&self) -> crate::operation::#module::#waiter {
            crate::operation::#module::#waiter::new(crate::operation::#module::#fluent::new(self.config().clone()))
        }
    };
    Ok((item, client_method))
}
