//! The credential providers of `aws_lite_runtime::auth` against loopback fakes of the real
//! endpoints, one test per behaviour and one chain test per place AWS code runs (EC2, ECS,
//! EKS Pod Identity, EKS IRSA, a laptop with IAM Identity Center, CI with an assumed role).
//!
//! # The fakes
//!
//! - [`Server`]: a small HTTP/1.1 server on a tokio `TcpListener` at `127.0.0.1:0`. It keeps
//!   connections alive (the providers' client is hyper's pooled one), answers every request
//!   with a `content-length`, closes when asked (`connection: close`), and records each
//!   request (method, path with query, headers) before answering, for assertions. What it
//!   answers is a plain `Fn(&Request) -> Response` over some shared state.
//! - [`FakeImds`]: IMDSv2. `PUT /latest/api/token` needs `x-aws-ec2-metadata-token-ttl-seconds`
//!   (400 without it) and issues a new token; every `GET` needs `x-aws-ec2-metadata-token` set
//!   to a token it issued and has not revoked, else 401. It serves the role list, the role's
//!   credentials document and `placement/region`; an instance without a role answers 404 to
//!   the list, as EC2 does.
//! - [`FakeContainer`]: the ECS / EKS Pod Identity credentials endpoint at `/v1/credentials`;
//!   when it is given a token it answers 401 unless `Authorization` equals it.
//! - [`FakePortal`]: the IAM Identity Center portal's `GET /federation/credentials`, which needs
//!   `x-amz-sso_bearer_token` (401 otherwise) and knows one account and role (403 otherwise).
//! - [`FakeSts`]: an in-process [`StsApi`] that records every call (the source credentials and
//!   the request) and answers credentials named after the role (`ASIAFAKE<ROLE>`) that expire
//!   in an hour; it validates session names and durations as STS does.
//! - [`SlowProvider`]: a provider that counts calls, takes 50 ms, and can be made to fail, for
//!   [`CachedCredentials`].
//!
//! # The environment
//!
//! The providers read process-wide environment variables, so every test that touches them
//! holds `ENV_LOCK` for its whole run through [`Sandbox`] (tests/common/sandbox.rs):
//! it clears every `AWS_*` variable the providers read, points `HOME` at an empty temporary
//! folder, and sets `AWS_EC2_METADATA_DISABLED=true` so nothing ever reaches a real
//! 169.254.169.254; [`Sandbox::imds`] turns instance metadata back on, pointed at a fake.
//! Every URL is an IP literal, so no test resolves a host name.
//!
//! # Secrets
//!
//! Every secret the fakes hand out or are handed (secret keys, session tokens, the IMDS token,
//! container authorization tokens, the SSO access token, the web identity token) is in
//! [`SECRETS`]; [`message`] and [`assert_no_secrets`] check that error messages and `Debug`
//! output contain none of them.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lite_runtime::auth::{
    AssumeRoleRequest, BoxFuture, CachedCredentials, ContainerCredentials, Credentials,
    CredentialsError, DefaultCredentialsChain, ImdsClient, ImdsCredentials, ImdsRegion,
    ProcessCredentials, ProfileCredentials, ProvideCredentials, SsoCredentials, SsoLogin, StsApi,
    WebIdentityCredentials, WebIdentityRequest,
};
use aws_lite_runtime::client::{Config, MockTransport};
use aws_lite_runtime::protocol::HttpResponse;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

mod common;
use common::sandbox::Sandbox;

// ---------------------------------------------------------------------------------------------
// Secrets and other fixed values
// ---------------------------------------------------------------------------------------------

const IMDS_KEY_ID: &str = "ASIAIMDSEXAMPLE";
const IMDS_SECRET: &str = "imdsSECRETwJalrXUtnFEMIK7MDENG";
const IMDS_SESSION: &str = "imdsSESSIONtokenIQoJb3JpZ2lu";
/// Prefix of the session tokens [`FakeImds`] issues (`<prefix>-1`, `<prefix>-2`, …).
const IMDS_API_TOKEN: &str = "imdsAPItokenAQAEAFakeToken";
const IMDS_ROLE: &str = "ec2-app-role";
const IMDS_REGION: &str = "eu-central-1";

const CONTAINER_KEY_ID: &str = "ASIACONTAINER";
const CONTAINER_SECRET: &str = "containerSECRETbPxRfiCYEXAMPLE";
const CONTAINER_SESSION: &str = "containerSESSIONtokenFwoGZXIv";
const CONTAINER_AUTH: &str = "containerAUTHtokenFromVariable";
const CONTAINER_AUTH_FILE_1: &str = "containerAUTHtokenFromFileOne";
const CONTAINER_AUTH_FILE_2: &str = "containerAUTHtokenFromFileTwo";

const SSO_ACCESS_TOKEN: &str = "ssoACCESStokenaoaAAAAAGVeXample";
const SSO_KEY_ID: &str = "ASIASSOROLE";
const SSO_SECRET: &str = "ssoROLEsecretQ5hKkYpLmNo";
const SSO_SESSION: &str = "ssoROLEsessionTokenR2d2C3po";
const SSO_ACCOUNT: &str = "123456789012";
const SSO_ROLE: &str = "DevRole";
const SSO_START_URL: &str = "https://example.awsapps.com/start";
/// `printf corp | sha1sum`: the token cache file of `[sso-session corp]`.
const CORP_SHA1: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";
/// `printf https://example.awsapps.com/start | sha1sum`: the legacy (start URL) cache file.
const START_URL_SHA1: &str = "e8be5486177c5b5392bd9aa76563515b29358e6e";

const PROCESS_SECRET: &str = "processSECRETprintedOnStdout";
const PROCESS_SESSION: &str = "processSESSIONtokenOnStdout";

/// Prefixes of what [`FakeSts`] answers (`<prefix>-<call number>`).
const STS_SECRET: &str = "stsSECRETassumedRoleKey";
const STS_SESSION: &str = "stsSESSIONassumedRoleTok";
const WEB_IDENTITY_TOKEN: &str = "eyJwebIdentityTOKENsecretJWTpart";

const ROOT_SECRET: &str = "rootSECRETstaticKeyInProfile";
const BASE_SECRET: &str = "baseSECRETstaticKeyInCredsFile";
const ENV_SECRET: &str = "envSECRETfromEnvironmentVars";
const ENV_SESSION: &str = "envSESSIONfromEnvironmentVar";
const CACHE_SECRET: &str = "cacheSECRETfromSlowProvider";

/// Nothing printed, logged or returned as an error may contain any of these.
const SECRETS: &[&str] = &[
    IMDS_SECRET,
    IMDS_SESSION,
    IMDS_API_TOKEN,
    CONTAINER_SECRET,
    CONTAINER_SESSION,
    CONTAINER_AUTH,
    CONTAINER_AUTH_FILE_1,
    CONTAINER_AUTH_FILE_2,
    SSO_ACCESS_TOKEN,
    SSO_SECRET,
    SSO_SESSION,
    PROCESS_SECRET,
    PROCESS_SESSION,
    STS_SECRET,
    STS_SESSION,
    WEB_IDENTITY_TOKEN,
    ROOT_SECRET,
    BASE_SECRET,
    ENV_SECRET,
    ENV_SESSION,
    CACHE_SECRET,
];

/// 2099-01-01T00:00:00Z, the expiry the fakes give their credentials.
const FAR_FUTURE_TEXT: &str = "2099-01-01T00:00:00Z";
const FAR_FUTURE_SECS: u64 = 4_070_908_800;

fn far_future() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(FAR_FUTURE_SECS)
}

const IMDS_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const IMDS_TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const IMDS_CREDENTIALS_LIST: &str = "/latest/meta-data/iam/security-credentials/";
const IMDS_REGION_PATH: &str = "/latest/meta-data/placement/region";

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

/// Panics when `text` contains a secret (naming which, not the text around it twice).
#[track_caller]
fn assert_no_secrets(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{what} contains the secret {secret:?}: {text}"
        );
    }
}

/// The error's message, checked (with its `Debug` form) for secrets.
#[track_caller]
fn message(err: &CredentialsError) -> String {
    let text = err.to_string();
    assert_no_secrets("error message", &text);
    assert_no_secrets("error Debug", &format!("{err:?}"));
    text
}

fn keys(credentials: &Credentials) -> (&str, &str, Option<&str>) {
    (
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token(),
    )
}

