//! The generated client end to end against a server we did not write: moto's ElastiCache
//! (`moto[server]`, the version pinned in `scripts/moto-venv`), over plain HTTP on loopback,
//! through the default `HttpsTransport`, SigV4 signing, retries and parsing.
//!
//! `MOTO_SERVER` must name moto's `moto_server` executable: `scripts/test` sets it from
//! `scripts/moto-venv`, which installs moto into a venv under `target/` on first use. Without it
//! these tests fail (never pass silently): run
//! `MOTO_SERVER="$(scripts/moto-venv)" cargo test -p tests --test e2e_moto`.
//! Each test starts its own server on a free 127.0.0.1 port (`-p 0`; the port is read from the
//! server's "Running on" line) and kills it when it ends, even on panic.
//!
//! Where moto differs from AWS's documented behaviour, and how these tests treat it:
//! - Requests are routed to a service and a per-region backend by the credential scope of the
//!   SigV4 `Authorization` header (the endpoint is the same for every region). The tests
//!   assert the routing: a client signing for `eu-west-1` sees none of the groups made in
//!   `us-east-1`.
//! - By default moto checks no signature. With `INITIAL_NO_AUTH_ACTION_COUNT=n` it does, after
//!   n requests, with botocore's signer and the secret of an IAM access key it issued; one test
//!   does that (set-up through raw IAM calls). Two differences from AWS there:
//!   - it signs its own re-encoding of the parsed form body (Python's `urlencode`: a space
//!     becomes `+`) instead of the bytes received; our client encodes a space as `%20` (valid,
//!     and botocore computes our signature over our bytes), so moto rejects any request with
//!     a space in a value. The test asserts that rejection and signs values without spaces
//!     otherwise;
//!   - its authentication errors (SignatureDoesNotMatch, InvalidClientTokenId; HTTP 403) come
//!     in EC2's `<ErrorResponse><Errors><Error>` envelope, without a request id, instead of
//!     awsQuery's `<ErrorResponse><Error>`. The runtime reads that layout too (as botocore
//!     does), so they arrive as typed unmodeled service errors with code and status 403.
//! - CreateReplicationGroup returns a group that is already `available` (AWS says `creating`
//!   and takes minutes). So the ReplicationGroupAvailable waiter succeeds on its first poll,
//!   with no delay; the test asserts it took one poll's time, not the 15 s minimum delay.
//! - ModifyReplicationGroup applies a description change at once and the group stays
//!   `available` (AWS reports `modifying` for a while, even with ApplyImmediately). The test
//!   reads the change back from both the response and a later describe.
//! - DeleteReplicationGroup marks the group `deleting` and keeps it forever: moto never removes
//!   it, so DescribeReplicationGroups neither reports `deleted` nor fails with
//!   ReplicationGroupNotFoundFault (AWS does the latter once the deletion finishes). The
//!   ReplicationGroupDeleted waiter therefore never succeeds here: the test gives it a short
//!   maximum wait and asserts it times out after polling twice, its last poll showing
//!   `deleting`, and that the group is still listed.
//! - TestMigration and StartMigration are not implemented: moto raises NotImplementedError and
//!   its web server answers HTTP 500 with Werkzeug's generic HTML "Internal Server Error" page
//!   (no `x-amzn-requestid`, no awsQuery error XML). AWS would answer with a result or a
//!   modeled error. The client treats 5xx as transient, retries up to `max_attempts` (3), then
//!   returns `SdkError::Response` with the status and an excerpt of the HTML; the test asserts
//!   that, and counts the attempts in the server's log.
//! - Pagination: moto's Marker is an opaque token of its own and it lists groups in creation
//!   order; AWS documents neither the token's form nor an order, so the test only checks page
//!   sizes, that the last page has no Marker, and that every id is seen exactly once.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::{Duration, Instant};

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::protocol::{ProvideErrorMeta, RequestId, SdkError};
use aws_lite_runtime::waiter::WaiterError;
use elasticache::types::CustomerNodeEndpoint;
use elasticache::{Client, Config};
use tests::moto::{xml_text, MotoServer};

/// A hard limit on every call, around the client's own operation timeout.
const CALL_LIMIT: Duration = Duration::from_secs(30);
const GROUPS: usize = 45;

