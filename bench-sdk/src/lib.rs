//! Setup shared by the side-by-side benchmarks of our generated `elasticache` client and
//! `aws-sdk-elasticache`: the fixtures, both clients wired to in-memory transports (same
//! region, same static credentials), and the calls, with the same input on both sides.
//!
//! Used by the criterion bench (`benches/call.rs`) and by the verified, interleaved
//! comparison (`src/bin/compare.rs`). The apps in `ours-app/` and `sdk-app/` are separate.

use std::path::PathBuf;

/// The region both clients are configured with.
pub const REGION: &str = "us-east-1";
/// The static access key id both clients sign with.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The static secret key both clients sign with.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The operations the fixtures answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `TestMigration` for `my-replication-group-0001` from one self-managed node.
    TestMigration,
    /// `DescribeReplicationGroups`, first page of 10.
    DescribeReplicationGroups,
}

/// A canned service answer from `../../shared/fixtures`.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Short label for tables.
    pub label: &'static str,
    /// File name in the fixtures folder.
    pub file: &'static str,
    /// HTTP status the service answers with.
    pub status: u16,
    /// The operation it answers.
    pub op: Op,
}

/// The four fixtures (see `../../shared/fixtures/README.md`).
pub const CASES: [Case; 4] = [
    Case {
        label: "TestMigration 11 KB",
        file: "test_migration.xml",
        status: 200,
        op: Op::TestMigration,
    },
    Case {
        label: "TestMigration 392 B",
        file: "test_migration_small.xml",
        status: 200,
        op: Op::TestMigration,
    },
    Case {
        label: "TestMigration 404 error",
        file: "error_replication_group_not_found.xml",
        status: 404,
        op: Op::TestMigration,
    },
    Case {
        label: "DescribeReplicationGroups 112 KB",
        file: "describe_replication_groups.xml",
        status: 200,
        op: Op::DescribeReplicationGroups,
    },
];

/// The bytes of a fixture, from `../../shared/fixtures` or `$BENCH_FIXTURES`.
pub fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var_os("BENCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"));
    std::fs::read(dir.join(name))
        .unwrap_or_else(|e| panic!("fixture {name} in {}: {e}", dir.display()))
}

/// The `<RequestId>` in a response body. The service sends the same id in the
/// `x-amzn-requestid` header, so the canned responses carry it there too.
pub fn request_id(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<RequestId>")? + "<RequestId>".len();
    let end = start + text[start..].find("</RequestId>")?;
    Some(text[start..end].to_string())
}

/// The headers of a canned response to `body`, as the service sends them (less `date`).
pub fn response_headers(body: &[u8]) -> Vec<(String, String)> {
    let mut headers = vec![
        ("content-type".to_string(), "text/xml".to_string()),
        ("content-length".to_string(), body.len().to_string()),
    ];
    if let Some(id) = request_id(body) {
        headers.push(("x-amzn-requestid".to_string(), id));
    }
    headers
}

// ---------------------------------------------------------------- ours

/// Our generated client.
pub mod ours {
    use aws_lite_runtime::auth::Credentials;
    use aws_lite_runtime::client::{
        BoxFuture, MockTransport, Transport, TransportError, TransportRequest,
    };
    use aws_lite_runtime::protocol::{HttpResponse, SdkError};
    use elasticache::operation::describe_replication_groups::DescribeReplicationGroupsError;
    use elasticache::operation::test_migration::TestMigrationError;
    use elasticache::types::{
        CustomerNodeEndpoint, ReplicationGroupMessage, TestMigrationResponse,
    };
    use elasticache::{Client, Config};

    use super::Op;

    /// A canned response: `status`, `body`, and the service's headers for it.
    pub fn response(status: u16, body: &[u8]) -> HttpResponse {
        HttpResponse::new(status, super::response_headers(body), body.to_vec())
    }

    /// The config both in-memory and loopback clients start from.
    pub fn config() -> elasticache::config::ConfigBuilder {
        Config::builder()
            .region(super::REGION)
            .credentials(Credentials::new(
                super::ACCESS_KEY_ID,
                super::SECRET_ACCESS_KEY,
                None,
            ))
    }

    /// A client sending through `transport`.
    pub fn client(transport: impl Transport + 'static) -> Client {
        Client::new(&config().transport(transport).build())
    }

