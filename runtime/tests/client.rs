//! The request pipeline (`aws_lite_runtime::client`) end to end: a fake operation called
//! through a loopback HTTP/1.1 server (scripted, bounded, on 127.0.0.1) and through
//! `MockTransport`. No test contacts anything but loopback; each one runs under a timeout.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::{
    invoke, BoxFuture, Config, ConfigBuilder, MockTransport, OperationSpec, TimeoutKind, Transport,
    TransportError, TransportErrorKind, TransportRequest,
};
use aws_lite_runtime::endpoint::Endpoint;
use aws_lite_runtime::protocol::{
    parse_error_meta, parse_success, ErrorMeta, HttpRequest, HttpResponse, ProvideErrorMeta,
    SdkError, UnhandledError,
};
use aws_lite_runtime::xml::{XmlError, XmlReader};
use aws_lite_runtime::Document;
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------
// A fake operation: `Fake`, answering `<FakeResponse><FakeResult><Value>…`.

const SPEC: OperationSpec = OperationSpec {
    name: "Fake",
    signing_name: "elasticache",
    retryable_codes: &["FakeRetryableFault"],
    request_compression: false,
    auth: aws_lite_runtime::client::OperationAuth::SigV4,
};

const BODY: &str = "Action=Fake&Version=2015-02-02&Name=rg-1";

#[derive(Debug, PartialEq)]
struct FakeOutput {
    value: String,
    request_id: Option<String>,
}

#[derive(Debug)]
enum FakeError {
    /// Modeled, HTTP 404.
    NotFound(ErrorMeta),
    Unhandled(UnhandledError),
}

impl ProvideErrorMeta for FakeError {
    fn meta(&self) -> &ErrorMeta {
        match self {
            FakeError::NotFound(m) => m,
            FakeError::Unhandled(e) => e.meta(),
        }
    }

    fn meta_mut(&mut self) -> &mut ErrorMeta {
        match self {
            FakeError::NotFound(m) => m,
            FakeError::Unhandled(e) => e.meta_mut(),
        }
    }
}

impl aws_lite_runtime::protocol::OperationName for FakeError {
    const OPERATION: &'static str = "Fake";
}

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.meta().fmt(f)
    }
}

impl std::error::Error for FakeError {}

fn read_result(r: &mut XmlReader<'_>, depth: usize) -> Result<String, XmlError> {
    let mut value = String::new();
    while let Some(name) = r.child(depth) {
        if name == b"Value" {
            value = r.read_string()?;
        }
    }
    Ok(value)
}

fn parse(response: &HttpResponse) -> Result<FakeOutput, SdkError<FakeError>> {
    if response.is_success() {
        let (value, request_id) =
            parse_success(response, "Fake", read_result, || None).map_err(SdkError::Response)?;
        return Ok(FakeOutput { value, request_id });
    }
    let meta = parse_error_meta(response).map_err(SdkError::Response)?;
    Err(SdkError::Service(match meta.code.as_deref() {
        Some("ReplicationGroupNotFoundFault") => FakeError::NotFound(meta),
        _ => FakeError::Unhandled(UnhandledError::new(meta)),
    }))
}

fn request() -> HttpRequest {
    HttpRequest::form_post(BODY.to_string())
}

fn endpoint(url: String) -> Endpoint {
    Endpoint {
        url,
        headers: vec![],
        properties: Document::Null,
    }
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
}

/// Fast retries: a few milliseconds of backoff.
fn config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
}

async fn call(config: &Config, url: String) -> Result<FakeOutput, SdkError<FakeError>> {
    invoke(config, &SPEC, &endpoint(url), request(), parse).await
}

/// Every test ends within this.
async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the test took longer than 20 s")
}

// ---------------------------------------------------------------------------------------
// Canned responses.

fn ok_body(value: &str) -> String {
    format!(
        "<FakeResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">\
         <FakeResult><Value>{value}</Value></FakeResult>\
         <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></FakeResponse>"
    )
}

fn error_body(code: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
         <Message>it failed</Message></Error><RequestId>req-{code}</RequestId></ErrorResponse>"
    )
}

