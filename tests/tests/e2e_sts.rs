//! STS and the credential providers that call it, end to end against moto's server (the version
//! pinned in `scripts/moto-venv`), over plain HTTP on loopback through the default
//! `HttpsTransport`:
//!
//! - the generated `sts` client: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity (sent
//!   unsigned);
//! - `aws_lite_credentials::StsClient` driving the runtime's `AssumeRoleCredentials` and
//!   `WebIdentityCredentials`, and the crate's `assume_role`/`web_identity_from_env`;
//! - `elasticache::Client::from_env()` (feature `sts`) in a CI job whose profile assumes a role
//!   (`role_arn` + `source_profile`), and in an EKS pod with IRSA (`AWS_WEB_IDENTITY_TOKEN_FILE`,
//!   `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`).
//!
//! `MOTO_SERVER` must name moto's `moto_server` executable (see `e2e_moto.rs`):
//! `MOTO_SERVER="$(scripts/moto-venv)" cargo test -p tests --test e2e_sts`. Without it the
//! tests fail. Each test starts its own server on a free port and kills it when it ends.
//!
//! The tests that set environment variables (which are process-wide) hold one lock, clear every
//! `AWS_*` variable first, point `HOME` at a temporary directory (so no real `~/.aws` is read),
//! set `AWS_EC2_METADATA_DISABLED=true` (so nothing asks a real instance metadata service), and
//! restore everything when they end, even on panic. All tests take the lock, so they run one
//! at a time (each starts a Python server; the machine is small).
//!
//! How moto behaves here, and what the tests make of it:
//! - moto routes a request to a service by the SigV4 credential scope of its `Authorization`
//!   header. An unsigned request has none: moto 5.2.5 then looks the body's `Action` up in a
//!   table of known unsigned actions (`UNSIGNED_ACTIONS` in `moto/moto_server/werkzeug_app.py`:
//!   `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML` go to STS in `us-east-1`), so the
//!   unsigned AssumeRoleWithWebIdentity reaches STS as sent: nothing is added to it for moto's
//!   sake. The tests record the requests and assert it carries no `Authorization` and no
//!   `X-Amz-Security-Token`.
//! - moto assumes any role ARN (the role need not exist), accepts any web identity token
//!   without checking it, and issues `ASIA…` keys, a session token and an expiration that
//!   honours `DurationSeconds`. GetCallerIdentity answers for the access key that signed the
//!   request: `assumed-role/<role name>/<session name>` for keys it issued by assuming a role,
//!   and a made-up `user/moto` for keys it does not know.
//! - By default moto checks no signature and no permission, so a successful ElastiCache call
//!   alone would not show which credentials signed it. The two `from_env()` tests therefore
//!   switch moto's IAM emulation on (`POST /moto-api/reset-auth` with the number of requests
//!   still let through unauthenticated, moto's own switch) after creating users, roles and
//!   policies through raw IAM calls: moto then verifies each signature (with botocore's signer,
//!   against the keys it issued, the session token included) and evaluates the policies of the
//!   signer. The roles may call `elasticache:DescribeReplicationGroups` only, the CI job's base
//!   user may only assume its role: a DescribeReplicationGroups that succeeds was signed with
//!   the role's session, and a CreateReplicationGroup through the same client is refused with
//!   moto's `AccessDenied`, whose message names the signer: the assumed role's session.
//! - With authentication on, moto cannot take an unsigned request at all: its IAM check reads
//!   the `Authorization` header unconditionally and it answers HTTP 500 (AWS accepts an
//!   unsigned AssumeRoleWithWebIdentity; the token is the proof). The IRSA test therefore lets
//!   exactly one request through unauthenticated (`reset-auth` with 1) before each credential
//!   fetch, the unsigned AssumeRoleWithWebIdentity; every request after it is authenticated.
//!   That a second ElastiCache call through the same client succeeds also shows the
//!   credentials were cached (another AssumeRoleWithWebIdentity would have got a 500).
//! - moto's authentication errors are HTTP 403 in EC2's `<ErrorResponse><Errors><Error>`
//!   envelope; the runtime reads that layout (see `e2e_moto.rs`).

