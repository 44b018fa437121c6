//! The async client: `Client`, its config module, and per-operation fluent builders whose
//! `send` runs the runtime's pipeline (endpoint → serialize → sign → send → parse → retry).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::html_doc_attrs;
use super::rust_types::{named, rt};
use super::structure::deprecated_attr;
use crate::ir::{Crate, OperationIr, StructRole, TypeRef};
use crate::naming::{builder_name, ident};

/// The environment-variable name of the service in `AWS_ENDPOINT_URL_<NAME>`: its SDK id in
/// upper case with spaces as underscores (AWS's rule for service-specific endpoints).
pub fn service_env_name(ir: &Crate) -> String {
    ir.service
        .sdk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `src/client.rs`.
pub fn client_file(ir: &Crate) -> TokenStream {
    let sdk = &ir.service.sdk_id;
    let methods = ir.operations.iter().map(|op| {
        let m = ident(&op.method_name);
        let fluent = format_ident!("{}FluentBuilder", op.type_name);
        let module = format_ident!("{}", op.snake_name);
        let docs = match &op.docs {
            Some(d) => html_doc_attrs(d),
            None => quote!(),
        };
        let dep = deprecated_attr(&op.deprecated);
        let call = format!(
            " Starts a `{}` call; set its input, then `.send().await`.",
            op.name
        );
        quote! {
            #[doc = #call]
            #[doc = ""]
            #docs
            #dep
            pub fn #m(&self) -> crate::operation::#module::#fluent {
                crate::operation::#module::#fluent::new(self.config.clone())
            }
        }
    });
    let doc =
        format!(" A client for {sdk}: one method per operation, each returning a fluent builder.");
    quote! {
        //! The async client.

        #[doc = #doc]
        ///
        /// Cheap to clone: clones share the configuration, the connection pool and the retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            config: crate::config::Config,
        }

        impl Client {
            /// A client with this configuration.
            pub fn new(config: &crate::config::Config) -> Self {
                Client { config: config.clone() }
            }

            /// A client configured from the environment (see [`crate::config::from_env`]).
            pub fn from_env() -> Self {
                Client::new(&crate::config::from_env())
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::config::Config {
                &self.config
            }

            #(#methods)*
        }
    }
}

