//! EC2 instance metadata (IMDSv2): the instance profile's credentials and the region.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use super::env::{env_flag, env_value};
use super::http::{body_excerpt, HttpClient};
use super::json_credentials::parse_credentials;
use crate::client::Transport;
use crate::json::Json;

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
/// The session token is asked for with this lifetime (6 hours, the maximum) and reused until
/// shortly before it ends.
const TOKEN_TTL_SECONDS: u64 = 21_600;
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Per try: a laptop without instance metadata must not wait long.
const TIMEOUT: Duration = Duration::from_secs(1);
const ATTEMPTS: u32 = 2;
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// A client of the instance metadata service, shared by [`ImdsCredentials`] and
/// [`ImdsRegion`].
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's
/// `ec2_metadata_service_endpoint`), else `http://169.254.169.254`, or `http://[fd00:ec2::254]`
/// when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (or `ec2_metadata_service_endpoint_mode`) is
/// `IPv6`. `AWS_EC2_METADATA_DISABLED=true` turns it off. Each request tries twice at most,
/// with a one-second timeout per try. Only IMDSv2 is spoken: a session token is fetched with
/// `PUT /latest/api/token`, reused for six hours, and fetched again when refused.
#[derive(Clone, Debug)]
pub struct ImdsClient {
    endpoint: String,
    disabled: bool,
    http: HttpClient,
    token: Arc<Mutex<Option<Token>>>,
}

#[derive(Clone)]
struct Token {
    value: String,
    renew_at: Instant,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("** redacted **")
    }
}

impl Default for ImdsClient {
    fn default() -> Self {
        Self::from_env()
    }
}

impl ImdsClient {
    /// Settings from the environment and the active profile (see the type's documentation).
    pub fn from_env() -> Self {
        let profile = |key: &str| super::profile::profile_value(key);
        let endpoint = env_value("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .or_else(|| profile("ec2_metadata_service_endpoint"))
            .unwrap_or_else(|| {
                let mode = env_value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                    .or_else(|| profile("ec2_metadata_service_endpoint_mode"));
                if mode.is_some_and(|m| m.eq_ignore_ascii_case("ipv6")) {
                    IPV6_ENDPOINT.to_owned()
                } else {
                    IPV4_ENDPOINT.to_owned()
                }
            });
        Self::with_endpoint(endpoint).disabled(env_flag("AWS_EC2_METADATA_DISABLED"))
    }

    /// A client of the service at `endpoint` (e.g. `http://127.0.0.1:8080` in tests).
    pub fn with_endpoint(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            disabled: false,
            http: HttpClient::new(TIMEOUT, ATTEMPTS),
            token: Arc::new(Mutex::new(None)),
        }
    }

