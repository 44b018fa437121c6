//! A verified, interleaved comparison of our generated `elasticache` client and
//! `aws-sdk-elasticache`, in one program that links both (issue 11, items 3 and 4).
//!
//! ```text
//! nice -n 10 cargo run --release -j 1 --bin compare -- [--rounds 30] [--batch-ms 30] [--only call|parse|loopback]
//! ```
//!
//! 1. **Verification**, before anything is timed. For each fixture, one call with each client
//!    through an in-memory transport that records the request, then checks that:
//!    - each client sent one request, to the same URL, with the same method (a different
//!      content type is reported, not a failure);
//!    - both request bodies are byte-identical (same input on both sides; a different
//!      parameter order is reported as such, never normalised);
//!    - both carry a SigV4 `authorization` header for the same access key, date, region
//!      (us-east-1) and service, and the signature is right: an independent implementation
//!      (the `aws-sigv4` crate) recomputes it over the headers the request says it signed;
//!    - the parsed outputs agree value by value, keyed by the response's XML element paths;
//!      the leaves of the fixture that were not compared are listed (members one model lacks);
//!    - the parse-only functions timed below give the same values as the calls.
//!
//!    Then one loopback call with each client: same values, byte-identical bodies on the wire.
//!    Any failed check aborts the program with a message saying what differs.
//!
//! 2. **Timing**, `--rounds` rounds. In each round every comparison times a batch of
//!    operations with one client, then a batch with the other; the client that goes first
//!    alternates from round to round. A round's ratio is SDK time / ours time (above 1:
//!    ours is faster); each comparison reports the median of its rounds' ratios, their range,
//!    and the median time per operation of each client. Batch sizes are calibrated after a
//!    warm-up so that a batch takes about `--batch-ms` for each client (the sizes differ when the
//!    clients' speeds do: the ratios compare times per operation). Comparisons:
//!    - *call*: the public fluent call (input → serialize → endpoint → sign → in-memory
//!      transport → parse) for the four fixtures, on a current-thread tokio runtime;
//!    - *parse*: the response parsers alone, on a response already in memory: ours
//!      `elasticache::operation::<op>::parse_response`, and the SDK's own response
//!      deserializer for the operation (the one its orchestrator calls), taken from the
//!      operation's public runtime plugin and called directly;
//!    - *loopback*: TestMigration (11 KB answer) over plain HTTP/1.1 with keep-alive to a small
//!      server on 127.0.0.1 (its own thread), sequentially and from 16 concurrent tasks, on a
//!      multi-thread runtime. Ours uses its default transport (hyper + rustls/ring), the SDK
//!      its own hyper client (`aws-smithy-http-client`, rustls/ring). Each client's
//!      sequential calls are also timed against their *floor*: the request our client sent,
//!      replayed on a connection of its own from the same `block_on` thread and its answer read
//!      to the end, with no client work. SDK time / floor time bounds the sequential ratio.
//!
//! 3. **Report**: load average before and after, CPU model, and markdown tables, also written
//!    to `target/compare.md`.

use std::collections::BTreeMap;
use std::fmt::{self, Debug, Write as _};
use std::hint::black_box;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bench_sdk::{fixture, ours, request_id, sdk, Case, Op, CASES};

/// Everything a failed check says; `main` prints it and exits with status 1.
type Check<T = ()> = Result<T, String>;

/// Differences the verification found that are not failures: printed as found, and listed
/// once each under the report's tables.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    fn add(&mut self, note: String) {
        println!("- {note}");
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// A batch of `n` units of work by one client; returns the wall time it took.
type Batch = Box<dyn FnMut(u64) -> Duration>;

const USAGE: &str = "usage: compare [--rounds N] [--batch-ms MS] [--only call|parse|loopback]
  --rounds N     timed rounds (default 30); each round runs every comparison once per client
  --batch-ms MS  target duration of each client's batches (default 30)
  --only KIND    time only the comparisons of one kind (all are still verified), to profile one;
                 the report goes to target/compare-only.md";

fn main() {
    let args = Args::parse();
    let load_before = load_average();
    let mut header = String::new();
    writeln!(header, "date: {}", now_utc()).unwrap();
    writeln!(header, "machine: {}", machine()).unwrap();
    writeln!(header, "build: {}", build_info()).unwrap();
    writeln!(header, "load average before: {load_before}").unwrap();
    print!("{header}");

    let rt = Rc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime"),
    );
    let bodies: Vec<Vec<u8>> = CASES.iter().map(|c| fixture(c.file)).collect();

    // ------------------------------------------------------------ 1. verification
    println!("\n## Verification\n");
    let mut notes = Notes::default();
    for (case, body) in CASES.iter().zip(&bodies) {
        if let Err(e) = verify::case(&rt, case, body, &mut notes) {
            abort(&format!("{} ({}): {e}", case.label, case.file));
        }
    }
    let mt = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime"),
    );
    let loopback_body = &bodies[0];
    let server = loopback::Server::start(loopback_body.clone());
    let url = format!("http://{}", server.addr);
    let ours_http = ours::client_at(&url);
    let sdk_http = sdk::client_at(&url);
    if let Err(e) = verify::loopback(&mt, &server, &ours_http, &sdk_http, loopback_body) {
        abort(&format!("loopback: {e}"));
    }
    println!("\nAll checks passed.");

    // ------------------------------------------------------------ 2. timing
    let mut pairs = Vec::new();
    for (case, body) in CASES.iter().zip(&bodies) {
        pairs.push(timed::call(&rt, case, body));
    }
    for (case, body) in CASES.iter().zip(&bodies) {
        pairs.push(timed::parse(case, body));
    }
    pairs.push(timed::loopback(&mt, &ours_http, &sdk_http, 1));
    pairs.push(timed::loopback(&mt, &ours_http, &sdk_http, 16));
    // The request our client sent in the verification, replayed as is by the floor.
    let ours_wire = server.recorded.lock().unwrap()[0].clone();
    let (ours_seq, sdk_seq) = timed::loopback_batches(&mt, &ours_http, &sdk_http, 1);
    for (who, batch) in [("ours", ours_seq), ("SDK", sdk_seq)] {
        match timed::floor(&mt, server.addr, &ours_wire, loopback_body, who, batch) {
            Ok(pair) => pairs.push(pair),
            Err(e) => abort(&e),
        }
    }
    if let Some(kind) = args.only {
        pairs.retain(|p| p.kind == kind || (kind == Kind::Loopback && p.kind == Kind::Floor));
    }

    let loopback_timed = pairs.iter().any(|p| p.kind == Kind::Loopback);
    let handoff_before = loopback_timed.then(handoff_round_trip);
    eprintln!(
        "calibrating batch sizes ({} ms per batch)...",
        args.batch_ms
    );
    for pair in &mut pairs {
        pair.calibrate(Duration::from_secs_f64(args.batch_ms / 1000.0));
    }
    for round in 0..args.rounds {
        eprint!("\rround {}/{}", round + 1, args.rounds);
        for pair in &mut pairs {
            pair.run_round(round % 2 == 0);
        }
    }
    eprintln!();
    let handoff_after = loopback_timed.then(handoff_round_trip);
    let served = server.requests.load(Ordering::Relaxed);
    println!("\n## Results\n");

    // ------------------------------------------------------------ 3. report
    let load_after = load_average();
    let mut report = header.clone();
    writeln!(report, "load average after: {load_after}").unwrap();
    writeln!(
        report,
        "{} rounds, each comparison's batches alternating which client goes first; \
         verification passed (bodies byte-identical, both signatures recomputed, parsed values equal); \
         loopback server answered {served} requests\n",
        args.rounds
    )
    .unwrap();
    report.push_str(&tables(&pairs));
    if let (Some(before), Some(after)) = (handoff_before, handoff_after) {
        writeln!(
            report,
            "\nThread wake-ups on this machine: a token handed back and forth between two threads \
             takes {:.1} µs per round trip (two wake-ups) before the rounds, {:.1} µs after. Every \
             sequential loopback call waits for at least three, whichever client makes it (the \
             server thread, the runtime worker that polls the socket, the `block_on` thread): the \
             slower they are, the less the clients' own work weighs in that ratio.",
            before.as_secs_f64() * 1e6,
            after.as_secs_f64() * 1e6
        )
        .unwrap();
    }
    report.push_str("\nVerification notes (differences that are not failures):\n\n");
    for note in &notes.0 {
        writeln!(report, "- {note}").unwrap();
    }
    println!("{report}");
    // A partial run must not overwrite the full run's report.
    let path = if args.only.is_some() {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/compare-only.md")
    } else {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/compare.md")
    };
    match std::fs::write(path, &report) {
        Ok(()) => eprintln!("written to {path}"),
        Err(e) => eprintln!("could not write {path}: {e}"),
    }
}