// ---------------------------------------------------------------------------------------------
// Sandbox: a clean environment and a temporary folder
// ---------------------------------------------------------------------------------------------

/// What the provider tests add to the shared sandbox.
trait ProviderSandbox {
    /// Instance metadata on, at `imds` (through the environment, as on EC2).
    fn imds(&self, imds: &FakeImds);
    /// A token cache entry as `aws sso login` writes it.
    fn sso_token(&self, name: &str, token: &str, expires_at: &str) -> PathBuf;
}

impl ProviderSandbox for Sandbox {
    fn imds(&self, imds: &FakeImds) {
        self.unset("AWS_EC2_METADATA_DISABLED");
        self.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint());
    }

    fn sso_token(&self, name: &str, token: &str, expires_at: &str) -> PathBuf {
        self.file(
            name,
            &format!(
                r#"{{"accessToken": "{token}", "expiresAt": "{expires_at}", "region": "eu-west-1", "startUrl": "{SSO_START_URL}"}}"#
            ),
        )
    }
}

/// `http://127.0.0.1:<port>` where nothing listens (the port was just freed).
fn dead_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

// ---------------------------------------------------------------------------------------------
// Server: a recording HTTP/1.1 server on loopback
// ---------------------------------------------------------------------------------------------

/// A request as the server received it.
#[derive(Clone, Debug)]
struct Request {
    method: String,
    /// Path and query, as on the request line.
    path: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }

    /// A query parameter (the tests use no escapes).
    fn query(&self, key: &str) -> Option<&str> {
        let (_, query) = self.path.split_once('?')?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: String,
}

impl Response {
    fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain",
            body: body.into(),
        }
    }

    fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: body.into(),
        }
    }

    /// No answer at all: the connection stays open and silent (a hung service).
    fn hang() -> Self {
        Self::text(0, "")
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A loopback HTTP/1.1 server recording every request (see the module documentation). It
/// runs on the test's runtime and stops with it.
struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, handler.clone(), log.clone()));
            }
        });
        Self { addr, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// Serves requests on one connection until the client closes it or asks to.
async fn serve_connection(stream: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Request>>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match stream.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split(' ');
        let method = parts.next().unwrap_or("").to_owned();
        let path = parts.next().unwrap_or("").to_owned();
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            match stream.read_line(&mut header).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let request = Request {
            method,
            path,
            headers,
        };
        // The providers send no bodies; a sized one is read (and dropped) to stay in step,
        // and a chunked one is refused rather than misread.
        let chunked = request.header("transfer-encoding").is_some();
        let length = request
            .header("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if length > 0 {
            let mut body = vec![0; length];
            if stream.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        let close = chunked
            || request
                .header("connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        log.lock().unwrap().push(request.clone());
        let response = if chunked {
            Response::text(400, "chunked request bodies are not expected")
        } else {
            handler(&request)
        };
        if response.status == 0 {
            return std::future::pending().await;
        }
        let reason = match response.status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Status",
        };
        let head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\n{}\r\n",
            response.status,
            response.content_type,
            response.body.len(),
            if close { "connection: close\r\n" } else { "" }
        );
        let stream = stream.get_mut();
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(response.body.as_bytes()).await.is_err()
            || stream.flush().await.is_err()
        {
            return;
        }
        if close {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// FakeImds: IMDSv2
// ---------------------------------------------------------------------------------------------

struct FakeImds {
    server: Server,
    state: Arc<ImdsState>,
}

struct ImdsState {
    /// The instance profile's role; `None`: an instance without one.
    role: Option<&'static str>,
    issued: AtomicUsize,
    valid: Mutex<Vec<String>>,
    refuse_all: AtomicBool,
    /// Answers tokens but never a `GET`.
    hang_gets: AtomicBool,
}

impl FakeImds {
    async fn start(role: Option<&'static str>) -> Self {
        let state = Arc::new(ImdsState {
            role,
            issued: AtomicUsize::new(0),
            valid: Mutex::new(Vec::new()),
            refuse_all: AtomicBool::new(false),
            hang_gets: AtomicBool::new(false),
        });
        let answer = state.clone();
        let server = Server::start(move |r| answer.respond(r)).await;
        Self { server, state }
    }

    fn endpoint(&self) -> String {
        self.server.url("")
    }

    fn client(&self) -> ImdsClient {
        ImdsClient::with_endpoint(self.endpoint())
    }

    /// Forgets every token issued so far (as when the instance's tokens expire).
    fn revoke_tokens(&self) {
        self.state.valid.lock().unwrap().clear();
    }

    /// Refuses every token from now on.
    fn refuse_all(&self) {
        self.state.refuse_all.store(true, Ordering::SeqCst);
    }

    /// Stops answering `GET`s (tokens are still issued).
    fn hang_gets(&self) {
        self.state.hang_gets.store(true, Ordering::SeqCst);
    }

    fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    fn puts(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "PUT")
            .collect()
    }

    fn gets(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "GET")
            .collect()
    }

    /// `"METHOD path"` and the session token sent, per request.
    fn log(&self) -> Vec<(String, Option<String>)> {
        self.requests()
            .iter()
            .map(|r| {
                (
                    format!("{} {}", r.method, r.path),
                    r.header(IMDS_TOKEN_HEADER).map(str::to_owned),
                )
            })
            .collect()
    }
}

fn imds_token(n: usize) -> String {
    format!("{IMDS_API_TOKEN}-{n}")
}

fn imds_credentials_json() -> String {
    format!(
        r#"{{
  "Code" : "Success",
  "LastUpdated" : "2024-05-01T12:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "{IMDS_KEY_ID}",
  "SecretAccessKey" : "{IMDS_SECRET}",
  "Token" : "{IMDS_SESSION}",
  "Expiration" : "{FAR_FUTURE_TEXT}"
}}"#
    )
}

