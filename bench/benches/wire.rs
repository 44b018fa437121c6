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
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name} in {}: {e}", dir.display()))
}

fn serialize(c: &mut Criterion) {
    let input = TestMigrationMessage::builder()
        .replication_group_id("my-replication-group-0001")
        .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address("10.0.12.34").port(6379).build())
        .build()
        .unwrap();
    c.bench_function("serialize TestMigration input", |b| b.iter(|| serialize_request(black_box(&input)).unwrap()));
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse TestMigration response");
    for name in ["test_migration.xml", "test_migration_small.xml"] {
        let response = HttpResponse::new(200, vec![], fixture(name));
        g.throughput(Throughput::Bytes(response.body.len() as u64));
        g.bench_function(name, |b| b.iter(|| parse_response(black_box(&response)).unwrap()));
    }
    g.finish();
    let describe = HttpResponse::new(200, vec![], fixture("describe_replication_groups.xml"));
    let mut g = c.benchmark_group("parse DescribeReplicationGroups response");
    g.throughput(Throughput::Bytes(describe.body.len() as u64));
    g.bench_function("describe_replication_groups.xml", |b| {
        b.iter(|| elasticache::operation::describe_replication_groups::parse_response(black_box(&describe)).unwrap())
    });
    g.finish();
    let error = HttpResponse::new(404, vec![], fixture("error_replication_group_not_found.xml"));
    c.bench_function("parse ReplicationGroupNotFoundFault", |b| b.iter(|| parse_response(black_box(&error)).unwrap_err()));
}

criterion_group!(benches, serialize, parse);
criterion_main!(benches);