/// Prints why verification failed and exits.
fn abort(message: &str) -> ! {
    eprintln!("\nVERIFICATION FAILED: {message}\nNothing was timed.");
    std::process::exit(1);
}

struct Args {
    rounds: usize,
    batch_ms: f64,
    only: Option<Kind>,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args {
            rounds: 30,
            batch_ms: 30.0,
            only: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| *v > 0.0)
                    .unwrap_or_else(|| {
                        eprintln!("{name} needs a positive number\n{USAGE}");
                        std::process::exit(2)
                    })
            };
            match arg.as_str() {
                "--rounds" => args.rounds = value("--rounds") as usize,
                "--batch-ms" => args.batch_ms = value("--batch-ms"),
                "--only" => {
                    args.only = match it.next().as_deref() {
                        Some("call") => Some(Kind::Call),
                        Some("parse") => Some(Kind::Parse),
                        Some("loopback") => Some(Kind::Loopback),
                        _ => {
                            eprintln!("--only needs call, parse or loopback\n{USAGE}");
                            std::process::exit(2)
                        }
                    }
                }
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0)
                }
                other => {
                    eprintln!("unknown argument {other}\n{USAGE}");
                    std::process::exit(2)
                }
            }
        }
        args
    }
}

// ================================================================ machine and build

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Median round trip of a token handed between two threads through a rendezvous channel:
/// two thread wake-ups. A sequential loopback call waits for at least three (the server
/// thread, the runtime worker polling the socket, the `block_on` thread) whichever client
/// makes it, so what a wake-up costs on the machine weighs on that ratio.
fn handoff_round_trip() -> Duration {
    let (to_peer, peer_rx) = std::sync::mpsc::sync_channel::<()>(0);
    let (to_us, us_rx) = std::sync::mpsc::sync_channel::<()>(0);
    let peer = std::thread::spawn(move || {
        while peer_rx.recv().is_ok() {
            if to_us.send(()).is_err() {
                break;
            }
        }
    });
    let mut batches: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..300 {
                to_peer.send(()).expect("hand-off peer");
                us_rx.recv().expect("hand-off peer");
            }
            start.elapsed() / 300
        })
        .collect();
    drop(to_peer);
    let _ = peer.join();
    batches.sort();
    batches[batches.len() / 2]
}

fn now_utc() -> String {
    aws_smithy_types::DateTime::from(SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// CPU model and core count.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{model}, {cores} cores")
}

/// Commit, uncommitted changes in the crates compared, rustc and the SDK's version.
fn build_info() -> String {
    let run = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = run("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "?".into());
    let dirty = run(
        "git",
        &["status", "--porcelain", "--", "../runtime", "../generated"],
    )
    .map(|s| s.lines().count().to_string())
    .unwrap_or_else(|| "?".into());
    let rustc = run("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".into());
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .unwrap_or_default();
    let sdk_version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"aws-sdk-elasticache\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "?".into());
    format!(
        "commit {commit} ({dirty} files under runtime/ and generated/ with uncommitted changes); \
         {rustc}; aws-sdk-elasticache {sdk_version}; release profile"
    )
}

// ================================================================ parsed values

/// Parsed values as `(path, value)` pairs, the path spelled with the response's XML element
/// names (`TestMigrationResult/ReplicationGroup/NodeGroups/NodeGroup[1]/Status`, index 0 left
/// out), so that they can be matched with the fixture's leaves. Paths starting with `@` are
/// not in the XML (the HTTP status, the error variant).
#[derive(Debug, Default, PartialEq)]
struct Fields {
    path: Vec<String>,
    values: Vec<(String, String)>,
}

/// A parsed scalar as text.
trait Leaf {
    fn text(&self) -> String;
}
impl Leaf for str {
    fn text(&self) -> String {
        self.to_string()
    }
}
impl Leaf for bool {
    fn text(&self) -> String {
        self.to_string()
    }
}
impl Leaf for i32 {
    fn text(&self) -> String {
        self.to_string()
    }
}
impl Leaf for f64 {
    fn text(&self) -> String {
        self.to_string()
    }
}
impl Leaf for aws_lite_runtime::DateTime {
    fn text(&self) -> String {
        format!("{:?} ms since epoch", self.to_millis().ok())
    }
}
impl Leaf for aws_smithy_types::DateTime {
    fn text(&self) -> String {
        format!("{:?} ms since epoch", self.to_millis().ok())
    }
}
impl<T: Leaf + ?Sized> Leaf for &T {
    fn text(&self) -> String {
        (**self).text()
    }
}

impl Fields {
    fn segment(&self, name: &str) -> String {
        let mut path = self.path.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        path
    }

    /// A scalar member; nothing when absent.
    fn leaf<T: Leaf>(&mut self, name: &str, value: Option<T>) {
        if let Some(v) = value {
            self.values.push((self.segment(name), v.text()));
        }
    }

    /// A value that is not an XML element (`@name`).
    fn meta(&mut self, name: &str, value: impl fmt::Display) {
        self.values.push((format!("@{name}"), value.to_string()));
    }

    /// A structure member.
    fn node(&mut self, name: &str, body: impl FnOnce(&mut Self)) {
        self.path.push(name.to_string());
        body(self);
        self.path.pop();
    }

    /// A list of structures: `wrapper/item`, `wrapper/item[1]`, ...
    fn list<T>(
        &mut self,
        wrapper: &str,
        item: &str,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T),
    ) {
        self.path.push(wrapper.to_string());
        for (i, x) in items.iter().enumerate() {
            self.path.push(indexed(item, i));
            each(self, x);
            self.path.pop();
        }
        self.path.pop();
    }

    /// A list of strings.
    fn strings(&mut self, wrapper: &str, item: &str, items: &[String]) {
        self.path.push(wrapper.to_string());
        for (i, s) in items.iter().enumerate() {
            self.leaf(&indexed(item, i), Some(s.as_str()));
        }
        self.path.pop();
    }
}

fn indexed(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name}[{i}]")
    }
}