impl ImdsState {
    fn respond(&self, r: &Request) -> Response {
        if r.method == "PUT" && r.path == "/latest/api/token" {
            let ttl_ok = r
                .header(IMDS_TTL_HEADER)
                .and_then(|v| v.parse::<u32>().ok())
                .is_some_and(|ttl| (1..=21_600).contains(&ttl));
            if !ttl_ok {
                return Response::text(400, "");
            }
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            let token = imds_token(n);
            self.valid.lock().unwrap().push(token.clone());
            return Response::text(200, token);
        }
        if r.method != "GET" {
            return Response::text(405, "");
        }
        if self.hang_gets.load(Ordering::SeqCst) {
            return Response::hang();
        }
        let authorized = !self.refuse_all.load(Ordering::SeqCst)
            && r.header(IMDS_TOKEN_HEADER)
                .is_some_and(|t| self.valid.lock().unwrap().iter().any(|v| v == t));
        if !authorized {
            return Response::text(401, "");
        }
        let not_found =
            || Response::text(404, "<html><body><h1>404 - Not Found</h1></body></html>");
        match (r.path.as_str(), self.role) {
            (IMDS_CREDENTIALS_LIST, Some(role)) => Response::text(200, role),
            (IMDS_CREDENTIALS_LIST, None) => not_found(),
            (IMDS_REGION_PATH, _) => Response::text(200, IMDS_REGION),
            (path, Some(role)) if path.strip_prefix(IMDS_CREDENTIALS_LIST) == Some(role) => {
                Response::text(200, imds_credentials_json())
            }
            _ => not_found(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// FakeContainer: ECS task roles and EKS Pod Identity
// ---------------------------------------------------------------------------------------------

struct FakeContainer {
    server: Server,
    /// The `Authorization` value required; `None`: none required.
    auth: Arc<Mutex<Option<String>>>,
}

fn container_credentials_json() -> String {
    format!(
        r#"{{"RoleArn":"arn:aws:iam::123456789012:role/task","AccessKeyId":"{CONTAINER_KEY_ID}","SecretAccessKey":"{CONTAINER_SECRET}","Token":"{CONTAINER_SESSION}","Expiration":"{FAR_FUTURE_TEXT}"}}"#
    )
}

impl FakeContainer {
    async fn start(auth: Option<&str>) -> Self {
        let auth = Arc::new(Mutex::new(auth.map(str::to_owned)));
        let required = auth.clone();
        let server = Server::start(move |r| {
            if r.method != "GET" || r.route() != "/v1/credentials" {
                return Response::text(404, "");
            }
            if let Some(token) = required.lock().unwrap().as_deref() {
                if r.header("authorization") != Some(token) {
                    return Response::json(401, r#"{"message":"Unauthorized"}"#);
                }
            }
            Response::json(200, container_credentials_json())
        })
        .await;
        Self { server, auth }
    }

    fn url(&self) -> String {
        self.server.url("/v1/credentials")
    }

    fn require(&self, token: Option<&str>) {
        *self.auth.lock().unwrap() = token.map(str::to_owned);
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.server
            .requests()
            .iter()
            .map(|r| r.header("authorization").map(str::to_owned))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// FakePortal: IAM Identity Center
// ---------------------------------------------------------------------------------------------

struct FakePortal {
    server: Server,
}

impl FakePortal {
    /// A portal that accepts `token` for [`SSO_ROLE`] in [`SSO_ACCOUNT`].
    async fn start(token: &str) -> Self {
        let token = token.to_owned();
        let server = Server::start(move |r| {
            if r.method != "GET" || r.route() != "/federation/credentials" {
                return Response::json(404, r#"{"message":"Not Found"}"#);
            }
            if r.header("x-amz-sso_bearer_token") != Some(token.as_str()) {
                return Response::json(401, r#"{"message":"Session token not found or invalid"}"#);
            }
            if r.query("account_id") != Some(SSO_ACCOUNT) || r.query("role_name") != Some(SSO_ROLE)
            {
                return Response::json(403, r#"{"message":"No access"}"#);
            }
            Response::json(
                200,
                format!(
                    r#"{{"roleCredentials":{{"accessKeyId":"{SSO_KEY_ID}","secretAccessKey":"{SSO_SECRET}","sessionToken":"{SSO_SESSION}","expiration":{}000}}}}"#,
                    FAR_FUTURE_SECS
                ),
            )
        })
        .await;
        Self { server }
    }

    fn url(&self) -> String {
        self.server.url("")
    }
}

const SSO_CONFIG: &str = "[profile dev]\n\
    sso_session = corp\n\
    sso_account_id = 123456789012\n\
    sso_role_name = DevRole\n\
    region = eu-west-1\n\
    \n\
    [sso-session corp]\n\
    sso_region = eu-west-1\n\
    sso_start_url = https://example.awsapps.com/start\n\
    sso_registration_scopes = sso:account:access\n";

// ---------------------------------------------------------------------------------------------
// FakeSts: the StsApi seam
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum StsCall {
    AssumeRole {
        source: Credentials,
        request: AssumeRoleRequest,
    },
    WebIdentity(WebIdentityRequest),
}

#[derive(Default)]
struct FakeSts {
    calls: Mutex<Vec<StsCall>>,
}

impl fmt::Debug for FakeSts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeSts")
            .field("calls", &self.calls.lock().unwrap().len())
            .finish()
    }
}

impl FakeSts {
    fn calls(&self) -> Vec<StsCall> {
        self.calls.lock().unwrap().clone()
    }

    fn assume_role_calls(&self) -> Vec<(Credentials, AssumeRoleRequest)> {
        self.calls()
            .into_iter()
            .filter_map(|call| match call {
                StsCall::AssumeRole { source, request } => Some((source, request)),
                StsCall::WebIdentity(_) => None,
            })
            .collect()
    }

    fn web_identity_calls(&self) -> Vec<WebIdentityRequest> {
        self.calls()
            .into_iter()
            .filter_map(|call| match call {
                StsCall::WebIdentity(request) => Some(request),
                StsCall::AssumeRole { .. } => None,
            })
            .collect()
    }

    /// Records `call` and answers as STS would: a validation error, or credentials for
    /// `role_arn` that expire in an hour.
    fn answer(
        &self,
        call: StsCall,
        role_arn: &str,
        session_name: &str,
        duration: Option<u32>,
    ) -> Result<Credentials, CredentialsError> {
        let mut calls = self.calls.lock().unwrap();
        calls.push(call);
        let n = calls.len();
        let name_ok = (2..=64).contains(&session_name.len())
            && session_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if !name_ok {
            return Err(CredentialsError::new(format!(
                "ValidationError: RoleSessionName '{session_name}' is invalid"
            )));
        }
        if duration.is_some_and(|d| !(900..=43_200).contains(&d)) {
            return Err(CredentialsError::new(
                "ValidationError: DurationSeconds is out of range",
            ));
        }
        let role = role_arn
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        Ok(Credentials::new(
            format!("ASIAFAKE{role}"),
            format!("{STS_SECRET}-{n}"),
            Some(format!("{STS_SESSION}-{n}")),
        )
        .with_expiry(SystemTime::now() + Duration::from_secs(3600)))
    }
}

impl StsApi for FakeSts {
    fn assume_role<'a>(
        &'a self,
        source: Credentials,
        request: &'a AssumeRoleRequest,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let call = StsCall::AssumeRole {
                source,
                request: request.clone(),
            };
            self.answer(
                call,
                &request.role_arn,
                &request.session_name,
                request.duration_seconds,
            )
        })
    }

    fn assume_role_with_web_identity<'a>(
        &'a self,
        request: &'a WebIdentityRequest,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if request.token.is_empty() {
                return Err(CredentialsError::new("ValidationError: WebIdentityToken"));
            }
            let call = StsCall::WebIdentity(request.clone());
            self.answer(call, &request.role_arn, &request.session_name, None)
        })
    }
}

// =============================================================================================
// EC2 instance metadata
// =============================================================================================

#[tokio::test]
async fn imds_credentials_with_expiry_and_one_session_token() {
    let _sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    let client = imds.client();

    let provider = ImdsCredentials::with_client(client.clone());
    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(keys(&first), (IMDS_KEY_ID, IMDS_SECRET, Some(IMDS_SESSION)));
    assert_eq!(first.expiry(), Some(far_future()));

    // A second fetch, and the region, through clones of the client: one token for all.
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(keys(&second), keys(&first));
    let third = ImdsCredentials::with_client(client.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(third.access_key_id(), IMDS_KEY_ID);
    let region = ImdsRegion::with_client(client.clone())
        .region()
        .await
        .unwrap();
    assert_eq!(region, IMDS_REGION);

    let puts = imds.puts();
    assert_eq!(puts.len(), 1, "{:?}", imds.log());
    assert_eq!(puts[0].path, "/latest/api/token");
    assert_eq!(puts[0].header(IMDS_TTL_HEADER), Some("21600"));
    let role_path = format!("{IMDS_CREDENTIALS_LIST}{IMDS_ROLE}");
    let gets = imds.gets();
    let paths: Vec<&str> = gets.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            IMDS_CREDENTIALS_LIST,
            &role_path,
            IMDS_CREDENTIALS_LIST,
            &role_path,
            IMDS_CREDENTIALS_LIST,
            &role_path,
            IMDS_REGION_PATH
        ]
    );
    let token = imds_token(1);
    for get in &gets {
        assert_eq!(
            get.header(IMDS_TOKEN_HEADER),
            Some(token.as_str()),
            "{get:?}"
        );
    }

    // The client holds the session token now; its Debug output does not show it.
    assert_no_secrets("ImdsClient Debug", &format!("{client:?}"));
    assert_no_secrets("ImdsCredentials Debug", &format!("{provider:#?}"));
}

#[tokio::test]
async fn imds_refused_token_is_renewed_once() {
    let _sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    let provider = ImdsCredentials::with_client(imds.client());
    provider.provide_credentials().await.unwrap();

    // The service no longer knows token 1: the client gets a new one and carries on.
    imds.revoke_tokens();
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_access_key(), IMDS_SECRET);
    let role_path = format!("{IMDS_CREDENTIALS_LIST}{IMDS_ROLE}");
    let t = |n| Some(imds_token(n));
    let expected: Vec<(String, Option<String>)> = vec![
        ("PUT /latest/api/token".into(), None),
        (format!("GET {IMDS_CREDENTIALS_LIST}"), t(1)),
        (format!("GET {role_path}"), t(1)),
        (format!("GET {IMDS_CREDENTIALS_LIST}"), t(1)),
        ("PUT /latest/api/token".into(), None),
        (format!("GET {IMDS_CREDENTIALS_LIST}"), t(2)),
        (format!("GET {role_path}"), t(2)),
    ];
    assert_eq!(imds.log(), expected);

    // A service that refuses every token: one renewal, then an error (no loop).
    imds.refuse_all();
    let before = imds.requests().len();
    let err = provider.provide_credentials().await.unwrap_err();
    let text = message(&err);
    assert!(text.contains("HTTP 401"), "{text}");
    assert!(!err.is_not_found(), "{text}");
    let after = imds.log().split_off(before);
    assert_eq!(
        after,
        [
            (format!("GET {IMDS_CREDENTIALS_LIST}"), t(2)),
            ("PUT /latest/api/token".into(), None),
            (format!("GET {IMDS_CREDENTIALS_LIST}"), t(3)),
        ]
    );
}

