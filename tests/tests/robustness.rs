//! Robustness of the generated `TestMigration` response and error parsers: whatever the body
//! and status, `parse_response` returns (never panics), keeps 2xx and non-2xx apart, and
//! reports unreadable bodies as response errors.
//!
//! The companion cargo-fuzz target is `fuzz/fuzz_targets/parse_response.rs`.

use aws_lite_runtime::protocol::{HttpResponse, RequestId, SdkError};
use elasticache::operation::test_migration::{parse_response, TestMigrationError};
use elasticache::types::TestMigrationResponse;
use proptest::prelude::*;
use proptest::sample::Index;

/// A small but complete `TestMigration` answer (our own, in AWS's shape).
const SUCCESS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TestMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <TestMigrationResult>
    <ReplicationGroup>
      <ReplicationGroupId>my-rg</ReplicationGroupId>
      <Description>a &lt;test&gt; group &amp; more</Description>
      <Status>available</Status>
      <PendingModifiedValues>
        <PrimaryClusterId>my-rg-002</PrimaryClusterId>
        <Resharding><SlotMigration><ProgressPercentage>42.5</ProgressPercentage></SlotMigration></Resharding>
        <UserGroups><UserGroupIdsToAdd><member>u1</member></UserGroupIdsToAdd><UserGroupIdsToRemove/></UserGroups>
      </PendingModifiedValues>
      <MemberClusters><ClusterId>my-rg-001</ClusterId><ClusterId>my-rg-002</ClusterId></MemberClusters>
      <NodeGroups>
        <NodeGroup>
          <NodeGroupId>0001</NodeGroupId>
          <Status>available</Status>
          <PrimaryEndpoint><Address>my-rg.cache.amazonaws.com</Address><Port>6379</Port></PrimaryEndpoint>
          <NodeGroupMembers>
            <NodeGroupMember>
              <CacheClusterId>my-rg-001</CacheClusterId>
              <CacheNodeId>0001</CacheNodeId>
              <ReadEndpoint><Address>my-rg-001.cache.amazonaws.com</Address><Port>6379</Port></ReadEndpoint>
              <CurrentRole>primary</CurrentRole>
            </NodeGroupMember>
          </NodeGroupMembers>
        </NodeGroup>
      </NodeGroups>
      <AutomaticFailover>enabled</AutomaticFailover>
      <SnapshotRetentionLimit>5</SnapshotRetentionLimit>
      <ClusterEnabled>false</ClusterEnabled>
      <ReplicationGroupCreateTime>2024-03-04T05:06:07.890Z</ReplicationGroupCreateTime>
      <LogDeliveryConfigurations>
        <LogDeliveryConfiguration>
          <LogType>slow-log</LogType>
          <DestinationType>cloudwatch-logs</DestinationType>
          <DestinationDetails><CloudWatchLogsDetails><LogGroup>lg</LogGroup></CloudWatchLogsDetails></DestinationDetails>
          <Status>active</Status>
        </LogDeliveryConfiguration>
      </LogDeliveryConfigurations>
    </ReplicationGroup>
  </TestMigrationResult>
  <ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>
</TestMigrationResponse>
"#;

/// A modeled `TestMigration` error (our own, in AWS's shape).
const ERROR: &str = r#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <Error>
    <Type>Sender</Type>
    <Code>ReplicationGroupNotFoundFault</Code>
    <Message>Replication group my-rg &lt;not&gt; found.</Message>
  </Error>
  <RequestId>66666666-7777-8888-9999-000000000000</RequestId>
</ErrorResponse>
"#;

/// Pieces of XML syntax that mutations splice in, so that mutants stay close to the grammar.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "&",
    "&amp;",
    "&lt;",
    "&#",
    "&#x10FFFF;",
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x [<!ENTITY e \"ee\">]>",
    "\"",
    "'",
    "=",
    ":",
    "xmlns:a=\"urn:x\"",
    " a=\"1\"",
    "\r\n",
    "\u{FEFF}",
    "\u{1F600}",
    "\u{FFFD}",
    "<Error>",
    "</Error>",
    "<Code>",
    "</Code>",
    "InvalidParameterValue",
    "<ReplicationGroup>",
    "</ReplicationGroup>",
    "<NodeGroups>",
    "<NodeGroup>",
    "<MemberClusters>",
    "<ClusterId>",
    "<Port>",
    "<Port>99999999999</Port>",
    "<ProgressPercentage>NaN</ProgressPercentage>",
    "<ClusterEnabled>yes</ClusterEnabled>",
    "<ReplicationGroupCreateTime>9999-12-31T23:59:60.999999999999+23:59</ReplicationGroupCreateTime>",
    "<ReplicationGroupCreateTime>0000-00-00T00:00:00Z</ReplicationGroupCreateTime>",
    "-",
    "9",
];

