//! Credentials and the providers that find them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// An AWS access key pair, with the session token and expiry of temporary credentials.
///
/// `Debug` shows the access key id and redacts the secret key and session token.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    /// The SigV4 signing key last derived from this secret (shared by clones, so the four
    /// HMACs of the derivation run once a day per region and service, not per request).
    pub(crate) signing_key: Arc<Mutex<Option<SigningKey>>>,
}

/// A derived SigV4 signing key and the scope it is for.
#[derive(Clone)]
pub(crate) struct SigningKey {
    pub(crate) date: [u8; 8],
    pub(crate) region: String,
    pub(crate) service: String,
    /// HMAC-SHA256 already keyed with the derived key: a signature clones it, so the two
    /// SHA-256 blocks of keying are not hashed again on every request.
    pub(crate) mac: hmac::Hmac<sha2::Sha256>,
}

impl Credentials {
    /// Credentials from an access key id, secret access key and optional session token (an
    /// empty token counts as none).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|token| !token.is_empty()),
            expiry: None,
            signing_key: Arc::default(),
        }
    }

    /// The access key id (`AKIA…` or, for temporary credentials, `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop working, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The same credentials, expiring at `expiry`.
    #[must_use]
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why no credentials could be provided. The message never contains a secret.
#[derive(Debug, Clone)]
pub struct CredentialsError {
    message: String,
    /// The provider found nothing to use (as opposed to finding something wrong), so a chain
    /// may go on to the next provider.
    not_found: bool,
}

impl CredentialsError {
    /// An error with this message, for implementations of [`ProvideCredentials`]. The message
    /// must not contain secrets.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: false,
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: true,
        }
    }

    /// Whether the provider found nothing to use (so a chain may try the next one), as
    /// opposed to finding something wrong.
    pub fn is_not_found(&self) -> bool {
        self.not_found
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// A boxed, `Send` future, as returned by [`ProvideCredentials`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of credentials, asked before each request is signed.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials, or why there are none.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Static credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`,
/// read each time credentials are asked for.
///
/// Empty values count as unset; surrounding whitespace is ignored. Setting only one of the
/// key id and the secret is an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl EnvironmentCredentials {
    pub(crate) fn load() -> Result<Credentials, CredentialsError> {
        let id = env_credential("AWS_ACCESS_KEY_ID")?;
        let secret = env_credential("AWS_SECRET_ACCESS_KEY")?;
        let token = env_credential("AWS_SESSION_TOKEN")?;
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, token)),
            (None, None) => Err(CredentialsError::not_found(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(CredentialsError::new(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::new(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Self::load() })
    }
}

/// A non-empty, trimmed environment variable; not-Unicode is an error (naming only the
/// variable).
fn env_credential(name: &str) -> Result<Option<String>, CredentialsError> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) => match value.to_str() {
            Some(value) => Ok(Some(value.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)),
            None => Err(CredentialsError::new(format!(
                "{name} is not valid Unicode"
            ))),
        },
    }
}