#[tokio::test]
async fn imds_instance_without_role_is_not_found() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(None).await;
    let err = ImdsCredentials::with_client(imds.client())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(message(&err).contains("has no IAM role"), "{err}");
    // Only the list was asked for (after the token); no role path was guessed.
    let paths: Vec<String> = imds.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/latest/api/token", IMDS_CREDENTIALS_LIST]);

    // In the chain, instance metadata is the last source: "nothing found", not a failure, so
    // a caller can go on to something else.
    sandbox.imds(&imds);
    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let text = message(&err);
    assert!(
        text.contains("EC2 instance metadata: the EC2 instance at") && text.contains("no IAM role"),
        "{text}"
    );
}

#[tokio::test]
async fn imds_disabled_by_environment_sends_nothing() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    sandbox.set("AWS_EC2_METADATA_DISABLED", "TRUE");

    let client = ImdsClient::from_env();
    assert!(client.is_disabled());
    assert_eq!(client.endpoint(), imds.endpoint());
    let err = ImdsCredentials::with_client(client.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(message(&err).contains("AWS_EC2_METADATA_DISABLED"), "{err}");
    let err = ImdsRegion::with_client(client).region().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");

    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(message(&err).contains("AWS_EC2_METADATA_DISABLED"), "{err}");

    let config = Config::builder().load_from_env("ELASTICACHE").build();
    config.load_region().await;
    assert_eq!(config.region(), None);
    assert_eq!(imds.server.count(), 0, "{:?}", imds.log());

    // Anything but `true` leaves it on: the same setup then reaches the service.
    sandbox.set("AWS_EC2_METADATA_DISABLED", "false");
    let credentials = ImdsCredentials::new().provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), IMDS_KEY_ID);
    assert!(imds.server.count() > 0);
}

#[tokio::test]
async fn imds_region_through_client_config() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);

    let config = Config::builder().load_from_env("ELASTICACHE").build();
    // Asked at the first call, not when the config is made.
    assert_eq!(config.region(), None);
    assert_eq!(imds.server.count(), 0);
    config.load_region().await;
    assert_eq!(config.region(), Some(IMDS_REGION));
    // Asked once.
    config.load_region().await;
    assert_eq!(config.region(), Some(IMDS_REGION));
    let log = imds.log();
    assert_eq!(
        log,
        [
            ("PUT /latest/api/token".to_owned(), None),
            (format!("GET {IMDS_REGION_PATH}"), Some(imds_token(1))),
        ]
    );

    // A region from the environment wins; instance metadata is not asked.
    sandbox.set("AWS_REGION", "ap-southeast-2");
    let config = Config::builder().load_from_env("ELASTICACHE").build();
    config.load_region().await;
    assert_eq!(config.region(), Some("ap-southeast-2"));
    assert_eq!(imds.server.count(), 2);
}

#[tokio::test]
async fn imds_that_never_answers_times_out() {
    let _sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    imds.hang_gets();
    let started = Instant::now();
    let err = ImdsCredentials::with_client(imds.client())
        .provide_credentials()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    // One second, not tried again (a silent endpoint must not hold the chain up), then the
    // error, which names neither the token nor any other header.
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(2),
        "took {elapsed:?}"
    );
    let text = message(&err);
    assert!(text.contains("no response within"), "{text}");
    let log = imds.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1].1, Some(imds_token(1)));
}

// =============================================================================================
// Container credentials (ECS, EKS Pod Identity)
// =============================================================================================

#[tokio::test]
async fn container_full_uri_with_authorization_token() {
    let sandbox = Sandbox::new();
    let fake = FakeContainer::start(Some(CONTAINER_AUTH)).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url());
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTH);

    let provider = ContainerCredentials::new();
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(
        keys(&credentials),
        (CONTAINER_KEY_ID, CONTAINER_SECRET, Some(CONTAINER_SESSION))
    );
    assert_eq!(credentials.expiry(), Some(far_future()));
    let requests = fake.server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/credentials");
    assert_eq!(requests[0].header("authorization"), Some(CONTAINER_AUTH));
    assert_no_secrets("ContainerCredentials Debug", &format!("{provider:?}"));
}

#[tokio::test]
async fn container_token_file_wins_and_is_read_on_every_fetch() {
    let sandbox = Sandbox::new();
    let fake = FakeContainer::start(Some(CONTAINER_AUTH_FILE_1)).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url());
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTH);
    let file = sandbox.file("pod-identity/token", &format!("{CONTAINER_AUTH_FILE_1}\n"));
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &file);

    let provider = ContainerCredentials::new();
    provider.provide_credentials().await.unwrap();
    // EKS rotates the token: the next fetch sends the new one.
    std::fs::write(&file, CONTAINER_AUTH_FILE_2).unwrap();
    fake.require(Some(CONTAINER_AUTH_FILE_2));
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), CONTAINER_KEY_ID);
    assert_eq!(
        fake.authorizations(),
        [
            Some(CONTAINER_AUTH_FILE_1.to_owned()),
            Some(CONTAINER_AUTH_FILE_2.to_owned())
        ]
    );

    // A token file that cannot be read is an error naming it, and nothing is sent.
    let missing = sandbox.dir.join("pod-identity/missing");
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &missing);
    let err = provider.provide_credentials().await.unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") && text.contains("missing"),
        "{text}"
    );
    assert_eq!(fake.server.count(), 2);
}

#[tokio::test]
async fn container_full_uri_over_http_to_other_hosts_is_refused() {
    let sandbox = Sandbox::new();
    let mock = MockTransport::new();
    let provider = ContainerCredentials::new().transport(Arc::new(mock.clone()));
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTH);
    for uri in [
        "http://example.com/x",
        "http://169.254.169.254/latest",
        "http://10.0.0.1/creds",
    ] {
        sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(!err.is_not_found(), "{err}");
        let text = message(&err);
        assert!(
            text.contains(uri) && text.contains("not loopback"),
            "{uri}: {text}"
        );
    }
    assert_eq!(mock.request_count(), 0, "{:?}", mock.requests());

    // The chain stops there too, rather than trying instance metadata.
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let err = DefaultCredentialsChain::new()
        .container(ContainerCredentials::new().transport(Arc::new(mock.clone())))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    assert!(message(&err).starts_with("container credentials:"), "{err}");
    assert_eq!(mock.request_count(), 0);
    assert_eq!(imds.server.count(), 0);

    // Loopback is allowed: the same provider then does send (and the token goes along).
    sandbox.set(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://127.0.0.1:9/creds",
    );
    let _ = provider.provide_credentials().await;
    let sent = mock.requests();
    assert!(!sent.is_empty());
    assert_eq!(sent[0].url, "http://127.0.0.1:9/creds");
    assert_eq!(sent[0].header("authorization"), Some(CONTAINER_AUTH));
}

#[tokio::test]
async fn container_without_token_is_refused_with_a_hint() {
    let sandbox = Sandbox::new();
    let fake = FakeContainer::start(Some(CONTAINER_AUTH)).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url());

    let err = ContainerCredentials::new()
        .provide_credentials()
        .await
        .unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("HTTP 401") && text.contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        "{text}"
    );
    // 401 is an answer, not tried again; no Authorization header was made up.
    assert_eq!(fake.authorizations(), [None]);

    // In the chain the broken source stops it; instance metadata is not asked.
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    let text = message(&err);
    assert!(
        text.starts_with("container credentials:") && text.contains("HTTP 401"),
        "{text}"
    );
    assert_eq!(imds.server.count(), 0);
}

// =============================================================================================
// IAM Identity Center (SSO)
// =============================================================================================