/// One edit of a body.
#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite one byte.
    SetByte(Index, u8),
    /// Flip one bit.
    FlipBit(Index, u8),
    /// Delete up to `len` bytes.
    Delete(Index, usize),
    /// Insert arbitrary bytes.
    Insert(Index, Vec<u8>),
    /// Insert a piece of XML syntax.
    InsertToken(Index, Index),
    /// Copy a range of the body somewhere else (repeats structure).
    Duplicate(Index, usize, Index),
    /// Cut the body short.
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(i, n, at)| Mutation::Duplicate(i, n, at)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(body: &mut Vec<u8>, m: &Mutation) {
    // `Index::index(n)` needs n > 0; positions are in 0..=len.
    let pos = |i: &Index, len: usize| i.index(len + 1);
    match m {
        Mutation::SetByte(i, b) if !body.is_empty() => {
            let at = i.index(body.len());
            body[at] = *b;
        }
        Mutation::FlipBit(i, bit) if !body.is_empty() => {
            let at = i.index(body.len());
            body[at] ^= 1 << bit;
        }
        Mutation::Delete(i, n) => {
            let at = pos(i, body.len());
            let end = (at + n).min(body.len());
            body.drain(at..end);
        }
        Mutation::Insert(i, bytes) => {
            let at = pos(i, body.len());
            body.splice(at..at, bytes.iter().copied());
        }
        Mutation::InsertToken(i, t) => {
            let at = pos(i, body.len());
            let token = TOKENS[t.index(TOKENS.len())].as_bytes();
            body.splice(at..at, token.iter().copied());
        }
        Mutation::Duplicate(i, n, to) => {
            let from = pos(i, body.len());
            let end = (from + n).min(body.len());
            let piece = body[from..end].to_vec();
            let at = pos(to, body.len());
            body.splice(at..at, piece);
        }
        Mutation::Truncate(i) => {
            let at = pos(i, body.len());
            body.truncate(at);
        }
        _ => {}
    }
}

/// Statuses the parsers must handle: mostly the usual ones, sometimes anything at all.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        3 => prop::sample::select(vec![400u16, 403, 404, 409, 500, 503]),
        1 => 200u16..300,
        1 => 300u16..600,
        1 => any::<u16>(),
    ]
}

type Outcome = Result<TestMigrationResponse, SdkError<TestMigrationError>>;

/// Parses, exercises every way of looking at the result (Debug, Display, serde), and checks
/// the invariants that hold for any input.
fn parse_checked(status: u16, body: &[u8], request_id_header: bool) -> Outcome {
    let headers = if request_id_header {
        vec![("X-Amzn-RequestId".to_string(), "hdr-id".to_string())]
    } else {
        vec![]
    };
    let response = HttpResponse::new(status, headers, body);
    let outcome = parse_response(&response);
    let _ = format!("{outcome:?}");
    match &outcome {
        Ok(output) => {
            assert!(
                response.is_success(),
                "HTTP {status} parsed as a success: {output:?}"
            );
            // A timestamp out of RFC 3339's range may refuse to serialize; it must not panic.
            let _ = serde_json::to_string(output);
            if request_id_header {
                assert_eq!(output.request_id(), Some("hdr-id"));
            }
        }
        Err(e) => {
            let _ = e.to_string();
            match e {
                SdkError::Service(service) => {
                    assert!(
                        !response.is_success(),
                        "HTTP {status} parsed as a service error: {service:?}"
                    );
                    assert_eq!(service.status(), status);
                    assert!(service.code().is_some(), "a service error without a code");
                    if request_id_header {
                        assert_eq!(service.request_id(), Some("hdr-id"));
                    }
                }
                SdkError::Response(r) => {
                    assert_eq!(r.status(), status);
                    assert!(r.excerpt().chars().count() <= 201);
                }
                SdkError::Build(b) => panic!("parsing produced a build error: {b}"),
                other => panic!("unexpected error kind: {other:?}"),
            }
        }
    }
    outcome
}

#[test]
fn embedded_bodies_parse() {
    let out = parse_checked(200, SUCCESS.as_bytes(), false).unwrap();
    let g = out.replication_group().unwrap();
    assert_eq!(g.replication_group_id(), Some("my-rg"));
    assert_eq!(g.description(), Some("a <test> group & more"));
    assert_eq!(g.member_clusters(), ["my-rg-001", "my-rg-002"]);
    assert_eq!(g.node_groups()[0].node_group_members().len(), 1);
    assert_eq!(g.log_delivery_configurations().len(), 1);
    assert_eq!(
        out.request_id(),
        Some("11111111-2222-3333-4444-555555555555")
    );

    let err = parse_checked(404, ERROR.as_bytes(), false).unwrap_err();
    let SdkError::Service(TestMigrationError::ReplicationGroupNotFoundFault(e)) = err else {
        panic!("expected ReplicationGroupNotFoundFault, got {err:?}")
    };
    assert_eq!(e.message(), Some("Replication group my-rg <not> found."));
}

