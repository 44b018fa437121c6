//! What each kind of call error says, as a person reads it: the operation, the attempts when
//! there were retries, and what happened (snapshots of `Display`). Through the generated
//! client and a mock transport.

use std::time::Duration;

use elasticache::config::{Credentials, MockTransport};
use elasticache::error::{SdkError, TransportError};
use elasticache::primitives::HttpResponse;
use elasticache::types::CustomerNodeEndpoint;
use elasticache::{Client, Config};

fn config(mock: &MockTransport) -> elasticache::config::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(mock.clone())
        .initial_backoff(Duration::from_millis(1))
}

async fn test_migration(config: elasticache::config::ConfigBuilder) -> String {
    let err = Client::new(&config.build())
        .test_migration()
        .replication_group_id("rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.5")
                .port(6379)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    err.to_string()
}

fn html(status: u16) -> HttpResponse {
    HttpResponse::new(
        status,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
    )
}

#[tokio::test]
async fn an_html_page_three_times_reads_as_a_foreign_body_after_three_attempts() {
    let mock = MockTransport::from_fn(|_| Ok(html(500)));
    insta::assert_snapshot!("foreign_body", test_migration(config(&mock)).await);
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn a_malformed_error_response_reads_as_malformed() {
    let mock = MockTransport::new().with_response(HttpResponse::new(
        400,
        vec![],
        "<ErrorResponse><Error><Code>InvalidParameterValue",
    ));
    insta::assert_snapshot!("malformed_error", test_migration(config(&mock)).await);
}

#[tokio::test]
async fn a_malformed_success_response_reads_as_malformed() {
    let mock = MockTransport::new().with_response(HttpResponse::new(
        200,
        vec![],
        "<TestMigrationResponse><TestMigrationResult><ReplicationGroup><Status>",
    ));
    insta::assert_snapshot!("malformed_success", test_migration(config(&mock)).await);
}

#[tokio::test]
async fn a_modeled_service_error() {
    let mock = MockTransport::new().with_response(HttpResponse::new(
        404,
        vec![],
        "<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code>\
         <Message>Replication group rg not found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>",
    ));
    insta::assert_snapshot!("service_modeled", test_migration(config(&mock)).await);
}

#[tokio::test]
async fn a_throttled_call_names_its_attempts() {
    let mock = MockTransport::from_fn(|_| {
        Ok(HttpResponse::new(
            400,
            vec![],
            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\
             <RequestId>req-2</RequestId></ErrorResponse>",
        ))
    });
    insta::assert_snapshot!(
        "service_unmodeled_retried",
        test_migration(config(&mock)).await
    );
}

#[tokio::test]
async fn a_transport_failure() {
    let mock = MockTransport::from_fn(|_| {
        Err(TransportError::connect("connection refused (os error 111)"))
    });
    insta::assert_snapshot!("transport", test_migration(config(&mock)).await);
}

#[tokio::test]
async fn a_request_that_cannot_be_built() {
    let mock = MockTransport::new();
    let err = Client::new(&config(&mock).build())
        .test_migration()
        .replication_group_id("rg")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Build(_)));
    insta::assert_snapshot!("build", err.to_string());
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn no_region() {
    let mock = MockTransport::new();
    let config = Config::builder()
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(mock.clone());
    insta::assert_snapshot!("endpoint", test_migration(config).await);
}

#[tokio::test]
async fn no_credentials() {
    let mock = MockTransport::new();
    let config = Config::builder()
        .region("us-east-1")
        .transport(mock.clone());
    insta::assert_snapshot!("credentials", test_migration(config).await);
}

#[tokio::test]
async fn credentials_that_cannot_sign() {
    let mock = MockTransport::new();
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID EXAMPLE/x", "secret", None))
        .transport(mock.clone());
    insta::assert_snapshot!("signing", test_migration(config).await);
}