#[tokio::test]
async fn sso_credentials_from_the_cached_token() {
    let sandbox = Sandbox::new();
    let portal = FakePortal::start(SSO_ACCESS_TOKEN).await;
    let cache = sandbox.dir.join("sso-cache");
    sandbox.sso_token(
        &format!("sso-cache/{CORP_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        FAR_FUTURE_TEXT,
    );

    let provider = SsoCredentials::new(
        SsoLogin::Session("corp".to_owned()),
        "eu-west-1",
        SSO_ACCOUNT,
        SSO_ROLE,
    )
    .endpoint_url(portal.url())
    .cache_dir(&cache);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(
        keys(&credentials),
        (SSO_KEY_ID, SSO_SECRET, Some(SSO_SESSION))
    );
    assert_eq!(credentials.expiry(), Some(far_future()));

    let requests = portal.server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].route(), "/federation/credentials");
    assert_eq!(requests[0].query("account_id"), Some(SSO_ACCOUNT));
    assert_eq!(requests[0].query("role_name"), Some(SSO_ROLE));
    assert_eq!(
        requests[0].header("x-amz-sso_bearer_token"),
        Some(SSO_ACCESS_TOKEN)
    );
    assert_no_secrets("SsoCredentials Debug", &format!("{provider:?}"));
}

#[tokio::test]
async fn sso_legacy_start_url_cache_file() {
    let sandbox = Sandbox::new();
    let portal = FakePortal::start(SSO_ACCESS_TOKEN).await;
    sandbox.sso_token(
        &format!("sso-cache/{START_URL_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        FAR_FUTURE_TEXT,
    );
    let credentials = SsoCredentials::new(
        SsoLogin::StartUrl(SSO_START_URL.to_owned()),
        "eu-west-1",
        SSO_ACCOUNT,
        SSO_ROLE,
    )
    .endpoint_url(portal.url())
    .cache_dir(sandbox.dir.join("sso-cache"))
    .provide_credentials()
    .await
    .unwrap();
    assert_eq!(credentials.access_key_id(), SSO_KEY_ID);
}

#[tokio::test]
async fn sso_expired_token_says_to_log_in() {
    let sandbox = Sandbox::new();
    let portal = FakePortal::start(SSO_ACCESS_TOKEN).await;
    sandbox.sso_token(
        &format!("sso-cache/{CORP_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        "2000-01-01T00:00:00Z",
    );
    let err = SsoCredentials::new(
        SsoLogin::Session("corp".to_owned()),
        "eu-west-1",
        SSO_ACCOUNT,
        SSO_ROLE,
    )
    .endpoint_url(portal.url())
    .cache_dir(sandbox.dir.join("sso-cache"))
    .provide_credentials()
    .await
    .unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("expired") && text.contains("aws sso login --sso-session corp"),
        "{text}"
    );
    // An expired token is not sent.
    assert_eq!(portal.server.count(), 0);
}

#[tokio::test]
async fn sso_portal_refusing_the_token_says_to_log_in() {
    let sandbox = Sandbox::new();
    // The portal no longer accepts the cached token (signed out elsewhere).
    let portal = FakePortal::start("some-other-token").await;
    sandbox.sso_token(
        &format!("sso-cache/{CORP_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        FAR_FUTURE_TEXT,
    );
    let err = SsoCredentials::new(
        SsoLogin::Session("corp".to_owned()),
        "eu-west-1",
        SSO_ACCOUNT,
        SSO_ROLE,
    )
    .endpoint_url(portal.url())
    .cache_dir(sandbox.dir.join("sso-cache"))
    .provide_credentials()
    .await
    .unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("HTTP 401") && text.contains("aws sso login"),
        "{text}"
    );
    assert_eq!(portal.server.count(), 1);
}

#[tokio::test]
async fn sso_through_a_profile_and_the_home_cache() {
    let sandbox = Sandbox::new();
    let portal = FakePortal::start(SSO_ACCESS_TOKEN).await;
    sandbox.config(SSO_CONFIG);
    let token_file = sandbox.sso_token(
        &format!("home/.aws/sso/cache/{CORP_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        FAR_FUTURE_TEXT,
    );
    sandbox.set("AWS_ENDPOINT_URL_SSO", portal.url());

    let provider = ProfileCredentials::with_profile("dev");
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(
        keys(&credentials),
        (SSO_KEY_ID, SSO_SECRET, Some(SSO_SESSION))
    );
    let requests = portal.server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].query("account_id"), Some(SSO_ACCOUNT));
    assert_eq!(
        requests[0].header("x-amz-sso_bearer_token"),
        Some(SSO_ACCESS_TOKEN)
    );

    // Logged out: the error names the profile's login command.
    std::fs::remove_file(&token_file).unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    let text = message(&err);
    assert!(text.contains("aws sso login --profile dev"), "{text}");
    assert_eq!(portal.server.count(), 1);
}

// =============================================================================================
// credential_process
// =============================================================================================

fn process_json(version: u32) -> String {
    format!(
        r#"{{"Version": {version}, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "{PROCESS_SECRET}", "SessionToken": "{PROCESS_SESSION}", "Expiration": "{FAR_FUTURE_TEXT}"}}"#
    )
}

/// A script printing `stdout`, then `stderr` to standard error, then exiting with `status`.
fn script(sandbox: &Sandbox, name: &str, stdout: &str, stderr: &str, status: u8) -> PathBuf {
    sandbox.file(
        name,
        &format!(
            "#!/bin/sh\ncat <<'EOF'\n{stdout}\nEOF\nprintf '%s\\n' '{stderr}' >&2\nexit {status}\n"
        ),
    )
}

#[tokio::test]
async fn credential_process_from_a_profile() {
    let sandbox = Sandbox::new();
    let path = script(&sandbox, "bin/creds.sh", &process_json(1), "", 0);
    sandbox.config(&format!(
        "[profile proc]\ncredential_process = sh {}\n",
        path.display()
    ));
    let credentials = ProfileCredentials::with_profile("proc")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        keys(&credentials),
        ("AKIDPROCESS", PROCESS_SECRET, Some(PROCESS_SESSION))
    );
    assert_eq!(credentials.expiry(), Some(far_future()));

    // And through the chain, with AWS_PROFILE.
    sandbox.set("AWS_PROFILE", "proc");
    let credentials = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROCESS");
}

#[tokio::test]
async fn credential_process_failure_quotes_stderr_never_stdout() {
    let sandbox = Sandbox::new();
    let path = script(
        &sandbox,
        "bin/fail.sh",
        &process_json(1),
        "corp-login: session expired, run corp-login",
        3,
    );
    let command = format!("sh {}", path.display());
    let provider = ProcessCredentials::new(&command);
    let err = provider.provide_credentials().await.unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("corp-login: session expired, run corp-login"),
        "{text}"
    );
    assert!(text.contains('3'), "{text}");
    assert!(text.contains(&command), "{text}");
    // Nothing from standard output, not even the key id.
    assert!(!text.contains("AKIDPROCESS"), "{text}");
    assert_no_secrets("ProcessCredentials Debug", &format!("{provider:?}"));

    // The same through a profile.
    sandbox.config(&format!("[profile proc]\ncredential_process = {command}\n"));
    let err = ProfileCredentials::with_profile("proc")
        .provide_credentials()
        .await
        .unwrap_err();
    let text = message(&err);
    assert!(
        text.contains("session expired") && !text.contains("AKIDPROCESS"),
        "{text}"
    );
}

#[tokio::test]
async fn credential_process_version_2_is_an_error() {
    let sandbox = Sandbox::new();
    let path = script(&sandbox, "bin/v2.sh", &process_json(2), "", 0);
    let err = ProcessCredentials::new(format!("sh {}", path.display()))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = message(&err);
    assert!(text.contains("Version must be 1, found 2"), "{text}");
}

// =============================================================================================
// Assumed roles and web identity (fake STS)
// =============================================================================================

const ROLE_CHAIN_CONFIG: &str = "[profile ci]\n\
    role_arn = arn:aws:iam::111111111111:role/a\n\
    source_profile = base\n\
    external_id = ext-A-1234\n\
    role_session_name = ci-build-42\n\
    duration_seconds = 1800\n\
    \n\
    [profile base]\n\
    role_arn = arn:aws:iam::222222222222:role/b\n\
    source_profile = root\n\
    \n";