#[test]
fn every_truncation_of_a_body_is_a_response_error() {
    // The body is complete only once the root element has closed; any shorter prefix (other
    // than an empty one, which an operation may send) must be reported, not half-parsed.
    let complete = SUCCESS.trim_end().len();
    for cut in 1..complete {
        let prefix = &SUCCESS.as_bytes()[..cut];
        match parse_checked(200, prefix, false) {
            Err(SdkError::Response(_)) => {}
            other => panic!("prefix of {cut} bytes gave {other:?}"),
        }
    }
    let complete = ERROR.trim_end().len();
    for cut in 0..complete {
        let prefix = &ERROR.as_bytes()[..cut];
        match parse_checked(400, prefix, false) {
            Err(SdkError::Response(_)) => {}
            other => panic!("prefix of {cut} bytes gave {other:?}"),
        }
    }
}

/// `depth` nested `<name>` elements, closed again when `close` is set.
fn nested(prefix: &str, name: &str, depth: usize, close: bool, suffix: &str) -> Vec<u8> {
    let mut body =
        String::with_capacity(prefix.len() + suffix.len() + depth * (2 * name.len() + 5));
    body.push_str(prefix);
    for _ in 0..depth {
        body.push('<');
        body.push_str(name);
        body.push('>');
    }
    if close {
        for _ in 0..depth {
            body.push_str("</");
            body.push_str(name);
            body.push('>');
        }
    }
    body.push_str(suffix);
    body.into_bytes()
}

#[test]
fn deeply_nested_documents_are_errors() {
    const DEPTH: usize = 100_000;
    let open = "<TestMigrationResponse><TestMigrationResult><ReplicationGroup>";
    let close = "</ReplicationGroup></TestMigrationResult></TestMigrationResponse>";
    let cases: Vec<(&str, u16, Vec<u8>)> = vec![
        ("bare elements", 200, nested("", "a", DEPTH, true, "")),
        (
            "unknown member of the output",
            200,
            nested(open, "Unknown", DEPTH, true, close),
        ),
        (
            "a modeled member nested in itself",
            200,
            nested(open, "NodeGroups", DEPTH, true, close),
        ),
        (
            "a list of lists, unclosed",
            200,
            nested(open, "NodeGroupMembers", DEPTH, false, ""),
        ),
        (
            "inside the error envelope",
            400,
            nested(
                "<ErrorResponse><Error><Code>InvalidParameterValue</Code>",
                "Message",
                DEPTH,
                true,
                "</Error></ErrorResponse>",
            ),
        ),
        (
            "the error envelope itself",
            500,
            nested("", "ErrorResponse", DEPTH, true, ""),
        ),
    ];
    for (what, status, body) in cases {
        match parse_checked(status, &body, false) {
            Err(SdkError::Response(e)) => assert_eq!(e.status(), status, "{what}"),
            other => panic!("{what}: a {DEPTH}-deep document gave {other:?}"),
        }
    }
}

#[test]
fn malformed_bodies_seen_in_the_wild_are_response_errors() {
    let cases: &[(u16, &str)] = &[
        (503, "<html><body><h1>503 Service Unavailable</h1></body></html>"),
        (502, "Bad Gateway"),
        (400, ""),
        (400, "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>"),
        (200, "<DescribeReplicationGroupsResponse/>"),
        (200, "<TestMigrationResponse><TestMigrationResult>"),
        (200, "\u{FEFF}\u{FEFF}<TestMigrationResponse/>"),
        (200, "<TestMigrationResponse><TestMigrationResult><ReplicationGroup><Status>&#xD800;</Status></ReplicationGroup></TestMigrationResult></TestMigrationResponse>"),
    ];
    for &(status, body) in cases {
        match parse_checked(status, body.as_bytes(), false) {
            Err(SdkError::Response(_)) => {}
            other => panic!("HTTP {status} {body:?} gave {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Integration tests have no lib.rs to anchor a regressions file; failures print the case.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(
        status in status(),
        body in prop::collection::vec(any::<u8>(), 0..512),
        header in any::<bool>(),
    ) {
        let _ = parse_checked(status, &body, header);
    }

    #[test]
    fn arbitrary_token_soup_never_panics(
        status in status(),
        tokens in prop::collection::vec(
            prop_oneof![
                3 => any::<Index>().prop_map(|i| TOKENS[i.index(TOKENS.len())].to_string()),
                1 => "\\PC{0,6}",
                1 => "[A-Za-z]{1,12}",
            ],
            0..64,
        ),
        header in any::<bool>(),
    ) {
        let _ = parse_checked(status, tokens.concat().as_bytes(), header);
    }

    #[test]
    fn mutated_success_body_never_panics(
        status in status(),
        mutations in prop::collection::vec(mutation(), 1..8),
        header in any::<bool>(),
    ) {
        let mut body = SUCCESS.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut body, m);
        }
        let _ = parse_checked(status, &body, header);
    }

    #[test]
    fn mutated_error_body_never_panics(
        status in status(),
        mutations in prop::collection::vec(mutation(), 1..8),
        header in any::<bool>(),
    ) {
        let mut body = ERROR.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut body, m);
        }
        let _ = parse_checked(status, &body, header);
    }
}