    /// A client sending to `url` (e.g. `http://127.0.0.1:8080`) through its default
    /// transport (hyper + rustls with ring; plain HTTP for `http://` URLs).
    pub fn client_at(url: &str) -> Client {
        Client::new(&config().endpoint_url(url).build())
    }

    /// The runtime's `MockTransport` answering every request with a clone of `response`.
    /// It records every request it receives, so the bench makes a fresh one per sample.
    pub fn mock(response: HttpResponse) -> MockTransport {
        MockTransport::from_fn(move |_| Ok(response.clone()))
    }

    /// A minimal transport of our own (the public `Transport` trait) that records nothing:
    /// the same work as the SDK-side connector.
    #[derive(Debug)]
    pub struct Canned(pub HttpResponse);
    impl Transport for Canned {
        fn send(
            &self,
            _request: TransportRequest,
        ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            let response = self.0.clone();
            Box::pin(async move { Ok(response) })
        }
    }

    /// What a call returns, whole. Not boxed: the timed loops add no allocation per call.
    #[derive(Debug)]
    #[allow(clippy::large_enum_variant)]
    pub enum Outcome {
        /// The `TestMigration` result.
        TestMigration(Result<TestMigrationResponse, SdkError<TestMigrationError>>),
        /// The `DescribeReplicationGroups` result.
        DescribeReplicationGroups(
            Result<ReplicationGroupMessage, SdkError<DescribeReplicationGroupsError>>,
        ),
    }

    /// One call of `op` with the benchmark's input.
    pub async fn send(client: &Client, op: Op) -> Outcome {
        match op {
            Op::TestMigration => Outcome::TestMigration(
                client
                    .test_migration()
                    .replication_group_id("my-replication-group-0001")
                    .customer_node_endpoint_list(
                        CustomerNodeEndpoint::builder()
                            .address("10.0.12.34")
                            .port(6379)
                            .build(),
                    )
                    .send()
                    .await,
            ),
            Op::DescribeReplicationGroups => Outcome::DescribeReplicationGroups(
                client
                    .describe_replication_groups()
                    .max_records(10)
                    .send()
                    .await,
            ),
        }
    }

    /// One TestMigration call; returns the replication group id or the error code.
    pub async fn call(client: &Client) -> String {
        let Outcome::TestMigration(result) = send(client, Op::TestMigration).await else {
            unreachable!()
        };
        match result {
            Ok(out) => out
                .replication_group()
                .and_then(|g| g.replication_group_id())
                .unwrap_or("")
                .to_string(),
            Err(e) => {
                let service = e.into_service_error().expect("a service error");
                assert!(service.is_replication_group_not_found_fault());
                service.code().unwrap_or("").to_string()
            }
        }
    }
}

// ---------------------------------------------------------------- aws-sdk-elasticache

/// `aws-sdk-elasticache`.
pub mod sdk {
    use std::sync::{Arc, Mutex};

    use aws_sdk_elasticache::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_elasticache::error::SdkError;
    use aws_sdk_elasticache::operation::describe_replication_groups::{
        DescribeReplicationGroupsError, DescribeReplicationGroupsOutput,
    };
    use aws_sdk_elasticache::operation::test_migration::{TestMigrationError, TestMigrationOutput};
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

    use super::Op;

    /// A canned response: `status`, `body`, and the service's headers for it. The body is
    /// `Bytes`, so a clone per call is a reference count, not a copy (as ours is too since
    /// `HttpResponse::body` became `Bytes`).
    pub fn response(status: u16, body: &bytes::Bytes) -> HttpResponse {
        let mut response = HttpResponse::new(
            StatusCode::try_from(status).unwrap(),
            SdkBody::from(body.clone()),
        );
        for (name, value) in super::response_headers(body) {
            response.headers_mut().insert(name, value);
        }
        response
    }

    /// A request as the connector received it.
    #[derive(Debug, Clone)]
    pub struct Recorded {
        /// The method.
        pub method: String,
        /// The absolute URI.
        pub uri: String,
        /// Every header, in order.
        pub headers: Vec<(String, String)>,
        /// The body bytes.
        pub body: Vec<u8>,
    }