/// The leaves of an XML document as paths below the root element, in the spelling of
/// [`Fields`]. A scanner for the fixtures' plain XML (no comments, CDATA or namespaced
/// element names).
fn xml_leaves(xml: &str) -> Vec<String> {
    // Each open element: its path segment and how many children of each name it has had.
    let mut stack: Vec<(String, BTreeMap<String, usize>)> = Vec::new();
    let mut leaves = Vec::new();
    let mut open_is_leaf = false;
    let mut rest = xml;
    let path = |stack: &[(String, BTreeMap<String, usize>)], last: &str| {
        let mut parts: Vec<&str> = stack.iter().skip(1).map(|(s, _)| s.as_str()).collect();
        parts.push(last);
        parts.join("/")
    };
    while let Some(lt) = rest.find('<') {
        let Some(gt) = rest[lt..].find('>').map(|i| lt + i) else {
            break;
        };
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if tag.starts_with('/') {
            let (segment, _) = stack.pop().expect("balanced XML");
            if open_is_leaf {
                leaves.push(path(&stack, &segment));
            }
            open_is_leaf = false;
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let index = match stack.last_mut() {
            Some((_, seen)) => {
                let n = seen.entry(name.clone()).or_insert(0);
                *n += 1;
                *n - 1
            }
            None => 0,
        };
        let segment = indexed(&name, index);
        if self_closing {
            leaves.push(path(&stack, &segment));
            open_is_leaf = false;
        } else {
            stack.push((segment, BTreeMap::new()));
            open_is_leaf = true;
        }
    }
    leaves
}

/// The same extraction for both clients' types: their accessors have the same names and
/// shapes (`Option<&str>`, `&[T]`, enums with `as_str`), so one body serves both crates.
macro_rules! replication_group_fields {
    ($krate:ident) => {
        use $krate::types::{DestinationDetails, Endpoint, ReplicationGroup};

        fn endpoint(f: &mut Fields, name: &str, e: Option<&Endpoint>) {
            if let Some(e) = e {
                f.node(name, |f| {
                    f.leaf("Address", e.address());
                    f.leaf("Port", e.port());
                });
            }
        }

        fn destination(f: &mut Fields, d: Option<&DestinationDetails>) {
            if let Some(d) = d {
                f.node("DestinationDetails", |f| {
                    if let Some(c) = d.cloud_watch_logs_details() {
                        f.node("CloudWatchLogsDetails", |f| {
                            f.leaf("LogGroup", c.log_group())
                        });
                    }
                    if let Some(k) = d.kinesis_firehose_details() {
                        f.node("KinesisFirehoseDetails", |f| {
                            f.leaf("DeliveryStream", k.delivery_stream())
                        });
                    }
                });
            }
        }

        /// Every member of a replication group that both clients' models have.
        pub fn replication_group(f: &mut Fields, g: &ReplicationGroup) {
            f.leaf("ReplicationGroupId", g.replication_group_id());
            f.leaf("Description", g.description());
            if let Some(i) = g.global_replication_group_info() {
                f.node("GlobalReplicationGroupInfo", |f| {
                    f.leaf("GlobalReplicationGroupId", i.global_replication_group_id());
                    f.leaf(
                        "GlobalReplicationGroupMemberRole",
                        i.global_replication_group_member_role(),
                    );
                });
            }
            f.leaf("Status", g.status());
            if let Some(p) = g.pending_modified_values() {
                f.node("PendingModifiedValues", |f| {
                    f.leaf("PrimaryClusterId", p.primary_cluster_id());
                    f.leaf(
                        "AutomaticFailoverStatus",
                        p.automatic_failover_status().map(|v| v.as_str()),
                    );
                    if let Some(r) = p.resharding() {
                        f.node("Resharding", |f| {
                            if let Some(s) = r.slot_migration() {
                                f.node("SlotMigration", |f| {
                                    f.leaf("ProgressPercentage", s.progress_percentage())
                                });
                            }
                        });
                    }
                    f.leaf("AuthTokenStatus", p.auth_token_status().map(|v| v.as_str()));
                    if let Some(u) = p.user_groups() {
                        f.node("UserGroups", |f| {
                            f.strings("UserGroupIdsToAdd", "member", u.user_group_ids_to_add());
                            f.strings(
                                "UserGroupIdsToRemove",
                                "member",
                                u.user_group_ids_to_remove(),
                            );
                        });
                    }
                    f.list(
                        "LogDeliveryConfigurations",
                        "member",
                        p.log_delivery_configurations(),
                        |f, c| {
                            f.leaf("LogType", c.log_type().map(|v| v.as_str()));
                            f.leaf("DestinationType", c.destination_type().map(|v| v.as_str()));
                            destination(f, c.destination_details());
                            f.leaf("LogFormat", c.log_format().map(|v| v.as_str()));
                        },
                    );
                    f.leaf("TransitEncryptionEnabled", p.transit_encryption_enabled());
                    f.leaf(
                        "TransitEncryptionMode",
                        p.transit_encryption_mode().map(|v| v.as_str()),
                    );
                    f.leaf("ClusterMode", p.cluster_mode().map(|v| v.as_str()));
                });
            }
            f.strings("MemberClusters", "ClusterId", g.member_clusters());
            f.list("NodeGroups", "NodeGroup", g.node_groups(), |f, n| {
                f.leaf("NodeGroupId", n.node_group_id());
                f.leaf("Status", n.status());
                endpoint(f, "PrimaryEndpoint", n.primary_endpoint());
                endpoint(f, "ReaderEndpoint", n.reader_endpoint());
                f.leaf("Slots", n.slots());
                f.list(
                    "NodeGroupMembers",
                    "NodeGroupMember",
                    n.node_group_members(),
                    |f, m| {
                        f.leaf("CacheClusterId", m.cache_cluster_id());
                        f.leaf("CacheNodeId", m.cache_node_id());
                        endpoint(f, "ReadEndpoint", m.read_endpoint());
                        f.leaf("PreferredAvailabilityZone", m.preferred_availability_zone());
                        f.leaf("PreferredOutpostArn", m.preferred_outpost_arn());
                        f.leaf("CurrentRole", m.current_role());
                    },
                );
            });
            f.leaf("SnapshottingClusterId", g.snapshotting_cluster_id());
            f.leaf(
                "AutomaticFailover",
                g.automatic_failover().map(|v| v.as_str()),
            );
            f.leaf("MultiAZ", g.multi_az().map(|v| v.as_str()));
            endpoint(f, "ConfigurationEndpoint", g.configuration_endpoint());
            f.leaf("SnapshotRetentionLimit", g.snapshot_retention_limit());
            f.leaf("SnapshotWindow", g.snapshot_window());
            f.leaf("ClusterEnabled", g.cluster_enabled());
            f.leaf("CacheNodeType", g.cache_node_type());
            f.leaf("AuthTokenEnabled", g.auth_token_enabled());
            f.leaf(
                "AuthTokenLastModifiedDate",
                g.auth_token_last_modified_date(),
            );
            f.leaf("TransitEncryptionEnabled", g.transit_encryption_enabled());
            f.leaf("AtRestEncryptionEnabled", g.at_rest_encryption_enabled());
            f.strings(
                "MemberClustersOutpostArns",
                "ReplicationGroupOutpostArn",
                g.member_clusters_outpost_arns(),
            );
            f.leaf("KmsKeyId", g.kms_key_id());
            f.leaf("ARN", g.arn());
            f.strings("UserGroupIds", "member", g.user_group_ids());
            f.list(
                "LogDeliveryConfigurations",
                "LogDeliveryConfiguration",
                g.log_delivery_configurations(),
                |f, c| {
                    f.leaf("LogType", c.log_type().map(|v| v.as_str()));
                    f.leaf("DestinationType", c.destination_type().map(|v| v.as_str()));
                    destination(f, c.destination_details());
                    f.leaf("LogFormat", c.log_format().map(|v| v.as_str()));
                    f.leaf("Status", c.status().map(|v| v.as_str()));
                    f.leaf("Message", c.message());
                },
            );
            f.leaf(
                "ReplicationGroupCreateTime",
                g.replication_group_create_time(),
            );
            f.leaf("DataTiering", g.data_tiering().map(|v| v.as_str()));
            f.leaf("AutoMinorVersionUpgrade", g.auto_minor_version_upgrade());
            f.leaf("NetworkType", g.network_type().map(|v| v.as_str()));
            f.leaf("IpDiscovery", g.ip_discovery().map(|v| v.as_str()));
            f.leaf(
                "TransitEncryptionMode",
                g.transit_encryption_mode().map(|v| v.as_str()),
            );
            f.leaf("ClusterMode", g.cluster_mode().map(|v| v.as_str()));
            f.leaf("Engine", g.engine());
        }
    };
}

/// The name of an error enum's variant, from its `Debug` text (`Variant(...)`).
fn variant(debug: &dyn Debug) -> String {
    let text = format!("{debug:?}");
    text.split(['(', ' ', '{']).next().unwrap_or("").to_string()
}

/// Our outputs as [`Fields`].
mod ours_view {
    use aws_lite_runtime::protocol::{OperationName, ProvideErrorMeta, RequestId, SdkError};
    use bench_sdk::ours::Outcome;
    use elasticache::types::{ReplicationGroupMessage, TestMigrationResponse};

    use super::{Check, Fields};

    replication_group_fields!(elasticache);

    pub fn outcome(outcome: &Outcome) -> Check<Fields> {
        match outcome {
            Outcome::TestMigration(Ok(out)) => Ok(test_migration(out)),
            Outcome::TestMigration(Err(e)) => error(e),
            Outcome::DescribeReplicationGroups(Ok(out)) => Ok(describe(out)),
            Outcome::DescribeReplicationGroups(Err(e)) => error(e),
        }
    }

    fn test_migration(out: &TestMigrationResponse) -> Fields {
        let mut f = Fields::default();
        f.node("TestMigrationResult", |f| {
            if let Some(g) = out.replication_group() {
                f.node("ReplicationGroup", |f| replication_group(f, g));
            }
        });
        f.node("ResponseMetadata", |f| {
            f.leaf("RequestId", out.request_id())
        });
        f
    }

    fn describe(out: &ReplicationGroupMessage) -> Fields {
        let mut f = Fields::default();
        f.node("DescribeReplicationGroupsResult", |f| {
            f.leaf("Marker", out.marker());
            f.list(
                "ReplicationGroups",
                "ReplicationGroup",
                out.replication_groups(),
                replication_group,
            );
        });
        f.node("ResponseMetadata", |f| {
            f.leaf("RequestId", out.request_id())
        });
        f
    }

    fn error<E>(e: &SdkError<E>) -> Check<Fields>
    where
        E: ProvideErrorMeta + OperationName + std::fmt::Display + std::fmt::Debug,
    {
        let service = e
            .as_service_error()
            .ok_or_else(|| format!("ours: call failed: {e}"))?;
        let meta = service.meta();
        let mut f = Fields::default();
        f.meta("HTTP status", meta.status);
        f.meta("error variant", super::variant(service));
        f.node("Error", |f| {
            f.leaf("Code", meta.code.as_deref());
            f.leaf("Message", meta.message.as_deref());
        });
        f.leaf("RequestId", meta.request_id.as_deref());
        Ok(f)
    }
}

/// The SDK's outputs as [`Fields`].
mod sdk_view {
    use aws_sdk_elasticache::error::{ProvideErrorMetadata, SdkError};
    use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroupsOutput;
    use aws_sdk_elasticache::operation::test_migration::TestMigrationOutput;
    use aws_sdk_elasticache::operation::RequestId;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use bench_sdk::sdk::Outcome;

    use super::{Check, Fields};

    replication_group_fields!(aws_sdk_elasticache);

    pub fn outcome(outcome: &Outcome) -> Check<Fields> {
        match outcome {
            Outcome::TestMigration(Ok(out)) => Ok(test_migration(out)),
            Outcome::TestMigration(Err(e)) => call_error(e),
            Outcome::DescribeReplicationGroups(Ok(out)) => Ok(describe(out)),
            Outcome::DescribeReplicationGroups(Err(e)) => call_error(e),
        }
    }

    pub fn test_migration(out: &TestMigrationOutput) -> Fields {
        let mut f = Fields::default();
        f.node("TestMigrationResult", |f| {
            if let Some(g) = out.replication_group() {
                f.node("ReplicationGroup", |f| replication_group(f, g));
            }
        });
        f.node("ResponseMetadata", |f| {
            f.leaf("RequestId", out.request_id())
        });
        f
    }

    pub fn describe(out: &DescribeReplicationGroupsOutput) -> Fields {
        let mut f = Fields::default();
        f.node("DescribeReplicationGroupsResult", |f| {
            f.leaf("Marker", out.marker());
            f.list(
                "ReplicationGroups",
                "ReplicationGroup",
                out.replication_groups(),
                replication_group,
            );
        });
        f.node("ResponseMetadata", |f| {
            f.leaf("RequestId", out.request_id())
        });
        f
    }

    fn call_error<E>(e: &SdkError<E, HttpResponse>) -> Check<Fields>
    where
        E: ProvideErrorMetadata + RequestId + std::error::Error + 'static,
    {
        let service = e.as_service_error().ok_or_else(|| {
            format!(
                "SDK: call failed: {}",
                aws_smithy_types::error::display::DisplayErrorContext(e)
            )
        })?;
        let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
        Ok(error(service, status))
    }

    pub fn error<E: ProvideErrorMetadata + RequestId + std::fmt::Debug>(
        e: &E,
        status: u16,
    ) -> Fields {
        let mut f = Fields::default();
        f.meta("HTTP status", status);
        f.meta("error variant", super::variant(e));
        f.node("Error", |f| {
            f.leaf("Code", e.code());
            f.leaf("Message", e.message());
        });
        f.leaf("RequestId", e.request_id());
        f
    }

    /// Members the SDK parses that our model does not have, as the SDK parsed them.
    pub fn sdk_only(outcome: &Outcome) -> Vec<(String, String)> {
        fn group(f: &mut Fields, g: &aws_sdk_elasticache::types::ReplicationGroup) {
            f.leaf(
                "StorageEncryptionType",
                g.storage_encryption_type().map(|v| v.as_str()),
            );
            f.leaf("Durability", g.durability().map(|v| v.as_str()));
            f.leaf(
                "EffectiveDurability",
                g.effective_durability().map(|v| v.as_str()),
            );
        }
        let mut f = Fields::default();
        match outcome {
            Outcome::TestMigration(Ok(out)) => f.node("TestMigrationResult", |f| {
                if let Some(g) = out.replication_group() {
                    f.node("ReplicationGroup", |f| group(f, g));
                }
            }),
            Outcome::DescribeReplicationGroups(Ok(out)) => {
                f.node("DescribeReplicationGroupsResult", |f| {
                    f.list(
                        "ReplicationGroups",
                        "ReplicationGroup",
                        out.replication_groups(),
                        group,
                    )
                })
            }
            _ => {}
        }
        f.values
    }
}

/// Both clients' response parsers, called directly on a response in memory.
mod parsers {
    use aws_smithy_runtime_api::client::interceptors::context::OutputOrError;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
    use aws_smithy_runtime_api::client::ser_de::{DeserializeResponse, SharedResponseDeserializer};
    use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer};
    use bench_sdk::{ours, Op};

    /// Ours: the generated crate's public `parse_response` of the operation.
    pub fn ours(op: Op, response: &aws_lite_runtime::protocol::HttpResponse) -> ours::Outcome {
        use elasticache::operation::{describe_replication_groups, test_migration};
        match op {
            Op::TestMigration => {
                ours::Outcome::TestMigration(test_migration::parse_response(response))
            }
            Op::DescribeReplicationGroups => ours::Outcome::DescribeReplicationGroups(
                describe_replication_groups::parse_response(response),
            ),
        }
    }

    /// The SDK's response deserializer for `op`: the one its orchestrator calls. The type is
    /// private to the SDK crate, but the operation's public runtime plugin puts it in the
    /// config layer it contributes to every call, so it is taken from there.
    pub struct Sdk {
        /// The operation's config layer, which holds the deserializer.
        layer: FrozenLayer,
        config: ConfigBag,
    }

    impl Sdk {
        pub fn new(op: Op) -> Sdk {
            use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroups;
            use aws_sdk_elasticache::operation::test_migration::TestMigration;
            let layer = match op {
                Op::TestMigration => TestMigration::new().config(),
                Op::DescribeReplicationGroups => DescribeReplicationGroups::new().config(),
            }
            .expect("the operation's runtime plugin has a config layer");
            let sdk = Sdk {
                layer,
                config: ConfigBag::base(),
            };
            // Fails here, not in a timed loop, if the layer has no deserializer.
            sdk.deserializer();
            sdk
        }

        /// The deserializer (a look-up in the layer: take it once, outside timed loops).
        pub fn deserializer(&self) -> &SharedResponseDeserializer {
            self.layer
                .load::<SharedResponseDeserializer>()
                .expect("the operation's config layer has its response deserializer")
        }

        /// Output or error, type-erased as the orchestrator receives them.
        pub fn parse_with(
            &self,
            deserializer: &SharedResponseDeserializer,
            response: &HttpResponse,
        ) -> OutputOrError {
            deserializer.deserialize_nonstreaming_with_config(response, &self.config)
        }

        /// [`Sdk::parse_with`] its deserializer.
        pub fn parse(&self, response: &HttpResponse) -> OutputOrError {
            self.parse_with(self.deserializer(), response)
        }
    }
}