#[cfg(feature = "default-https")]
fn http(status: u16, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Loopback tests: the default HTTPS transport, speaking plain HTTP to 127.0.0.1.
#[cfg(feature = "default-https")]
mod loopback {
    use super::*;
    use std::collections::VecDeque;
    use std::net::SocketAddr;
    use std::time::{SystemTime, UNIX_EPOCH};

    use aws_lite_runtime::auth::{sign_detailed, SigningRequest};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::sync::Notify;
    use tokio::task::JoinSet;

    // ---------------------------------------------------------------------------------------
    // A loopback HTTP/1.1 server: serves a fixed script of replies, one per request, records
    // every request, and stops once the script is used up.

    enum Reply {
        /// Send this raw response and keep the connection open.
        Send(String),
        /// Send the start of a response, then close the connection.
        DropMidResponse(String),
        /// Send this whole response (which promises keep-alive), then close the connection a
        /// little later, once the client has put it back in its pool.
        SendThenClose(String),
        /// Wait, then send (the client will have given up; the connection is closed after).
        Delay(Duration, String),
    }

    #[derive(Debug, Clone)]
    struct Recorded {
        connection: usize,
        method: String,
        path: String,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Recorded {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    struct Server {
        addr: SocketAddr,
        requests: Arc<Mutex<Vec<Recorded>>>,
        task: tokio::task::JoinHandle<()>,
    }

    impl Server {
        async fn start(script: Vec<Reply>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let requests = Arc::new(Mutex::new(Vec::new()));
            let script = Arc::new(Mutex::new(VecDeque::from(script)));
            let done = Arc::new(Notify::new());
            let recorded = requests.clone();
            let task = tokio::spawn(async move {
                let mut connections = JoinSet::new();
                let mut n = 0;
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { break };
                            n += 1;
                            connections.spawn(serve(
                                stream,
                                n,
                                script.clone(),
                                recorded.clone(),
                                done.clone(),
                            ));
                        }
                        _ = done.notified() => break,
                    }
                }
                // Dropping the set closes the connections that are still open.
                drop(connections);
            });
            Server {
                addr,
                requests,
                task,
            }
        }

        fn url(&self) -> String {
            format!("http://{}", self.addr)
        }

        fn requests(&self) -> Vec<Recorded> {
            self.requests.lock().unwrap().clone()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    async fn serve(
        mut stream: TcpStream,
        connection: usize,
        script: Arc<Mutex<VecDeque<Reply>>>,
        recorded: Arc<Mutex<Vec<Recorded>>>,
        done: Arc<Notify>,
    ) {
        let mut buf = Vec::new();
        loop {
            let Some(request) = read_request(&mut stream, &mut buf, connection).await else {
                return;
            };
            recorded.lock().unwrap().push(request);
            let (reply, last) = {
                let mut s = script.lock().unwrap();
                let reply = s.pop_front();
                (reply, s.is_empty())
            };
            let Some(reply) = reply else { return };
            let keep_open = match reply {
                Reply::Send(raw) => stream.write_all(raw.as_bytes()).await.is_ok(),
                Reply::DropMidResponse(raw) => {
                    let _ = stream.write_all(raw.as_bytes()).await;
                    false
                }
                Reply::SendThenClose(raw) => {
                    let _ = stream.write_all(raw.as_bytes()).await;
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    false
                }
                Reply::Delay(d, raw) => {
                    tokio::time::sleep(d).await;
                    let _ = stream.write_all(raw.as_bytes()).await;
                    false
                }
            };
            if last {
                done.notify_one();
            }
            if !keep_open {
                return;
            }
        }
    }

    /// Reads one request (head and `content-length` body); `None` at end of stream.
    async fn read_request(
        stream: &mut TcpStream,
        buf: &mut Vec<u8>,
        connection: usize,
    ) -> Option<Recorded> {
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap().split(' ');
        let method = start.next().unwrap().to_string();
        let path = start.next().unwrap().to_string();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.trim().to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let body_start = head_end + 4;
        while buf.len() < body_start + len {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8(buf[body_start..body_start + len].to_vec()).unwrap();
        buf.drain(..body_start + len);
        Some(Recorded {
            connection,
            method,
            path,
            headers,
            body,
        })
    }

    // ---------------------------------------------------------------------------------------
    // Loopback tests (the default HTTPS transport, speaking plain HTTP to 127.0.0.1).

    /// `20240102T030405Z` → time.
    fn parse_amz_date(s: &str) -> SystemTime {
        let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
        let (y, m, d) = (n(0..4), n(4..6), n(6..8));
        let secs = n(9..11) * 3600 + n(11..13) * 60 + n(13..15);
        // Days from civil (Howard Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        UNIX_EPOCH + Duration::from_secs((days * 86_400 + secs) as u64)
    }

    #[tokio::test]
    async fn sends_the_exact_signed_request() {
        bounded(async {
            let server = Server::start(vec![Reply::Send(http(200, &ok_body("done")))]).await;
            let config = config().app_name("loopback-test").build();
            let mut ep = endpoint(server.url());
            ep.headers.push((
                "x-amz-endpoint-hint".to_string(),
                vec!["a".into(), "b".into()],
            ));
            let out = invoke(&config, &SPEC, &ep, request(), parse).await.unwrap();
            assert_eq!(out.value, "done");
            assert_eq!(out.request_id.as_deref(), Some("req-ok"));

            let reqs = server.requests();
            assert_eq!(reqs.len(), 1);
            let r = &reqs[0];
            assert_eq!(r.method, "POST");
            assert_eq!(r.path, "/");
            assert_eq!(r.body, BODY);
            assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
            assert_eq!(
                r.header("content-type"),
                Some("application/x-www-form-urlencoded; charset=utf-8")
            );
            assert_eq!(
                r.header("content-length"),
                Some(BODY.len().to_string().as_str())
            );
            assert_eq!(
                r.header("user-agent"),
                Some(
                    format!(
                        "aws-lite-runtime/{} app/loopback-test",
                        env!("CARGO_PKG_VERSION")
                    )
                    .as_str()
                )
            );
            assert_eq!(r.header("amz-sdk-request"), Some("attempt=1; max=3"));
            assert_eq!(r.header("x-amz-endpoint-hint"), Some("a,b"));
            let id = r.header("amz-sdk-invocation-id").unwrap();
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4", "UUID v4: {id}");
            assert!(r.header("x-amz-security-token").is_none());

            let date = r.header("x-amz-date").unwrap();
            let auth = r.header("authorization").unwrap();
            let prefix = format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/us-east-1/elasticache/aws4_request, \
                 SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;\
                 host;x-amz-date;x-amz-endpoint-hint, Signature=",
                &date[..8]
            );
            assert!(auth.starts_with(&prefix), "{auth}");
            let signature = &auth[prefix.len()..];
            assert_eq!(signature.len(), 64);

            // The request as it arrived verifies: signing what the server received (minus the
            // signature and the unsigned headers) at the same time gives the same signature.
            let mut headers: Vec<(String, String)> = r
                .headers
                .iter()
                .filter(|(k, _)| k != "authorization" && k != "x-amz-date")
                .cloned()
                .collect();
            let mut signing = SigningRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: &mut headers,
                body: r.body.as_bytes(),
            };
            let out = sign_detailed(
                &mut signing,
                &credentials(),
                "us-east-1",
                "elasticache",
                parse_amz_date(date),
            )
            .unwrap();
            assert_eq!(out.signature(), signature);
        })
        .await;
    }

    #[tokio::test]
    async fn session_token_is_sent_and_signed() {
        bounded(async {
            let server = Server::start(vec![Reply::Send(http(200, &ok_body("x")))]).await;
            let config = config()
                .credentials(Credentials::new(
                    "ASIAEXAMPLE",
                    "secret",
                    Some("token/+=".into()),
                ))
                .build();
            call(&config, server.url()).await.unwrap();
            let r = &server.requests()[0];
            assert_eq!(r.header("x-amz-security-token"), Some("token/+="));
            assert!(r
                .header("authorization")
                .unwrap()
                .contains(";x-amz-date;x-amz-security-token, Signature="));
        })
        .await;
    }

    #[tokio::test]
    async fn retries_503_then_succeeds_on_attempt_2() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(503, &error_body("ServiceUnavailable"))),
                Reply::Send(http(200, &ok_body("second"))),
            ])
            .await;
            let config = config().build();
            let out = call(&config, server.url()).await.unwrap();
            assert_eq!(out.value, "second");
            let reqs = server.requests();
            assert_eq!(reqs.len(), 2);
            assert_eq!(reqs[0].header("amz-sdk-request"), Some("attempt=1; max=3"));
            assert_eq!(reqs[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
            assert_eq!(
                reqs[0].header("amz-sdk-invocation-id"),
                reqs[1].header("amz-sdk-invocation-id")
            );
            // The connection was reused (the 503 kept it open).
            assert_eq!(reqs[0].connection, reqs[1].connection);
            // A success after a retry gives the retry's cost back.
            assert_eq!(config.retry_quota_available(), 500);
        })
        .await;
    }

    #[tokio::test]
    async fn retries_throttling_twice_then_succeeds() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(400, &error_body("Throttling"))),
                Reply::Send(http(400, &error_body("Throttling"))),
                Reply::Send(http(200, &ok_body("third"))),
            ])
            .await;
            let config = config().build();
            let out = call(&config, server.url()).await.unwrap();
            assert_eq!(out.value, "third");
            let reqs = server.requests();
            assert_eq!(reqs.len(), 3);
            let ids: Vec<_> = reqs
                .iter()
                .map(|r| r.header("amz-sdk-invocation-id"))
                .collect();
            assert!(ids.iter().all(|id| *id == ids[0]));
            let attempts: Vec<_> = reqs
                .iter()
                .map(|r| r.header("amz-sdk-request").unwrap())
                .collect();
            assert_eq!(
                attempts,
                ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
            );
            // Each attempt is signed anew.
            assert_ne!(
                reqs[0].header("authorization"),
                reqs[1].header("authorization")
            );
        })
        .await;
    }

    #[tokio::test]
    async fn throttling_on_every_attempt_returns_the_last_error() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(400, &error_body("ThrottlingException"))),
                Reply::Send(http(400, &error_body("ThrottlingException"))),
            ])
            .await;
            let config = config().max_attempts(2).build();
            let err = call(&config, server.url()).await.unwrap_err();
            let SdkError::Service(FakeError::Unhandled(e)) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(e.code(), Some("ThrottlingException"));
            assert_eq!(server.requests().len(), 2);
            assert_eq!(config.retry_quota_available(), 495);
        })
        .await;
    }

    #[tokio::test]
    async fn modeled_404_is_not_retried() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(404, &error_body("ReplicationGroupNotFoundFault"))),
                Reply::Send(http(200, &ok_body("must not be reached"))),
            ])
            .await;
            let config = config().build();
            let err = call(&config, server.url()).await.unwrap_err();
            let SdkError::Service(FakeError::NotFound(meta)) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(meta.status, 404);
            assert_eq!(
                meta.request_id.as_deref(),
                Some("req-ReplicationGroupNotFoundFault")
            );
            assert_eq!(server.requests().len(), 1);
            // A failure without retries neither takes nor gives tokens.
            assert_eq!(config.retry_quota_available(), 500);
        })
        .await;
    }

    #[tokio::test]
    async fn retryable_error_from_the_model_is_retried() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(400, &error_body("FakeRetryableFault"))),
                Reply::Send(http(200, &ok_body("ok"))),
            ])
            .await;
            let out = call(&config().build(), server.url()).await.unwrap();
            assert_eq!(out.value, "ok");
            assert_eq!(server.requests().len(), 2);
        })
        .await;
    }

    #[tokio::test]
    async fn connection_dropped_mid_response_is_a_transport_error_after_max_attempts() {
        bounded(async {
            let partial =
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 500\r\n\r\n\
                           <FakeResponse><FakeResult>";
            let server = Server::start(vec![
                Reply::DropMidResponse(partial.to_string()),
                Reply::DropMidResponse(partial.to_string()),
                Reply::DropMidResponse(partial.to_string()),
            ])
            .await;
            let config = config().build();
            let err = call(&config, server.url()).await.unwrap_err();
            let SdkError::Transport(e) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(e.kind(), TransportErrorKind::Io, "{e}");
            let reqs = server.requests();
            assert_eq!(reqs.len(), 3);
            // Every attempt needed a new connection.
            assert_eq!(reqs[0].connection + 2, reqs[2].connection);
            assert_eq!(config.retry_quota_available(), 490);
        })
        .await;
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_while_idle_is_not_used_again() {
        bounded(async {
            let server = Server::start(vec![
                Reply::SendThenClose(http(200, &ok_body("first"))),
                Reply::Send(http(200, &ok_body("second"))),
                Reply::Send(http(200, &ok_body("third"))),
            ])
            .await;
            let config = config().build();
            assert_eq!(call(&config, server.url()).await.unwrap().value, "first");
            // The server's FIN arrives while the connection sits in the pool.
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert_eq!(call(&config, server.url()).await.unwrap().value, "second");
            assert_eq!(call(&config, server.url()).await.unwrap().value, "third");
            let reqs = server.requests();
            assert_eq!(
                reqs.len(),
                3,
                "no request was sent on the closed connection"
            );
            assert_eq!(reqs[1].header("amz-sdk-request"), Some("attempt=1; max=3"));
            assert_eq!(reqs[0].connection + 1, reqs[1].connection);
            // The new connection is kept for the next call.
            assert_eq!(reqs[1].connection, reqs[2].connection);
            assert_eq!(config.retry_quota_available(), 500);
        })
        .await;
    }

    #[tokio::test]
    async fn a_connection_failing_after_a_complete_response_still_returns_it() {
        bounded(async {
            // Bytes after a complete response make hyper fail the connection; the response
            // that came first is the call's answer, not a transport error to retry.
            let garbage = format!("{}HTTP/9 nonsense\r\n", http(200, &ok_body("first")));
            let server = Server::start(vec![
                Reply::Send(garbage),
                Reply::Send(http(200, &ok_body("second"))),
            ])
            .await;
            let config = config().build();
            assert_eq!(call(&config, server.url()).await.unwrap().value, "first");
            assert_eq!(call(&config, server.url()).await.unwrap().value, "second");
            let reqs = server.requests();
            assert_eq!(reqs.len(), 2, "the first call was not sent again");
            // The failed connection was not pooled.
            assert_eq!(reqs[0].connection + 1, reqs[1].connection);
            assert_eq!(config.retry_quota_available(), 500);
        })
        .await;
    }

    #[tokio::test]
    async fn a_body_in_many_pieces_is_joined_in_order() {
        bounded(async {
            // Chunked, with a trailer: each chunk is a frame of its own.
            let body = ok_body("chunked value");
            let (a, rest) = body.split_at(10);
            let (b, c) = rest.split_at(rest.len() / 2);
            let chunked = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ntransfer-encoding: chunked\r\n\r\n\
                 {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n{:x}\r\n{c}\r\n0\r\nx-trailer: t\r\n\r\n",
                a.len(),
                b.len(),
                c.len()
            );
            // Longer than one read of the connection's buffer.
            let long: String = (0..40_000)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let server = Server::start(vec![
                Reply::Send(chunked),
                Reply::Send(http(200, &ok_body(&long))),
                Reply::Send(http(200, &ok_body("after"))),
            ])
            .await;
            let config = config().build();
            assert_eq!(
                call(&config, server.url()).await.unwrap().value,
                "chunked value"
            );
            assert_eq!(call(&config, server.url()).await.unwrap().value, long);
            assert_eq!(call(&config, server.url()).await.unwrap().value, "after");
            // One connection throughout: each body was read to its end.
            let reqs = server.requests();
            assert_eq!(reqs.len(), 3);
            assert_eq!(reqs[0].connection, reqs[2].connection);
        })
        .await;
    }

    #[tokio::test]
    async fn connection_close_in_a_response_is_honoured() {
        bounded(async {
            let closing = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: text/xml\r\n\
                           content-length: {len}\r\n\r\n{body}";
            let body = ok_body("first");
            let closing = closing
                .replace("{len}", &body.len().to_string())
                .replace("{body}", &body);
            let server = Server::start(vec![
                Reply::Send(closing),
                Reply::Send(http(200, &ok_body("second"))),
            ])
            .await;
            let config = config().build();
            assert_eq!(call(&config, server.url()).await.unwrap().value, "first");
            assert_eq!(call(&config, server.url()).await.unwrap().value, "second");
            let reqs = server.requests();
            assert_eq!(reqs.len(), 2);
            assert_eq!(reqs[0].connection + 1, reqs[1].connection);
            assert_eq!(config.retry_quota_available(), 500);
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_calls_open_one_connection_each_and_reuse_them() {
        bounded(async {
            let script = (0..16)
                .map(|i| Reply::Send(http(200, &ok_body(&format!("v{i}")))))
                .collect();
            let server = Server::start(script).await;
            let config = config().build();
            for _ in 0..4 {
                let calls: Vec<_> = (0..4)
                    .map(|_| {
                        let (config, url) = (config.clone(), server.url());
                        tokio::spawn(async move { call(&config, url).await })
                    })
                    .collect();
                for c in calls {
                    assert!(c.await.unwrap().unwrap().value.starts_with('v'));
                }
            }
            let reqs = server.requests();
            assert_eq!(reqs.len(), 16);
            let mut connections: Vec<usize> = reqs.iter().map(|r| r.connection).collect();
            connections.sort_unstable();
            connections.dedup();
            // At most one per concurrent call, kept and reused by the later rounds.
            assert!(connections.len() <= 4, "{connections:?}");
            // Each request line carries the path only; the host is in its header.
            assert!(reqs.iter().all(|r| r.path.starts_with('/')), "{reqs:?}");
            assert!(reqs.iter().all(|r| r.header("host").is_some()));
        })
        .await;
    }

    #[tokio::test]
    async fn response_slower_than_the_attempt_timeout_is_a_timeout() {
        bounded(async {
            let slow = || Reply::Delay(Duration::from_secs(3), http(200, &ok_body("late")));
            let server = Server::start(vec![slow(), slow()]).await;
            let config = config()
                .max_attempts(2)
                .attempt_timeout(Duration::from_millis(200))
                .build();
            let started = Instant::now();
            let err = call(&config, server.url()).await.unwrap_err();
            let SdkError::Timeout(t) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(t.kind(), TimeoutKind::Attempt);
            assert_eq!(t.duration(), Duration::from_millis(200));
            assert_eq!(
                err.to_string(),
                "Fake failed after 2 attempts: no answer within the attempt timeout (200ms)"
            );
            assert_eq!(err.attempts(), 2);
            assert!(started.elapsed() < Duration::from_secs(2));
            assert_eq!(server.requests().len(), 2);
            // A retry after a timeout costs 10.
            assert_eq!(config.retry_quota_available(), 490);
        })
        .await;
    }

    #[tokio::test]
    async fn operation_timeout_bounds_the_whole_call() {
        bounded(async {
            let server = Server::start(vec![Reply::Delay(
                Duration::from_secs(3),
                http(200, &ok_body("late")),
            )])
            .await;
            let config = config()
                .operation_timeout(Duration::from_millis(200))
                .build();
            let started = Instant::now();
            let err = call(&config, server.url()).await.unwrap_err();
            let SdkError::Timeout(t) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(t.kind(), TimeoutKind::Operation);
            assert_eq!(t.duration(), Duration::from_millis(200));
            assert!(started.elapsed() < Duration::from_secs(2));
        })
        .await;
    }

    #[tokio::test]
    async fn garbage_body_with_200_is_a_response_error_not_retried() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(200, "<html><body>proxy says hi</body></html>")),
                Reply::Send(http(200, &ok_body("must not be reached"))),
            ])
            .await;
            let err = call(&config().build(), server.url()).await.unwrap_err();
            let SdkError::Response(e) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(e.status(), 200);
            assert!(e.excerpt().contains("proxy says hi"));
            assert_eq!(server.requests().len(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn garbage_body_with_502_is_retried() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(502, "<html>Bad Gateway</html>")),
                Reply::Send(http(200, &ok_body("after the proxy"))),
            ])
            .await;
            let out = call(&config().build(), server.url()).await.unwrap();
            assert_eq!(out.value, "after the proxy");
            assert_eq!(server.requests().len(), 2);
        })
        .await;
    }

    #[tokio::test]
    async fn unreachable_port_is_a_transport_error() {
        bounded(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            drop(listener);
            let config = config().build();
            let err = call(&config, format!("http://{addr}")).await.unwrap_err();
            let SdkError::Transport(e) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(e.kind(), TransportErrorKind::Connect, "{e}");
            // Retried like any transport error.
            assert_eq!(config.retry_quota_available(), 490);
            assert!(std::error::Error::source(&err).is_some());
        })
        .await;
    }

    #[tokio::test]
    async fn connections_are_reused_across_calls() {
        bounded(async {
            let server = Server::start(vec![
                Reply::Send(http(200, &ok_body("1"))),
                Reply::Send(http(200, &ok_body("2"))),
            ])
            .await;
            let config = config().build();
            call(&config, server.url()).await.unwrap();
            let clone = config.clone();
            call(&clone, server.url()).await.unwrap();
            let reqs = server.requests();
            assert_eq!(reqs.len(), 2);
            assert_eq!(reqs[0].connection, reqs[1].connection);
            assert_ne!(
                reqs[0].header("amz-sdk-invocation-id"),
                reqs[1].header("amz-sdk-invocation-id")
            );
        })
        .await;
    }

    #[tokio::test]
    async fn endpoint_url_path_prefixes_the_request_path() {
        bounded(async {
            let server = Server::start(vec![Reply::Send(http(200, &ok_body("x")))]).await;
            call(&config().build(), format!("{}/base/", server.url()))
                .await
                .unwrap();
            assert_eq!(server.requests()[0].path, "/base/");
        })
        .await;
    }
}

