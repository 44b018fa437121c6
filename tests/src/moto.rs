//! A `moto_server` per test: moto's local AWS look-alike, for the end-to-end tests
//! (`tests/e2e_moto.rs`, `tests/e2e_sts.rs`).
//!
//! `MOTO_SERVER` names the `moto_server` executable (`scripts/moto-venv` installs it and prints
//! its path; `scripts/test` sets the variable). Each server listens on a free 127.0.0.1 port
//! (`-p 0`; the port is read from its "Running on" line) and is killed when dropped, even on
//! panic. Its output (Werkzeug's request log, Python tracebacks) is kept for assertions.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the server may take to start (it imports all of moto; slow on a busy machine).
pub const STARTUP_LIMIT: Duration = Duration::from_secs(60);
/// How long a raw request may wait for its answer.
pub const RAW_CALL_LIMIT: Duration = Duration::from_secs(30);

/// A running `moto_server`, killed on drop.
pub struct MotoServer {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl MotoServer {
    /// Starts a server with moto's default settings.
    pub fn start() -> MotoServer {
        MotoServer::start_with_env(&[])
    }

    /// Starts a server with extra environment variables (moto's settings).
    pub fn start_with_env(env: &[(&str, &str)]) -> MotoServer {
        let exe = std::env::var_os("MOTO_SERVER").unwrap_or_else(|| {
            panic!(
                "MOTO_SERVER is not set. The end-to-end tests need moto's server: run \
                 `scripts/moto-venv` (it installs moto[server] into target/moto-venv and prints \
                 the path of moto_server), then `MOTO_SERVER=<that path> cargo test -p tests \
                 --test e2e_moto --test e2e_sts`. scripts/test does both."
            )
        });
        let mut child = Command::new(&exe)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .env("PYTHONUNBUFFERED", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {exe:?} (MOTO_SERVER): {e}"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        spawn_reader(child.stdout.take().unwrap(), log.clone(), tx.clone());
        spawn_reader(child.stderr.take().unwrap(), log.clone(), tx);
        let mut server = MotoServer {
            child,
            port: 0,
            log,
        };
        let deadline = Instant::now() + STARTUP_LIMIT;
        while server.port == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.split("Running on http://127.0.0.1:").nth(1) {
                        let digits: String =
                            rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                        server.port = digits.parse().expect("port in moto's 'Running on' line");
                    }
                }
                Err(_) => panic!(
                    "moto_server did not report its port within {STARTUP_LIMIT:?} \
                     (or exited: {:?}); its output:\n{}",
                    server.child.try_wait(),
                    server.log_text()
                ),
            }
        }
        // It prints the line once it listens; check that it accepts connections, bounded.
        while TcpStream::connect(("127.0.0.1", server.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server does not accept connections on port {}",
                server.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every line of output so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The output so far, for failure messages.
    pub fn log_text(&self) -> String {
        self.log_lines().join("\n")
    }

    /// How many lines of the output contain `needle`, once the output has settled: moto logs
    /// a request (and a traceback) after it has sent the response, so the log may lag the
    /// client by a moment. Polls until the count has not changed for 300 ms (at most 5 s).
    pub fn settled_count(&self, needle: &str) -> usize {
        let count = || {
            self.log_lines()
                .iter()
                .filter(|l| l.contains(needle))
                .count()
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = count();
        let mut stable_since = Instant::now();
        while Instant::now() < deadline && stable_since.elapsed() < Duration::from_millis(300) {
            std::thread::sleep(Duration::from_millis(25));
            let now = count();
            if now != last {
                last = now;
                stable_since = Instant::now();
            }
        }
        last
    }

    /// One raw `POST` over a plain socket; returns the status line and the body.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> (String, String) {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(RAW_CALL_LIMIT)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.lines().next().unwrap_or_default().to_string();
        (status, body.to_string())
    }

    /// One raw awsQuery IAM call, for set-up our clients have no operations for. It carries
    /// an `Authorization` header only so that moto routes it to IAM (by the credential
    /// scope); its signature is never valid, so moto must not be checking yet (see
    /// [`MotoServer::require_auth_after`]). Returns the status line and the body.
    pub fn iam(&self, params: &[(&str, &str)]) -> (String, String) {
        let body: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect();
        self.post(
            "/",
            &[
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
                ("X-Amz-Date", "20240101T000000Z"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=setup/20240101/us-east-1/iam/aws4_request, \
                     SignedHeaders=host;x-amz-date, Signature=0",
                ),
            ],
            &body.join("&"),
        )
    }

    /// Turns moto's signature and permission checks on after `unauthenticated` more
    /// requests (its `/moto-api/reset-auth`).
    pub fn require_auth_after(&self, unauthenticated: u32) {
        let (status, body) = self.post(
            "/moto-api/reset-auth",
            &[("Content-Type", "text/plain")],
            &unauthenticated.to_string(),
        );
        assert!(status.contains(" 200 "), "reset-auth: {status}\n{body}");
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_reader(
    stream: impl Read + Send + 'static,
    log: Arc<Mutex<Vec<String>>>,
    tx: mpsc::Sender<String>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            log.lock().unwrap().push(line.clone());
            let _ = tx.send(line);
        }
    });
}

/// RFC 3986 percent-encoding of a form value.
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of the first `<tag>…</tag>` in `xml`.
pub fn xml_text<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no <{tag}> in {xml}"))
        + open.len();
    let end = xml[start..].find(&format!("</{tag}>")).unwrap() + start;
    &xml[start..end]
}