use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite_credentials::StsClient;
use aws_lite_runtime::auth::{
    AssumeRoleCredentials, AssumeRoleRequest, BoxFuture, CachedCredentials, Credentials,
    CredentialsError, ProvideCredentials, WebIdentityCredentials,
};
use aws_lite_runtime::client::{HttpsTransport, Transport, TransportError, TransportRequest};
use aws_lite_runtime::protocol::{HttpResponse, RequestId, SdkError};
use tests::moto::{xml_text, MotoServer};

/// A hard limit on every call, around the client's own operation timeout.
const CALL_LIMIT: Duration = Duration::from_secs(30);
/// moto's default account: the one its IAM and STS emulation work in.
const ACCOUNT: &str = "123456789012";
/// A JWT-shaped web identity token; moto does not check it.
const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImUyZSJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDplMmUiLCJhdWQiOlsic3RzLmFtYXpvbmF3cy5jb20iXX0.c2lnbmF0dXJl";

// ---------------------------------------------------------------------------------------------
// The server (the minimal harness of e2e_moto.rs).

/// IAM set-up through moto (our clients have no IAM operations).
trait IamSetup {
    /// An IAM call made while moto checks no signatures (see `MotoServer::iam`), with
    /// IAM's version added. Panics unless moto answers 200; returns the body.
    fn iam_ok(&self, params: &[(&str, &str)]) -> String;
}

impl IamSetup for MotoServer {
    fn iam_ok(&self, params: &[(&str, &str)]) -> String {
        let mut all = vec![("Version", "2010-05-08")];
        all.extend_from_slice(params);
        let (status, body) = self.iam(&all);
        assert!(status.contains(" 200 "), "IAM {params:?}: {status}\n{body}");
        body
    }
}

/// Awaits `call` with a hard limit, so a hung call fails the test instead of hanging it.
async fn bounded<T>(what: &str, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(CALL_LIMIT, call)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {CALL_LIMIT:?}"))
}

/// Runs a test body on a current-thread runtime (as `#[tokio::test]` does), so the test can
/// hold the environment lock, a std `Mutex` guard, outside of any `.await`.
fn block_on<F: Future>(body: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(body)
}

// ---------------------------------------------------------------------------------------------
// The environment, temporary files, and recording requests.

static SERIAL: Mutex<()> = Mutex::new(());

/// One test at a time: they set process-wide environment variables. A test that failed holding
/// the lock leaves nothing behind (its `Env` restored the variables on unwinding), so a
/// poisoned lock is taken over.
fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn is_managed(name: &str) -> bool {
    name == "HOME" || name.starts_with("AWS_")
}

/// Clears every `AWS_*` variable and points `HOME` at `home` (with instance metadata off);
/// on drop, removes what the test set and puts the original values back.
struct Env {
    saved: Vec<(OsString, OsString)>,
}

impl Env {
    fn isolated(home: &Path) -> Env {
        let saved: Vec<(OsString, OsString)> = std::env::vars_os()
            .filter(|(k, _)| k.to_str().is_some_and(is_managed))
            .collect();
        for (name, _) in &saved {
            std::env::remove_var(name);
        }
        std::env::set_var("HOME", home);
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        // Files that do not exist, rather than anything under a real home.
        std::env::set_var("AWS_CONFIG_FILE", home.join("no-config"));
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"));
        Env { saved }
    }

    fn set(&self, name: &str, value: impl AsRef<std::ffi::OsStr>) {
        assert!(is_managed(name), "{name} would not be restored");
        std::env::set_var(name, value);
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let set: Vec<OsString> = std::env::vars_os()
            .map(|(k, _)| k)
            .filter(|k| k.to_str().is_some_and(is_managed))
            .collect();
        for name in set {
            std::env::remove_var(name);
        }
        for (name, value) in &self.saved {
            std::env::set_var(name, value);
        }
    }
}

/// A directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("e2e-sts-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The default `HttpsTransport`, keeping a copy of every request it sends.
#[derive(Clone, Debug, Default)]
struct Recorder {
    inner: HttpsTransport,
    sent: Arc<Mutex<Vec<TransportRequest>>>,
}

impl Recorder {
    fn requests(&self) -> Vec<TransportRequest> {
        self.sent.lock().unwrap().clone()
    }

    fn last(&self) -> TransportRequest {
        self.requests().pop().expect("a request was sent")
    }
}

impl Transport for Recorder {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push(request.clone());
        self.inner.send(request)
    }
}

/// Static credentials that count how often they are asked for.
#[derive(Debug, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new("testing", "testing", None)) })
    }
}