// ---------------------------------------------------------------------------------------
// MockTransport, quota, configuration errors.

const MOCK_URL: &str = "https://elasticache.us-east-1.amazonaws.com";

#[tokio::test]
async fn mock_transport_records_requests_and_never_opens_a_socket() {
    bounded(async {
        // A listener that would see any connection attempt.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mock = MockTransport::new()
            .with_response(HttpResponse::new(
                503,
                vec![],
                error_body("InternalFailure"),
            ))
            .with_response(HttpResponse::new(
                200,
                vec![("x-amzn-RequestId".into(), "hdr-id".into())],
                ok_body("mocked"),
            ));
        let config = config().transport(mock.clone()).build();
        let out = call(&config, url.clone()).await.unwrap();
        assert_eq!(out.value, "mocked");
        assert_eq!(out.request_id.as_deref(), Some("hdr-id"));
        let reqs = mock.requests();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[0].method, "POST");
        assert_eq!(reqs[0].url, format!("{url}/"));
        assert_eq!(reqs[0].body_text(), BODY);
        assert_eq!(reqs[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
        assert!(reqs[1].header("authorization").is_some());
        // Debug output hides the signature and the body.
        let debug = format!("{:?}", reqs[1]);
        assert!(!debug.contains("Signature="), "{debug}");
        assert!(!debug.contains("Action="), "{debug}");
        assert_eq!(mock.remaining(), 0);
        // Nothing ever connected.
        let accepted = tokio::time::timeout(Duration::from_millis(50), listener.accept()).await;
        assert!(accepted.is_err(), "the mock opened a connection");

        // Out of responses: a clear transport error, not retried.
        let err = call(&config, url).await.unwrap_err();
        let SdkError::Transport(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), TransportErrorKind::NoResponse);
        assert!(e.to_string().contains("no response left"), "{e}");
        assert_eq!(mock.request_count(), 3);
    })
    .await;
}