// ================================================================ verification

mod verify {
    use super::*;
    use aws_lite_runtime::client::MockTransport;
    use aws_sdk_elasticache::operation::describe_replication_groups::{
        DescribeReplicationGroupsError, DescribeReplicationGroupsOutput,
    };
    use aws_sdk_elasticache::operation::test_migration::{TestMigrationError, TestMigrationOutput};

    /// A request as a client handed it to its transport.
    struct Sent {
        method: String,
        url: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Sent {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// Every check of one fixture; prints what it found.
    pub fn case(
        rt: &tokio::runtime::Runtime,
        case: &Case,
        body: &[u8],
        notes: &mut Notes,
    ) -> Check {
        println!(
            "### {} (`{}`, HTTP {})\n",
            case.label, case.file, case.status
        );

        // One call each, through transports that record the request.
        let mock = Arc::new(MockTransport::from_fn({
            let response = ours::response(case.status, body);
            move |_| Ok(response.clone())
        }));
        let ours_outcome = rt.block_on(ours::send(&ours::client(mock.clone()), case.op));
        let recording = sdk::Canned::recording(case.status, body);
        let sdk_outcome = rt.block_on(sdk::send(&sdk::client(recording.clone()), case.op));

        let ours_sent: Vec<Sent> = mock
            .requests()
            .into_iter()
            .map(|r| Sent {
                method: r.method,
                url: r.url,
                headers: r.headers,
                body: r.body,
            })
            .collect();
        let sdk_sent: Vec<Sent> = recording
            .requests()
            .into_iter()
            .map(|r| Sent {
                method: r.method,
                url: r.uri,
                headers: r.headers,
                body: r.body,
            })
            .collect();
        let [o] = <[Sent; 1]>::try_from(ours_sent)
            .map_err(|v| format!("ours sent {} requests, expected 1", v.len()))?;
        let [s] = <[Sent; 1]>::try_from(sdk_sent)
            .map_err(|v| format!("the SDK sent {} requests, expected 1", v.len()))?;
        requests(&o, &s, notes)?;

        // Parsed values.
        let ours_fields = ours_view::outcome(&ours_outcome)?;
        let sdk_fields = sdk_view::outcome(&sdk_outcome)?;
        same_fields("call", &ours_fields, &sdk_fields)?;
        coverage(
            case,
            body,
            &ours_fields,
            &sdk_view::sdk_only(&sdk_outcome),
            notes,
        );

        // The parse-only functions give the same values.
        let ours_parsed =
            ours_view::outcome(&parsers::ours(case.op, &ours::response(case.status, body)))?;
        let sdk_parsed = sdk_parse(case, body)?;
        same_fields("parse-only, ours vs SDK", &ours_parsed, &sdk_parsed)?;
        same_fields("ours, parse-only vs call", &ours_parsed, &ours_fields)?;
        println!("- parse-only: `parse_response` and the SDK's deserializer give the same values as the calls");
        request_id_without_header(case, body, notes)?;
        println!();
        Ok(())
    }

    /// Same target, same body, both signed correctly.
    fn requests(o: &Sent, s: &Sent, notes: &mut Notes) -> Check {
        if o.method != s.method || o.url.trim_end_matches('/') != s.url.trim_end_matches('/') {
            return Err(format!(
                "different targets: ours {} {}, SDK {} {}",
                o.method, o.url, s.method, s.url
            ));
        }
        if o.body != s.body {
            return Err(body_difference(&o.body, &s.body));
        }
        println!(
            "- request: both `{} {}`, bodies byte-identical ({} bytes): `{}`",
            o.method,
            o.url,
            o.body.len(),
            String::from_utf8_lossy(&o.body)
        );
        // Reported, not a failure: both are valid form content types, and both are signed.
        let (oc, sc) = (o.header("content-type"), s.header("content-type"));
        if oc == sc {
            println!("- content type: both `{}`", oc.unwrap_or(""));
        } else {
            notes.add(format!(
                "content type differs: ours `{}`, SDK `{}` (both signed)",
                oc.unwrap_or("none"),
                sc.unwrap_or("none")
            ));
        }
        let ours_signed = signature("ours", o)?;
        let sdk_signed = signature("SDK", s)?;
        println!("- SigV4: both signatures recomputed by `aws-sigv4` and equal to the header sent");
        notes.add(format!(
            "signed headers: ours `{ours_signed}`, SDK `{sdk_signed}`; \
             at the transport boundary ours sends {}, the SDK {}",
            header_names(&o.headers),
            header_names(&s.headers)
        ));
        Ok(())
    }

    fn header_names(headers: &[(String, String)]) -> String {
        headers
            .iter()
            .map(|(k, _)| format!("`{}`", k.to_ascii_lowercase()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Says how two form bodies differ: order only, or parameters.
    fn body_difference(ours: &[u8], sdk: &[u8]) -> String {
        let params = |b: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(b)
                .split('&')
                .map(str::to_string)
                .collect()
        };
        let (o, s) = (params(ours), params(sdk));
        let (mut os, mut ss) = (o.clone(), s.clone());
        os.sort();
        ss.sort();
        if os == ss {
            format!(
                "request bodies differ in parameter order only (a real difference, not normalised):\n  ours: {}\n  SDK:  {}",
                o.join("&"),
                s.join("&")
            )
        } else {
            let only_ours: Vec<_> = o.iter().filter(|p| !s.contains(p)).collect();
            let only_sdk: Vec<_> = s.iter().filter(|p| !o.contains(p)).collect();
            format!(
                "request bodies differ: only in ours {only_ours:?}, only in the SDK's {only_sdk:?}\n  ours: {}\n  SDK:  {}",
                o.join("&"),
                s.join("&")
            )
        }
    }

    /// Checks the `authorization` header of `sent` (scope, then the signature itself,
    /// recomputed by `aws-sigv4` over the headers it names); returns its `SignedHeaders`.
    fn signature(who: &str, sent: &Sent) -> Check<String> {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_smithy_runtime_api::client::identity::Identity;

        let auth = sent
            .header("authorization")
            .ok_or_else(|| format!("{who}: no authorization header"))?;
        let fail = |what: &str| format!("{who}: {what}; authorization: {auth}");
        let rest = auth
            .strip_prefix("AWS4-HMAC-SHA256 ")
            .ok_or_else(|| fail("not AWS4-HMAC-SHA256"))?;
        let part = |key: &str| {
            rest.split(", ")
                .find_map(|p| p.strip_prefix(key).and_then(|p| p.strip_prefix('=')))
                .ok_or_else(|| fail(&format!("no {key}")))
        };
        let credential = part("Credential")?;
        let signed_headers = part("SignedHeaders")?;
        let amz_date = sent
            .header("x-amz-date")
            .ok_or_else(|| fail("no x-amz-date header"))?;
        let scope: Vec<&str> = credential.split('/').collect();
        let expected = [
            bench_sdk::ACCESS_KEY_ID,
            amz_date.get(..8).unwrap_or(""),
            bench_sdk::REGION,
            "elasticache",
            "aws4_request",
        ];
        if scope != expected {
            return Err(fail(&format!(
                "credential scope {credential}, expected {}",
                expected.join("/")
            )));
        }

        // x-amz-date (20261202T064800Z) as a time.
        let d = amz_date;
        let rfc3339 = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[9..11],
            &d[11..13],
            &d[13..15]
        );
        let time = aws_smithy_types::DateTime::from_str(
            &rfc3339,
            aws_smithy_types::date_time::Format::DateTime,
        )
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
        .ok_or_else(|| fail("bad x-amz-date"))?;

        let mut headers = Vec::new();
        for name in signed_headers.split(';') {
            match sent.header(name) {
                Some(value) => headers.push((name, value)),
                // The SDK's HTTP client adds `host` from the URL after the connector boundary;
                // aws-sigv4 derives it from the URL in the same way.
                None if name == "host" => {}
                None => return Err(fail(&format!("signed header {name} not sent"))),
            }
        }
        let identity = Identity::from(aws_sdk_elasticache::config::Credentials::new(
            bench_sdk::ACCESS_KEY_ID,
            bench_sdk::SECRET_ACCESS_KEY,
            None,
            None,
            "static",
        ));
        // Sign exactly the headers the request names (no default exclusions).
        let mut settings = SigningSettings::default();
        settings.excluded_headers = None;
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(bench_sdk::REGION)
            .name("elasticache")
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| fail(&e.to_string()))?
            .into();
        let request = SignableRequest::new(
            &sent.method,
            sent.url.as_str(),
            headers.into_iter(),
            SignableBody::Bytes(&sent.body),
        )
        .map_err(|e| fail(&e.to_string()))?;
        let (instructions, _) = sign(request, &params)
            .map_err(|e| fail(&e.to_string()))?
            .into_parts();
        let recomputed = instructions
            .headers()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.to_string())
            .ok_or_else(|| fail("aws-sigv4 gave no authorization"))?;
        if recomputed != auth {
            return Err(fail(&format!(
                "signature does not verify; aws-sigv4 computes: {recomputed}"
            )));
        }
        Ok(signed_headers.to_string())
    }