    /// Turns the client off (it then finds nothing).
    #[must_use]
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// Sends through `transport` instead of the built-in one.
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.http = self.http.with_transport(transport);
        self
    }

    /// Whether the client is turned off.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// The endpoint in use.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    async fn token(&self, renew: bool) -> Result<String, CredentialsError> {
        if !renew {
            let cached = self.token.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(token) = cached.filter(|t| Instant::now() < t.renew_at) {
                return Ok(token.value);
            }
        }
        let url = format!("{}/latest/api/token", self.endpoint);
        let ttl = TOKEN_TTL_SECONDS.to_string();
        let response = self
            .http
            .send("PUT", &url, &[(TOKEN_TTL_HEADER, &ttl)])
            .await
            .map_err(|e| {
                CredentialsError::not_found(format!(
                    "no EC2 instance metadata service at {}: {e}",
                    self.endpoint
                ))
            })?;
        match response.status {
            200 => {}
            // IMDS answers 403 when it is turned off for the instance.
            403 => {
                return Err(CredentialsError::not_found(format!(
                    "the EC2 instance metadata service at {} refused a session token \
                     (HTTP 403: instance metadata is disabled on this instance)",
                    self.endpoint
                )))
            }
            status => {
                return Err(CredentialsError::not_found(format!(
                    "the EC2 instance metadata service at {} answered HTTP {status} to the \
                     session token request: {}",
                    self.endpoint,
                    body_excerpt(&response)
                )))
            }
        }
        let value = String::from_utf8(response.body.into())
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "the EC2 instance metadata service at {} returned an unusable session token",
                    self.endpoint
                ))
            })?;
        // Renew a minute early so a token never expires in flight.
        let renew_at = Instant::now() + Duration::from_secs(TOKEN_TTL_SECONDS - 60);
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(Token {
            value: value.clone(),
            renew_at,
        });
        Ok(value)
    }

    /// `GET path` with a session token (renewed once if refused); the body on HTTP 200, `None`
    /// on 404.
    pub async fn get(&self, path: &str) -> Result<Option<String>, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::not_found(
                "EC2 instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true)",
            ));
        }
        let url = format!("{}{path}", self.endpoint);
        let mut renew = false;
        loop {
            let token = self.token(renew).await?;
            let response = self
                .http
                .send("GET", &url, &[(TOKEN_HEADER, &token)])
                .await
                .map_err(|e| CredentialsError::new(format!("EC2 instance metadata: {e}")))?;
            match response.status {
                200 => {
                    return String::from_utf8(response.body.into())
                        .map(Some)
                        .map_err(|_| {
                            CredentialsError::new(format!(
                                "{url} returned a body that is not UTF-8"
                            ))
                        })
                }
                404 => return Ok(None),
                401 if !renew => renew = true,
                status => {
                    return Err(CredentialsError::new(format!(
                        "{url} answered HTTP {status}: {}",
                        body_excerpt(&response)
                    )))
                }
            }
        }
    }
}

/// Credentials of the EC2 instance's IAM role (instance profile), from instance metadata.
///
/// Finds nothing (so a chain goes on) when there is no metadata service, it is disabled, or
/// the instance has no role.
#[derive(Clone, Debug, Default)]
pub struct ImdsCredentials {
    client: ImdsClient,
}

impl ImdsCredentials {
    /// A provider with the environment's settings ([`ImdsClient::from_env`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A provider that uses `client`.
    pub fn with_client(client: ImdsClient) -> Self {
        Self { client }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let roles = self.client.get(CREDENTIALS_PATH).await?.unwrap_or_default();
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::not_found(format!(
                "the EC2 instance at {} has no IAM role (instance profile)",
                self.client.endpoint
            )));
        };
        let path = format!("{CREDENTIALS_PATH}{role}");
        let Some(body) = self.client.get(&path).await? else {
            return Err(CredentialsError::new(format!(
                "the EC2 instance's role '{role}' has no credentials in instance metadata"
            )));
        };
        let json = Json::parse(&body).map_err(|e| {
            CredentialsError::new(format!(
                "instance metadata credentials of role '{role}' are not JSON ({e})"
            ))
        })?;
        if let Some(code) = json.str("Code").filter(|c| *c != "Success") {
            let message = json.str("Message").unwrap_or("");
            return Err(CredentialsError::new(format!(
                "instance metadata has no credentials for role '{role}': {code} {message}"
            )));
        }
        parse_credentials(&json, "instance metadata", "Token")
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The region the EC2 instance runs in, from instance metadata.
#[derive(Clone, Debug, Default)]
pub struct ImdsRegion {
    client: ImdsClient,
}

impl ImdsRegion {
    /// A region provider with the environment's settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A region provider that uses `client`.
    pub fn with_client(client: ImdsClient) -> Self {
        Self { client }
    }

    /// The region, or why there is none.
    pub async fn region(&self) -> Result<String, CredentialsError> {
        match self.client.get(REGION_PATH).await? {
            Some(region) if !region.trim().is_empty() => Ok(region.trim().to_owned()),
            _ => Err(CredentialsError::not_found(
                "instance metadata has no region",
            )),
        }
    }
}