// ---------------------------------------------------------------------------------------------
// Assertions.

/// An STS config for this server, signing for us-east-1, sending through `transport`.
fn sts_config(server: &MotoServer, transport: &Recorder) -> sts::config::ConfigBuilder {
    sts::config::Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint())
        .transport(transport.clone())
        .max_attempts(1)
        .operation_timeout(Duration::from_secs(20))
}

/// The request was SigV4-signed by `access_key_id` for STS in us-east-1.
fn assert_signed_by(request: &TransportRequest, access_key_id: &str) {
    let authorization = request
        .header("authorization")
        .unwrap_or_else(|| panic!("not signed: {request:?}"));
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential="),
        "{authorization}"
    );
    let scope = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap();
    let parts: Vec<&str> = scope.split('/').collect();
    assert_eq!(parts.len(), 5, "{scope}");
    assert_eq!(parts[0], access_key_id, "{scope}");
    assert_eq!(&parts[2..], ["us-east-1", "sts", "aws4_request"], "{scope}");
}

fn assert_unsigned(request: &TransportRequest) {
    assert_eq!(request.header("authorization"), None, "{request:?}");
    assert_eq!(request.header("x-amz-security-token"), None, "{request:?}");
}

/// Temporary credentials as moto issues them: an `ASIA` key, a secret and a session token;
/// `expires` is checked against `now + lifetime` (moto honours DurationSeconds), within a
/// minute.
fn assert_temporary(
    key: &str,
    secret: &str,
    token: Option<&str>,
    expires: Option<SystemTime>,
    lifetime: Duration,
) {
    assert!(
        key.starts_with("ASIA") && key.len() == 20,
        "not an STS access key id: {key}"
    );
    assert!(secret.len() >= 20, "secret: {secret:?}");
    assert!(
        token.is_some_and(|t| t.len() > 100),
        "session token: {token:?}"
    );
    let expires = expires.expect("an expiration");
    let expected = SystemTime::now() + lifetime;
    let off = match expires.duration_since(expected) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    assert!(
        off < Duration::from_secs(60),
        "expires {expires:?}, expected about {expected:?} ({lifetime:?} from now)"
    );
}

fn assert_sts_credentials(c: &sts::types::Credentials, lifetime: Duration) {
    let expiration = SystemTime::try_from(c.expiration()).expect("a representable time");
    assert_temporary(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
        Some(expiration),
        lifetime,
    );
}

fn assert_runtime_credentials(c: &Credentials, lifetime: Duration) {
    assert_temporary(
        c.access_key_id(),
        c.secret_access_key(),
        c.session_token(),
        c.expiry(),
        lifetime,
    );
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

fn session_arn(role: &str, session: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}")
}

const HOUR: Duration = Duration::from_secs(3600);

/// GetCallerIdentity with `credentials`: the ARN moto gives the signer.
async fn caller_arn(server: &MotoServer, credentials: &Credentials) -> String {
    let recorder = Recorder::default();
    let client = sts::Client::new(
        &sts_config(server, &recorder)
            .credentials(credentials.clone())
            .build(),
    );
    let who = bounded("GetCallerIdentity", client.get_caller_identity().send())
        .await
        .unwrap_or_else(|e| panic!("GetCallerIdentity: {e}\n{}", server.log_text()));
    // Signed with these credentials, the session token included.
    let request = recorder.last();
    assert_signed_by(&request, credentials.access_key_id());
    assert_eq!(
        request.header("x-amz-security-token"),
        credentials.session_token()
    );
    assert_eq!(who.account(), Some(ACCOUNT));
    who.arn().expect("an ARN").to_string()
}

// ---------------------------------------------------------------------------------------------
// 1. The generated STS client.

