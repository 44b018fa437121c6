//! Credentials providers and the region chain, against temporary files and environment
//! variables.
//!
//! Every test here changes process-wide environment variables, so each one holds `ENV_LOCK`
//! for its whole run (through `Sandbox`), and starts from an environment with no `AWS_*`
//! variables and `HOME` pointing at an empty temporary folder (the machine's own `~/.aws` is
//! never read).

use std::future::Future;
use std::path::Path;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, UNIX_EPOCH};

mod common;
use common::sandbox::Sandbox;

use aws_lite_runtime::auth::{
    profile_value, region_from_env, Credentials, CredentialsError, DefaultCredentialsChain,
    EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
};

/// Polls a future that never waits (the providers here do no asynchronous I/O).
fn ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
    panic!("future did not complete");
}

fn provide(provider: &dyn ProvideCredentials) -> Result<Credentials, CredentialsError> {
    ready(provider.provide_credentials())
}

fn keys(credentials: &Credentials) -> (&str, &str, Option<&str>) {
    (
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token(),
    )
}

const SECRET_A: &str = "secretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const SECRET_B: &str = "secretBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const TOKEN_B: &str = "tokenBBBBBBBBBBBBBBBBBBBB";

#[test]
fn environment_credentials() {
    let sandbox = Sandbox::new();
    let err = provide(&EnvironmentCredentials).unwrap_err();
    assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");

    sandbox.set("AWS_ACCESS_KEY_ID", " AKIDENV ");
    sandbox.set("AWS_SECRET_ACCESS_KEY", SECRET_A);
    let credentials = provide(&EnvironmentCredentials).unwrap();
    assert_eq!(keys(&credentials), ("AKIDENV", SECRET_A, None));

    // Empty values count as unset.
    sandbox.set("AWS_SESSION_TOKEN", "");
    assert_eq!(
        provide(&EnvironmentCredentials).unwrap().session_token(),
        None
    );
    sandbox.set("AWS_SESSION_TOKEN", TOKEN_B);
    assert_eq!(
        provide(&EnvironmentCredentials).unwrap().session_token(),
        Some(TOKEN_B)
    );

    sandbox.set("AWS_SECRET_ACCESS_KEY", "");
    let err = provide(&EnvironmentCredentials).unwrap_err();
    assert!(
        err.to_string()
            .contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
        "{err}"
    );

    std::env::remove_var("AWS_ACCESS_KEY_ID");
    sandbox.set("AWS_SECRET_ACCESS_KEY", SECRET_A);
    let err = provide(&EnvironmentCredentials).unwrap_err();
    assert!(
        err.to_string().contains("AWS_ACCESS_KEY_ID is not"),
        "{err}"
    );
    assert!(!err.to_string().contains(SECRET_A));
}

#[test]
fn environment_wins_over_profile() {
    let sandbox = Sandbox::new();
    sandbox.credentials(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secret-file\n",
    );
    assert_eq!(
        provide(&DefaultCredentialsChain::new())
            .unwrap()
            .access_key_id(),
        "AKIDFILE"
    );

    sandbox.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    sandbox.set("AWS_SECRET_ACCESS_KEY", SECRET_A);
    let credentials = provide(&DefaultCredentialsChain::new()).unwrap();
    assert_eq!(keys(&credentials), ("AKIDENV", SECRET_A, None));

    // Half-set environment variables are a mistake to report, not to paper over with the
    // profile's (possibly different) identity.
    std::env::remove_var("AWS_SECRET_ACCESS_KEY");
    let err = provide(&DefaultCredentialsChain::new()).unwrap_err();
    assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
}

