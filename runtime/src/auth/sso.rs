//! IAM Identity Center (SSO): the token `aws sso login` cached, exchanged for role
//! credentials at the SSO portal.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha1::{Digest, Sha1};

use super::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use super::env::env_value;
use super::http::{body_excerpt, HttpClient};
use crate::client::Transport;
use crate::json::Json;
use crate::query::percent_encode;
use crate::{DateTime, TimestampFormat};

const TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 3;

/// Which login a cached token belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SsoLogin {
    /// An `[sso-session NAME]` section (the token cache file is named for the session).
    Session(String),
    /// A profile with `sso_start_url` itself (legacy; the cache file is named for the URL).
    StartUrl(String),
}

/// Role credentials from IAM Identity Center, with the token `aws sso login` left in
/// `~/.aws/sso/cache/`.
///
/// The token is read from the cache on every fetch; this client does not refresh it. When it
/// is missing or expired, the error says to run `aws sso login`. The portal is
/// `https://portal.sso.<sso_region>.amazonaws.com`, or `AWS_ENDPOINT_URL_SSO`, else
/// `AWS_ENDPOINT_URL`, else the active profile's `endpoint_url`, when set (none of them with
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`).
#[derive(Clone, Debug)]
pub struct SsoCredentials {
    login: SsoLogin,
    sso_region: String,
    account_id: String,
    role_name: String,
    /// The profile this came from, for messages (`aws sso login --profile …`).
    profile: Option<String>,
    endpoint: Option<String>,
    cache_dir: Option<PathBuf>,
    http: HttpClient,
}

impl SsoCredentials {
    /// Credentials for `role_name` in `account_id`, with the token of `login`, from the
    /// portal in `sso_region`.
    pub fn new(
        login: SsoLogin,
        sso_region: impl Into<String>,
        account_id: impl Into<String>,
        role_name: impl Into<String>,
    ) -> Self {
        Self {
            login,
            sso_region: sso_region.into(),
            account_id: account_id.into(),
            role_name: role_name.into(),
            profile: None,
            endpoint: None,
            cache_dir: None,
            http: HttpClient::new(TIMEOUT, ATTEMPTS),
        }
    }

    /// The profile the settings came from (named in messages).
    #[must_use]
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The portal's URL, instead of the regional default and the environment.
    #[must_use]
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The token cache folder, instead of `~/.aws/sso/cache`.
    #[must_use]
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Sends through `transport` instead of the built-in one.
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.http = self.http.with_transport(transport);
        self
    }

    fn login_command(&self) -> String {
        match (&self.login, &self.profile) {
            (_, Some(profile)) => format!("aws sso login --profile {profile}"),
            (SsoLogin::Session(name), None) => format!("aws sso login --sso-session {name}"),
            (SsoLogin::StartUrl(_), None) => "aws sso login".to_owned(),
        }
    }

    /// The cached access token, if present and unexpired.
    fn token(&self) -> Result<String, CredentialsError> {
        let key = match &self.login {
            SsoLogin::Session(name) => name,
            SsoLogin::StartUrl(url) => url,
        };
        let dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => super::profile::home_dir()
                .ok_or_else(|| CredentialsError::new("SSO: no home directory for the token cache"))?
                .join(".aws")
                .join("sso")
                .join("cache"),
        };
        let mut name = String::with_capacity(45);
        super::sigv4::push_hex(&Sha1::digest(key.as_bytes()), &mut name);
        name.push_str(".json");
        let path = dir.join(name);
        let login = self.login_command();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::new(format!(
                    "SSO: no cached token at {}; run `{login}`",
                    path.display()
                )))
            }
            Err(e) => {
                return Err(CredentialsError::new(format!(
                    "SSO: cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        let json = Json::parse(&text).map_err(|e| {
            CredentialsError::new(format!(
                "SSO: the token cache {} is not JSON ({e}); run `{login}`",
                path.display()
            ))
        })?;
        let token = json
            .str("accessToken")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "SSO: the token cache {} has no accessToken; run `{login}`",
                    path.display()
                ))
            })?;
        let expires = json
            .str("expiresAt")
            .and_then(|t| DateTime::parse(t, TimestampFormat::DateTime).ok())
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "SSO: the token cache {} has no valid expiresAt; run `{login}`",
                    path.display()
                ))
            })?;
        if expires <= SystemTime::now() {
            return Err(CredentialsError::new(format!(
                "SSO: the cached token expired at {}; run `{login}`",
                DateTime::from(expires)
            )));
        }
        Ok(token.to_owned())
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token()?;
        let configured = !super::env::env_flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
        let base = self
            .endpoint
            .clone()
            .or_else(|| {
                configured
                    .then(|| env_value("AWS_ENDPOINT_URL_SSO"))
                    .flatten()
            })
            .or_else(|| configured.then(|| env_value("AWS_ENDPOINT_URL")).flatten())
            .or_else(|| {
                configured
                    .then(|| super::profile::profile_value("endpoint_url"))
                    .flatten()
            })
            .unwrap_or_else(|| format!("https://portal.sso.{}.amazonaws.com", self.sso_region));
        let mut url = base.trim_end_matches('/').to_owned();
        url.push_str("/federation/credentials?account_id=");
        percent_encode(&self.account_id, &mut url);
        url.push_str("&role_name=");
        percent_encode(&self.role_name, &mut url);
        let response = self
            .http
            .send("GET", &url, &[("x-amz-sso_bearer_token", &token)])
            .await
            .map_err(|e| CredentialsError::new(format!("SSO portal: {e}")))?;
        match response.status {
            200 => {}
            401 | 403 => {
                return Err(CredentialsError::new(format!(
                    "SSO portal refused the cached token for role '{}' in account {} (HTTP \
                     {}): {}; run `{}`",
                    self.role_name,
                    self.account_id,
                    response.status,
                    body_excerpt(&response),
                    self.login_command()
                )))
            }
            status => {
                return Err(CredentialsError::new(format!(
                    "SSO portal answered HTTP {status} for role '{}' in account {}: {}",
                    self.role_name,
                    self.account_id,
                    body_excerpt(&response)
                )))
            }
        }
        let text = String::from_utf8(response.body.into())
            .map_err(|_| CredentialsError::new("SSO portal sent a non-UTF-8 body"))?;
        let json = Json::parse(&text)
            .map_err(|e| CredentialsError::new(format!("SSO portal sent no JSON ({e})")))?;
        let role = json
            .get("roleCredentials")
            .ok_or_else(|| CredentialsError::new("SSO portal: roleCredentials is missing"))?;
        let field = |key: &str| {
            role.str(key)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| CredentialsError::new(format!("SSO portal: {key} is missing")))
        };
        let mut credentials = Credentials::new(
            field("accessKeyId")?,
            field("secretAccessKey")?,
            role.str("sessionToken").map(str::to_owned),
        );
        if let Some(millis) = role.number("expiration") {
            // `checked_add`: an absurd value must not overflow `SystemTime` (it panics on some
            // platforms); it is then treated as no expiry.
            if millis.is_finite() && millis >= 0.0 {
                if let Some(expiry) = UNIX_EPOCH.checked_add(Duration::from_millis(millis as u64)) {
                    credentials = credentials.with_expiry(expiry);
                }
            }
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for SsoCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
