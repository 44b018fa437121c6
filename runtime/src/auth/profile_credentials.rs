//! Credentials of a named profile, resolved as the AWS SDK for Rust resolves them: a chain of
//! roles (`role_arn` with `source_profile`) ending in a base source.

use std::sync::Arc;

use super::container::ContainerCredentials;
use super::credentials::{
    BoxFuture, Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials,
};
use super::imds::{ImdsClient, ImdsCredentials};
use super::process::ProcessCredentials;
use super::profile::{self, ProfileFiles, Properties};
use super::role::{
    default_session_name, AssumeRoleCredentials, AssumeRoleRequest, StsApi, WebIdentityCredentials,
};
use super::sso::{SsoCredentials, SsoLogin};

/// Credentials of a profile in the shared `config` and `credentials` files.
///
/// The files are `AWS_CONFIG_FILE` (default `~/.aws/config`, sections `[profile name]`,
/// `[default]` and `[sso-session name]`) and `AWS_SHARED_CREDENTIALS_FILE` (default
/// `~/.aws/credentials`, sections `[name]`); where both set a key, the `credentials` file wins.
/// They are read on every fetch (a [`CachedCredentials`](super::CachedCredentials) in front
/// keeps that rare).
///
/// A profile with `role_arn` assumes that role with credentials from its `source_profile`
/// (which may itself assume a role: chains of any length, loops are reported) or from its
/// `credential_source` (`Environment`, `Ec2InstanceMetadata` or `EcsContainer`), using
/// `role_session_name`, `external_id` and `duration_seconds`; a `source_profile` that has
/// static keys ends the chain with them. A profile with `role_arn` and
/// `web_identity_token_file` assumes the role with that token. Otherwise the profile's own
/// source is, in the AWS CLI's order: IAM Identity Center (`sso_session`, or the legacy
/// `sso_start_url`, with `sso_account_id` and `sso_role_name`), static keys
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`), then
/// `credential_process`.
///
/// Assuming roles needs an STS client ([`ProfileCredentials::sts`]); without one such a profile
/// is an error that says so. `mfa_serial` is not supported and is reported.
#[derive(Clone, Debug)]
pub struct ProfileCredentials {
    profile: String,
    /// Named by `AWS_PROFILE` or the caller: a missing profile is then an error, not a reason
    /// for a chain to go on (only the implicit `default` may be absent).
    explicit: bool,
    sts: Option<Arc<dyn StsApi>>,
    /// Made when a `credential_source` needs it (each holds an HTTPS client), unless given.
    imds: Option<ImdsClient>,
    container: Option<ContainerCredentials>,
}

/// Where the first credentials of a chain come from.
#[derive(Debug)]
enum Base {
    Static(Credentials),
    WebIdentity {
        profile: String,
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    Sso(SsoCredentials),
    Process(ProcessCredentials),
    Environment,
    Imds,
    Container,
}

/// One role to assume, in order after the base.
#[derive(Debug)]
struct Hop {
    profile: String,
    request: AssumeRoleRequest,
}

impl ProfileCredentials {
    /// The profile named by `AWS_PROFILE` (read now), else `default`.
    pub fn new() -> Self {
        let name = profile::active_profile_name();
        let mut provider = Self::with_profile(&name);
        provider.explicit = super::env::env_value("AWS_PROFILE").is_some();
        provider
    }

    /// The profile `name`; a missing profile is an error.
    pub fn with_profile(name: &str) -> Self {
        Self {
            profile: name.to_owned(),
            explicit: true,
            sts: None,
            imds: None,
            container: None,
        }
    }

    /// The STS client for profiles that assume roles.
    #[must_use]
    pub fn sts(mut self, sts: Arc<dyn StsApi>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// The instance metadata client for `credential_source = Ec2InstanceMetadata`.
    #[must_use]
    pub fn imds(mut self, imds: ImdsClient) -> Self {
        self.imds = Some(imds);
        self
    }

    /// The container credentials provider for `credential_source = EcsContainer`.
    #[must_use]
    pub fn container(mut self, container: ContainerCredentials) -> Self {
        self.container = Some(container);
        self
    }

    /// The profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    pub(crate) async fn load(&self) -> Result<Credentials, CredentialsError> {
        let files = ProfileFiles::load().map_err(CredentialsError::new)?;
        let (base, hops) = resolve(&files, &self.profile, self.explicit)?;
        // The STS region: the environment's, else this profile's (not the active one's).
        let region = super::env::env_value("AWS_REGION")
            .or_else(|| super::env::env_value("AWS_DEFAULT_REGION"))
            .or_else(|| {
                files
                    .profile(&self.profile)
                    .and_then(|p| p.get("region").cloned())
                    .filter(|r| !r.is_empty())
            });
        let need_sts = |what: &str| -> Result<Arc<dyn StsApi>, CredentialsError> {
            self.sts.clone().ok_or_else(|| {
                CredentialsError::new(format!(
                    "{what}, which needs an STS client: enable the `sts` feature of the \
                     generated crate (or use the aws-lite-credentials crate's default chain)"
                ))
            })
        };
        let base_result: Result<Credentials, CredentialsError> = async {
            Ok(match base {
                Base::Static(c) => c,
                Base::WebIdentity {
                    profile,
                    token_file,
                    role_arn,
                    session_name,
                } => {
                    let sts = need_sts(&format!(
                        "profile '{profile}' assumes role {role_arn} with a web identity token"
                    ))?;
                    let mut provider = WebIdentityCredentials::new(token_file, role_arn, sts)
                        .session_name(session_name.unwrap_or_else(default_session_name));
                    if let Some(region) = &region {
                        provider = provider.region(region);
                    }
                    provider.provide_credentials().await?
                }
                Base::Sso(sso) => sso.provide_credentials().await?,
                Base::Process(process) => process.provide_credentials().await?,
                Base::Environment => EnvironmentCredentials.provide_credentials().await?,
                Base::Imds => {
                    let imds = self.imds.clone().unwrap_or_else(ImdsClient::from_env);
                    ImdsCredentials::with_client(imds)
                        .provide_credentials()
                        .await?
                }
                Base::Container => {
                    self.container
                        .clone()
                        .unwrap_or_default()
                        .provide_credentials()
                        .await?
                }
            })
        }
        .await;
        // The profile named this source, so finding nothing there is an error, not a reason
        // for the chain to go on to another identity.
        let mut credentials = base_result.map_err(|e| {
            if e.is_not_found() {
                CredentialsError::new(format!("profile '{}': {e}", self.profile))
            } else {
                e
            }
        })?;
        for hop in hops {
            let sts = need_sts(&format!(
                "profile '{}' assumes role {}",
                hop.profile, hop.request.role_arn
            ))?;
            let mut request = hop.request;
            if request.region.is_none() {
                request.region.clone_from(&region);
            }
            let source: Arc<dyn ProvideCredentials> = Arc::new(credentials);
            credentials = AssumeRoleCredentials::new(source, request, sts)
                .provide_credentials()
                .await
                .map_err(|e| CredentialsError::new(format!("profile '{}': {e}", hop.profile)))?;
        }
        Ok(credentials)
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
        Box::pin(self.load())
    }
}

/// The base source and the roles to assume after it, for profile `name`.
fn resolve(
    files: &ProfileFiles,
    name: &str,
    explicit: bool,
) -> Result<(Base, Vec<Hop>), CredentialsError> {
    let mut visited: Vec<String> = Vec::new();
    let mut hops: Vec<Hop> = Vec::new();
    let mut current = name.to_owned();
    let base = loop {
        let Some(p) = files.profile(&current) else {
            return Err(if visited.is_empty() && !explicit {
                CredentialsError::not_found(format!(
                    "profile '{current}' not found in {}",
                    files.describe()
                ))
            } else if visited.is_empty() {
                CredentialsError::new(format!(
                    "profile '{current}' (AWS_PROFILE or the one asked for) not found in {}",
                    files.describe()
                ))
            } else {
                CredentialsError::new(format!(
                    "profile '{}' names source_profile '{current}', which is not in {}",
                    visited.last().map(String::as_str).unwrap_or(""),
                    files.describe()
                ))
            });
        };
        if visited.contains(&current) {
            visited.push(current);
            return Err(CredentialsError::new(format!(
                "profiles form a loop through source_profile: {}",
                visited.join(" -> ")
            )));
        }
        let get = |key: &str| p.get(key).map(String::as_str).filter(|v| !v.is_empty());
        // A source profile with static keys ends the chain (as in the AWS SDK for Rust).
        if !visited.is_empty() && get("aws_access_key_id").is_some() {
            break Base::Static(static_keys(&current, &p, files)?);
        }
        visited.push(current.clone());
        let Some(role_arn) = get("role_arn") else {
            // A source profile without credentials is a broken chain, not "nothing here".
            break base_source(files, &current, &p).map_err(|e| {
                if hops.is_empty() || !e.is_not_found() {
                    e
                } else {
                    CredentialsError::new(format!(
                        "profile '{}' gets its credentials from source_profile '{current}': {e}",
                        visited.first().map(String::as_str).unwrap_or("")
                    ))
                }
            })?;
        };
        if let Some(key) = ["mfa_serial"].into_iter().find(|k| get(k).is_some()) {
            return Err(unsupported(&current, key, "multi-factor authentication"));
        }
        let mut request = AssumeRoleRequest::new(role_arn);
        if let Some(session) = get("role_session_name") {
            request.session_name = session.to_owned();
        }
        request.external_id = get("external_id").map(str::to_owned);
        if let Some(duration) = get("duration_seconds") {
            request.duration_seconds = Some(duration.parse().map_err(|_| {
                CredentialsError::new(format!(
                    "profile '{current}': duration_seconds '{duration}' is not a number of \
                     seconds"
                ))
            })?);
        }
        if let Some(token_file) = get("web_identity_token_file") {
            break Base::WebIdentity {
                profile: current.clone(),
                token_file: token_file.to_owned(),
                role_arn: role_arn.to_owned(),
                session_name: get("role_session_name").map(str::to_owned),
            };
        }
        let hop = Hop {
            profile: current.clone(),
            request,
        };
        match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::new(format!(
                    "profile '{current}' sets both source_profile and credential_source; \
                     keep one"
                )))
            }
            (Some(source), None) if source == current => {
                // A profile that is its own source uses its static keys for the first role.
                hops.push(hop);
                break Base::Static(static_keys(&current, &p, files)?);
            }
            (Some(source), None) => {
                hops.push(hop);
                current = source.to_owned();
            }
            (None, Some(source)) => {
                hops.push(hop);
                break named_source(&current, source)?;
            }
            (None, None) => {
                return Err(CredentialsError::new(format!(
                    "profile '{current}' has role_arn but neither source_profile nor \
                     credential_source (nor web_identity_token_file) to get credentials for \
                     assuming it"
                )))
            }
        }
    };
    // The role nearest the base is assumed first.
    hops.reverse();
    Ok((base, hops))
}

/// The source of a profile without `role_arn`.
fn base_source(files: &ProfileFiles, name: &str, p: &Properties) -> Result<Base, CredentialsError> {
    let get = |key: &str| p.get(key).map(String::as_str).filter(|v| !v.is_empty());
    if get("web_identity_token_file").is_some() {
        return Err(CredentialsError::new(format!(
            "profile '{name}' has web_identity_token_file but no role_arn to assume with it"
        )));
    }
    if get("credential_source").is_some() || get("source_profile").is_some() {
        return Err(CredentialsError::new(format!(
            "profile '{name}' has source_profile or credential_source but no role_arn"
        )));
    }
    if let Some(sso) = sso_source(files, name, p)? {
        return Ok(Base::Sso(sso));
    }
    // Static keys before credential_process, as the AWS CLI reads a profile.
    if get("aws_access_key_id").is_some() || get("aws_secret_access_key").is_some() {
        return static_keys(name, p, files).map(Base::Static);
    }
    if let Some(command) = get("credential_process") {
        return Ok(Base::Process(ProcessCredentials::new(command)));
    }
    Err(CredentialsError::not_found(format!(
        "profile '{name}' has no credentials: no aws_access_key_id, role_arn, sso_session, \
         credential_process or web_identity_token_file ({})",
        files.describe()
    )))
}

fn static_keys(
    name: &str,
    p: &Properties,
    files: &ProfileFiles,
) -> Result<Credentials, CredentialsError> {
    let get = |key: &str| p.get(key).filter(|v| !v.is_empty());
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
        (None, _) => Err(CredentialsError::new(format!(
            "profile '{name}' has no aws_access_key_id ({})",
            files.describe()
        ))),
    }
}

fn named_source(profile: &str, source: &str) -> Result<Base, CredentialsError> {
    match source {
        "Environment" => Ok(Base::Environment),
        "Ec2InstanceMetadata" => Ok(Base::Imds),
        "EcsContainer" => Ok(Base::Container),
        other => Err(CredentialsError::new(format!(
            "profile '{profile}': credential_source '{other}' is not one of Environment, \
             Ec2InstanceMetadata, EcsContainer"
        ))),
    }
}

/// IAM Identity Center settings of a profile, if it has any.
fn sso_source(
    files: &ProfileFiles,
    name: &str,
    p: &Properties,
) -> Result<Option<SsoCredentials>, CredentialsError> {
    let get = |key: &str| p.get(key).map(String::as_str).filter(|v| !v.is_empty());
    let session = get("sso_session");
    let legacy_url = get("sso_start_url");
    if session.is_none() && legacy_url.is_none() && get("sso_account_id").is_none() {
        return Ok(None);
    }
    let missing = |key: &str| {
        CredentialsError::new(format!(
            "profile '{name}' uses IAM Identity Center but has no {key} ({})",
            files.config_path()
        ))
    };
    let account = get("sso_account_id").ok_or_else(|| missing("sso_account_id"))?;
    let role = get("sso_role_name").ok_or_else(|| missing("sso_role_name"))?;
    let (login, region) = match session {
        Some(session) => {
            let section = files.sso_session(session).ok_or_else(|| {
                CredentialsError::new(format!(
                    "profile '{name}' names sso_session '{session}', but {} has no \
                     [sso-session {session}] section",
                    files.config_path()
                ))
            })?;
            let region = section
                .get("sso_region")
                .filter(|r| !r.is_empty())
                .ok_or_else(|| {
                    CredentialsError::new(format!(
                        "[sso-session {session}] has no sso_region ({})",
                        files.config_path()
                    ))
                })?;
            if let (Some(url), Some(section_url)) = (legacy_url, section.get("sso_start_url")) {
                if url != section_url {
                    return Err(CredentialsError::new(format!(
                        "profile '{name}' and [sso-session {session}] set different \
                         sso_start_url values"
                    )));
                }
            }
            (SsoLogin::Session(session.to_owned()), region.clone())
        }
        None => {
            let url = legacy_url.ok_or_else(|| missing("sso_session or sso_start_url"))?;
            let region = get("sso_region").ok_or_else(|| missing("sso_region"))?;
            (SsoLogin::StartUrl(url.to_owned()), region.to_owned())
        }
    };
    Ok(Some(
        SsoCredentials::new(login, region, account, role).profile(name),
    ))
}

fn unsupported(profile: &str, key: &str, what: &str) -> CredentialsError {
    CredentialsError::new(format!(
        "profile '{profile}' sets {key} ({what}), which this client does not support; use a \
         profile without it, or export temporary credentials into AWS_ACCESS_KEY_ID, \
         AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (for example with `aws configure \
         export-credentials --profile {profile} --format env`)"
    ))
}