#[tokio::test]
async fn mock_transport_from_a_closure() {
    bounded(async {
        let mock = MockTransport::from_fn(|req| {
            let name = req.body_text().rsplit('=').next().unwrap_or("").to_string();
            Ok(HttpResponse::new(200, vec![], ok_body(&name)))
        });
        let config = config().transport(mock.clone()).build();
        let out = call(&config, MOCK_URL.into()).await.unwrap();
        assert_eq!(out.value, "rg-1");
        assert_eq!(mock.request_count(), 1);
        // A queued transport error is retried.
        mock.push_error(TransportError::io("reset by peer"));
        call(&config, MOCK_URL.into()).await.unwrap();
        assert_eq!(mock.request_count(), 3);
    })
    .await;
}

#[tokio::test]
async fn retry_quota_exhaustion_stops_retries() {
    bounded(async {
        let mock = MockTransport::from_fn(|_| {
            Ok(HttpResponse::new(
                500,
                vec![],
                error_body("InternalFailure"),
            ))
        });
        let config = config().transport(mock.clone()).retry_quota(12).build();
        // 3 attempts: two retries take 5 each.
        let err = call(&config, MOCK_URL.into()).await.unwrap_err();
        assert!(matches!(err, SdkError::Service(_)));
        assert_eq!(mock.request_count(), 3);
        assert_eq!(config.retry_quota_available(), 2);
        // 2 tokens left: no retry at all; the first error is returned.
        let err = call(&config, MOCK_URL.into()).await.unwrap_err();
        assert_eq!(err.as_service_error().unwrap().meta().status, 500);
        assert_eq!(mock.request_count(), 4);
        // Clones share the quota.
        call(&config.clone(), MOCK_URL.into()).await.unwrap_err();
        assert_eq!(mock.request_count(), 5);
        // A first-try success gives 1 back (the queue is used before the closure).
        mock.push_response(HttpResponse::new(200, vec![], ok_body("x")));
        call(&config, MOCK_URL.into()).await.unwrap();
        assert_eq!(config.retry_quota_available(), 3);
    })
    .await;
}