#[test]
fn sts_client_against_moto() {
    let _serial = serial();
    block_on(async {
        let server = MotoServer::start();
        let recorder = Recorder::default();
        let client = sts::Client::new(
            &sts_config(&server, &recorder)
                .credentials(Credentials::new("testing", "testing", None))
                .build(),
        );

        // GetCallerIdentity with keys moto does not know: its made-up user, signed by them.
        let who = bounded("GetCallerIdentity", client.get_caller_identity().send())
            .await
            .unwrap_or_else(|e| panic!("GetCallerIdentity: {e}\n{}", server.log_text()));
        assert_eq!(who.account(), Some(ACCOUNT));
        let static_user = format!("arn:aws:sts::{ACCOUNT}:user/moto");
        assert_eq!(who.arn(), Some(static_user.as_str()));
        assert!(who.user_id().is_some_and(|u| !u.is_empty()));
        let request = recorder.last();
        assert_signed_by(&request, "testing");
        assert_eq!(request.header("x-amz-security-token"), None);
        assert_eq!(
            request.body_text(),
            "Action=GetCallerIdentity&Version=2011-06-15"
        );

        // AssumeRole, with an external id and a 15-minute session.
        let role = role_arn("e2e-role");
        let assumed = bounded(
            "AssumeRole",
            client
                .assume_role()
                .role_arn(&role)
                .role_session_name("e2e-session")
                .external_id("e2e-external-id")
                .duration_seconds(900)
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("AssumeRole: {e}\n{}", server.log_text()));
        let credentials = assumed.credentials().expect("credentials");
        assert_sts_credentials(credentials, Duration::from_secs(900));
        let user = assumed.assumed_role_user().expect("the assumed role user");
        assert_eq!(user.arn(), session_arn("e2e-role", "e2e-session"));
        assert!(
            user.assumed_role_id().ends_with(":e2e-session"),
            "{}",
            user.assumed_role_id()
        );
        assert!(assumed.request_id().is_some_and(|r| !r.is_empty()));
        let request = recorder.last();
        assert_signed_by(&request, "testing");
        let body = request.body_text();
        for field in [
            "Action=AssumeRole&",
            "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fe2e-role",
            "RoleSessionName=e2e-session",
            "ExternalId=e2e-external-id",
            "DurationSeconds=900",
        ] {
            assert!(body.contains(field), "{field} not in {body}");
        }

        // The assumed credentials work, and moto knows whose they are.
        let session = Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            Some(credentials.session_token().to_string()),
        );
        assert_eq!(
            caller_arn(&server, &session).await,
            session_arn("e2e-role", "e2e-session")
        );

        // AssumeRoleWithWebIdentity is sent unsigned: the client's credentials (counted) are
        // not even looked up.
        let lookups = Arc::new(AtomicUsize::new(0));
        let unsigned_recorder = Recorder::default();
        let unsigned_client = sts::Client::new(
            &sts_config(&server, &unsigned_recorder)
                .credentials_provider(Counting(lookups.clone()))
                .build(),
        );
        let web = bounded(
            "AssumeRoleWithWebIdentity",
            unsigned_client
                .assume_role_with_web_identity()
                .role_arn(role_arn("web-role"))
                .role_session_name("web-session")
                .web_identity_token(TOKEN)
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("AssumeRoleWithWebIdentity: {e}\n{}", server.log_text()));
        let request = unsigned_recorder.last();
        assert_unsigned(&request);
        assert_eq!(request.header("x-amz-date"), None, "{request:?}");
        let body = request.body_text();
        assert!(
            body.starts_with("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&"),
            "{body}"
        );
        assert!(
            body.contains(&format!("WebIdentityToken={TOKEN}")),
            "{body}"
        );
        assert_eq!(
            lookups.load(Ordering::SeqCst),
            0,
            "credentials were resolved"
        );
        assert_eq!(unsigned_recorder.requests().len(), 1);
        let credentials = web.credentials().expect("credentials");
        assert_sts_credentials(credentials, HOUR);
        assert_eq!(
            web.assumed_role_user()
                .expect("the assumed role user")
                .arn(),
            session_arn("web-role", "web-session")
        );
        let session = Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            Some(credentials.session_token().to_string()),
        );
        assert_eq!(
            caller_arn(&server, &session).await,
            session_arn("web-role", "web-session")
        );

        // Also unsigned, and accepted, with no credentials configured at all.
        let bare = sts::Client::new(&sts_config(&server, &unsigned_recorder).build());
        let web = bounded(
            "AssumeRoleWithWebIdentity (no credentials)",
            bare.assume_role_with_web_identity()
                .role_arn(role_arn("web-role"))
                .role_session_name("bare-session")
                .web_identity_token(TOKEN)
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("AssumeRoleWithWebIdentity: {e}\n{}", server.log_text()));
        assert_unsigned(&unsigned_recorder.last());
        assert_eq!(
            web.assumed_role_user().unwrap().arn(),
            session_arn("web-role", "bare-session")
        );
    });
}