#[tokio::test]
async fn assume_role_chain_through_source_profiles() {
    let sandbox = Sandbox::new();
    sandbox.config(&format!(
        "{ROLE_CHAIN_CONFIG}[profile root]\naws_access_key_id = AKIDROOT\naws_secret_access_key = {ROOT_SECRET}\n"
    ));
    sandbox.set("AWS_REGION", "eu-north-1");
    let sts = Arc::new(FakeSts::default());

    let provider = ProfileCredentials::with_profile("ci").sts(sts.clone());
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEA");
    assert_eq!(credentials.secret_access_key(), format!("{STS_SECRET}-2"));
    assert!(credentials.expiry().is_some());

    let calls = sts.assume_role_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    // First B, with root's static keys.
    let (source, request) = &calls[0];
    assert_eq!(keys(source), ("AKIDROOT", ROOT_SECRET, None));
    assert_eq!(request.role_arn, "arn:aws:iam::222222222222:role/b");
    assert_eq!(request.external_id, None);
    assert_eq!(request.duration_seconds, None);
    assert!(
        request.session_name.starts_with("aws-lite-"),
        "{}",
        request.session_name
    );
    assert_eq!(request.region.as_deref(), Some("eu-north-1"));
    // Then A, with B's credentials and A's own settings.
    let (source, request) = &calls[1];
    let b_secret = format!("{STS_SECRET}-1");
    let b_session = format!("{STS_SESSION}-1");
    assert_eq!(
        keys(source),
        ("ASIAFAKEB", b_secret.as_str(), Some(b_session.as_str()))
    );
    assert_eq!(request.role_arn, "arn:aws:iam::111111111111:role/a");
    assert_eq!(request.external_id.as_deref(), Some("ext-A-1234"));
    assert_eq!(request.session_name, "ci-build-42");
    assert_eq!(request.duration_seconds, Some(1800));
    assert_eq!(request.region.as_deref(), Some("eu-north-1"));

    assert_no_secrets("ProfileCredentials Debug", &format!("{provider:?}"));
    assert_no_secrets("StsCall Debug", &format!("{:?}", sts.calls()));
}

#[tokio::test]
async fn assume_role_with_credential_source_environment() {
    let sandbox = Sandbox::new();
    sandbox.config(
        "[profile envrole]\nrole_arn = arn:aws:iam::333333333333:role/c\n\
         credential_source = Environment\nrole_session_name = from-env\n",
    );
    sandbox.set("AWS_ACCESS_KEY_ID", "AKIDENVSOURCE");
    sandbox.set("AWS_SECRET_ACCESS_KEY", ENV_SECRET);
    sandbox.set("AWS_SESSION_TOKEN", ENV_SESSION);
    let sts = Arc::new(FakeSts::default());

    let credentials = ProfileCredentials::with_profile("envrole")
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEC");
    let calls = sts.assume_role_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        keys(&calls[0].0),
        ("AKIDENVSOURCE", ENV_SECRET, Some(ENV_SESSION))
    );
    assert_eq!(calls[0].1.role_arn, "arn:aws:iam::333333333333:role/c");
    assert_eq!(calls[0].1.session_name, "from-env");

    // Without the environment's keys there is no source: an error naming the role.
    sandbox.unset("AWS_ACCESS_KEY_ID");
    sandbox.unset("AWS_SECRET_ACCESS_KEY");
    let err = ProfileCredentials::with_profile("envrole")
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = message(&err);
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
    assert_eq!(sts.calls().len(), 1);
}

#[tokio::test]
async fn chain_stops_at_a_role_profile_whose_credential_source_has_nothing() {
    // `credential_source = Environment` (or `EcsContainer`) with nothing there is a broken
    // profile: the chain must report it, not fall through to instance metadata and hand out
    // the instance role instead of the role the profile asked for.
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    sandbox.config(
        "[profile envrole]\nrole_arn = arn:aws:iam::333333333333:role/c\n\
         credential_source = Environment\n\
         [profile ecsrole]\nrole_arn = arn:aws:iam::333333333333:role/d\n\
         credential_source = EcsContainer\n",
    );
    let sts = Arc::new(FakeSts::default());
    for profile in ["envrole", "ecsrole"] {
        sandbox.set("AWS_PROFILE", profile);
        let result = DefaultCredentialsChain::new()
            .sts(sts.clone())
            .provide_credentials()
            .await;
        let err = match result {
            Ok(credentials) => panic!(
                "profile {profile}: the chain fell through to {:?} ({} instance metadata \
                 requests)",
                credentials.access_key_id(),
                imds.server.count()
            ),
            Err(err) => err,
        };
        assert!(!err.is_not_found(), "{profile}: {err}");
        assert!(
            message(&err).contains("shared config files"),
            "{profile}: {err}"
        );
    }
    assert_eq!(sts.calls().len(), 0);
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_stops_at_a_source_profile_without_credentials() {
    // `ci` assumes a role with `base`'s credentials, and `base` has none: a broken chain,
    // not a reason to hand out the instance role.
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    sandbox.config(
        "[profile ci]\nrole_arn = arn:aws:iam::333333333333:role/deployer\nsource_profile = base\n\
         [profile base]\nregion = eu-west-1\n",
    );
    sandbox.set("AWS_PROFILE", "ci");
    let sts = Arc::new(FakeSts::default());
    let err = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    let text = message(&err);
    assert!(
        text.contains("profile 'ci'") && text.contains("source_profile 'base'"),
        "{text}"
    );
    assert_eq!(sts.calls().len(), 0);
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn a_named_profile_that_does_not_exist_stops_the_chain() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    sandbox.config("[profile real]\nregion = eu-west-1\n");
    sandbox.set("AWS_PROFILE", "typo");
    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    assert!(message(&err).contains("profile 'typo'"), "{err}");
    assert_eq!(imds.server.count(), 0);

    // Without AWS_PROFILE, a missing `default` is only "nothing here": the chain goes on.
    sandbox.unset("AWS_PROFILE");
    let credentials = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), IMDS_KEY_ID);
}

#[tokio::test]
async fn assume_role_uses_the_chosen_profiles_region() {
    let sandbox = Sandbox::new();
    sandbox.config(&format!(
        "[default]\nregion = us-east-1\n\
         [profile gov]\nregion = us-gov-west-1\nrole_arn = arn:aws-us-gov:iam::555555555555:role/g\n\
         source_profile = govkeys\n\
         [profile govkeys]\naws_access_key_id = AKIDGOV\naws_secret_access_key = {ROOT_SECRET}\n"
    ));
    let sts = Arc::new(FakeSts::default());
    ProfileCredentials::with_profile("gov")
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    let calls = sts.assume_role_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1.region.as_deref(), Some("us-gov-west-1"));
}

#[tokio::test]
async fn web_identity_from_environment_through_the_chain() {
    let sandbox = Sandbox::new();
    let token_file = sandbox.file("eks/token", &format!("{WEB_IDENTITY_TOKEN}\n"));
    sandbox.set("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file);
    sandbox.set("AWS_ROLE_ARN", "arn:aws:iam::444444444444:role/irsa");
    sandbox.set("AWS_ROLE_SESSION_NAME", "pod-session");
    sandbox.set("AWS_REGION", "us-west-2");
    let sts = Arc::new(FakeSts::default());

    let chain = DefaultCredentialsChain::new().sts(sts.clone());
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEIRSA");
    assert!(credentials.expiry().is_some());

    let requests = sts.web_identity_calls();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.token, WEB_IDENTITY_TOKEN);
    assert_eq!(request.role_arn, "arn:aws:iam::444444444444:role/irsa");
    assert_eq!(request.session_name, "pod-session");
    assert_eq!(request.region.as_deref(), Some("us-west-2"));
    let debug = format!("{request:?}");
    assert!(
        debug.contains("arn:aws:iam::444444444444:role/irsa") && debug.contains("redacted"),
        "{debug}"
    );
    assert_no_secrets("WebIdentityRequest Debug", &debug);
    assert_no_secrets("chain Debug", &format!("{chain:?}"));

    // The file is read on every fetch (it is rotated).
    std::fs::write(&token_file, "eyJrotated").unwrap();
    chain.provide_credentials().await.unwrap();
    assert_eq!(sts.web_identity_calls()[1].token, "eyJrotated");

    // A token file without a role is an error, not a fall-through.
    sandbox.unset("AWS_ROLE_ARN");
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    assert!(message(&err).contains("AWS_ROLE_ARN"), "{err}");
}

// =============================================================================================
// The default chain, per environment
// =============================================================================================