#[test]
fn aws_profile_selects_sections_in_both_files() {
    let sandbox = Sandbox::new();
    sandbox.config(
        "[default]\nregion = us-east-1\n\
         [profile dev]\nregion = eu-west-1\nmax_attempts = 5\n\
         aws_access_key_id = AKIDCONFIG\naws_secret_access_key = secret-config\n\
         [profile cfgonly]\naws_access_key_id = AKIDCFGONLY\naws_secret_access_key = secret-cfgonly\n",
    );
    sandbox.credentials(&format!(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {SECRET_A}\n\
         [dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = {SECRET_B}\n\
         aws_session_token = {TOKEN_B}\n\
         [profile dev]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n"
    ));

    let credentials = provide(&ProfileCredentials::new()).unwrap();
    assert_eq!(keys(&credentials), ("AKIDDEFAULT", SECRET_A, None));
    assert_eq!(region_from_env().as_deref(), Some("us-east-1"));

    sandbox.set("AWS_PROFILE", "dev");
    assert_eq!(ProfileCredentials::new().profile_name(), "dev");
    // The credentials file's `[dev]` wins over the config file's `[profile dev]`.
    let credentials = provide(&ProfileCredentials::new()).unwrap();
    assert_eq!(keys(&credentials), ("AKIDDEV", SECRET_B, Some(TOKEN_B)));
    let credentials = provide(&DefaultCredentialsChain::new()).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDDEV");
    assert_eq!(region_from_env().as_deref(), Some("eu-west-1"));
    assert_eq!(profile_value("max_attempts").as_deref(), Some("5"));
    assert_eq!(profile_value("MAX_ATTEMPTS").as_deref(), Some("5"));
    assert_eq!(profile_value("endpoint_url"), None);

    // Static keys in the config file alone are enough.
    let credentials = provide(&ProfileCredentials::with_profile("cfgonly")).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCFGONLY");
    // `ProfileCredentials::new` reads AWS_PROFILE when made.
    let made_now = ProfileCredentials::new();
    sandbox.set("AWS_PROFILE", "cfgonly");
    assert_eq!(provide(&made_now).unwrap().access_key_id(), "AKIDDEV");
}

#[test]
fn region_order() {
    let sandbox = Sandbox::new();
    assert_eq!(region_from_env(), None);
    sandbox.config("[default]\nregion = ap-south-1\n");
    assert_eq!(region_from_env().as_deref(), Some("ap-south-1"));
    sandbox.set("AWS_DEFAULT_REGION", "us-west-1");
    assert_eq!(region_from_env().as_deref(), Some("us-west-1"));
    sandbox.set("AWS_REGION", "us-west-2");
    assert_eq!(region_from_env().as_deref(), Some("us-west-2"));
    sandbox.set("AWS_REGION", "");
    assert_eq!(region_from_env().as_deref(), Some("us-west-1"));
    // A profile that is missing, or has no region, gives none.
    std::env::remove_var("AWS_DEFAULT_REGION");
    sandbox.set("AWS_PROFILE", "nowhere");
    assert_eq!(region_from_env(), None);
}

#[test]
fn comments_and_whitespace() {
    let sandbox = Sandbox::new();
    sandbox.credentials(&format!(
        "\u{feff}# credentials for tests\n\
         ; another comment\n\
         \n\
         [ default ]   # trailing comment\n\
         \x20 aws_access_key_id   =   AKIDSPACED   # inline comment\n\
         \taws_secret_access_key={SECRET_A}\t; inline comment\n\
         \n\
         # [other]\n\
         [other]\n\
         AWS_ACCESS_KEY_ID = AKIDUPPER\r\n\
         aws_secret_access_key = {SECRET_B}\r\n"
    ));
    sandbox.config(
        "[default]\n\
         s3 =\n\
         \x20   region = nested-not-top-level\n\
         region = ca-central-1 ; comment\n",
    );
    let credentials = provide(&ProfileCredentials::new()).unwrap();
    assert_eq!(keys(&credentials), ("AKIDSPACED", SECRET_A, None));
    let credentials = provide(&ProfileCredentials::with_profile("other")).unwrap();
    assert_eq!(keys(&credentials), ("AKIDUPPER", SECRET_B, None));
    assert_eq!(region_from_env().as_deref(), Some("ca-central-1"));
    assert_eq!(profile_value("s3").as_deref(), None);
}

#[test]
fn missing_files_and_profiles() {
    let sandbox = Sandbox::new();
    // Neither file exists (HOME is an empty folder).
    let err = provide(&ProfileCredentials::new()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("profile 'default' not found"), "{message}");
    assert!(message.contains("not found)"), "{message}");
    assert_eq!(profile_value("region"), None);

    let err = provide(&DefaultCredentialsChain::new()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("no AWS credentials found"), "{message}");
    assert!(message.contains("AWS_ACCESS_KEY_ID"), "{message}");
    assert!(message.contains("profile 'default'"), "{message}");

    // Pointing at files that do not exist is the same as having none.
    sandbox.set(
        "AWS_CONFIG_FILE",
        sandbox.dir.join("nope/config").to_str().unwrap(),
    );
    sandbox.set(
        "AWS_SHARED_CREDENTIALS_FILE",
        sandbox.dir.join("nope/credentials").to_str().unwrap(),
    );
    let message = provide(&DefaultCredentialsChain::new())
        .unwrap_err()
        .to_string();
    assert!(message.contains("nope"), "{message}");

    // A profile that exists without keys (only a region) is "nothing found", listed.
    sandbox.config("[profile regional]\nregion = us-east-2\n");
    let err = provide(&ProfileCredentials::with_profile("regional")).unwrap_err();
    assert!(
        err.to_string()
            .contains("profile 'regional' has no credentials: no aws_access_key_id"),
        "{err}"
    );

    // Half a key pair in a profile.
    sandbox.credentials("[half]\naws_access_key_id = AKIDHALF\n");
    let err = provide(&ProfileCredentials::with_profile("half")).unwrap_err();
    assert!(
        err.to_string().contains("no aws_secret_access_key"),
        "{err}"
    );
}

#[test]
fn default_paths_under_home() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "home/.aws/credentials",
        &format!("[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = {SECRET_A}\n"),
    );
    sandbox.file("home/.aws/config", "[default]\nregion = sa-east-1\n");
    assert_eq!(
        provide(&DefaultCredentialsChain::new())
            .unwrap()
            .access_key_id(),
        "AKIDHOME"
    );
    assert_eq!(region_from_env().as_deref(), Some("sa-east-1"));

    // `~/` in the path variables means the home folder.
    sandbox.file("home/custom-config", "[default]\nregion = me-south-1\n");
    sandbox.set("AWS_CONFIG_FILE", "~/custom-config");
    assert_eq!(region_from_env().as_deref(), Some("me-south-1"));
}