// ---------------------------------------------------------------------------------------------
// 2. aws_lite_credentials::StsClient under the runtime's role providers.

#[test]
fn credentials_sts_client_drives_the_role_providers() {
    let _serial = serial();
    block_on(async {
        let server = MotoServer::start();
        let dir = TempDir::new("providers");
        let recorder = Recorder::default();
        let sts_api = Arc::new(StsClient::with_config(
            sts_config(&server, &recorder).build(),
        ));

        // AssumeRoleCredentials: AssumeRole signed with the source's credentials.
        let source = Credentials::new("AKIDSOURCE0000000000", "source-secret", None);
        let provider = AssumeRoleCredentials::new(
            Arc::new(source),
            AssumeRoleRequest::new(role_arn("deployer"))
                .session_name("provider-session")
                .external_id("provider-external-id")
                .duration_seconds(1200)
                .region("us-east-1"),
            sts_api.clone(),
        );
        let assumed = bounded("AssumeRoleCredentials", provider.provide_credentials())
            .await
            .unwrap_or_else(|e| panic!("AssumeRoleCredentials: {e}\n{}", server.log_text()));
        assert_runtime_credentials(&assumed, Duration::from_secs(1200));
        let request = recorder.last();
        assert_signed_by(&request, "AKIDSOURCE0000000000");
        let body = request.body_text();
        for field in [
            "Action=AssumeRole&",
            "RoleSessionName=provider-session",
            "ExternalId=provider-external-id",
            "DurationSeconds=1200",
        ] {
            assert!(body.contains(field), "{field} not in {body}");
        }
        assert_eq!(
            caller_arn(&server, &assumed).await,
            session_arn("deployer", "provider-session")
        );

        // A session source (a role chain): its token goes with the AssumeRole request.
        let chained = AssumeRoleCredentials::new(
            Arc::new(assumed.clone()),
            AssumeRoleRequest::new(role_arn("second-hop")).session_name("hop-two"),
            sts_api.clone(),
        );
        let second = bounded(
            "AssumeRoleCredentials (chained)",
            chained.provide_credentials(),
        )
        .await
        .unwrap_or_else(|e| panic!("chained: {e}\n{}", server.log_text()));
        let request = recorder.last();
        assert_signed_by(&request, assumed.access_key_id());
        assert_eq!(
            request.header("x-amz-security-token"),
            assumed.session_token()
        );
        assert_runtime_credentials(&second, HOUR);
        assert_ne!(second.access_key_id(), assumed.access_key_id());
        assert_eq!(
            caller_arn(&server, &second).await,
            session_arn("second-hop", "hop-two")
        );

        // WebIdentityCredentials: the token read from its file, sent unsigned.
        let token_file = dir.write("token", &format!("{TOKEN}\n"));
        let web = WebIdentityCredentials::new(&token_file, role_arn("irsa-role"), sts_api.clone())
            .session_name("web-provider")
            .region("us-east-1");
        let sent_before = recorder.requests().len();
        let credentials = bounded("WebIdentityCredentials", web.provide_credentials())
            .await
            .unwrap_or_else(|e| panic!("WebIdentityCredentials: {e}\n{}", server.log_text()));
        assert_runtime_credentials(&credentials, HOUR);
        let request = recorder.last();
        assert_unsigned(&request);
        let body = request.body_text();
        assert!(body.contains("Action=AssumeRoleWithWebIdentity&"), "{body}");
        assert!(body.contains("RoleSessionName=web-provider"), "{body}");
        // The file's trailing newline is not part of the token.
        assert!(
            body.contains(&format!("WebIdentityToken={TOKEN}&"))
                || body.ends_with(&format!("WebIdentityToken={TOKEN}")),
            "{body}"
        );
        assert_eq!(
            caller_arn(&server, &credentials).await,
            session_arn("irsa-role", "web-provider")
        );

        // The file is read on every fetch (tokens are rotated); CachedCredentials asks once.
        std::fs::write(&token_file, "rotated.token.value").unwrap();
        let cached = CachedCredentials::new(web);
        let first = bounded("cached (1)", cached.provide_credentials())
            .await
            .unwrap();
        let again = bounded("cached (2)", cached.provide_credentials())
            .await
            .unwrap();
        assert_eq!(first.access_key_id(), again.access_key_id());
        assert_ne!(first.access_key_id(), credentials.access_key_id());
        let web_calls: Vec<TransportRequest> = recorder.requests()[sent_before..]
            .iter()
            .filter(|r| r.body_text().contains("Action=AssumeRoleWithWebIdentity&"))
            .cloned()
            .collect();
        assert_eq!(web_calls.len(), 2, "one fetch, then one for the cache");
        assert!(web_calls[1]
            .body_text()
            .contains("WebIdentityToken=rotated.token.value"));

        // An empty token file is an error, and nothing is sent.
        let empty = dir.write("empty-token", " \n");
        let sent = recorder.requests().len();
        let err = WebIdentityCredentials::new(&empty, role_arn("irsa-role"), sts_api.clone())
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.message().contains("is empty"), "{err}");
        assert_eq!(recorder.requests().len(), sent);
    });
}