#[tokio::test]
async fn chain_on_ec2_uses_instance_metadata() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let chain = DefaultCredentialsChain::new();
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(
        keys(&credentials),
        (IMDS_KEY_ID, IMDS_SECRET, Some(IMDS_SESSION))
    );
    assert_eq!(imds.puts().len(), 1);

    // A client given to the chain is used as is (same answer, its own token).
    let explicit = FakeImds::start(Some(IMDS_ROLE)).await;
    let credentials = DefaultCredentialsChain::new()
        .imds(explicit.client())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), IMDS_KEY_ID);
    assert_eq!(explicit.puts().len(), 1);
    assert_eq!(imds.puts().len(), 1);
    assert_no_secrets("chain Debug", &format!("{chain:?}"));
}

#[tokio::test]
async fn chain_on_ecs_uses_the_container_endpoint() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let fake = FakeContainer::start(None).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url());
    let credentials = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), CONTAINER_KEY_ID);
    assert_eq!(fake.authorizations(), [None]);
    assert_eq!(imds.server.count(), 0);

    // The classic ECS variable: a path on the ECS agent's address, which wins over the full
    // URI (seen through a transport double; 169.254.170.2 is not reachable here).
    sandbox.set(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/task-1234",
    );
    let mock = MockTransport::from_fn(|_| {
        Ok(HttpResponse::new(
            200,
            Vec::new(),
            container_credentials_json(),
        ))
    });
    let credentials = DefaultCredentialsChain::new()
        .container(ContainerCredentials::new().transport(Arc::new(mock.clone())))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), CONTAINER_KEY_ID);
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].url, "http://169.254.170.2/v2/credentials/task-1234");
    assert_eq!(fake.server.count(), 1);
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_on_eks_pod_identity() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let fake = FakeContainer::start(Some(CONTAINER_AUTH_FILE_1)).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.url());
    let token_file = sandbox.file(
        "eks-pod-identity-token",
        &format!("{CONTAINER_AUTH_FILE_1}\n"),
    );
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file);
    let credentials = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        keys(&credentials),
        (CONTAINER_KEY_ID, CONTAINER_SECRET, Some(CONTAINER_SESSION))
    );
    assert_eq!(
        fake.authorizations(),
        [Some(CONTAINER_AUTH_FILE_1.to_owned())]
    );
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_on_eks_with_irsa() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let token_file = sandbox.file("irsa/token", WEB_IDENTITY_TOKEN);
    sandbox.set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
    sandbox.set("AWS_ROLE_ARN", "arn:aws:iam::444444444444:role/irsa");
    let sts = Arc::new(FakeSts::default());
    let credentials = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEIRSA");
    let requests = sts.web_identity_calls();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].token, WEB_IDENTITY_TOKEN);
    // No AWS_ROLE_SESSION_NAME: a generated name STS accepts.
    assert!(requests[0].session_name.starts_with("aws-lite-"));
    assert_eq!(imds.server.count(), 0);

    // Without an STS client the chain says what is missing rather than skipping to IMDS.
    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");
    assert!(message(&err).contains("STS client"), "{err}");
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_on_a_laptop_with_sso() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let portal = FakePortal::start(SSO_ACCESS_TOKEN).await;
    sandbox.config(SSO_CONFIG);
    sandbox.sso_token(
        &format!("home/.aws/sso/cache/{CORP_SHA1}.json"),
        SSO_ACCESS_TOKEN,
        FAR_FUTURE_TEXT,
    );
    sandbox.set("AWS_ENDPOINT_URL_SSO", portal.url());
    sandbox.set("AWS_PROFILE", "dev");
    let credentials = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        keys(&credentials),
        (SSO_KEY_ID, SSO_SECRET, Some(SSO_SESSION))
    );
    assert_eq!(portal.server.count(), 1);
    assert_eq!(imds.server.count(), 0);

    // `.profile()` names the profile instead of AWS_PROFILE.
    sandbox.unset("AWS_PROFILE");
    let credentials = DefaultCredentialsChain::new()
        .profile("dev")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), SSO_KEY_ID);
    assert_eq!(portal.server.count(), 2);
}

#[tokio::test]
async fn chain_in_ci_with_an_assumed_role() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    sandbox.config(
        "[profile ci]\nrole_arn = arn:aws:iam::555555555555:role/deployer\nsource_profile = base\n",
    );
    sandbox.credentials(&format!(
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {BASE_SECRET}\n"
    ));
    sandbox.set("AWS_PROFILE", "ci");
    let sts = Arc::new(FakeSts::default());
    let credentials = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEDEPLOYER");
    let calls = sts.assume_role_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(keys(&calls[0].0), ("AKIDBASE", BASE_SECRET, None));
    assert_eq!(
        calls[0].1.role_arn,
        "arn:aws:iam::555555555555:role/deployer"
    );
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_environment_keys_win_over_everything() {
    let sandbox = Sandbox::new();
    // Every other source is configured and working…
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    sandbox.imds(&imds);
    let container = FakeContainer::start(None).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url());
    let token_file = sandbox.file("irsa/token", WEB_IDENTITY_TOKEN);
    sandbox.set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
    sandbox.set("AWS_ROLE_ARN", "arn:aws:iam::444444444444:role/irsa");
    sandbox.config(&format!(
        "{ROLE_CHAIN_CONFIG}[profile root]\naws_access_key_id = AKIDROOT\naws_secret_access_key = {ROOT_SECRET}\n"
    ));
    sandbox.set("AWS_PROFILE", "ci");
    let sts = Arc::new(FakeSts::default());
    // …and the environment has keys.
    sandbox.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    sandbox.set("AWS_SECRET_ACCESS_KEY", ENV_SECRET);
    sandbox.set("AWS_SESSION_TOKEN", ENV_SESSION);

    let credentials = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        keys(&credentials),
        ("AKIDENV", ENV_SECRET, Some(ENV_SESSION))
    );
    assert_eq!(sts.calls().len(), 0);
    assert_eq!(container.server.count(), 0);
    assert_eq!(imds.server.count(), 0);

    // Without them, web identity is next.
    sandbox.unset("AWS_ACCESS_KEY_ID");
    sandbox.unset("AWS_SECRET_ACCESS_KEY");
    sandbox.unset("AWS_SESSION_TOKEN");
    let credentials = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEIRSA");
    assert_eq!(container.server.count(), 0);
    assert_eq!(imds.server.count(), 0);
}

#[tokio::test]
async fn chain_with_nothing_configured_fails_fast_and_lists_every_source() {
    let sandbox = Sandbox::new();
    sandbox.unset("AWS_EC2_METADATA_DISABLED");
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", dead_endpoint());
    let chain = DefaultCredentialsChain::new();
    let started = Instant::now();
    let err = chain.provide_credentials().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert!(err.is_not_found(), "{err}");
    let text = message(&err);
    assert!(text.starts_with("no AWS credentials found"), "{text}");
    for source in [
        "environment: ",
        "web identity: ",
        "shared config files: ",
        "container credentials: ",
        "EC2 instance metadata: ",
    ] {
        assert!(text.contains(source), "{source:?} missing from: {text}");
    }
}

#[tokio::test]
async fn chain_with_a_silent_metadata_endpoint_fails_fast() {
    // Something accepts connections at the metadata address but never answers.
    let sandbox = Sandbox::new();
    let silent = Server::start(|_| Response::hang()).await;
    sandbox.unset("AWS_EC2_METADATA_DISABLED");
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.url(""));
    let started = Instant::now();
    let err = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert!(err.is_not_found(), "{err}");
    let text = message(&err);
    assert!(
        text.contains("EC2 instance metadata: no EC2 instance metadata service at"),
        "{text}"
    );
    assert!(silent.count() >= 1);
}

// =============================================================================================
// CachedCredentials
// =============================================================================================

/// Counts calls, takes `delay`, and returns `AKIDCALL<n>` expiring `lifetime` after it
/// answers (never, when `None`), or fails when `failing` is set.
#[derive(Debug)]
struct SlowProvider {
    calls: AtomicUsize,
    delay: Duration,
    lifetime: Option<Duration>,
    failing: AtomicBool,
}

impl SlowProvider {
    fn new(lifetime: Option<Duration>) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            delay: Duration::from_millis(50),
            lifetime,
            failing: AtomicBool::new(false),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn fail(&self) {
        self.failing.store(true, Ordering::SeqCst);
    }
}