/// `src/config.rs`; `sts`: the crate has the `sts` feature (aws-lite-credentials' chain).
pub fn config_file(ir: &Crate, sts: bool) -> TokenStream {
    let rt = rt();
    let env = service_env_name(ir);
    let doc = format!(
        " Configuration from the environment: region (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile,\n EC2 instance metadata), credentials (the default chain: environment, web identity, the\n shared `config`/`credentials` files and `AWS_PROFILE`, container credentials, EC2 instance\n metadata), endpoint URL (`AWS_ENDPOINT_URL_{env}`, then `AWS_ENDPOINT_URL`) and\n `AWS_MAX_ATTEMPTS`."
    );
    let doc = super::docs::doc_attrs(&doc.replace("\n ", "\n")[1..]);
    let (sts_doc, from_env_body) = if sts {
        (
            quote! {
                ///
                /// With the `sts` feature, the chain can assume roles through STS (web identity
                /// tokens, profiles with `role_arn`); without it, those sources report that the
                /// feature is needed.
            },
            quote! {
                let builder = Config::builder();
                #[cfg(feature = "sts")]
                let builder = builder.credentials_provider(::aws_lite_credentials::default_chain());
                builder.load_from_env(#env).build()
            },
        )
    } else {
        (
            quote!(),
            quote!(Config::builder().load_from_env(#env).build()),
        )
    };
    quote! {
        //! Client configuration: region, credentials, endpoint, retries, timeouts, transport.
        //!
        //! Everything a configuration takes is here, so this crate is the only dependency a
        //! program needs: credentials and their providers, idempotency token providers, and the
        //! transports (the built-in HTTPS one with the `default-https` feature, a mock for tests,
        //! and the trait to plug in your own).

        pub use #rt::client::{Config, ConfigBuilder, IdempotencyTokenProvider};
        pub use #rt::auth::{
            AssumeRoleCredentials, AssumeRoleRequest, CachedCredentials, ContainerCredentials,
            Credentials, DefaultCredentialsChain, EnvironmentCredentials, ImdsClient,
            ImdsCredentials, ImdsRegion, ProcessCredentials, ProfileCredentials,
            ProvideCredentials, SsoCredentials, SsoLogin, StsApi, WebIdentityCredentials,
        };
        pub use #rt::client::{MockTransport, Transport, TransportRequest};
        #[cfg(feature = "default-https")]
        pub use #rt::client::{HttpsTransport, HttpsTransportBuilder};

        #doc
        #sts_doc
        pub fn from_env() -> Config {
            #from_env_body
        }
    }
}

/// The fluent builder and the `send` of one operation (added to its module).
pub fn fluent(ir: &Crate, op: &OperationIr) -> TokenStream {
    let rt = rt();
    let fluent = format_ident!("{}FluentBuilder", op.type_name);
    let error = format_ident!("{}Error", op.type_name);
    let op_name = &op.name;
    let signing = ir
        .service
        .signing_name
        .clone()
        .unwrap_or_else(|| ir.service.sdk_id.to_lowercase());
    let input = op
        .input
        .as_ref()
        .and_then(|n| ir.structures.iter().find(|s| &s.name == n));
    let retryable: Vec<String> = op
        .errors
        .iter()
        .filter_map(|n| ir.structures.iter().find(|s| &s.name == n))
        .filter_map(|s| match &s.role {
            StructRole::Error(e) if e.retryable.is_some() => Some(e.code.clone()),
            _ => None,
        })
        .collect();
    let output_ty = match &op.output {
        Some(n) => named(n, false),
        None => quote!(()),
    };
    let (inner_field, inner_init, build_input, setters_tokens, as_input) = match input {
        Some(s) => {
            let builder = format_ident!("{}", builder_name(&s.name));
            let ty = quote!(crate::types::builders::#builder);
            let ms = super::structure::delegating_setters(s, quote!(inner));
            let build = if s.fallible_builder {
                quote!(self.inner.build()?)
            } else {
                quote!(self.inner.build())
            };
            (
                quote!(inner: #ty,),
                quote!(inner: ::std::default::Default::default(),),
                build,
                ms,
                quote! {
                    /// The input as set so far.
                    pub fn as_input(&self) -> &#ty {
                        &self.inner
                    }
                },
            )
        }
        None => (quote!(), quote!(), quote!(()), quote!(), quote!()),
    };
    let compression = op.request_compression;
    let auth = match op.auth {
        crate::ir::OperationAuth::SigV4 => quote!(SigV4),
        crate::ir::OperationAuth::Optional => quote!(OptionalSigV4),
        crate::ir::OperationAuth::None => quote!(None),
    };
    // Unset idempotency tokens come from the config's provider (tests can fix them).
    let token_fields: Vec<_> = input
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| f.idempotency_token && f.optional && f.ty == TypeRef::String)
                .collect()
        })
        .unwrap_or_default();
    let (build_input, tokens) = if token_fields.is_empty() {
        (quote!(let input = #build_input;), quote!())
    } else {
        let idents = token_fields.iter().map(|f| ident(&f.name));
        (
            quote!(let mut input = #build_input;),
            quote! {
                #(
                    if input.#idents.is_none() {
                        input.#idents = ::std::option::Option::Some(self.config.idempotency_token());
                    }
                )*
            },
        )
    };
    let host_prefix = match (&op.host_prefix, input) {
        (Some(template), Some(s)) => host_prefix_code(template, s),
        (Some(template), None) => {
            let template = template.as_str();
            quote! {
                let endpoint = if self.config.disable_host_prefix() { endpoint } else {
                    endpoint.with_host_prefix(#template).map_err(#rt::protocol::SdkError::Endpoint)?
                };
            }
        }
        (None, _) => quote!(),
    };
    let doc =
        format!(" A `{op_name}` call being set up: set its input, then [`send`](Self::send) it.");
    let send_doc = format!(
        " Sends the `{op_name}` request: checks the input, resolves the endpoint, signs with SigV4,\n retries as AWS SDKs' standard mode does, and parses the response."
    );
    let send_doc = super::docs::doc_attrs(&send_doc.replace("\n ", "\n")[1..]);
    quote! {
        const SPEC: #rt::client::OperationSpec = #rt::client::OperationSpec {
            name: #op_name,
            signing_name: #signing,
            retryable_codes: &[#(#retryable),*],
            request_compression: #compression,
            auth: #rt::client::OperationAuth::#auth,
        };

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #fluent {
            config: crate::config::Config,
            #inner_field
        }

        impl #fluent {
            pub(crate) fn new(config: crate::config::Config) -> Self {
                #fluent { config, #inner_init }
            }

            #setters_tokens
            #as_input

            #send_doc
            pub async fn send(self) -> ::std::result::Result<#output_ty, #rt::protocol::SdkError<#error>> {
                #build_input
                #tokens
                let request = serialize_request(&input)?;
                self.config.load_region().await;
                let endpoint = crate::endpoint::resolve_for(&self.config).map_err(#rt::protocol::SdkError::Endpoint)?;
                #host_prefix
                #rt::client::invoke(&self.config, &SPEC, &endpoint, request, parse_response).await
            }
        }
    }
}

