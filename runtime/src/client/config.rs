//! Client configuration: region, credentials, endpoint override, retries, timeouts, transport.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::retry::{RetryQuota, DEFAULT_RETRY_QUOTA};
use super::transport::Transport;
use crate::auth::{
    CachedCredentials, Credentials, CredentialsError, ImdsClient, ImdsRegion, ProvideCredentials,
};
use crate::endpoint::{Endpoint, EndpointError};

/// Attempts per call when none is configured (the first try and two retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// A failed region lookup in instance metadata is tried again after this long.
const REGION_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The base of the exponential backoff when none is configured.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The cap of the exponential backoff when none is configured.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);
/// The connect timeout of the default transport when none is configured (AWS SDKs'
/// "standard" defaults mode).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// What a client needs to call a service. Cheap to clone: clones share one copy, one
/// connection pool and one retry quota.
///
/// ```no_run
/// use std::time::Duration;
/// use aws_lite_runtime::client::Config;
///
/// let config = Config::builder()
///     .region("eu-west-1")
///     .max_attempts(5)
///     .operation_timeout(Duration::from_secs(30))
///     .load_from_env("ELASTICACHE") // credentials and anything else unset
///     .build();
/// assert_eq!(config.region(), Some("eu-west-1"));
/// ```
#[derive(Clone)]
pub struct Config {
    inner: Arc<Inner>,
}

struct Inner {
    region: Option<String>,
    /// Where to find the region at the first call when none was set (instance metadata).
    region_provider: Option<ImdsRegion>,
    /// The provider's answer, once it has one.
    provided_region: std::sync::OnceLock<String>,
    /// Held by the one call looking the region up.
    region_lookup: tokio::sync::Mutex<()>,
    /// When the last lookup failed.
    region_failed_at: Mutex<Option<std::time::Instant>>,
    /// Resolved endpoints by service and region: a config's endpoint parameters do not change,
    /// so each service's rule set runs once (see [`Config::cached_endpoint`]).
    endpoints: Mutex<Vec<(&'static str, Option<String>, Endpoint)>>,
    credentials: Option<CredentialsSource>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    app_name: Option<String>,
    user_agent: String,
    transport: Option<Arc<dyn Transport>>,
    retry_quota: RetryQuota,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
    disable_host_prefix: bool,
    idempotency_token_provider: IdempotencyTokenProvider,
}

/// Where fluent calls get the idempotency tokens of members the caller left unset: a fresh
/// random UUID v4 by default; a fixed or scripted one in tests.
#[derive(Clone)]
pub struct IdempotencyTokenProvider(Option<Arc<dyn Fn() -> String + Send + Sync>>);

impl IdempotencyTokenProvider {
    /// Random UUID v4 tokens (the default).
    pub fn random() -> Self {
        IdempotencyTokenProvider(None)
    }

    /// The same token every time (for tests that compare request bodies).
    pub fn fixed(token: impl Into<String>) -> Self {
        let token = token.into();
        IdempotencyTokenProvider(Some(Arc::new(move || token.clone())))
    }

    /// Tokens from a function.
    pub fn from_fn(f: impl Fn() -> String + Send + Sync + 'static) -> Self {
        IdempotencyTokenProvider(Some(Arc::new(f)))
    }

    /// The next token.
    pub fn token(&self) -> String {
        match &self.0 {
            Some(f) => f(),
            None => crate::protocol::idempotency_token(),
        }
    }
}

impl Default for IdempotencyTokenProvider {
    fn default() -> Self {
        Self::random()
    }
}

impl fmt::Debug for IdempotencyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "custom" } else { "random" })
    }
}

/// The AWS SDKs' default minimum size of a request body worth compressing.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest `request_min_compression_size_bytes` the AWS SDKs accept (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

enum CredentialsSource {
    Static(Credentials),
    Provider(CachedCredentials),
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder starting from this config's settings (sharing its credentials provider and its
    /// credentials cache, and the transport; the built config gets a fresh retry quota).
    pub fn to_builder(&self) -> ConfigBuilder {
        let i = &self.inner;
        ConfigBuilder {
            region: i.region.clone(),
            region_provider: i.region_provider.clone(),
            credentials: i.credentials.as_ref().map(|c| match c {
                CredentialsSource::Static(c) => BuilderCredentials::Static(c.clone()),
                CredentialsSource::Provider(cache) => BuilderCredentials::Cached(cache.clone()),
            }),
            endpoint_url: i.endpoint_url.clone(),
            use_fips: Some(i.use_fips),
            use_dual_stack: Some(i.use_dual_stack),
            max_attempts: Some(i.max_attempts),
            initial_backoff: Some(i.initial_backoff),
            max_backoff: Some(i.max_backoff),
            connect_timeout: Some(i.connect_timeout),
            attempt_timeout: i.attempt_timeout,
            operation_timeout: i.operation_timeout,
            app_name: i.app_name.clone(),
            transport: i.transport.clone(),
            retry_quota: Some(i.retry_quota.capacity()),
            disable_request_compression: Some(i.disable_request_compression),
            request_min_compression_size_bytes: Some(i.request_min_compression_size_bytes),
            disable_host_prefix: Some(i.disable_host_prefix),
            idempotency_token_provider: Some(i.idempotency_token_provider.clone()),
        }
    }