impl ProvideCredentials for SlowProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if self.failing.load(Ordering::SeqCst) {
                return Err(CredentialsError::new(format!(
                    "the source is down (call {n})"
                )));
            }
            let credentials =
                Credentials::new(format!("AKIDCALL{n}"), format!("{CACHE_SECRET}-{n}"), None);
            Ok(match self.lifetime {
                Some(lifetime) => credentials.with_expiry(SystemTime::now() + lifetime),
                None => credentials,
            })
        })
    }
}

fn cache_over(provider: &Arc<SlowProvider>) -> CachedCredentials {
    CachedCredentials::from_arc(provider.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_single_flight_under_concurrency() {
    let provider = SlowProvider::new(Some(Duration::from_secs(3600)));
    let cache = cache_over(&provider);
    let barrier = Arc::new(tokio::sync::Barrier::new(32));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let cache = cache.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                cache.get().await
            })
        })
        .collect();
    for task in tasks {
        let credentials = task.await.unwrap().unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDCALL1");
    }
    assert_eq!(provider.calls(), 1);
    assert_no_secrets("CachedCredentials Debug", &format!("{cache:?}"));
}

#[tokio::test]
async fn cache_reuses_credentials_that_expire_in_an_hour() {
    let provider = SlowProvider::new(Some(Duration::from_secs(3600)));
    let cache = cache_over(&provider);
    for _ in 0..5 {
        assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    }
    assert_eq!(provider.calls(), 1);
    // Through the trait as well (as a client config uses it).
    let credentials = cache.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCALL1");
    assert_eq!(provider.calls(), 1);
    // `invalidate` forgets them.
    cache.invalidate();
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL2");
}

#[tokio::test]
async fn cache_refreshes_within_the_refresh_buffer() {
    // Five minutes (the buffer) and 400 ms: reused for 400 ms, then refreshed.
    let provider = SlowProvider::new(Some(Duration::from_secs(300) + Duration::from_millis(400)));
    let cache = cache_over(&provider);
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    assert_eq!(provider.calls(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL2");
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn cache_short_lived_credentials_are_refreshed_halfway() {
    // Credentials that already expire within the buffer are kept for half their remaining
    // life (cache.rs: "Credentials that live shorter than the buffer: refresh halfway"), not
    // fetched again on every call.
    let provider = SlowProvider::new(Some(Duration::from_millis(800)));
    let cache = cache_over(&provider);
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    assert_eq!(provider.calls(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL2");
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn cache_serves_unexpired_credentials_when_a_refresh_fails() {
    let provider = SlowProvider::new(Some(Duration::from_secs(300) + Duration::from_millis(300)));
    let cache = cache_over(&provider);
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    provider.fail();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Due for a refresh, which fails: the cached ones are still good for five minutes.
    let credentials = cache.get().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCALL1");
    assert_eq!(credentials.secret_access_key(), format!("{CACHE_SECRET}-1"));
    assert_eq!(provider.calls(), 2);
    // The broken source is not asked again on every call.
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn cache_returns_the_error_once_the_credentials_expired() {
    let provider = SlowProvider::new(Some(Duration::from_millis(400)));
    let cache = cache_over(&provider);
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDCALL1");
    provider.fail();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let err = cache.get().await.unwrap_err();
    assert!(
        message(&err).contains("the source is down (call 2)"),
        "{err}"
    );
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn cache_a_hung_refresh_times_out_and_unexpired_credentials_are_served() {
    #[derive(Debug)]
    struct Hanging(AtomicUsize);
    impl ProvideCredentials for Hanging {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
                    // The first fetch answers with credentials already due for a refresh.
                    return Ok(
                        Credentials::new("AKIDFIRST", CACHE_SECRET, None).with_expiry(
                            SystemTime::now()
                                + Duration::from_secs(300)
                                + Duration::from_millis(100),
                        ),
                    );
                }
                std::future::pending().await
            })
        }
    }
    let provider = Arc::new(Hanging(AtomicUsize::new(0)));
    let cache =
        CachedCredentials::from_arc(provider.clone()).with_load_timeout(Duration::from_millis(200));
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDFIRST");
    // Past the refresh point (five minutes before expiry), still valid.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let started = Instant::now();
    // The refresh hangs: after the load timeout, the still-valid credentials are served.
    assert_eq!(cache.get().await.unwrap().access_key_id(), "AKIDFIRST");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(provider.0.load(Ordering::SeqCst), 2);

    // With nothing cached, a hung provider is an error after the timeout.
    let fresh = CachedCredentials::from_arc(Arc::new(Hanging(AtomicUsize::new(1))))
        .with_load_timeout(Duration::from_millis(200));
    let err = fresh.get().await.unwrap_err();
    assert!(message(&err).contains("did not answer within"), "{err}");
}

#[tokio::test]
async fn derived_configs_share_the_credentials_cache() {
    let provider = SlowProvider::new(Some(Duration::from_secs(3600)));
    let config = Config::builder()
        .credentials_provider(ArcProvider(provider.clone()))
        .build();
    let derived = config.to_builder().region("eu-west-1").build();
    assert_eq!(
        config.credentials().await.unwrap().access_key_id(),
        "AKIDCALL1"
    );
    assert_eq!(
        derived.credentials().await.unwrap().access_key_id(),
        "AKIDCALL1"
    );
    assert_eq!(provider.calls(), 1);
}

/// A shared provider as a `ProvideCredentials` value (the builder takes one by value).
#[derive(Debug)]
struct ArcProvider(Arc<SlowProvider>);

impl ProvideCredentials for ArcProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }
}

// =============================================================================================
// Secrets in Debug output
// =============================================================================================

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let sandbox = Sandbox::new();
    let imds = FakeImds::start(Some(IMDS_ROLE)).await;
    let client = imds.client();
    let imds_credentials = ImdsCredentials::with_client(client.clone());
    // Fetch first, so the client holds a session token.
    let from_imds = imds_credentials.provide_credentials().await.unwrap();

    let container = FakeContainer::start(Some(CONTAINER_AUTH)).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url());
    sandbox.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTH);
    let container_provider = ContainerCredentials::new();
    let from_container = container_provider.provide_credentials().await.unwrap();

    let sts = Arc::new(FakeSts::default());
    // The named profile exists but has no credentials of its own: the chain goes on.
    sandbox.config("[profile dev]\nregion = eu-west-1\n");
    let chain = DefaultCredentialsChain::new()
        .sts(sts.clone())
        .imds(client.clone())
        .profile("dev");
    let cached = CachedCredentials::new(chain.clone());
    let from_cache = cached.get().await.unwrap();
    assert_eq!(from_cache.access_key_id(), CONTAINER_KEY_ID);

    let sso = SsoCredentials::new(
        SsoLogin::Session("corp".to_owned()),
        "eu-west-1",
        SSO_ACCOUNT,
        SSO_ROLE,
    )
    .cache_dir(sandbox.dir.join("sso-cache"));
    let web_identity = web_identity_request(&sts, &sandbox).await;

    let credentials = Credentials::new("AKIDDEBUG", ROOT_SECRET, Some(ENV_SESSION.to_owned()))
        .with_expiry(far_future());
    let debug_outputs = [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{from_imds:?}"),
        format!("{from_container:?}"),
        format!("{from_cache:?}"),
        format!("{client:?}"),
        format!("{imds_credentials:?}"),
        format!("{container_provider:?}"),
        format!("{chain:?}"),
        format!("{chain:#?}"),
        format!("{cached:?}"),
        format!("{sso:?}"),
        format!("{web_identity:?}"),
        format!(
            "{:?}",
            ProfileCredentials::with_profile("dev").sts(sts.clone())
        ),
    ];
    for debug in &debug_outputs {
        assert_no_secrets("Debug output", debug);
    }
    assert!(debug_outputs[0].contains("AKIDDEBUG") && debug_outputs[0].contains("redacted"));
}

/// A real [`WebIdentityRequest`] (it is `#[non_exhaustive]`, so not built here by hand), made
/// by running [`WebIdentityCredentials`] once against the fake STS.
async fn web_identity_request(sts: &Arc<FakeSts>, sandbox: &Sandbox) -> WebIdentityRequest {
    let file = sandbox.file("probe/token", WEB_IDENTITY_TOKEN);
    WebIdentityCredentials::new(file, "arn:aws:iam::444444444444:role/probe", sts.clone())
        .provide_credentials()
        .await
        .unwrap();
    let request = sts.web_identity_calls().last().unwrap().clone();
    assert_eq!(request.token, WEB_IDENTITY_TOKEN);
    request
}