/// Puts the operation's host prefix before the endpoint's host, with each `{Label}` filled
/// from its `hostLabel` member, checked to be a valid host label first.
fn host_prefix_code(template: &str, input: &crate::ir::StructureIr) -> TokenStream {
    let rt = rt();
    let shape = input.id.name();
    let mut format = String::new();
    let mut args = Vec::new();
    let mut checks = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('}', "}}"));
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let label = &after[..close];
        if let Some(f) = input.fields.iter().find(|f| f.member_name == label) {
            let field = ident(&f.name);
            let value = format_ident!("label_{}", f.name);
            let get = if f.optional {
                quote!(input.#field.as_deref().unwrap_or_default())
            } else {
                quote!(input.#field.as_str())
            };
            let msg = format!(
                "`{label}` fills the host prefix `{template}`: it must be 1 to 63 letters, digits or hyphens, not starting with a hyphen"
            );
            checks.push(quote! {
                let #value = #get;
                if !#rt::endpoint::is_host_label(#value) {
                    return ::std::result::Result::Err(#rt::protocol::SdkError::Build(
                        #rt::BuildError::invalid_member(#shape, #label, ::std::string::String::from(#msg)),
                    ));
                }
            });
            args.push(value);
        }
        format.push_str("{}");
        rest = &after[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    quote! {
        let endpoint = if self.config.disable_host_prefix() { endpoint } else {
            #(#checks)*
            endpoint
                .with_host_prefix(&::std::format!(#format, #(#args),*))
                .map_err(#rt::protocol::SdkError::Endpoint)?
        };
    }
}

/// `src/endpoint.rs`: the rule set as data (when the model has one), its test cases, and
/// `resolve_for`, which feeds the rule set's built-in parameters from the client's config.
pub fn endpoint_file(ir: &Crate) -> Result<TokenStream, String> {
    let rt = rt();
    let Some(rules) = &ir.service.endpoint_rule_set else {
        // No rule set: a custom endpoint, else the classic `https://{prefix}.{region}.amazonaws.com`.
        let prefix = ir
            .service
            .signing_name
            .clone()
            .unwrap_or_else(|| ir.service.sdk_id.to_lowercase());
        let url = format!("https://{prefix}.{{region}}.amazonaws.com");
        return Ok(quote! {
            //! Endpoint resolution: the model has no rule set, so a custom endpoint URL or the
            //! service's regional default is used.

            /// The endpoint for a call made with `config`.
            pub(crate) fn resolve_for(config: &crate::config::Config) -> ::std::result::Result<#rt::endpoint::Endpoint, #rt::endpoint::EndpointError> {
                let url = match (config.endpoint_url(), config.region()) {
                    (::std::option::Option::Some(url), _) => url.to_string(),
                    (::std::option::Option::None, ::std::option::Option::Some(region)) => ::std::format!(#url, region = region),
                    (::std::option::Option::None, ::std::option::Option::None) => {
                        return ::std::result::Result::Err(#rt::endpoint::EndpointError::new(
                            #rt::endpoint::EndpointErrorKind::Rule,
                            "Invalid Configuration: Missing Region",
                        ))
                    }
                };
                ::std::result::Result::Ok(#rt::endpoint::Endpoint { url, headers: ::std::vec::Vec::new(), properties: #rt::Document::Object(::std::default::Default::default()) })
            }
        });
    };
    let data = super::endpoint::rules_file(rules)?;
    let service_id = ir.service.id.to_string();
    let tests = match &ir.service.endpoint_tests {
        Some(t) => super::endpoint::tests_file(t)?,
        None => quote!(),
    };
    let mut sets = Vec::new();
    if let Some(serde_json::Value::Object(params)) = rules.get("parameters") {
        for (name, p) in params {
            sets.push(match p.get("builtIn").and_then(serde_json::Value::as_str) {
                Some("AWS::Region") => quote! {
                    if let ::std::option::Option::Some(region) = config.region() {
                        params = params.set_str(#name, region);
                    }
                },
                Some("AWS::UseFIPS") => quote!(params = params.set_bool(#name, config.use_fips());),
                Some("AWS::UseDualStack") => {
                    quote!(params = params.set_bool(#name, config.use_dual_stack());)
                }
                Some("SDK::Endpoint") => quote! {
                    if let ::std::option::Option::Some(url) = config.endpoint_url() {
                        params = params.set_str(#name, url);
                    }
                },
                _ => quote!(),
            });
        }
    }
    Ok(quote! {
        #data

        /// The endpoint for a call made with `config`: its region, FIPS and dual-stack switches and
        /// custom endpoint URL are the rule set's built-in parameters.
        /// Resolved once per config (and region), then cached in the config.
        pub(crate) fn resolve_for(config: &crate::config::Config) -> ::std::result::Result<#rt::endpoint::Endpoint, #rt::endpoint::EndpointError> {
            config.cached_endpoint(#service_id, |config| {
                #[allow(unused_mut)]
                let mut params = #rt::endpoint::Params::new();
                #(#sets)*
                resolve(&params)
            })
        }

        #tests
    })
}