    /// The region requests are signed for and endpoints resolved in.
    pub fn region(&self) -> Option<&str> {
        self.inner
            .region
            .as_deref()
            .or_else(|| self.inner.provided_region.get().map(String::as_str))
    }

    /// The endpoint of `service` (any key naming the rule set, e.g. the service shape id) for
    /// this config: `resolve` runs the first time, or when the region has changed since;
    /// generated clients call this on every request. Errors are not cached.
    pub fn cached_endpoint(
        &self,
        service: &'static str,
        resolve: impl FnOnce(&Config) -> Result<Endpoint, EndpointError>,
    ) -> Result<Endpoint, EndpointError> {
        let region = self.region();
        {
            let cache = self
                .inner
                .endpoints
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some((_, _, endpoint)) = cache
                .iter()
                .find(|(s, r, _)| *s == service && r.as_deref() == region)
            {
                return Ok(endpoint.clone());
            }
        }
        let endpoint = resolve(self)?;
        let mut cache = self
            .inner
            .endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        cache.retain(|(s, _, _)| *s != service);
        cache.push((service, region.map(str::to_owned), endpoint.clone()));
        Ok(endpoint)
    }

    /// Asks the region provider (instance metadata, see
    /// [`ConfigBuilder::load_from_env`]) once, when no region was set; generated clients call
    /// this before resolving an endpoint. Concurrent first calls share one lookup; a failed
    /// lookup is logged, leaves the region unset, and is tried again a minute later.
    pub async fn load_region(&self) {
        let i = &self.inner;
        let (None, Some(provider)) = (&i.region, &i.region_provider) else {
            return;
        };
        if i.provided_region.get().is_some() {
            return;
        }
        // One lookup at a time; a failed one is remembered for a minute, so a machine without
        // instance metadata does not wait on every call, and a hiccup on EC2 heals.
        let _guard = i.region_lookup.lock().await;
        if i.provided_region.get().is_some() {
            return;
        }
        let failed_at = *i.region_failed_at.lock().unwrap_or_else(|e| e.into_inner());
        if failed_at.is_some_and(|at| at.elapsed() < REGION_RETRY_AFTER) {
            return;
        }
        match provider.region().await {
            Ok(region) => {
                let _ = i.provided_region.set(region);
            }
            Err(e) => {
                tracing::debug!(error = %e, "no region from instance metadata");
                *i.region_failed_at.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(std::time::Instant::now());
            }
        }
    }

    /// The endpoint URL that overrides endpoint resolution, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.inner.use_fips
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.inner.use_dual_stack
    }

    /// Attempts per call, the first one included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.inner.max_attempts
    }

    /// The base delay of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.inner.initial_backoff
    }

    /// The cap of the exponential backoff.
    pub fn max_backoff(&self) -> Duration {
        self.inner.max_backoff
    }

    /// The connect timeout given to the default transport.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.inner.connect_timeout
    }

    /// The limit on one attempt (sending and reading the whole response), if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.attempt_timeout
    }

    /// The limit on a whole call, retries and backoff included, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.inner.operation_timeout
    }

    /// The application name appended to the user agent, if any.
    pub fn app_name(&self) -> Option<&str> {
        self.inner.app_name.as_deref()
    }

    /// The `user-agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Whether credentials (static or a provider) are configured.
    pub fn has_credentials(&self) -> bool {
        self.inner.credentials.is_some()
    }

    /// The transport, if one is configured (always, with the `default-https` feature).
    pub fn transport(&self) -> Option<&Arc<dyn Transport>> {
        self.inner.transport.as_ref()
    }

    /// The size of the retry quota (tokens).
    pub fn retry_quota_capacity(&self) -> u32 {
        self.inner.retry_quota.capacity()
    }

    /// Whether operations with `requestCompression` send their bodies uncompressed.
    pub fn disable_request_compression(&self) -> bool {
        self.inner.disable_request_compression
    }

    /// The smallest request body that operations with `requestCompression` compress.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.inner.request_min_compression_size_bytes
    }

    /// Whether operations with a host prefix (`smithy.api#endpoint`) leave the host alone.
    pub fn disable_host_prefix(&self) -> bool {
        self.inner.disable_host_prefix
    }

    /// A token for an idempotency-token member the caller left unset.
    pub fn idempotency_token(&self) -> String {
        self.inner.idempotency_token_provider.token()
    }

    /// Tokens left in the retry quota now.
    pub fn retry_quota_available(&self) -> u32 {
        self.inner.retry_quota.available()
    }

    pub(crate) fn retry_quota(&self) -> &RetryQuota {
        &self.inner.retry_quota
    }

    /// Credentials for a call: the static ones, or the provider's through a
    /// [`CachedCredentials`] (reused until shortly before they expire, one refresh at a time).
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        match &self.inner.credentials {
            None => Err(CredentialsError::not_found(
                "no credentials configured: set them on the config builder, or call \
                 load_from_env to use the environment, the shared files and profiles",
            )),
            Some(CredentialsSource::Static(c)) => Ok(c.clone()),
            Some(CredentialsSource::Provider(cache)) => cache.get().await,
        }
    }
}

