//! The default credentials chain, in the AWS SDKs' order.

use std::sync::Arc;

use super::container::ContainerCredentials;
use super::credentials::{
    BoxFuture, Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials,
};
use super::imds::{ImdsClient, ImdsCredentials};
use super::profile_credentials::ProfileCredentials;
use super::role::{StsApi, WebIdentityCredentials};

/// Finds credentials wherever AWS code runs, trying in the AWS SDKs' order:
///
/// 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
/// 2. a web identity token from the environment (EKS IRSA): `AWS_WEB_IDENTITY_TOKEN_FILE`,
///    `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`;
/// 3. the shared config and credentials files' profile (`AWS_PROFILE`, else `default`):
///    static keys, assumed roles, IAM Identity Center, `credential_process`
///    (see [`ProfileCredentials`]);
/// 4. container credentials (ECS task roles, EKS Pod Identity), when
///    `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI` is set (see
///    [`ContainerCredentials`]);
/// 5. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true` (see
///    [`ImdsClient`]).
///
/// The first source that has credentials wins. A source that is set up but broken (one of a
/// key pair missing, an unreadable token file, a refused role) stops the chain with its error
/// rather than falling through to another identity. When no source has anything, the error
/// lists what each said.
///
/// Web identity tokens and profiles with `role_arn` call STS: give the chain an STS client
/// with [`DefaultCredentialsChain::sts`] (the `sts` feature of a generated crate does). The
/// chain does not cache; client configs put a [`CachedCredentials`](super::CachedCredentials)
/// in front of it.
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    profile: Option<String>,
    sts: Option<Arc<dyn StsApi>>,
    /// Made once, so its session token is reused across fetches.
    imds: ImdsClient,
    container: ContainerCredentials,
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredentialsChain {
    /// The chain with no STS client; the instance metadata settings are read now, the rest on
    /// every fetch.
    pub fn new() -> Self {
        Self {
            profile: None,
            sts: None,
            imds: ImdsClient::from_env(),
            container: ContainerCredentials::new(),
        }
    }

    /// The STS client for web identity and assumed roles.
    #[must_use]
    pub fn sts(mut self, sts: Arc<dyn StsApi>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// Use this profile instead of `AWS_PROFILE`/`default`.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The instance metadata client (e.g. one pointed at a test server).
    #[must_use]
    pub fn imds(mut self, imds: ImdsClient) -> Self {
        self.imds = imds;
        self
    }

    /// The container credentials provider (e.g. with another transport).
    #[must_use]
    pub fn container(mut self, container: ContainerCredentials) -> Self {
        self.container = container;
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried: Vec<String> = Vec::new();
        let mut note = |source: &str, e: CredentialsError| -> Result<(), CredentialsError> {
            if e.is_not_found() {
                tried.push(format!("{source}: {e}"));
                Ok(())
            } else {
                Err(CredentialsError::new(format!("{source}: {e}")))
            }
        };

        match EnvironmentCredentials::load() {
            Ok(c) => return Ok(c),
            Err(e) => note("environment", e)?,
        }

        match &self.sts {
            Some(sts) => match WebIdentityCredentials::from_env(sts.clone()) {
                Ok(Some(provider)) => {
                    return provider
                        .provide_credentials()
                        .await
                        .map_err(|e| CredentialsError::new(format!("web identity: {e}")))
                }
                Ok(None) => note(
                    "web identity",
                    CredentialsError::not_found("AWS_WEB_IDENTITY_TOKEN_FILE is not set"),
                )?,
                Err(e) => note("web identity", e)?,
            },
            None if std::env::var_os("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() => {
                return Err(CredentialsError::new(
                    "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set, and assuming its role \
                     needs an STS client: enable the `sts` feature of the generated crate (or \
                     use the aws-lite-credentials crate's default chain)",
                ))
            }
            None => note(
                "web identity",
                CredentialsError::not_found("AWS_WEB_IDENTITY_TOKEN_FILE is not set"),
            )?,
        }

        let mut profile = match &self.profile {
            Some(name) => ProfileCredentials::with_profile(name),
            None => ProfileCredentials::new(),
        };
        if let Some(sts) = &self.sts {
            profile = profile.sts(sts.clone());
        }
        profile = profile
            .imds(self.imds.clone())
            .container(self.container.clone());
        match profile.load().await {
            Ok(c) => return Ok(c),
            Err(e) => note("shared config files", e)?,
        }

        if ContainerCredentials::is_configured() {
            return self
                .container
                .provide_credentials()
                .await
                .map_err(|e| CredentialsError::new(format!("container credentials: {e}")));
        }
        note(
            "container credentials",
            CredentialsError::not_found(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set",
            ),
        )?;

        match ImdsCredentials::with_client(self.imds.clone())
            .provide_credentials()
            .await
        {
            Ok(c) => return Ok(c),
            Err(e) => note("EC2 instance metadata", e)?,
        }

        Err(CredentialsError::not_found(format!(
            "no AWS credentials found; tried: {}",
            tried.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