    /// Both sides' values, in order; says where they first differ.
    fn same_fields(what: &str, ours: &Fields, sdk: &Fields) -> Check {
        if ours.values == sdk.values {
            if what == "call" {
                println!("- parsed values: all {} equal", ours.values.len());
            }
            return Ok(());
        }
        let sdk_map: BTreeMap<_, _> = sdk.values.iter().cloned().collect();
        let ours_map: BTreeMap<_, _> = ours.values.iter().cloned().collect();
        let mut diffs = Vec::new();
        for (path, value) in &ours.values {
            match sdk_map.get(path) {
                Some(v) if v == value => {}
                Some(v) => diffs.push(format!("{path}: ours {value:?}, SDK {v:?}")),
                None => diffs.push(format!("{path}: ours {value:?}, SDK has none")),
            }
        }
        for (path, value) in &sdk.values {
            if !ours_map.contains_key(path) {
                diffs.push(format!("{path}: ours has none, SDK {value:?}"));
            }
        }
        if diffs.is_empty() {
            diffs.push("same values in a different order".into());
        }
        Err(format!(
            "{what}: parsed values differ:\n  {}",
            diffs.join("\n  ")
        ))
    }

    /// Which leaves of the fixture were compared, and which not.
    fn coverage(
        case: &Case,
        body: &[u8],
        compared: &Fields,
        sdk_only: &[(String, String)],
        notes: &mut Notes,
    ) {
        let leaves = xml_leaves(&String::from_utf8_lossy(body));
        let paths: std::collections::BTreeSet<&str> = compared
            .values
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| !p.starts_with('@'))
            .collect();
        let sdk_only: std::collections::BTreeSet<&str> =
            sdk_only.iter().map(|(p, _)| p.as_str()).collect();
        let mut not_compared: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        for leaf in leaves.iter().filter(|l| !paths.contains(l.as_str())) {
            let name = leaf
                .rsplit('/')
                .next()
                .unwrap_or(leaf)
                .split('[')
                .next()
                .unwrap_or("")
                .to_string();
            let e = not_compared.entry(name).or_insert((0, true));
            e.0 += 1;
            e.1 &= sdk_only.contains(leaf.as_str());
        }
        let extra: Vec<&str> = paths
            .iter()
            .copied()
            .filter(|p| !leaves.iter().any(|l| l.as_str() == *p))
            .collect();
        let compared_leaves = leaves.len() - not_compared.values().map(|(n, _)| n).sum::<usize>();
        let mut line = format!(
            "coverage, {}: {compared_leaves} of the fixture's {} leaf values compared",
            case.label,
            leaves.len()
        );
        if !not_compared.is_empty() {
            let list: Vec<String> = not_compared
                .iter()
                .map(|(name, (n, by_sdk))| {
                    let times = if *n > 1 {
                        format!(" ×{n}")
                    } else {
                        String::new()
                    };
                    let why = if *by_sdk {
                        "parsed by the SDK only, not in our model"
                    } else {
                        "exposed by neither client"
                    };
                    format!("`{name}`{times} ({why})")
                })
                .collect();
            write!(line, "; not compared: {}", list.join(", ")).unwrap();
        }
        if !extra.is_empty() {
            write!(
                line,
                "; values not in the fixture (defaults), equal on both sides: {extra:?}"
            )
            .unwrap();
        }
        notes.add(line);
    }