impl fmt::Debug for Config {
    /// Never prints credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let credentials: &dyn fmt::Debug = match &i.credentials {
            None => &"none",
            Some(CredentialsSource::Static(c)) => c,
            Some(CredentialsSource::Provider(cache)) => cache.provider(),
        };
        f.debug_struct("Config")
            .field("region", &i.region)
            .field("credentials", &credentials)
            .field("endpoint_url", &i.endpoint_url)
            .field("use_fips", &i.use_fips)
            .field("use_dual_stack", &i.use_dual_stack)
            .field("max_attempts", &i.max_attempts)
            .field("initial_backoff", &i.initial_backoff)
            .field("max_backoff", &i.max_backoff)
            .field("connect_timeout", &i.connect_timeout)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("operation_timeout", &i.operation_timeout)
            .field("user_agent", &i.user_agent)
            .field("transport", &i.transport)
            .field("retry_quota", &i.retry_quota)
            .field(
                "disable_request_compression",
                &i.disable_request_compression,
            )
            .field(
                "request_min_compression_size_bytes",
                &i.request_min_compression_size_bytes,
            )
            .field("disable_host_prefix", &i.disable_host_prefix)
            .field("idempotency_token_provider", &i.idempotency_token_provider)
            .finish()
    }
}

#[derive(Clone)]
enum BuilderCredentials {
    Static(Credentials),
    Provider(Arc<dyn ProvideCredentials>),
    /// From [`Config::to_builder`]: the same cache, so derived configs share credentials.
    Cached(CachedCredentials),
}

/// Builds a [`Config`]. Every setting is optional; [`load_from_env`](Self::load_from_env)
/// fills the unset ones from the environment and the shared AWS files.
#[derive(Default, Clone)]
pub struct ConfigBuilder {
    region: Option<String>,
    region_provider: Option<ImdsRegion>,
    credentials: Option<BuilderCredentials>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    max_attempts: Option<u32>,
    initial_backoff: Option<Duration>,
    max_backoff: Option<Duration>,
    connect_timeout: Option<Option<Duration>>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    app_name: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    retry_quota: Option<u32>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    disable_host_prefix: Option<bool>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
}

