//! Credentials and the providers that find them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use super::profile::{self, ProfileFiles};

/// An AWS access key pair, with the session token and expiry of temporary credentials.
///
/// `Debug` shows the access key id and redacts the secret key and session token.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
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

    fn not_found(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: true,
        }
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
    fn load() -> Result<Credentials, CredentialsError> {
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

/// Static keys of a named profile in the shared `credentials` and `config` files.
///
/// The files are `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections
/// `[name]`) and `AWS_CONFIG_FILE` (default `~/.aws/config`, sections `[profile name]` and
/// `[default]`); where both set a key, the `credentials` file wins. The keys read are
/// `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`. Profiles that get
/// credentials another way (`role_arn`, `web_identity_token_file`, `sso_*`,
/// `credential_process`) are reported as not supported. The files are read each time
/// credentials are asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileCredentials {
    profile: String,
}

impl ProfileCredentials {
    /// The profile named by `AWS_PROFILE` (read now), else `default`.
    pub fn new() -> Self {
        Self {
            profile: profile::active_profile_name(),
        }
    }

    /// The profile `name`.
    pub fn with_profile(name: &str) -> Self {
        Self {
            profile: name.to_owned(),
        }
    }

    /// The profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let files = ProfileFiles::load().map_err(CredentialsError::new)?;
        let name = self.profile.as_str();
        let Some(profile) = files.profile(name) else {
            return Err(CredentialsError::not_found(format!(
                "profile '{name}' not found in {}",
                files.describe()
            )));
        };
        let get = |key: &str| profile.get(key).filter(|v| !v.is_empty());
        // Sources that the AWS SDKs use before static keys.
        for (key, what) in [
            ("role_arn", "assuming a role (role_arn)"),
            (
                "web_identity_token_file",
                "web identity federation (web_identity_token_file)",
            ),
            ("sso_session", "IAM Identity Center / SSO (sso_session)"),
            ("sso_start_url", "IAM Identity Center / SSO (sso_start_url)"),
            (
                "sso_account_id",
                "IAM Identity Center / SSO (sso_account_id)",
            ),
        ] {
            if get(key).is_some() {
                return Err(unsupported(name, what));
            }
        }
        match (get("aws_access_key_id"), get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => Ok(Credentials::new(
                id,
                secret,
                get("aws_session_token").cloned(),
            )),
            (Some(_), None) => Err(CredentialsError::new(format!(
                "profile '{name}' has aws_access_key_id but no aws_secret_access_key ({})",
                files.describe()
            ))),
            (None, Some(_)) => Err(CredentialsError::new(format!(
                "profile '{name}' has aws_secret_access_key but no aws_access_key_id ({})",
                files.describe()
            ))),
            (None, None) if get("credential_process").is_some() => Err(unsupported(
                name,
                "an external credential process (credential_process)",
            )),
            (None, None) => Err(CredentialsError::not_found(format!(
                "profile '{name}' has no aws_access_key_id/aws_secret_access_key ({})",
                files.describe()
            ))),
        }
    }
}

impl Default for ProfileCredentials {
    /// As [`ProfileCredentials::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

fn unsupported(profile: &str, what: &str) -> CredentialsError {
    CredentialsError::new(format!(
        "profile '{profile}' gets credentials by {what}, which this client does not support; \
         give the profile static keys (aws_access_key_id, aws_secret_access_key and optionally \
         aws_session_token) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for example \
         from `aws configure export-credentials --profile {profile} --format env`)"
    ))
}

/// The environment, then the profile (`AWS_PROFILE`, else `default`).
///
/// The first provider that finds credentials wins. A provider that finds something wrong
/// (only one of the key pair set, an unsupported profile, an unreadable file) stops the
/// chain with its error; when neither finds anything, the error lists what was tried.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultCredentialsChain;

impl DefaultCredentialsChain {
    fn load() -> Result<Credentials, CredentialsError> {
        let env_error = match EnvironmentCredentials::load() {
            Ok(credentials) => return Ok(credentials),
            Err(e) if !e.not_found => return Err(e),
            Err(e) => e,
        };
        let profile = ProfileCredentials::new();
        let profile_error = match profile.load() {
            Ok(credentials) => return Ok(credentials),
            Err(e) if !e.not_found => return Err(e),
            Err(e) => e,
        };
        Err(CredentialsError::not_found(format!(
            "no AWS credentials found; tried: environment ({env_error}); shared config files \
             ({profile_error})"
        )))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Self::load() })
    }
}