    /// The SDK's deserializer on `body`, as [`Fields`].
    fn sdk_parse(case: &Case, body: &[u8]) -> Check<Fields> {
        let response = sdk::response(case.status, &bytes::Bytes::copy_from_slice(body));
        let parsed = parsers::Sdk::new(case.op).parse(&response);
        let wrong = || "SDK deserializer: unexpected type".to_string();
        match (case.op, parsed) {
            (Op::TestMigration, Ok(out)) => Ok(sdk_view::test_migration(
                &out.downcast::<TestMigrationOutput>().map_err(|_| wrong())?,
            )),
            (Op::DescribeReplicationGroups, Ok(out)) => Ok(sdk_view::describe(
                &out.downcast::<DescribeReplicationGroupsOutput>()
                    .map_err(|_| wrong())?,
            )),
            (op, Err(e)) => {
                let err = e
                    .as_operation_error()
                    .ok_or_else(|| format!("SDK deserializer: {e:?}"))?;
                Ok(match op {
                    Op::TestMigration => sdk_view::error(
                        err.downcast_ref::<TestMigrationError>().ok_or_else(wrong)?,
                        case.status,
                    ),
                    Op::DescribeReplicationGroups => sdk_view::error(
                        err.downcast_ref::<DescribeReplicationGroupsError>()
                            .ok_or_else(wrong)?,
                        case.status,
                    ),
                })
            }
        }
    }

    /// Where each client finds the request id when the `x-amzn-requestid` header is missing
    /// (the canned responses all carry it, as the service sends it): reported, not checked.
    fn request_id_without_header(case: &Case, body: &[u8], notes: &mut Notes) -> Check {
        let mut ours_response = ours::response(case.status, body);
        ours_response
            .headers
            .retain(|(k, _)| k != "x-amzn-requestid");
        let ours_fields = ours_view::outcome(&parsers::ours(case.op, &ours_response))?;
        let mut sdk_response = sdk::response(case.status, &bytes::Bytes::copy_from_slice(body));
        sdk_response.headers_mut().remove("x-amzn-requestid");
        let parsed = parsers::Sdk::new(case.op).parse(&sdk_response);
        let sdk_fields = match (case.op, parsed) {
            (Op::TestMigration, Ok(out)) => out
                .downcast::<TestMigrationOutput>()
                .ok()
                .map(|o| sdk_view::test_migration(&o)),
            (Op::DescribeReplicationGroups, Ok(out)) => out
                .downcast::<DescribeReplicationGroupsOutput>()
                .ok()
                .map(|o| sdk_view::describe(&o)),
            (_, Err(e)) => e
                .as_operation_error()
                .and_then(|e| e.downcast_ref::<TestMigrationError>())
                .map(|e| sdk_view::error(e, case.status)),
        };
        let id = |f: &Fields| {
            f.values
                .iter()
                .find(|(p, _)| p.ends_with("RequestId"))
                .map(|(_, v)| v.clone())
        };
        let (o, s) = (id(&ours_fields), sdk_fields.as_ref().and_then(id));
        let in_body = request_id(body);
        if o == in_body && s.is_none() {
            notes.add(
                "without the `x-amzn-requestid` header, ours takes the request id from the \
                 body's `RequestId`, the SDK has none (the canned responses carry the header, \
                 as the service sends it)"
                    .to_string(),
            );
        } else if o != s {
            notes.add(format!(
                "{}: without the `x-amzn-requestid` header (body has {in_body:?}), ours gives \
                 request id {o:?}, the SDK {s:?}",
                case.label
            ));
        }
        Ok(())
    }

    /// One call of each client to the loopback server: a success with the same values as in
    /// memory, and the same body on the wire.
    pub fn loopback(
        mt: &tokio::runtime::Runtime,
        server: &loopback::Server,
        ours_client: &elasticache::Client,
        sdk_client: &aws_sdk_elasticache::Client,
        body: &[u8],
    ) -> Check {
        println!(
            "### Loopback (`http://{}`, TestMigration, `{}` bytes answer)\n",
            server.addr,
            body.len()
        );
        let ours_fields =
            ours_view::outcome(&mt.block_on(ours::send(ours_client, Op::TestMigration)))?;
        let sdk_fields = sdk_view::outcome(&mt.block_on(sdk::send(sdk_client, Op::TestMigration)))?;
        same_fields("loopback", &ours_fields, &sdk_fields)?;
        let in_memory = ours_view::outcome(&parsers::ours(
            Op::TestMigration,
            &ours::response(200, body),
        ))?;
        same_fields("ours, loopback vs in memory", &ours_fields, &in_memory)?;
        let wire = server.recorded.lock().unwrap().clone();
        let [o, s] = <[loopback::WireRequest; 2]>::try_from(wire)
            .map_err(|w| format!("the server saw {} requests, expected 2", w.len()))?;
        if o.body != s.body {
            return Err(format!(
                "bodies on the wire differ: {}",
                body_difference(&o.body, &s.body)
            ));
        }
        println!(
            "- both calls succeed, {} parsed values equal (and equal to the in-memory call)",
            ours_fields.values.len()
        );
        println!(
            "- bodies on the wire byte-identical ({} bytes)",
            o.body.len()
        );
        println!("- ours sends:\n```\n{}```", o.head.replace("\r\n", "\n"));
        println!("- SDK sends:\n```\n{}```", s.head.replace("\r\n", "\n"));
        Ok(())
    }
}

// ================================================================ loopback server

/// A small HTTP/1.1 server on 127.0.0.1 answering every request with one canned response.
mod loopback {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A request as received (head and body), for the verification.
    #[derive(Debug, Clone)]
    pub struct WireRequest {
        pub head: String,
        pub body: Vec<u8>,
    }

    /// The server's handle. Its thread lives until the program exits.
    pub struct Server {
        pub addr: SocketAddr,
        /// Requests answered so far.
        pub requests: Arc<AtomicU64>,
        /// The first [`RECORDED`] requests.
        pub recorded: Arc<Mutex<Vec<WireRequest>>>,
    }

    /// How many requests the server keeps for the verification.
    const RECORDED: usize = 2;