/// A transport that never answers in time.
#[derive(Debug)]
struct Stalled;

impl Transport for Stalled {
    fn send(&self, _: TransportRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Err(TransportError::io("unreachable"))
        })
    }
}

#[tokio::test]
async fn timeout_retries_cost_10_and_a_custom_transport_plugs_in() {
    bounded(async {
        let config = config()
            .transport(Stalled)
            .attempt_timeout(Duration::from_millis(20))
            .retry_quota(15)
            .build();
        let started = Instant::now();
        let err = call(&config, MOCK_URL.into()).await.unwrap_err();
        assert!(matches!(&err, SdkError::Timeout(t) if t.kind() == TimeoutKind::Attempt));
        // Attempt 1 timed out (10 tokens for the retry), attempt 2 timed out, 5 left: stop.
        assert_eq!(config.retry_quota_available(), 5);
        assert!(started.elapsed() < Duration::from_secs(2));
    })
    .await;
}

#[tokio::test]
async fn missing_credentials_region_or_bad_url_fail_before_sending() {
    bounded(async {
        let mock = MockTransport::new();
        let no_creds = Config::builder()
            .region("us-east-1")
            .transport(mock.clone())
            .build();
        let err = call(&no_creds, MOCK_URL.into()).await.unwrap_err();
        assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");

        let no_region = Config::builder()
            .credentials(credentials())
            .transport(mock.clone())
            .build();
        let err = call(&no_region, MOCK_URL.into()).await.unwrap_err();
        assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");
        assert!(err.to_string().contains("no region"), "{err}");

        let bad_url = config().transport(mock.clone()).build();
        let err = call(&bad_url, "elasticache.amazonaws.com".into())
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");

        let bad_region = config().region("us east").transport(mock.clone()).build();
        let err = call(&bad_region, MOCK_URL.into()).await.unwrap_err();
        assert!(matches!(err, SdkError::Signing(_)), "{err:?}");

        assert_eq!(mock.request_count(), 0);
    })
    .await;
}