/// `aws_lite_credentials::assume_role` and `web_identity_from_env` configure their STS client
/// from the environment: `AWS_ENDPOINT_URL_STS` wins over `AWS_ENDPOINT_URL` (here an address
/// where nothing listens).
#[test]
fn credentials_free_functions_use_the_environment() {
    let _serial = serial();
    let server = MotoServer::start();
    let dir = TempDir::new("free-functions");
    let env = Env::isolated(&dir.0);
    env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    env.set("AWS_ENDPOINT_URL_STS", server.endpoint());
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_MAX_ATTEMPTS", "1");
    env.set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT00000");
    env.set("AWS_SECRET_ACCESS_KEY", "environment-secret");
    let token_file = dir.write("token", TOKEN);
    env.set("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file);
    env.set("AWS_ROLE_ARN", role_arn("env-web-role"));
    env.set("AWS_ROLE_SESSION_NAME", "env-web-session");
    block_on(async {
        let provider = aws_lite_credentials::assume_role(
            Arc::new(aws_lite_runtime::auth::EnvironmentCredentials),
            AssumeRoleRequest::new(role_arn("env-role")).session_name("env-session"),
        );
        let assumed = bounded("assume_role", provider.provide_credentials())
            .await
            .unwrap_or_else(|e| panic!("assume_role: {e}\n{}", server.log_text()));
        assert_runtime_credentials(&assumed, HOUR);
        assert_eq!(
            caller_arn(&server, &assumed).await,
            session_arn("env-role", "env-session")
        );

        let web = aws_lite_credentials::web_identity_from_env()
            .expect("a valid configuration")
            .expect("AWS_WEB_IDENTITY_TOKEN_FILE is set");
        let credentials = bounded("web_identity_from_env", web.provide_credentials())
            .await
            .unwrap_or_else(|e| panic!("web_identity_from_env: {e}\n{}", server.log_text()));
        assert_runtime_credentials(&credentials, HOUR);
        assert_eq!(
            caller_arn(&server, &credentials).await,
            session_arn("env-web-role", "env-web-session")
        );
    });
    drop(env);
}

// ---------------------------------------------------------------------------------------------
// 3. A CI job whose profile assumes a role, through elasticache::Client::from_env().

/// A policy document (no spaces: see e2e_moto.rs on moto's signature check of form bodies).
fn allow(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}]}}"#
    )
}

fn trust(principal: &str, action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"{action}"}}]}}"#
    )
}

/// A role in moto's IAM that may only call `elasticache:DescribeReplicationGroups`.
fn create_role(server: &MotoServer, name: &str, trust_policy: &str) {
    server.iam_ok(&[
        ("Action", "CreateRole"),
        ("RoleName", name),
        ("AssumeRolePolicyDocument", trust_policy),
    ]);
    server.iam_ok(&[
        ("Action", "PutRolePolicy"),
        ("RoleName", name),
        ("PolicyName", "describe-only"),
        (
            "PolicyDocument",
            &allow("elasticache:DescribeReplicationGroups", "*"),
        ),
    ]);
}

/// A CreateReplicationGroup through `client` is refused by moto's IAM emulation; returns the
/// message, which names the signer.
async fn access_denied_message(client: &elasticache::Client) -> String {
    let err = bounded(
        "CreateReplicationGroup",
        client
            .create_replication_group()
            .replication_group_id("not-allowed")
            .replication_group_description("refused")
            .send(),
    )
    .await
    .unwrap_err();
    let fault = err
        .into_service_error()
        .expect("a service error from moto's IAM check");
    assert_eq!(fault.code(), Some("AccessDenied"), "{fault}");
    assert_eq!(fault.status(), 403, "{fault}");
    fault.message().unwrap_or_default().to_string()
}

