//! In-process call overhead, side by side: one TestMigration call through the public fluent
//! API (build input → validate → serialize → endpoint → SigV4 sign → in-memory transport
//! returning a canned body → parse) of our generated client and of `aws-sdk-elasticache`,
//! both on a tokio current-thread runtime, region us-east-1, static credentials.
//!
//! Fixtures from `../../shared/fixtures` (or `$BENCH_FIXTURES`); the clients, transports and
//! the call are in `src/lib.rs`, shared with `src/bin/compare.rs`.

use std::time::{Duration, Instant};

use bench_sdk::{fixture, ours, sdk};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// (benchmark name, fixture, HTTP status)
const CASES: [(&str, &str, u16); 3] = [
    ("large 11 KB", "test_migration.xml", 200),
    ("small 392 B", "test_migration_small.xml", 200),
    ("error 404", "error_replication_group_not_found.xml", 404),
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn calls(c: &mut Criterion) {
    let rt = runtime();
    for (name, file, status) in CASES {
        let body = fixture(file);
        let expected = match status {
            200 => rt.block_on(ours::call(&ours::client(ours::Canned(ours::response(
                status, &body,
            ))))),
            _ => "ReplicationGroupNotFoundFault".to_string(),
        };
        // Both clients must give the same answer before they are timed.
        let sdk_client = sdk::client(sdk::Canned::new(status, &body));
        assert_eq!(rt.block_on(sdk::call(&sdk_client)), expected, "sdk, {file}");
        let canned = ours::client(ours::Canned(ours::response(status, &body)));
        assert_eq!(rt.block_on(ours::call(&canned)), expected, "ours, {file}");

        let mut g = c.benchmark_group(format!("TestMigration call/{name}"));
        // A fresh MockTransport (and client) per sample, built outside the timed loop: the
        // mock keeps every request, so one shared across millions of calls would grow.
        g.bench_function("ours (MockTransport)", |b| {
            b.iter_custom(|iters| {
                let client = ours::client(ours::mock(ours::response(status, &body)));
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(rt.block_on(ours::call(&client)));
                }
                start.elapsed()
            })
        });
        g.bench_function("ours (canned Transport)", |b| {
            b.iter(|| rt.block_on(ours::call(&canned)))
        });
        g.bench_function("aws-sdk-elasticache", |b| {
            b.iter(|| rt.block_on(sdk::call(&sdk_client)))
        });
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group!(name = benches; config = config(); targets = calls);
criterion_main!(benches);