#[derive(Debug)]
struct CountingProvider(Arc<Mutex<u32>>);

impl aws_lite_runtime::auth::ProvideCredentials for CountingProvider {
    fn provide_credentials(
        &self,
    ) -> BoxFuture<'_, Result<Credentials, aws_lite_runtime::auth::CredentialsError>> {
        *self.0.lock().unwrap() += 1;
        Box::pin(async { Ok(credentials()) })
    }
}

#[tokio::test]
async fn provider_credentials_are_cached() {
    bounded(async {
        let count = Arc::new(Mutex::new(0));
        let mock = MockTransport::from_fn(|_| Ok(HttpResponse::new(200, vec![], ok_body("x"))));
        let config = Config::builder()
            .region("us-east-1")
            .credentials_provider(CountingProvider(count.clone()))
            .transport(mock)
            .build();
        for _ in 0..3 {
            call(&config, MOCK_URL.into()).await.unwrap();
        }
        assert_eq!(*count.lock().unwrap(), 1);
    })
    .await;
}

#[test]
fn config_defaults_getters_and_redacted_debug() {
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "very-secret-key",
            Some("tok-secret".into()),
        ))
        .endpoint_url("http://localhost:4566")
        .use_fips(true)
        .build();
    assert_eq!(config.region(), Some("eu-west-1"));
    assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
    assert!(config.use_fips());
    assert!(!config.use_dual_stack());
    assert_eq!(config.max_attempts(), 3);
    assert_eq!(config.initial_backoff(), Duration::from_secs(1));
    assert_eq!(config.max_backoff(), Duration::from_secs(20));
    assert_eq!(config.connect_timeout(), Some(Duration::from_millis(3100)));
    assert_eq!(config.attempt_timeout(), None);
    assert_eq!(config.operation_timeout(), None);
    assert_eq!(config.retry_quota_capacity(), 500);
    assert!(config.has_credentials());
    assert_eq!(
        config.user_agent(),
        format!("aws-lite-runtime/{}", env!("CARGO_PKG_VERSION"))
    );
    let debug = format!("{config:?}");
    assert!(!debug.contains("very-secret-key"), "{debug}");
    assert!(!debug.contains("tok-secret"), "{debug}");
    assert_eq!(Config::builder().max_attempts(0).build().max_attempts(), 1);
    let rebuilt = config.to_builder().max_attempts(7).build();
    assert_eq!(rebuilt.region(), Some("eu-west-1"));
    assert_eq!(rebuilt.max_attempts(), 7);
}