impl ConfigBuilder {
    /// The region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where credentials come from (fetched on the first call, cached until shortly before
    /// they expire).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(BuilderCredentials::Provider(Arc::new(provider)));
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(BuilderCredentials::Static(credentials));
        self
    }

    /// Sends every request to this URL (e.g. `http://localhost:4566`) instead of the one the
    /// endpoint rules resolve.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints. Default false.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints. Default false.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// Attempts per call, the first one included. Default 3; 1 turns retries off (0 counts
    /// as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The base delay of the exponential backoff: the delay before retry `n` is random
    /// between zero and `min(initial_backoff × 2^(n−1), max_backoff)`. Default 1 s.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = Some(delay);
        self
    }

    /// The cap of the exponential backoff. Default 20 s.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = Some(delay);
        self
    }

    /// The connect timeout of the default transport (default 3.1 s). A transport given with
    /// [`transport`](Self::transport) keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(Some(timeout));
        self
    }

    /// The limit on one attempt: sending the request and reading the whole response. An
    /// attempt that times out is retried. Default none.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The limit on a whole call: credentials, every attempt and the backoff between them.
    /// Default none.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// An application name, appended to the user agent as `app/<name>`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Sends requests through this transport instead of the default HTTPS one (your own
    /// HTTP stack, or a [`MockTransport`](super::MockTransport) in tests).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The size of the retry quota in tokens (default 500; a retry takes 5, 10 after a
    /// timeout). Mostly for tests.
    pub fn retry_quota(mut self, tokens: u32) -> Self {
        self.retry_quota = Some(tokens);
        self
    }

    /// Sends the bodies of operations with `requestCompression` uncompressed (default: false;
    /// `AWS_DISABLE_REQUEST_COMPRESSION` or the profile's `disable_request_compression`).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The smallest body those operations compress, in bytes: 0 to 10485760 (default 10240;
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` or the profile's
    /// `request_min_compression_size_bytes`). Larger values are capped at 10485760.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE));
        self
    }

    /// Leaves the host alone for operations whose model adds a host prefix
    /// (`smithy.api#endpoint`), e.g. behind a proxy that does not route prefixed hosts.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = Some(disable);
        self
    }

    /// Where fluent calls get idempotency tokens the caller left unset (default: random
    /// UUID v4s); [`IdempotencyTokenProvider::fixed`] makes request bodies repeatable in tests.
    pub fn idempotency_token_provider(mut self, provider: IdempotencyTokenProvider) -> Self {
        self.idempotency_token_provider = Some(provider);
        self
    }

    /// Fills what is unset from the environment and the shared AWS files:
    /// - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then EC2 instance
    ///   metadata (asked at the first call);
    /// - credentials: the [default chain](crate::auth::DefaultCredentialsChain) (environment,
    ///   web identity, profile, container, instance metadata; without an STS client);
    /// - endpoint URL: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the profile's
    ///   `endpoint_url` (none of them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`);
    /// - max attempts: `AWS_MAX_ATTEMPTS`, then the profile's `max_attempts`;
    /// - FIPS and dual-stack: `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, then
    ///   the profile's `use_fips_endpoint` / `use_dualstack_endpoint`;
    /// - request compression: `AWS_DISABLE_REQUEST_COMPRESSION` and
    ///   `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, then the profile's
    ///   `disable_request_compression` and `request_min_compression_size_bytes`.
    ///
    /// `service_env_name` is the service's name for environment variables, e.g.
    /// `ELASTICACHE` (upper-cased, spaces and dashes become underscores).
    pub fn load_from_env(mut self, service_env_name: &str) -> Self {
        if self.region.is_none() {
            self.region = crate::auth::region_from_env();
        }
        if self.region.is_none() && self.region_provider.is_none() {
            // Looked up at the first call (it is a network request); off when
            // AWS_EC2_METADATA_DISABLED is true.
            let imds = ImdsClient::from_env();
            if !imds.is_disabled() {
                self.region_provider = Some(ImdsRegion::with_client(imds));
            }
        }
        if self.credentials.is_none() {
            self.credentials = Some(BuilderCredentials::Provider(Arc::new(
                crate::auth::DefaultCredentialsChain::new(),
            )));
        }
        if self.endpoint_url.is_none() && !env_flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", None) {
            let service: String = service_env_name
                .chars()
                .map(|c| match c {
                    ' ' | '-' => '_',
                    c => c.to_ascii_uppercase(),
                })
                .collect();
            self.endpoint_url = env_value(&format!("AWS_ENDPOINT_URL_{service}"))
                .or_else(|| env_value("AWS_ENDPOINT_URL"))
                .or_else(|| profile("endpoint_url"));
        }
        if self.max_attempts.is_none() {
            let (source, value) = match env_value("AWS_MAX_ATTEMPTS") {
                Some(v) => ("AWS_MAX_ATTEMPTS", Some(v)),
                None => ("the profile's max_attempts", profile("max_attempts")),
            };
            if let Some(v) = value {
                match v.trim().parse::<u32>() {
                    Ok(n) if n >= 1 => self.max_attempts = Some(n),
                    _ => tracing::warn!(value = %v, "ignoring {source}: not a positive integer"),
                }
            }
        }
        if self.use_fips.is_none() {
            self.use_fips = Some(env_flag("AWS_USE_FIPS_ENDPOINT", Some("use_fips_endpoint")));
        }
        if self.use_dual_stack.is_none() {
            self.use_dual_stack = Some(env_flag(
                "AWS_USE_DUALSTACK_ENDPOINT",
                Some("use_dualstack_endpoint"),
            ));
        }
        if self.disable_request_compression.is_none() {
            self.disable_request_compression = Some(env_flag(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                Some("disable_request_compression"),
            ));
        }
        if self.request_min_compression_size_bytes.is_none() {
            let (source, value) = match env_value("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
                Some(v) => ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", Some(v)),
                None => (
                    "the profile's request_min_compression_size_bytes",
                    profile("request_min_compression_size_bytes"),
                ),
            };
            if let Some(v) = value {
                match v.trim().parse::<u32>() {
                    Ok(n) if n <= MAX_MIN_COMPRESSION_SIZE => {
                        self.request_min_compression_size_bytes = Some(n)
                    }
                    _ => tracing::warn!(
                        value = %v,
                        "ignoring {source}: not an integer from 0 to {MAX_MIN_COMPRESSION_SIZE}"
                    ),
                }
            }
        }
        self
    }

    /// The config. Without a transport, the default HTTPS one is made (with the
    /// `default-https` feature; without it, calls fail with a transport error saying so).
    pub fn build(self) -> Config {
        let connect_timeout = self
            .connect_timeout
            .unwrap_or(Some(DEFAULT_CONNECT_TIMEOUT));
        let transport = self
            .transport
            .or_else(|| default_transport(connect_timeout));
        let app_name = self.app_name.filter(|n| !n.is_empty());
        let mut user_agent = format!("aws-lite-runtime/{}", env!("CARGO_PKG_VERSION"));
        if let Some(name) = &app_name {
            user_agent.push_str(" app/");
            // Header values must be visible ASCII; anything else becomes '_'.
            user_agent.extend(
                name.chars()
                    .map(|c| if c.is_ascii_graphic() { c } else { '_' }),
            );
        }
        Config {
            inner: Arc::new(Inner {
                region: self.region.filter(|r| !r.is_empty()),
                region_provider: self.region_provider,
                provided_region: std::sync::OnceLock::new(),
                region_lookup: tokio::sync::Mutex::new(()),
                region_failed_at: Mutex::new(None),
                endpoints: Mutex::new(Vec::new()),
                credentials: self.credentials.map(|c| match c {
                    BuilderCredentials::Static(c) => CredentialsSource::Static(c),
                    BuilderCredentials::Provider(provider) => {
                        CredentialsSource::Provider(CachedCredentials::from_arc(provider))
                    }
                    BuilderCredentials::Cached(cache) => CredentialsSource::Provider(cache),
                }),
                endpoint_url: self.endpoint_url.filter(|u| !u.is_empty()),
                use_fips: self.use_fips.unwrap_or(false),
                use_dual_stack: self.use_dual_stack.unwrap_or(false),
                max_attempts: self.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS).max(1),
                initial_backoff: self.initial_backoff.unwrap_or(DEFAULT_INITIAL_BACKOFF),
                max_backoff: self.max_backoff.unwrap_or(DEFAULT_MAX_BACKOFF),
                connect_timeout,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                app_name,
                user_agent,
                transport,
                retry_quota: RetryQuota::new(self.retry_quota.unwrap_or(DEFAULT_RETRY_QUOTA)),
                disable_request_compression: self.disable_request_compression.unwrap_or(false),
                request_min_compression_size_bytes: self
                    .request_min_compression_size_bytes
                    .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE),
                disable_host_prefix: self.disable_host_prefix.unwrap_or(false),
                idempotency_token_provider: self.idempotency_token_provider.unwrap_or_default(),
            }),
        }
    }
}

impl fmt::Debug for ConfigBuilder {
    /// Never prints credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("credentials_set", &self.credentials.is_some())
            .field("endpoint_url", &self.endpoint_url)
            .field("max_attempts", &self.max_attempts)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "default-https")]
pub(crate) fn default_transport(connect_timeout: Option<Duration>) -> Option<Arc<dyn Transport>> {
    Some(Arc::new(
        super::HttpsTransport::builder()
            .connect_timeout(connect_timeout)
            .build(),
    ))
}

#[cfg(not(feature = "default-https"))]
pub(crate) fn default_transport(_connect_timeout: Option<Duration>) -> Option<Arc<dyn Transport>> {
    None
}

/// An environment variable's value, unset when empty.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn profile(key: &str) -> Option<String> {
    crate::auth::profile_value(key).filter(|v| !v.trim().is_empty())
}

/// A boolean setting: the variable, else the profile key; `true` (any case) is true.
fn env_flag(var: &str, profile_key: Option<&str>) -> bool {
    env_value(var)
        .or_else(|| profile_key.and_then(profile))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}