/// Clients of a moto server.
trait MotoClients {
    /// A client of this server that signs for `region`.
    fn client(&self, region: &str) -> Client;
    fn client_with(&self, region: &str, credentials: Credentials) -> Client;
}

impl MotoClients for MotoServer {
    fn client(&self, region: &str) -> Client {
        self.client_with(region, Credentials::new("testing", "testing", None))
    }

    fn client_with(&self, region: &str, credentials: Credentials) -> Client {
        let config = Config::builder()
            .region(region)
            .credentials(credentials)
            .endpoint_url(self.endpoint())
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(20))
            .operation_timeout(Duration::from_secs(20))
            .build();
        Client::new(&config)
    }
}

/// Awaits `call` with a hard limit, so a hung call fails the test instead of hanging it.
async fn bounded<T>(what: &str, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(CALL_LIMIT, call)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {CALL_LIMIT:?}"))
}

fn group_id(i: usize) -> String {
    format!("e2e-rg-{i:02}")
}

#[tokio::test]
async fn replication_group_lifecycle_against_moto() {
    let server = MotoServer::start();
    let client = server.client("us-east-1");

    // Create 45 groups.
    for i in 0..GROUPS {
        let id = group_id(i);
        let out = bounded(
            "CreateReplicationGroup",
            client
                .create_replication_group()
                .replication_group_id(&id)
                .replication_group_description(format!("group {i}"))
                .engine("redis")
                .cache_node_type("cache.t3.micro")
                .num_cache_clusters(1)
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("create {id}: {e}\nserver log:\n{}", server.log_text()));
        let group = out.replication_group().expect("created group");
        assert_eq!(group.replication_group_id(), Some(id.as_str()));
        assert_eq!(group.description(), Some(format!("group {i}").as_str()));
        assert_eq!(group.cache_node_type(), Some("cache.t3.micro"));
        assert_eq!(group.engine(), Some("redis"));
        assert_eq!(group.member_clusters(), [format!("{id}-001")]);
        assert_eq!(
            group.arn(),
            Some(
                format!("arn:aws:elasticache:us-east-1:123456789012:replicationgroup:{id}")
                    .as_str()
            )
        );
        assert!(out.request_id().is_some_and(|r| !r.is_empty()));
    }

    // A second one with the same id is the modeled fault.
    let err = bounded(
        "CreateReplicationGroup (duplicate)",
        client
            .create_replication_group()
            .replication_group_id(group_id(0))
            .replication_group_description("again")
            .send(),
    )
    .await
    .unwrap_err();
    let fault = err.into_service_error().expect("a service error");
    assert!(fault.is_replication_group_already_exists_fault(), "{fault}");
    assert_eq!(fault.status(), 400);

    // Page through them, 20 at a time: pages of 20, 20 and 5, a Marker on all but the last.
    let mut pages = client
        .describe_replication_groups()
        .into_paginator()
        .page_size(20);
    let mut sizes = Vec::new();
    let mut markers = Vec::new();
    let mut paged_ids = Vec::new();
    while let Some(page) = bounded("DescribeReplicationGroups page", pages.next_page()).await {
        let page = page.unwrap();
        assert!(sizes.len() < 10, "the paginator does not stop");
        sizes.push(page.replication_groups().len());
        markers.push(page.marker().map(str::to_string));
        paged_ids.extend(
            page.replication_groups()
                .iter()
                .map(|g| g.replication_group_id().unwrap().to_string()),
        );
    }
    assert_eq!(sizes, [20, 20, 5]);
    assert!(markers[0].as_deref().is_some_and(|m| !m.is_empty()));
    assert!(markers[1].as_deref().is_some_and(|m| !m.is_empty()));
    assert_ne!(markers[0], markers[1]);
    assert_eq!(markers[2], None);
    let expected: BTreeSet<String> = (0..GROUPS).map(group_id).collect();
    assert_eq!(paged_ids.len(), GROUPS, "each id once: {paged_ids:?}");
    assert_eq!(paged_ids.iter().cloned().collect::<BTreeSet<_>>(), expected);

    // The same through the item stream.
    let items = bounded(
        "DescribeReplicationGroups items",
        client
            .describe_replication_groups()
            .into_paginator()
            .page_size(20)
            .items()
            .collect(),
    )
    .await
    .unwrap();
    let item_ids: Vec<String> = items
        .iter()
        .map(|g| g.replication_group_id().unwrap().to_string())
        .collect();
    assert_eq!(item_ids, paged_ids);
    assert!(items.iter().all(|g| g.status() == Some("available")));

    // moto keeps one backend per region, chosen by the signature's credential scope.
    let elsewhere = bounded(
        "DescribeReplicationGroups (eu-west-1)",
        server
            .client("eu-west-1")
            .describe_replication_groups()
            .send(),
    )
    .await
    .unwrap();
    assert!(elsewhere.replication_groups().is_empty());
    assert_eq!(elsewhere.marker(), None);

    // Describe one by id.
    let id = group_id(7);
    let one = bounded(
        "DescribeReplicationGroups (one)",
        client
            .describe_replication_groups()
            .replication_group_id(&id)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(one.replication_groups().len(), 1);
    let group = &one.replication_groups()[0];
    assert_eq!(group.replication_group_id(), Some(id.as_str()));
    assert_eq!(group.description(), Some("group 7"));
    assert_eq!(group.status(), Some("available"));
    assert_eq!(group.node_groups().len(), 1);
    assert!(one.request_id().is_some_and(|r| !r.is_empty()));

    // Wait until available: moto reports `available` at once, so the first poll succeeds
    // (without the waiter's 15 s minimum delay).
    let started = Instant::now();
    let done = bounded(
        "ReplicationGroupAvailable waiter",
        client
            .wait_until_replication_group_available()
            .replication_group_id(&id)
            .wait(Duration::from_secs(60)),
    )
    .await
    .unwrap_or_else(|e| panic!("waiter: {e}"));
    assert!(started.elapsed() < Duration::from_secs(10));
    let polled = done.output().expect("success on an output");
    assert_eq!(polled.replication_groups().len(), 1);
    assert_eq!(polled.replication_groups()[0].status(), Some("available"));

    // Modify one and read the change back.
    let modified = bounded(
        "ModifyReplicationGroup",
        client
            .modify_replication_group()
            .replication_group_id(&id)
            .replication_group_description("changed")
            .apply_immediately(true)
            .send(),
    )
    .await
    .unwrap();
    let group = modified.replication_group().unwrap();
    assert_eq!(group.replication_group_id(), Some(id.as_str()));
    assert_eq!(group.description(), Some("changed"));
    assert_eq!(
        group.status(),
        Some("available"),
        "moto does not say `modifying`"
    );
    let reread = bounded(
        "DescribeReplicationGroups (after modify)",
        client
            .describe_replication_groups()
            .replication_group_id(&id)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(
        reread.replication_groups()[0].description(),
        Some("changed")
    );

    // An unknown id is the typed, modeled fault, with moto's request id; not retried.
    let before = requests_logged(&server);
    let err = bounded(
        "DescribeReplicationGroups (unknown)",
        client
            .describe_replication_groups()
            .replication_group_id("no-such-group")
            .send(),
    )
    .await
    .unwrap_err();
    let fault = err.into_service_error().expect("a service error");
    assert!(fault.is_replication_group_not_found_fault(), "{fault}");
    assert_eq!(fault.code(), Some("ReplicationGroupNotFoundFault"));
    assert_eq!(
        fault.message(),
        Some("Replication group no-such-group not found.")
    );
    assert_eq!(fault.status(), 404);
    let request_id = fault.request_id().expect("moto sends a request id");
    assert!(!request_id.is_empty());
    assert!(fault.to_string().contains(request_id), "{fault}");
    assert_eq!(requests_logged(&server) - before, 1, "not retried");

    // Delete one. moto marks it `deleting` and keeps it: the Deleted waiter cannot succeed,
    // so it runs out its (short) maximum wait.
    let gone = group_id(44);
    let deleted = bounded(
        "DeleteReplicationGroup",
        client
            .delete_replication_group()
            .replication_group_id(&gone)
            .send(),
    )
    .await
    .unwrap();
    let group = deleted.replication_group().unwrap();
    assert_eq!(group.replication_group_id(), Some(gone.as_str()));
    assert_eq!(group.status(), Some("deleting"));
    let started = Instant::now();
    let err = bounded(
        "ReplicationGroupDeleted waiter",
        client
            .wait_until_replication_group_deleted()
            .replication_group_id(&gone)
            .wait(Duration::from_secs(2)),
    )
    .await
    .unwrap_err();
    let waited = started.elapsed();
    match &err {
        WaiterError::TimedOut {
            attempts,
            last: Some(Ok(last)),
            ..
        } => {
            assert_eq!(*attempts, 2, "{err}");
            assert_eq!(last.replication_groups()[0].status(), Some("deleting"));
        }
        other => panic!("expected a timeout with moto's `deleting` status: {other}"),
    }
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    let all = bounded(
        "DescribeReplicationGroups (after delete)",
        client.describe_replication_groups().send(),
    )
    .await
    .unwrap();
    assert_eq!(all.replication_groups().len(), GROUPS, "moto keeps it");
    let statuses: Vec<_> = all
        .replication_groups()
        .iter()
        .filter(|g| g.status() != Some("available"))
        .map(|g| (g.replication_group_id(), g.status()))
        .collect();
    assert_eq!(statuses, [(Some(gone.as_str()), Some("deleting"))]);
}

/// Requests moto has logged so far (Werkzeug's access log: `"POST / HTTP/1.1" 200 -`).
fn requests_logged(server: &MotoServer) -> usize {
    server.settled_count("POST / HTTP/1.1")
}

fn endpoint() -> CustomerNodeEndpoint {
    CustomerNodeEndpoint::builder()
        .address("10.0.0.5")
        .port(6379)
        .build()
}

fn assert_unimplemented_500(
    server: &MotoServer,
    action: &str,
    err: &aws_lite_runtime::protocol::ResponseError,
) {
    assert_eq!(err.status(), 500, "{err}");
    assert!(
        err.excerpt().starts_with("<!doctype html>"),
        "{:?}",
        err.excerpt()
    );
    assert!(
        err.excerpt().contains("500 Internal Server Error"),
        "{:?}",
        err.excerpt()
    );
    assert!(!err.reason().is_empty());
    assert_eq!(
        err.request_id(),
        None,
        "moto's error page has no request id"
    );
    let shown = err.to_string();
    assert!(shown.contains("HTTP 500"), "{shown}");
    assert!(shown.contains("Internal Server Error"), "{shown}");
    // Three attempts (max_attempts), each one failing in moto the same way.
    let raised = format!("NotImplementedError: The {action} action has not been implemented");
    assert_eq!(server.settled_count(&raised), 3, "{}", server.log_text());
}

#[tokio::test]
async fn unimplemented_migration_operations_end_in_a_typed_error_after_bounded_retries() {
    let server = MotoServer::start();
    let client = server.client("us-east-1");

    let started = Instant::now();
    let err = bounded(
        "TestMigration",
        client
            .test_migration()
            .replication_group_id("rg")
            .customer_node_endpoint_list(endpoint())
            .send(),
    )
    .await
    .unwrap_err();
    let SdkError::Response(response) = &err else {
        panic!("expected SdkError::Response, got {err:?}")
    };
    assert_unimplemented_500(&server, "test_migration", response);
    assert_eq!(requests_logged(&server), 3);

    let err = bounded(
        "StartMigration",
        client
            .start_migration()
            .replication_group_id("rg")
            .customer_node_endpoint_list(endpoint())
            .send(),
    )
    .await
    .unwrap_err();
    let SdkError::Response(response) = &err else {
        panic!("expected SdkError::Response, got {err:?}")
    };
    assert_unimplemented_500(&server, "start_migration", response);
    assert_eq!(requests_logged(&server), 6);
    // Bounded retries with a 20 ms base backoff: seconds at most, not the default minutes.
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// moto checks SigV4 signatures once its IAM emulation is on (`INITIAL_NO_AUTH_ACTION_COUNT`:
/// requests after that many are authenticated): it recomputes the signature with botocore's
/// signer from the secret of an IAM access key it issued. So this is our signer checked
/// against an independent implementation, over the real wire.
#[tokio::test]
async fn signatures_are_verified_by_moto_with_botocore() {
    // Three unauthenticated set-up calls: a user, an access key, a policy allowing ElastiCache.
    let server = MotoServer::start_with_env(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
    let (status, _) = server.iam(&[
        ("Action", "CreateUser"),
        ("Version", "2010-05-08"),
        ("UserName", "e2e"),
    ]);
    assert!(status.contains(" 200 "), "{status}");
    let (status, key) = server.iam(&[
        ("Action", "CreateAccessKey"),
        ("Version", "2010-05-08"),
        ("UserName", "e2e"),
    ]);
    assert!(status.contains(" 200 "), "{status}: {key}");
    let access_key_id = xml_text(&key, "AccessKeyId").to_string();
    let secret = xml_text(&key, "SecretAccessKey").to_string();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticache:*","Resource":"*"}]}"#;
    let (status, body) = server.iam(&[
        ("Action", "PutUserPolicy"),
        ("Version", "2010-05-08"),
        ("UserName", "e2e"),
        ("PolicyName", "elasticache"),
        ("PolicyDocument", policy),
    ]);
    assert!(status.contains(" 200 "), "{status}: {body}");

    // Properly signed: accepted, a write and a read. The description has characters that
    // form-encoding escapes (but no space: see below).
    let client = server.client_with(
        "us-east-1",
        Credentials::new(access_key_id.clone(), secret.clone(), None),
    );
    let description = "signed:with,symbols/&=~*+%";
    let created = bounded(
        "CreateReplicationGroup (signed)",
        client
            .create_replication_group()
            .replication_group_id("signed-rg")
            .replication_group_description(description)
            .send(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\nserver log:\n{}", server.log_text()));
    assert_eq!(
        created.replication_group().unwrap().description(),
        Some(description)
    );
    let listed = bounded(
        "DescribeReplicationGroups (signed)",
        client
            .describe_replication_groups()
            .replication_group_id("signed-rg")
            .max_records(20)
            .send(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\nserver log:\n{}", server.log_text()));
    assert_eq!(listed.replication_groups().len(), 1);
    assert_eq!(
        listed.replication_groups()[0].description(),
        Some(description)
    );

    // moto's quirk: it checks the signature over its own re-encoding of the parsed form
    // (Python's urlencode, a space as `+`), not over the bytes it received. Our client sends a
    // space as `%20` (valid form encoding, and what AWS verifies byte for byte; botocore's
    // signer gives our signature for our bytes), so moto rejects a value with a space.
    let err = bounded(
        "CreateReplicationGroup (space in a value)",
        client
            .create_replication_group()
            .replication_group_id("spaced-rg")
            .replication_group_description("two words")
            .send(),
    )
    .await
    .unwrap_err();
    assert_auth_failure(&err, "SignatureDoesNotMatch");

    // The right key id with a wrong secret: moto's signature differs.
    let forged = server.client_with(
        "us-east-1",
        Credentials::new(access_key_id.clone(), "not-the-secret", None),
    );
    let err = bounded(
        "DescribeReplicationGroups (wrong secret)",
        forged.describe_replication_groups().send(),
    )
    .await
    .unwrap_err();
    assert_auth_failure(&err, "SignatureDoesNotMatch");

    // A key moto never issued.
    let stranger = server.client_with(
        "us-east-1",
        Credentials::new("AKIDUNKNOWN000000000", secret, None),
    );
    let err = bounded(
        "DescribeReplicationGroups (unknown key)",
        stranger.describe_replication_groups().send(),
    )
    .await
    .unwrap_err();
    assert_auth_failure(&err, "InvalidClientTokenId");

    // Nothing was created by the rejected call.
    let all = bounded(
        "DescribeReplicationGroups (signed, all)",
        client.describe_replication_groups().send(),
    )
    .await
    .unwrap();
    assert_eq!(all.replication_groups().len(), 1);
    // One attempt each for the three rejected calls: a 403 is not retried.
    assert_eq!(server.settled_count("\" 403 -"), 3, "{}", server.log_text());
}

/// moto's authentication errors are 403s in EC2's envelope, `<ErrorResponse><Errors><Error>`,
/// with no request id; the runtime reads that layout too (as botocore does), so they arrive as
/// typed, unmodeled service errors with their code. Not retried: 403 is not transient.
fn assert_auth_failure<E: ProvideErrorMeta + std::fmt::Debug>(err: &SdkError<E>, code: &str) {
    let SdkError::Service(service) = err else {
        panic!("expected a service error for moto's {code}, got {err:?}")
    };
    let meta = service.meta();
    assert_eq!(meta.status, 403, "{meta}");
    assert_eq!(meta.code.as_deref(), Some(code), "{meta}");
}
