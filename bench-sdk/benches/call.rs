//! In-process call overhead, side by side: one TestMigration call through the public fluent
//! API (build input → validate → serialize → endpoint → SigV4 sign → in-memory transport
//! returning a canned body → parse) of our generated client and of `aws-sdk-elasticache`,
//! both on a tokio current-thread runtime, region us-east-1, static credentials.
//!
//! Fixtures from `../../shared/fixtures` (or `$BENCH_FIXTURES`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var_os("BENCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"));
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name} in {}: {e}", dir.display()))
}

/// (benchmark name, fixture, HTTP status)
const CASES: [(&str, &str, u16); 3] = [
    ("large 11 KB", "test_migration.xml", 200),
    ("small 392 B", "test_migration_small.xml", 200),
    ("error 404", "error_replication_group_not_found.xml", 404),
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
}

// ---------------------------------------------------------------- ours

mod ours {
    use aws_lite_runtime::auth::Credentials;
    use aws_lite_runtime::client::{BoxFuture, MockTransport, Transport, TransportError, TransportRequest};
    use aws_lite_runtime::protocol::HttpResponse;
    use elasticache::types::CustomerNodeEndpoint;
    use elasticache::{Client, Config};

    pub fn response(status: u16, body: &[u8]) -> HttpResponse {
        HttpResponse::new(status, vec![("content-type".into(), "text/xml".into())], body.to_vec())
    }

    pub fn client(transport: impl Transport + 'static) -> Client {
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
            .transport(transport)
            .build();
        Client::new(&config)
    }

    /// The runtime's `MockTransport` answering every request with a clone of `response`.
    /// It records every request it receives, so the bench makes a fresh one per sample.
    pub fn mock(response: HttpResponse) -> MockTransport {
        MockTransport::from_fn(move |_| Ok(response.clone()))
    }

    /// A minimal transport of our own (the public `Transport` trait) that records nothing:
    /// the same work as the SDK-side connector below.
    #[derive(Debug)]
    pub struct Canned(pub HttpResponse);
    impl Transport for Canned {
        fn send(&self, _request: TransportRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            let response = self.0.clone();
            Box::pin(async move { Ok(response) })
        }
    }

    /// One call; returns the replication group id or the error code.
    pub async fn call(client: &Client) -> String {
        let result = client
            .test_migration()
            .replication_group_id("my-replication-group-0001")
            .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address("10.0.12.34").port(6379).build())
            .send()
            .await;
        match result {
            Ok(out) => out.replication_group().and_then(|g| g.replication_group_id()).unwrap_or("").to_string(),
            Err(e) => {
                let service = e.into_service_error().expect("a service error");
                assert!(service.is_replication_group_not_found_fault());
                service.code().unwrap_or("").to_string()
            }
        }
    }
}

// ---------------------------------------------------------------- aws-sdk-elasticache

mod sdk {
    use aws_sdk_elasticache::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_elasticache::types::CustomerNodeEndpoint;
    use aws_sdk_elasticache::{Client, Config};
    use aws_smithy_runtime_api::client::http::{
        HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
    };
    use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_runtime_api::shared::IntoShared;
    use aws_smithy_types::body::SdkBody;

    /// An in-memory HTTP client answering every request with the same status and body.
    #[derive(Debug, Clone)]
    pub struct Canned {
        status: u16,
        // `Bytes`: a clone per call is a reference count, not a copy (the SDK's best case;
        // our `Transport` returns an owned `Vec<u8>`, so ours copies the body per call).
        body: bytes::Bytes,
    }

    impl Canned {
        pub fn new(status: u16, body: &[u8]) -> Self {
            Canned { status, body: bytes::Bytes::copy_from_slice(body) }
        }
    }

    impl HttpConnector for Canned {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            let mut response =
                HttpResponse::new(StatusCode::try_from(self.status).unwrap(), SdkBody::from(self.body.clone()));
            response.headers_mut().insert("content-type", "text/xml");
            HttpConnectorFuture::ready(Ok(response))
        }
    }

    impl HttpClient for Canned {
        fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
            self.clone().into_shared()
        }
    }

    pub fn client(http: Canned) -> Client {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "static",
            ))
            .http_client(http)
            .build();
        Client::from_conf(config)
    }

    pub async fn call(client: &Client) -> String {
        let result = client
            .test_migration()
            .replication_group_id("my-replication-group-0001")
            .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address("10.0.12.34").port(6379).build())
            .send()
            .await;
        match result {
            Ok(out) => out.replication_group().and_then(|g| g.replication_group_id()).unwrap_or("").to_string(),
            Err(e) => {
                let service = e.into_service_error();
                assert!(service.is_replication_group_not_found_fault(), "{service:?}");
                service.meta().code().unwrap_or("").to_string()
            }
        }
    }
}

fn calls(c: &mut Criterion) {
    let rt = runtime();
    for (name, file, status) in CASES {
        let body = fixture(file);
        let expected = match status {
            200 => rt.block_on(ours::call(&ours::client(ours::Canned(ours::response(status, &body))))),
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
        g.bench_function("ours (canned Transport)", |b| b.iter(|| rt.block_on(ours::call(&canned))));
        g.bench_function("aws-sdk-elasticache", |b| b.iter(|| rt.block_on(sdk::call(&sdk_client))));
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group!(name = benches; config = config(); targets = calls);
criterion_main!(benches);