    /// An in-memory HTTP client answering every request with the same status and body, and
    /// recording the requests when made with [`Canned::recording`].
    #[derive(Debug, Clone)]
    pub struct Canned {
        status: u16,
        body: bytes::Bytes,
        requests: Option<Arc<Mutex<Vec<Recorded>>>>,
    }

    impl Canned {
        /// A connector that records nothing.
        pub fn new(status: u16, body: &[u8]) -> Self {
            Canned {
                status,
                body: bytes::Bytes::copy_from_slice(body),
                requests: None,
            }
        }

        /// A connector that keeps every request it receives.
        pub fn recording(status: u16, body: &[u8]) -> Self {
            Canned {
                requests: Some(Arc::default()),
                ..Self::new(status, body)
            }
        }

        /// The requests received so far (empty unless recording).
        pub fn requests(&self) -> Vec<Recorded> {
            self.requests
                .as_ref()
                .map(|r| r.lock().unwrap().clone())
                .unwrap_or_default()
        }
    }

    impl HttpConnector for Canned {
        fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
            if let Some(requests) = &self.requests {
                requests.lock().unwrap().push(Recorded {
                    method: request.method().to_string(),
                    uri: request.uri().to_string(),
                    headers: request
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    body: request.body().bytes().unwrap_or_default().to_vec(),
                });
            }
            HttpConnectorFuture::ready(Ok(response(self.status, &self.body)))
        }
    }

    impl HttpClient for Canned {
        fn http_connector(
            &self,
            _: &HttpConnectorSettings,
            _: &RuntimeComponents,
        ) -> SharedHttpConnector {
            self.clone().into_shared()
        }
    }

    /// The config both in-memory and loopback clients start from.
    pub fn config() -> aws_sdk_elasticache::config::Builder {
        Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(super::REGION))
            .credentials_provider(Credentials::new(
                super::ACCESS_KEY_ID,
                super::SECRET_ACCESS_KEY,
                None,
                None,
                "static",
            ))
    }

    /// A client sending through `http`.
    pub fn client(http: impl HttpClient + 'static) -> Client {
        Client::from_conf(config().http_client(http).build())
    }

    /// A client sending to `url` (e.g. `http://127.0.0.1:8080`) through the SDK's own hyper
    /// client, as its `default-https-client` feature builds it but with rustls on ring (the
    /// feature's aws-lc needs a long C build); plain HTTP for `http://` URLs.
    pub fn client_at(url: &str) -> Client {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        Client::from_conf(config().endpoint_url(url).http_client(http).build())
    }

    /// What a call returns, whole. Not boxed: the timed loops add no allocation per call.
    #[derive(Debug)]
    #[allow(clippy::large_enum_variant)]
    pub enum Outcome {
        /// The `TestMigration` result.
        TestMigration(Result<TestMigrationOutput, SdkError<TestMigrationError, HttpResponse>>),
        /// The `DescribeReplicationGroups` result.
        DescribeReplicationGroups(
            Result<
                DescribeReplicationGroupsOutput,
                SdkError<DescribeReplicationGroupsError, HttpResponse>,
            >,
        ),
    }

    /// One call of `op` with the benchmark's input (the same as ours).
    pub async fn send(client: &Client, op: Op) -> Outcome {
        match op {
            Op::TestMigration => Outcome::TestMigration(
                client
                    .test_migration()
                    .replication_group_id("my-replication-group-0001")
                    .customer_node_endpoint_list(
                        CustomerNodeEndpoint::builder()
                            .address("10.0.12.34")
                            .port(6379)
                            .build(),
                    )
                    .send()
                    .await,
            ),
            Op::DescribeReplicationGroups => Outcome::DescribeReplicationGroups(
                client
                    .describe_replication_groups()
                    .max_records(10)
                    .send()
                    .await,
            ),
        }
    }

    /// One TestMigration call; returns the replication group id or the error code.
    pub async fn call(client: &Client) -> String {
        let Outcome::TestMigration(result) = send(client, Op::TestMigration).await else {
            unreachable!()
        };
        match result {
            Ok(out) => out
                .replication_group()
                .and_then(|g| g.replication_group_id())
                .unwrap_or("")
                .to_string(),
            Err(e) => {
                let service = e.into_service_error();
                assert!(
                    service.is_replication_group_not_found_fault(),
                    "{service:?}"
                );
                service.meta().code().unwrap_or("").to_string()
            }
        }
    }
}