#[test]
fn profiles_that_need_more_say_so() {
    let sandbox = Sandbox::new();
    sandbox.config(&format!(
        "[profile assumer]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n\
         [profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n\
         [profile ssouser]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\
         [profile ssonosection]\nsso_session = nowhere\nsso_account_id = 123456789012\nsso_role_name = Dev\n\
         [profile procwithkeys]\ncredential_process = /usr/bin/get-creds\n\
         aws_access_key_id = AKIDPROC\naws_secret_access_key = {SECRET_B}\n\
         [profile loop1]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = loop2\n\
         [profile loop2]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = loop1\n\
         [sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
    ));
    sandbox.credentials(&format!(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {SECRET_A}\n"
    ));

    // Assuming a role needs STS, which this build of the chain lacks.
    let message = provide(&ProfileCredentials::with_profile("assumer"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("profile 'assumer'"), "{message}");
    assert!(
        message.contains("STS client") && message.contains("`sts` feature"),
        "{message}"
    );
    assert!(!message.contains(SECRET_A), "{message}");

    sandbox.set("AWS_PROFILE", "assumer");
    let message = provide(&DefaultCredentialsChain::new())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("profile 'assumer'") && message.contains("STS"),
        "{message}"
    );

    let message = provide(&ProfileCredentials::with_profile("mfa"))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("profile 'mfa'") && message.contains("mfa_serial"),
        "{message}"
    );

    let message = provide(&ProfileCredentials::with_profile("loop1"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("loop1 -> loop2 -> loop1"), "{message}");

    // The SSO token cache is empty: the error says how to log in.
    let message = provide(&ProfileCredentials::with_profile("ssouser"))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("aws sso login --profile ssouser"),
        "{message}"
    );
    let message = provide(&ProfileCredentials::with_profile("ssonosection"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("[sso-session nowhere]"), "{message}");

    // Static keys come before credential_process, as the AWS CLI reads a profile.
    let credentials = provide(&ProfileCredentials::with_profile("procwithkeys")).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROC");
}

#[test]
fn credentials_debug_and_static_provider() {
    // Holds the lock only for uniformity; nothing here reads the environment.
    let _sandbox = Sandbox::new();
    let expiry = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    let credentials =
        Credentials::new("AKIDDEBUG", SECRET_A, Some(TOKEN_B.to_owned())).with_expiry(expiry);
    let debug = format!("{credentials:?}");
    assert!(debug.contains("AKIDDEBUG"), "{debug}");
    assert!(!debug.contains(SECRET_A), "{debug}");
    assert!(!debug.contains(TOKEN_B), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    let pretty = format!("{credentials:#?}");
    assert!(
        !pretty.contains(SECRET_A) && !pretty.contains(TOKEN_B),
        "{pretty}"
    );

    let provided = provide(&credentials).unwrap();
    assert_eq!(keys(&provided), ("AKIDDEBUG", SECRET_A, Some(TOKEN_B)));
    assert_eq!(provided.expiry(), Some(expiry));
    assert_eq!(Credentials::new("a", "b", None).expiry(), None);
    assert_eq!(
        Credentials::new("a", "b", Some(String::new())).session_token(),
        None
    );

    // Providers are usable as trait objects across threads.
    let providers: Vec<Box<dyn ProvideCredentials>> = vec![
        Box::new(credentials),
        Box::new(EnvironmentCredentials),
        Box::new(ProfileCredentials::with_profile("x")),
        Box::new(DefaultCredentialsChain::new()),
    ];
    let debug = format!("{providers:?}");
    assert!(!debug.contains(SECRET_A), "{debug}");
    std::thread::spawn(move || drop(providers)).join().unwrap();

    let err = CredentialsError::new("custom provider failed");
    assert_eq!(err.to_string(), "custom provider failed");
    assert_eq!(err.message(), "custom provider failed");
}

#[test]
fn unreadable_file_is_an_error() {
    let sandbox = Sandbox::new();
    // A folder where the credentials file should be: reading it fails with an I/O error
    // other than "not found".
    let path: &Path = &sandbox.dir.join("is-a-dir");
    std::fs::create_dir_all(path).unwrap();
    sandbox.set("AWS_SHARED_CREDENTIALS_FILE", path.to_str().unwrap());
    let err = provide(&ProfileCredentials::new()).unwrap_err();
    assert!(err.to_string().contains("cannot read"), "{err}");
    assert!(err.to_string().contains("is-a-dir"), "{err}");
}