#[test]
fn ci_profile_assumes_a_role_for_elasticache_from_env() {
    let _serial = serial();
    let server = MotoServer::start();

    // moto's IAM: a user `ci-base` that may only assume role `ci`; role `ci` trusts it and may
    // only describe replication groups.
    server.iam_ok(&[("Action", "CreateUser"), ("UserName", "ci-base")]);
    let key = server.iam_ok(&[("Action", "CreateAccessKey"), ("UserName", "ci-base")]);
    let base_key = xml_text(&key, "AccessKeyId").to_string();
    let base_secret = xml_text(&key, "SecretAccessKey").to_string();
    server.iam_ok(&[
        ("Action", "PutUserPolicy"),
        ("UserName", "ci-base"),
        ("PolicyName", "assume-ci"),
        ("PolicyDocument", &allow("sts:AssumeRole", &role_arn("ci"))),
    ]);
    let base_user = format!("arn:aws:iam::{ACCOUNT}:user/ci-base");
    create_role(
        &server,
        "ci",
        &trust(&format!(r#"{{"AWS":"{base_user}"}}"#), "sts:AssumeRole"),
    );
    server.require_auth_after(0);

    let dir = TempDir::new("ci");
    let config = dir.write(
        "config",
        &format!(
            "[profile ci]\nrole_arn = {}\nsource_profile = base\n\n\
             [profile base]\naws_access_key_id = {base_key}\naws_secret_access_key = {base_secret}\n\n\
             [profile denied]\nrole_arn = {}\nsource_profile = base\n",
            role_arn("ci"),
            role_arn("other"),
        ),
    );
    let env = Env::isolated(&dir.0);
    env.set("AWS_CONFIG_FILE", &config);
    env.set("AWS_PROFILE", "ci");
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_ENDPOINT_URL", server.endpoint());

    block_on(async {
        // The base user's own keys may not call ElastiCache: moto checks.
        let as_base = elasticache::Client::new(
            &elasticache::Config::builder()
                .region("us-east-1")
                .endpoint_url(server.endpoint())
                .credentials(Credentials::new(&base_key, &base_secret, None))
                .build(),
        );
        let err = bounded(
            "DescribeReplicationGroups (base user)",
            as_base.describe_replication_groups().send(),
        )
        .await
        .unwrap_err();
        let fault = err.into_service_error().expect("a service error");
        assert_eq!(fault.code(), Some("AccessDenied"), "{fault}");
        assert!(
            fault.message().is_some_and(|m| m.contains(&base_user)),
            "{fault}"
        );

        // The CI job: no keys in the environment, AWS_PROFILE=ci. This succeeds only if it
        // was signed with role `ci`'s session, which the chain got by AssumeRole signed with
        // the base profile's keys (both checked by moto).
        let client = elasticache::Client::from_env();
        let groups = bounded(
            "DescribeReplicationGroups (from_env)",
            client.describe_replication_groups().send(),
        )
        .await
        .unwrap_or_else(|e| panic!("from_env: {e}\n{}", server.log_text()));
        assert!(groups.replication_groups().is_empty());
        assert!(groups.request_id().is_some_and(|r| !r.is_empty()));

        // The same client is refused what role `ci` may not do, and moto names the signer: an
        // `aws-lite-…` session (the profile names none) of role `ci`.
        let message = access_denied_message(&client).await;
        let session_prefix = format!("arn:aws:sts::{ACCOUNT}:assumed-role/ci/aws-lite-");
        assert!(
            message.contains(&format!("User: {session_prefix}")),
            "{message}"
        );
        assert!(
            message.contains("elasticache:CreateReplicationGroup"),
            "{message}"
        );

        // GetCallerIdentity through the same chain says so too.
        let who = sts::Client::new(
            &sts::config::Config::builder()
                .credentials_provider(aws_lite_credentials::default_chain())
                .load_from_env("STS")
                .build(),
        );
        let identity = bounded(
            "GetCallerIdentity (chain)",
            who.get_caller_identity().send(),
        )
        .await
        .unwrap_or_else(|e| panic!("GetCallerIdentity: {e}\n{}", server.log_text()));
        let arn = identity.arn().expect("an ARN");
        assert!(arn.starts_with(&session_prefix), "{arn}");
        assert!(
            identity
                .user_id()
                .is_some_and(|u| u.starts_with("AROA") && u.contains(":aws-lite-")),
            "{:?}",
            identity.user_id()
        );

        // A profile whose role the base user may not assume: the chain's error, with STS's
        // refusal, and nothing sent to ElastiCache.
        env.set("AWS_PROFILE", "denied");
        let denied = elasticache::Client::from_env();
        let err = bounded(
            "DescribeReplicationGroups (denied profile)",
            denied.describe_replication_groups().send(),
        )
        .await
        .unwrap_err();
        let SdkError::Credentials(e) = &err else {
            panic!("expected a credentials error, got {err:?}")
        };
        let shown = e.to_string();
        assert!(shown.contains(&role_arn("other")), "{shown}");
        assert!(shown.contains("AccessDenied"), "{shown}");
    });
    drop(env);
}

// ---------------------------------------------------------------------------------------------
// 4. An EKS pod with IRSA, through elasticache::Client::from_env().

#[test]
fn eks_irsa_web_identity_for_elasticache_from_env() {
    let _serial = serial();
    let server = MotoServer::start();
    let federated =
        format!("arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/E2E");
    create_role(
        &server,
        "irsa-app",
        &trust(
            &format!(r#"{{"Federated":"{federated}"}}"#),
            "sts:AssumeRoleWithWebIdentity",
        ),
    );

    let dir = TempDir::new("irsa");
    let token_file = dir.write("token", TOKEN);
    let env = Env::isolated(&dir.0);
    env.set("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file);
    env.set("AWS_ROLE_ARN", role_arn("irsa-app"));
    env.set("AWS_ROLE_SESSION_NAME", "irsa-pod");
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_ENDPOINT_URL", server.endpoint());
    let session = session_arn("irsa-app", "irsa-pod");

    block_on(async {
        // One unauthenticated request (the unsigned AssumeRoleWithWebIdentity), then moto
        // checks every signature and policy.
        server.require_auth_after(1);
        let client = elasticache::Client::from_env();
        let groups = bounded(
            "DescribeReplicationGroups (from_env)",
            client.describe_replication_groups().send(),
        )
        .await
        .unwrap_or_else(|e| panic!("from_env: {e}\n{}", server.log_text()));
        assert!(groups.replication_groups().is_empty());

        // Authenticated as the role's session; the credentials are cached (another
        // AssumeRoleWithWebIdentity now would be refused by moto).
        let again = bounded(
            "DescribeReplicationGroups (again)",
            client.describe_replication_groups().send(),
        )
        .await
        .unwrap_or_else(|e| panic!("second call: {e}\n{}", server.log_text()));
        assert!(again.replication_groups().is_empty());
        let message = access_denied_message(&client).await;
        assert!(
            message.contains(&format!("User: {session} is not authorized")),
            "{message}"
        );

        // Keys moto did not issue are refused: the checks are on.
        let stranger = elasticache::Client::new(
            &elasticache::Config::builder()
                .region("us-east-1")
                .endpoint_url(server.endpoint())
                .credentials(Credentials::new("testing", "testing", None))
                .build(),
        );
        let err = bounded(
            "DescribeReplicationGroups (unknown key)",
            stranger.describe_replication_groups().send(),
        )
        .await
        .unwrap_err();
        let fault = err.into_service_error().expect("a service error");
        assert_eq!(fault.code(), Some("InvalidClientTokenId"), "{fault}");

        // GetCallerIdentity through the chain: the role and the session name from the
        // environment.
        server.require_auth_after(1);
        let who = sts::Client::new(
            &sts::config::Config::builder()
                .credentials_provider(aws_lite_credentials::default_chain())
                .load_from_env("STS")
                .build(),
        );
        let identity = bounded(
            "GetCallerIdentity (chain)",
            who.get_caller_identity().send(),
        )
        .await
        .unwrap_or_else(|e| panic!("GetCallerIdentity: {e}\n{}", server.log_text()));
        assert_eq!(identity.arn(), Some(session.as_str()));
        assert_eq!(identity.account(), Some(ACCOUNT));
    });
    drop(env);
}