#[cfg(feature = "default-https")]
#[test]
fn https_transport_can_be_constructed_without_network() {
    use aws_lite_runtime::client::HttpsTransport;
    let t = HttpsTransport::new();
    assert_eq!(t.connect_timeout(), Some(Duration::from_millis(3100)));
    let t = HttpsTransport::builder()
        .connect_timeout(Some(Duration::from_secs(1)))
        .build();
    assert!(format!("{t:?}").contains("HttpsTransport"));
    // The default config gets one.
    let config = Config::builder().build();
    assert!(format!("{:?}", config.transport().unwrap()).contains("HttpsTransport"));
}

#[cfg(not(feature = "default-https"))]
#[tokio::test]
async fn without_default_https_a_transport_is_required() {
    let config = config().build();
    assert!(config.transport().is_none());
    let err = call(&config, MOCK_URL.into()).await.unwrap_err();
    assert!(matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::NoResponse));
}

/// Records every span field and event of the current thread as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

impl tracing::field::Visit for Capture {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let mut out = self.0.lock().unwrap();
        out.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("\nspan {}:", span.metadata().name()));
        span.record(&mut self.clone());
        let mut out = self.0.lock().unwrap();
        let id = out.len() as u64 + 1;
        out.push('\n');
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.0.lock().unwrap().push_str("\nrecord:");
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.0.lock().unwrap().push_str("\nevent:");
        event.record(&mut self.clone());
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn traces_calls_and_attempts_without_secrets() {
    let capture = Capture::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(capture.clone()));
    bounded(async {
        let mock = MockTransport::new()
            .with_response(HttpResponse::new(
                503,
                vec![("x-amzn-RequestId".into(), "rid-503".into())],
                error_body("ServiceUnavailable"),
            ))
            .with_response(HttpResponse::new(
                200,
                vec![("x-amzn-RequestId".into(), "rid-200".into())],
                ok_body("x"),
            ));
        let config = config()
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                "very-secret-key",
                Some("tok-secret".into()),
            ))
            .transport(mock)
            .build();
        call(&config, MOCK_URL.into()).await.unwrap();
    })
    .await;
    let log = capture.0.lock().unwrap().clone();
    for expected in [
        "span aws_call: operation=\"Fake\" service=\"elasticache\" invocation_id=",
        "span aws_attempt: attempt=1",
        "span aws_attempt: attempt=2",
        "status=503",
        "request_id=\"rid-503\"",
        "status=200",
        "request_id=\"rid-200\"",
        "ServiceUnavailable (HTTP 503)",
        "attempts=2",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from:\n{log}");
    }
    for secret in [
        "very-secret-key",
        "tok-secret",
        "Signature",
        "Action=",
        "AKIDEXAMPLE",
    ] {
        assert!(!log.contains(secret), "{secret:?} logged:\n{log}");
    }
}

