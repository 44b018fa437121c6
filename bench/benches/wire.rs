//! Wire-layer benchmarks: serialize a full TestMigration input, parse TestMigration responses
//! (the shared fixtures: 11 KB with every member set, and a small one), a
//! DescribeReplicationGroups response with 10 full groups (112 KB), and an error.

use std::path::PathBuf;

use aws_lite_runtime::protocol::HttpResponse;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use elasticache::operation::test_migration::{parse_response, serialize_request};
use elasticache::types::{CustomerNodeEndpoint, TestMigrationMessage};

fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var_os("BENCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"));
    std::fs::read(dir.join(name))
        .unwrap_or_else(|e| panic!("fixture {name} in {}: {e}", dir.display()))
}

/// Visits every element through the cursor generated parsers use, reading the text of those
/// without children; returns the text bytes.
fn walk(body: &[u8]) -> Result<usize, aws_lite_runtime::xml::XmlError> {
    use aws_lite_runtime::xml::XmlReader;
    fn visit(
        r: &mut XmlReader<'_>,
        depth: usize,
    ) -> Result<usize, aws_lite_runtime::xml::XmlError> {
        let mut n = 0;
        while let Some(name) = r.child(depth) {
            // The elements with children in this fixture (a `match`, as generated code has).
            n += match name {
                b"DescribeReplicationGroupsResult"
                | b"ReplicationGroups"
                | b"ReplicationGroup"
                | b"GlobalReplicationGroupInfo"
                | b"PendingModifiedValues"
                | b"Resharding"
                | b"SlotMigration"
                | b"UserGroups"
                | b"UserGroupIdsToAdd"
                | b"UserGroupIdsToRemove"
                | b"LogDeliveryConfigurations"
                | b"LogDeliveryConfiguration"
                | b"PendingLogDeliveryConfiguration"
                | b"DestinationDetails"
                | b"CloudWatchLogsDetails"
                | b"KinesisFirehoseDetails"
                | b"MemberClusters"
                | b"NodeGroups"
                | b"NodeGroup"
                | b"PrimaryEndpoint"
                | b"ReaderEndpoint"
                | b"NodeGroupMembers"
                | b"NodeGroupMember"
                | b"ReadEndpoint"
                | b"ConfigurationEndpoint"
                | b"UserGroupIds"
                | b"MemberClustersOutpostArns"
                | b"ResponseMetadata"
                | b"member" => visit(r, depth + 1)?,
                _ => r.read_text()?.len(),
            };
        }
        r.failure()?;
        Ok(n)
    }
    let mut r = XmlReader::new(body);
    let root = r.root()?;
    visit(&mut r, root.depth())
}

fn serialize(c: &mut Criterion) {
    let input = TestMigrationMessage::builder()
        .replication_group_id("my-replication-group-0001")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.12.34")
                .port(6379)
                .build(),
        )
        .build()
        .unwrap();
    c.bench_function("serialize TestMigration input", |b| {
        b.iter(|| serialize_request(black_box(&input)).unwrap())
    });
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse TestMigration response");
    for name in ["test_migration.xml", "test_migration_small.xml"] {
        let response = HttpResponse::new(200, vec![], fixture(name));
        g.throughput(Throughput::Bytes(response.body.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| parse_response(black_box(&response)).unwrap())
        });
    }
    g.finish();
    let describe = HttpResponse::new(200, vec![], fixture("describe_replication_groups.xml"));
    let mut g = c.benchmark_group("parse DescribeReplicationGroups response");
    g.throughput(Throughput::Bytes(describe.body.len() as u64));
    g.bench_function("describe_replication_groups.xml", |b| {
        b.iter(|| {
            elasticache::operation::describe_replication_groups::parse_response(black_box(
                &describe,
            ))
            .unwrap()
        })
    });
    g.finish();
    // The floor under the typed parse: the reader alone visits every element and reads every
    // leaf's text (borrowed, no allocation), with no types built.
    let mut g = c.benchmark_group("walk DescribeReplicationGroups response (reader only)");
    g.throughput(Throughput::Bytes(describe.body.len() as u64));
    g.bench_function("describe_replication_groups.xml", |b| {
        b.iter(|| walk(black_box(&describe.body)).unwrap())
    });

    g.finish();
    let error = HttpResponse::new(
        404,
        vec![],
        fixture("error_replication_group_not_found.xml"),
    );
    c.bench_function("parse ReplicationGroupNotFoundFault", |b| {
        b.iter(|| parse_response(black_box(&error)).unwrap_err())
    });
}

/// SigV4 of a TestMigration request as the client signs it (six headers, 80-byte body).
fn sign(c: &mut Criterion) {
    use aws_lite_runtime::auth::{sign, Credentials, SigningRequest};
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("token".into()),
    );
    let body =
        b"Action=TestMigration&Version=2015-02-02&ReplicationGroupId=my-replication-group-0001";
    let base: Vec<(String, String)> = vec![
        ("host".into(), "elasticache.us-east-1.amazonaws.com".into()),
        (
            "content-type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        ),
        ("content-length".into(), body.len().to_string()),
        (
            "amz-sdk-invocation-id".into(),
            "0f3c5c1e-8f0e-4a53-9d39-2f5d0e7a1b11".into(),
        ),
        ("amz-sdk-request".into(), "attempt=1; max=3".into()),
    ];
    let now = std::time::SystemTime::now();
    c.bench_function("sign TestMigration request", |b| {
        b.iter(|| {
            let mut headers = base.clone();
            let mut request = SigningRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: &mut headers,
                body,
            };
            sign(
                &mut request,
                black_box(&credentials),
                "us-east-1",
                "elasticache",
                now,
            )
            .unwrap();
            headers
        })
    });
}

/// A whole TestMigration call through the client with an in-memory transport: credentials,
/// endpoint, serialize, sign, send, parse (the 392-byte response, so the fixed cost shows).
fn call(c: &mut Criterion) {
    use aws_lite_runtime::client::{BoxFuture, TransportError};
    use elasticache::config::{Credentials, Transport, TransportRequest};
    /// Answers every request with the same body (MockTransport would record every request).
    #[derive(Debug)]
    struct Fixed(Vec<u8>);
    impl Transport for Fixed {
        fn send(&self, _: TransportRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(std::future::ready(Ok(HttpResponse::new(
                200,
                vec![],
                self.0.clone(),
            ))))
        }
    }
    let transport = Fixed(fixture("test_migration_small.xml"));
    let config = elasticache::Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .transport(transport)
        .build();
    let client = elasticache::Client::new(&config);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    c.bench_function(
        "call TestMigration (in-memory transport, small response)",
        |b| {
            b.iter(|| {
                rt.block_on(
                    client
                        .test_migration()
                        .replication_group_id("my-replication-group-0001")
                        .customer_node_endpoint_list(
                            CustomerNodeEndpoint::builder()
                                .address("10.0.12.34")
                                .port(6379)
                                .build(),
                        )
                        .send(),
                )
                .unwrap()
            })
        },
    );
}

/// Endpoint rules for us-east-1 (what every call resolves).
fn endpoint(c: &mut Criterion) {
    let params = elasticache::endpoint::Params::new()
        .set_str("Region", "us-east-1")
        .set_bool("UseFIPS", false)
        .set_bool("UseDualStack", false);
    c.bench_function("resolve endpoint us-east-1", |b| {
        b.iter(|| elasticache::endpoint::resolve(black_box(&params)).unwrap())
    });
}

criterion_group!(benches, serialize, parse, sign, call, endpoint);
criterion_main!(benches);