    impl Server {
        /// Binds 127.0.0.1 on a free port and serves on a thread of its own (current-thread
        /// runtime, one task per connection, keep-alive), answering with `200`, `body` and the
        /// service's headers (content type, length, `x-amzn-requestid`, `date`).
        pub fn start(body: Vec<u8>) -> Server {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
            listener
                .set_nonblocking(true)
                .expect("non-blocking listener");
            let addr = listener.local_addr().expect("local address");
            let requests = Arc::new(AtomicU64::new(0));
            let recorded = Arc::new(Mutex::new(Vec::new()));
            let mut head = String::from("HTTP/1.1 200 OK\r\n");
            for (name, value) in bench_sdk::response_headers(&body) {
                write!(head, "{name}: {value}\r\n").unwrap();
            }
            let shared = Arc::new(Shared {
                head,
                body,
                requests: requests.clone(),
                recorded: recorded.clone(),
            });
            std::thread::Builder::new()
                .name("loopback-server".into())
                .spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("server runtime");
                    rt.block_on(async move {
                        let listener =
                            tokio::net::TcpListener::from_std(listener).expect("listener");
                        loop {
                            let Ok((stream, _)) = listener.accept().await else {
                                continue;
                            };
                            let _ = stream.set_nodelay(true);
                            tokio::spawn(serve(stream, shared.clone()));
                        }
                    })
                })
                .expect("server thread");
            Server {
                addr,
                requests,
                recorded,
            }
        }
    }

    struct Shared {
        /// Status line and headers, less `date` and the blank line.
        head: String,
        body: Vec<u8>,
        requests: Arc<AtomicU64>,
        recorded: Arc<Mutex<Vec<WireRequest>>>,
    }

    /// The first value of header `name` in a message head (case-insensitive name, trimmed).
    pub fn header_value<'h>(head: &'h str, name: &str) -> Option<&'h str> {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// Answers the requests of one connection until the client closes it.
    async fn serve(mut stream: tokio::net::TcpStream, shared: Arc<Shared>) {
        let mut buf = Vec::with_capacity(16 * 1024);
        loop {
            let head_end = loop {
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
                match stream.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let header = |name| header_value(&head, name);
            if header("transfer-encoding").is_some() {
                let _ = stream.write_all(b"HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                return;
            }
            let length: usize = header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < head_end + length {
                match stream.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
            {
                let mut recorded = shared.recorded.lock().unwrap();
                if recorded.len() < RECORDED {
                    recorded.push(WireRequest {
                        head,
                        body: buf[head_end..head_end + length].to_vec(),
                    });
                }
            }
            buf.drain(..head_end + length);
            let date = aws_smithy_types::DateTime::from(SystemTime::now())
                .fmt(aws_smithy_types::date_time::Format::HttpDate)
                .unwrap_or_default();
            let mut response = Vec::with_capacity(shared.head.len() + 64 + shared.body.len());
            response.extend_from_slice(shared.head.as_bytes());
            response.extend_from_slice(format!("date: {date}\r\n\r\n").as_bytes());
            response.extend_from_slice(&shared.body);
            if stream.write_all(&response).await.is_err() {
                return;
            }
            shared.requests.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// ================================================================ timing

/// What a comparison measures, for the tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Call,
    Parse,
    Loopback,
    /// A client against the floor of a sequential loopback call (timed with `--only loopback`).
    Floor,
}

/// One comparison: the same work by both clients, timed a batch at a time.
struct Pair {
    kind: Kind,
    label: String,
    /// Response body bytes per operation (for MB/s).
    bytes: usize,
    /// Operations per unit of a batch (16 for the concurrent loopback run: one per task).
    ops_per_unit: u64,
    /// Our client's batch; in a [`Kind::Floor`] comparison, the bare exchange.
    ours: Batch,
    /// The SDK's batch; in a [`Kind::Floor`] comparison, the client measured against it.
    sdk: Batch,
    /// Units per batch (ours, SDK), set by [`Pair::calibrate`].
    units: (u64, u64),
    /// Seconds per operation in each round: (ours, SDK).
    samples: Vec<(f64, f64)>,
}

impl Pair {
    /// Warms both clients up and picks each one's batch size so that a batch takes about
    /// `target` (the ratios compare times per operation, so the sizes may differ).
    fn calibrate(&mut self, target: Duration) {
        let min = target / 2;
        let per_unit = |batch: &mut Batch| {
            let mut units = 1;
            loop {
                let t = batch(units);
                if t >= min {
                    return t.as_secs_f64() / units as f64;
                }
                units *= 2;
            }
        };
        // Twice: the first pass is the warm-up.
        let (mut o, mut s) = (0.0, 0.0);
        for _ in 0..2 {
            o = per_unit(&mut self.ours);
            s = per_unit(&mut self.sdk);
        }
        let units = |per_unit: f64| ((target.as_secs_f64() / per_unit).round() as u64).max(1);
        self.units = (units(o), units(s));
    }

    /// One round: a batch with each client, `ours_first` or not.
    fn run_round(&mut self, ours_first: bool) {
        let (ou, su) = self.units;
        let (o, s) = if ours_first {
            let o = (self.ours)(ou);
            (o, (self.sdk)(su))
        } else {
            let s = (self.sdk)(su);
            ((self.ours)(ou), s)
        };
        let per_op = |t: Duration, units: u64| t.as_secs_f64() / (units * self.ops_per_unit) as f64;
        self.samples.push((per_op(o, ou), per_op(s, su)));
    }

    /// Median and range of the per-round ratios SDK time / ours time.
    fn ratios(&self) -> (f64, f64, f64) {
        let r: Vec<f64> = self.samples.iter().map(|(o, s)| s / o).collect();
        let min = r.iter().copied().fold(f64::INFINITY, f64::min);
        let max = r.iter().copied().fold(0.0, f64::max);
        (median(r), min, max)
    }

    /// Median seconds per operation: (ours, SDK).
    fn times(&self) -> (f64, f64) {
        (
            median(self.samples.iter().map(|s| s.0).collect()),
            median(self.samples.iter().map(|s| s.1).collect()),
        )
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The comparisons' batches.
mod timed {
    use super::*;

    /// The fluent call on a current-thread runtime, in-memory transports (no recording).
    pub fn call(rt: &Rc<tokio::runtime::Runtime>, case: &Case, body: &[u8]) -> Pair {
        let op = case.op;
        let ours_client = ours::client(ours::Canned(ours::response(case.status, body)));
        let sdk_client = sdk::client(sdk::Canned::new(case.status, body));
        let (rt_o, rt_s) = (rt.clone(), rt.clone());
        Pair {
            kind: Kind::Call,
            label: case.label.to_string(),
            bytes: body.len(),
            ops_per_unit: 1,
            ours: Box::new(move |n| {
                rt_o.block_on(async {
                    let start = Instant::now();
                    for _ in 0..n {
                        black_box(ours::send(&ours_client, op).await);
                    }
                    start.elapsed()
                })
            }),
            sdk: Box::new(move |n| {
                rt_s.block_on(async {
                    let start = Instant::now();
                    for _ in 0..n {
                        black_box(sdk::send(&sdk_client, op).await);
                    }
                    start.elapsed()
                })
            }),
            units: (1, 1),
            samples: Vec::new(),
        }
    }

    /// A batch of `parse` on `response`, each result kept as `parse` returns it.
    fn parse_batch<T>(
        parse: impl Fn(&aws_lite_runtime::protocol::HttpResponse) -> T + 'static,
        response: aws_lite_runtime::protocol::HttpResponse,
    ) -> Batch {
        Box::new(move |n| {
            let start = Instant::now();
            for _ in 0..n {
                black_box(parse(black_box(&response)));
            }
            start.elapsed()
        })
    }

    /// The parsers alone, on a response in memory (borrowed: no copy per parse).
    pub fn parse(case: &Case, body: &[u8]) -> Pair {
        let op = case.op;
        let ours_response = ours::response(case.status, body);
        let sdk_response = sdk::response(case.status, &bytes::Bytes::copy_from_slice(body));
        let sdk_parser = parsers::Sdk::new(op);
        Pair {
            kind: Kind::Parse,
            label: case.label.to_string(),
            bytes: body.len(),
            ops_per_unit: 1,
            // The operation's own `parse_response`, its result kept as it returns it: wrapped
            // in `ours::Outcome` (as the verification does), ours paid a copy of the whole
            // output per parse that the SDK's boxed result does not.
            ours: match op {
                Op::TestMigration => parse_batch(
                    elasticache::operation::test_migration::parse_response,
                    ours_response,
                ),
                Op::DescribeReplicationGroups => parse_batch(
                    elasticache::operation::describe_replication_groups::parse_response,
                    ours_response,
                ),
            },
            sdk: Box::new(move |n| {
                let start = Instant::now();
                let deserializer = sdk_parser.deserializer();
                for _ in 0..n {
                    let _ =
                        black_box(sdk_parser.parse_with(deserializer, black_box(&sdk_response)));
                }
                start.elapsed()
            }),
            units: (1, 1),
            samples: Vec::new(),
        }
    }

    /// TestMigration over loopback HTTP from `tasks` concurrent tasks (1: sequential, on the
    /// `block_on` thread as in a `#[tokio::main]` program). Every call must succeed.
    pub fn loopback(
        mt: &Arc<tokio::runtime::Runtime>,
        ours_client: &elasticache::Client,
        sdk_client: &aws_sdk_elasticache::Client,
        tasks: u64,
    ) -> Pair {
        let (ours, sdk) = loopback_batches(mt, ours_client, sdk_client, tasks);
        Pair {
            kind: Kind::Loopback,
            label: if tasks == 1 {
                "sequential".into()
            } else {
                format!("{tasks} concurrent tasks")
            },
            bytes: 0,
            ops_per_unit: tasks,
            ours,
            sdk,
            units: (1, 1),
            samples: Vec::new(),
        }
    }

    /// One client's sequential loopback calls (`client`, from [`loopback_batches`]) against
    /// their floor: the request our client sent in the verification (`wire`, signature and
    /// all) written as is, from the `block_on` thread of the same runtime, on a kept-alive
    /// connection of its own, and the answer read to the end of its content length. The same
    /// bytes cross the same sockets through the same wake-ups with no client work at all (no
    /// request built or signed, nothing parsed), so SDK time / floor time is the highest
    /// sequential ratio a client could reach on this machine. Checked once before it is timed:
    /// the answer must be a `200` carrying `body`.
    pub fn floor(
        mt: &Arc<tokio::runtime::Runtime>,
        addr: SocketAddr,
        wire: &loopback::WireRequest,
        body: &[u8],
        who: &str,
        client: Batch,
    ) -> Check<Pair> {
        let mut request = wire.head.clone().into_bytes();
        request.extend_from_slice(&wire.body);
        let mut buf = Vec::with_capacity(64 * 1024);
        let mut stream = mt
            .block_on(async {
                let stream = tokio::net::TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
                Ok::<_, std::io::Error>(stream)
            })
            .map_err(|e| format!("floor: cannot connect to {addr}: {e}"))?;
        let answer = mt.block_on(bare_exchange(&mut stream, &request, &mut buf))?;
        if !buf.starts_with(b"HTTP/1.1 200 ") || &buf[answer..] != body {
            return Err("floor: the server's answer is not a 200 with the fixture".into());
        }
        let rt = mt.clone();
        let bare: Batch = Box::new(move |n| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..n {
                    if let Err(e) = bare_exchange(&mut stream, &request, &mut buf).await {
                        eprintln!("\n{e}; the timing is void");
                        std::process::exit(1);
                    }
                }
                start.elapsed()
            })
        });
        Ok(Pair {
            kind: Kind::Floor,
            label: who.to_string(),
            bytes: 0,
            ops_per_unit: 1,
            ours: bare,
            sdk: client,
            units: (1, 1),
            samples: Vec::new(),
        })
    }

    /// Writes `request` and reads one whole answer into `buf`; returns where its body starts.
    async fn bare_exchange(
        stream: &mut tokio::net::TcpStream,
        request: &[u8],
        buf: &mut Vec<u8>,
    ) -> Check<usize> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let failed = |e: std::io::Error| format!("floor: the exchange failed: {e}");
        stream.write_all(request).await.map_err(failed)?;
        buf.clear();
        loop {
            if let Some((head_end, length)) = response_head(buf)? {
                if buf.len() >= head_end + length {
                    return Ok(head_end);
                }
            }
            if stream.read_buf(buf).await.map_err(failed)? == 0 {
                return Err("floor: the server closed the connection mid-answer".into());
            }
        }
    }

    /// Where the body starts and its length, once the answer's head is in `buf`.
    fn response_head(buf: &[u8]) -> Check<Option<(usize, usize)>> {
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Ok(None);
        };
        let head = String::from_utf8_lossy(&buf[..end]);
        let length = loopback::header_value(&head, "content-length").and_then(|v| v.parse().ok());
        match length {
            Some(length) => Ok(Some((end + 4, length))),
            None => Err("floor: the answer has no content-length".into()),
        }
    }

    /// The batches of [`loopback`]: (ours, SDK).
    pub fn loopback_batches(
        mt: &Arc<tokio::runtime::Runtime>,
        ours_client: &elasticache::Client,
        sdk_client: &aws_sdk_elasticache::Client,
        tasks: u64,
    ) -> (Batch, Batch) {
        fn ok_ours(o: &ours::Outcome) -> bool {
            matches!(o, ours::Outcome::TestMigration(Ok(_)))
        }
        fn ok_sdk(o: &sdk::Outcome) -> bool {
            matches!(o, sdk::Outcome::TestMigration(Ok(_)))
        }
        macro_rules! batch {
            ($rt:expr, $client:expr, $send:path, $ok:path, $who:literal) => {{
                let (rt, client) = ($rt.clone(), $client.clone());
                Box::new(move |n: u64| {
                    let start = Instant::now();
                    let ok = if tasks == 1 {
                        rt.block_on(async {
                            let mut ok = true;
                            for _ in 0..n {
                                ok &= $ok(&$send(&client, Op::TestMigration).await);
                            }
                            ok
                        })
                    } else {
                        rt.block_on(async {
                            let handles: Vec<_> = (0..tasks)
                                .map(|_| {
                                    let client = client.clone();
                                    tokio::spawn(async move {
                                        let mut ok = true;
                                        for _ in 0..n {
                                            ok &= $ok(&$send(&client, Op::TestMigration).await);
                                        }
                                        ok
                                    })
                                })
                                .collect();
                            let mut ok = true;
                            for h in handles {
                                ok &= h.await.unwrap_or(false);
                            }
                            ok
                        })
                    };
                    let elapsed = start.elapsed();
                    if !ok {
                        eprintln!("\nloopback: a {} call failed; the timing is void", $who);
                        std::process::exit(1);
                    }
                    elapsed
                }) as Batch
            }};
        }
        (
            batch!(mt, ours_client, ours::send, ok_ours, "ours"),
            batch!(mt, sdk_client, sdk::send, ok_sdk, "SDK"),
        )
    }
}

// ================================================================ report

fn duration(secs: f64) -> String {
    if secs < 1e-6 {
        format!("{:.0} ns", secs * 1e9)
    } else if secs < 1e-3 {
        format!("{:.1} µs", secs * 1e6)
    } else {
        format!("{:.2} ms", secs * 1e3)
    }
}

/// The three markdown tables.
fn tables(pairs: &[Pair]) -> String {
    let mut out = String::new();
    let ratio = |p: &Pair| {
        let (m, lo, hi) = p.ratios();
        format!("**{m:.2}×** | {lo:.2}–{hi:.2}")
    };
    // Operations per batch, ours / SDK.
    let batch = |p: &Pair| {
        format!(
            "{} / {}",
            p.units.0 * p.ops_per_unit,
            p.units.1 * p.ops_per_unit
        )
    };

    out.push_str(
        "In-process call: fluent call → serialize → endpoint → SigV4 → in-memory transport → \
         parse (current-thread tokio runtime). Times are medians over the rounds; the ratio is \
         SDK time / ours time, median of the rounds' ratios, and the range their min–max.\n\n\
         | fixture | calls per batch (ours / SDK) | ours per call | SDK per call | SDK / ours | range |\n\
         |---|---|---|---|---|---|\n",
    );
    for p in pairs.iter().filter(|p| p.kind == Kind::Call) {
        let (o, s) = p.times();
        let (o, s) = (duration(o), duration(s));
        writeln!(
            out,
            "| {} | {} | {o} | {s} | {} |",
            p.label,
            batch(p),
            ratio(p)
        )
        .unwrap();
    }

    out.push_str(
        "\nParse only: ours `operation::<op>::parse_response` vs the SDK's response deserializer \
         of the operation, on a response in memory. MB/s = body bytes / median time.\n\n\
         | fixture | parses per batch (ours / SDK) | ours per parse | SDK per parse | ours MB/s | SDK MB/s | SDK / ours | range |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for p in pairs.iter().filter(|p| p.kind == Kind::Parse) {
        let (o, s) = p.times();
        let mbs = |t: f64| p.bytes as f64 / t / 1e6;
        writeln!(
            out,
            "| {} ({} B) | {} | {} | {} | {:.0} | {:.0} | {} |",
            p.label,
            p.bytes,
            batch(p),
            duration(o),
            duration(s),
            mbs(o),
            mbs(s),
            ratio(p)
        )
        .unwrap();
    }

    out.push_str(
        "\nLoopback HTTP/1.1 (keep-alive) to a server on 127.0.0.1 (its own thread) answering \
         with the 11 KB TestMigration fixture; clients on a multi-thread tokio runtime. \
         Ratio = ours calls/s / SDK calls/s (= SDK time / ours time).\n\n\
         | mode | calls per batch (ours / SDK) | ours calls/s | SDK calls/s | ours / SDK | range |\n\
         |---|---|---|---|---|---|\n",
    );
    for p in pairs.iter().filter(|p| p.kind == Kind::Loopback) {
        let (o, s) = p.times();
        let (o, s) = (1.0 / o, 1.0 / s);
        writeln!(
            out,
            "| {} | {} | {o:.0} | {s:.0} | {} |",
            p.label,
            batch(p),
            ratio(p)
        )
        .unwrap();
    }

    let floors: Vec<&Pair> = pairs.iter().filter(|p| p.kind == Kind::Floor).collect();
    if !floors.is_empty() {
        out.push_str(
            "\nSequential loopback against its floor: the request our client sent, written as is \
             from the same `block_on` thread on a connection of its own, and the answer read to \
             the end of its content length, with no client work (nothing built, signed or \
             parsed). Ratio = client time / floor time, median of the rounds; the SDK's is the \
             highest sequential ratio over the SDK that any client could reach here.\n\n\
             | client | calls per batch (floor / client) | floor per call | client per call | client above the floor | client / floor | range |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for p in floors {
            let (f, c) = p.times();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                p.label,
                batch(p),
                duration(f),
                duration(c),
                duration(c - f),
                ratio(p)
            )
            .unwrap();
        }
    }
    out
}