#[test]
fn config_and_call_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let config = config().transport(MockTransport::new()).build();
    send_sync(&config);
    let ep = endpoint(MOCK_URL.into());
    let fut = invoke(&config, &SPEC, &ep, request(), parse);
    send(&fut);
}

/// The only test of this binary that reads or changes the environment.
#[test]
fn load_from_env_fills_only_what_is_unset() {
    let dir = std::env::temp_dir().join(format!("aws-lite-client-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(
        &config_file,
        "[default]\nregion = ca-central-1\nmax_attempts = 4\nendpoint_url = http://profile:1\n\
         use_dualstack_endpoint = true\n",
    )
    .unwrap();
    std::env::set_var("AWS_CONFIG_FILE", &config_file);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    for var in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_MAX_ATTEMPTS",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_AWS_LITE_TEST",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
    ] {
        std::env::remove_var(var);
    }

    // From the profile.
    let c = Config::builder().load_from_env("aws-lite test").build();
    assert_eq!(c.region(), Some("ca-central-1"));
    assert_eq!(c.max_attempts(), 4);
    assert_eq!(c.endpoint_url(), Some("http://profile:1"));
    assert!(c.use_dual_stack());
    assert!(!c.use_fips());
    assert!(c.has_credentials());

    // The environment wins over the profile; the service's variable over the generic one.
    std::env::set_var("AWS_REGION", "ap-south-1");
    std::env::set_var("AWS_MAX_ATTEMPTS", "6");
    std::env::set_var("AWS_ENDPOINT_URL", "http://generic:2");
    std::env::set_var("AWS_ENDPOINT_URL_AWS_LITE_TEST", "http://service:3");
    std::env::set_var("AWS_USE_FIPS_ENDPOINT", "true");
    let c = Config::builder().load_from_env("aws-lite test").build();
    assert_eq!(c.region(), Some("ap-south-1"));
    assert_eq!(c.max_attempts(), 6);
    assert_eq!(c.endpoint_url(), Some("http://service:3"));
    assert!(c.use_fips());

    // What the builder set stays.
    let c = Config::builder()
        .region("eu-west-1")
        .max_attempts(2)
        .endpoint_url("http://mine:4")
        .use_fips(false)
        .credentials(credentials())
        .load_from_env("aws-lite test")
        .build();
    assert_eq!(c.region(), Some("eu-west-1"));
    assert_eq!(c.max_attempts(), 2);
    assert_eq!(c.endpoint_url(), Some("http://mine:4"));
    assert!(!c.use_fips());

    // Configured endpoint URLs can be ignored altogether; a bad max attempts is ignored.
    std::env::set_var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    std::env::set_var("AWS_MAX_ATTEMPTS", "many");
    let c = Config::builder().load_from_env("aws-lite test").build();
    assert_eq!(c.endpoint_url(), None);
    assert_eq!(c.max_attempts(), 3);

    for var in [
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_REGION",
        "AWS_MAX_ATTEMPTS",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_AWS_LITE_TEST",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_USE_FIPS_ENDPOINT",
    ] {
        std::env::remove_var(var);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
