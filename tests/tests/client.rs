//! The generated client end to end, in memory: fluent calls through the runtime pipeline
//! (endpoint, serialize, sign, retry, parse) to a mock transport that never opens a socket.

use std::time::Duration;

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::MockTransport;
use aws_lite_runtime::protocol::{HttpResponse, RequestId, SdkError};
use aws_lite_runtime::waiter::WaiterError;
use elasticache::types::CustomerNodeEndpoint;
use elasticache::{Client, Config};

fn xml(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, vec![], body)
}

fn client(mock: &MockTransport) -> Client {
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(mock.clone())
        .initial_backoff(Duration::from_millis(1))
        .build();
    Client::new(&config)
}

fn groups_page(ids_and_status: &[(&str, &str)], marker: Option<&str>) -> String {
    let groups: String = ids_and_status
        .iter()
        .map(|(id, status)| format!("<ReplicationGroup><ReplicationGroupId>{id}</ReplicationGroupId><Status>{status}</Status></ReplicationGroup>"))
        .collect();
    let marker = marker
        .map(|m| format!("<Marker>{m}</Marker>"))
        .unwrap_or_default();
    format!(
        "<DescribeReplicationGroupsResponse><DescribeReplicationGroupsResult>{marker}<ReplicationGroups>{groups}</ReplicationGroups>\
         </DescribeReplicationGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeReplicationGroupsResponse>"
    )
}

#[tokio::test]
async fn test_migration_sends_a_signed_form_post_to_the_regional_endpoint() {
    let mock = MockTransport::new().with_response(xml(
        200,
        "<TestMigrationResponse><TestMigrationResult><ReplicationGroup><ReplicationGroupId>rg</ReplicationGroupId>\
         <Status>available</Status></ReplicationGroup></TestMigrationResult>\
         <ResponseMetadata><RequestId>req-7</RequestId></ResponseMetadata></TestMigrationResponse>",
    ));
    let out = client(&mock)
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
        .unwrap();
    assert_eq!(out.replication_group().unwrap().status(), Some("available"));
    assert_eq!(out.request_id(), Some("req-7"));
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://elasticache.eu-west-1.amazonaws.com/");
    assert_eq!(
        req.body_text(),
        "Action=TestMigration&Version=2015-02-02&ReplicationGroupId=rg\
         &CustomerNodeEndpointList.member.1.Address=10.0.0.5&CustomerNodeEndpointList.member.1.Port=6379"
    );
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(
        auth.contains("/eu-west-1/elasticache/aws4_request"),
        "{auth}"
    );
}

#[tokio::test]
async fn missing_required_member_fails_before_sending() {
    let mock = MockTransport::new();
    let err = client(&mock)
        .test_migration()
        .replication_group_id("rg")
        .send()
        .await
        .unwrap_err();
    let SdkError::Build(b) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(b.missing(), ["CustomerNodeEndpointList"]);
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn modeled_not_found_is_typed_and_not_retried() {
    let mock = MockTransport::new().with_response(xml(
        404,
        "<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>nope</Message></Error>\
         <RequestId>e-1</RequestId></ErrorResponse>",
    ));
    let err = client(&mock)
        .describe_replication_groups()
        .replication_group_id("x")
        .send()
        .await
        .unwrap_err();
    let service = err.into_service_error().unwrap();
    assert!(service.is_replication_group_not_found_fault());
    assert_eq!(
        service.to_string(),
        "ReplicationGroupNotFoundFault: nope (request id: e-1, HTTP 404)"
    );
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test]
async fn paginator_follows_markers_and_stops_on_a_repeated_one() {
    let mock = MockTransport::from_responses([
        xml(
            200,
            &groups_page(&[("a", "available"), ("b", "available")], Some("m1")),
        ),
        xml(200, &groups_page(&[("c", "available")], Some("m2"))),
        xml(200, &groups_page(&[("d", "available")], None)),
    ]);
    let ids: Vec<String> = client(&mock)
        .describe_replication_groups()
        .into_paginator()
        .page_size(20)
        .items()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|g| g.replication_group_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let bodies: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.body_text().to_string())
        .collect();
    assert!(!bodies[0].contains("Marker="), "{}", bodies[0]);
    assert!(bodies[0].contains("MaxRecords=20"), "{}", bodies[0]);
    assert!(bodies[1].contains("Marker=m1") && bodies[2].contains("Marker=m2"));

    // A service that keeps sending the same marker does not loop forever.
    let looping = MockTransport::from_responses([
        xml(200, &groups_page(&[("a", "x")], Some("same"))),
        xml(200, &groups_page(&[("b", "x")], Some("same"))),
    ]);
    let all = client(&looping)
        .describe_replication_groups()
        .into_paginator()
        .items()
        .collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(looping.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn available_waiter_polls_until_every_group_is_available() {
    let mock = MockTransport::from_responses([
        xml(200, &groups_page(&[("rg", "creating")], None)),
        xml(200, &groups_page(&[("rg", "modifying")], None)),
        xml(200, &groups_page(&[("rg", "available")], None)),
    ]);
    let done = client(&mock)
        .wait_until_replication_group_available()
        .replication_group_id("rg")
        .wait(Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(
        done.output().unwrap().replication_groups()[0].status(),
        Some("available")
    );
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn waiters_fail_fast_on_failure_acceptors_and_succeed_on_not_found() {
    let mock = MockTransport::from_responses([xml(200, &groups_page(&[("rg", "deleted")], None))]);
    let err = client(&mock)
        .wait_until_replication_group_available()
        .wait(Duration::from_secs(600))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            WaiterError::Failure {
                acceptor: Some(1),
                ..
            }
        ),
        "{err}"
    );

    let mock = MockTransport::from_responses([
        xml(200, &groups_page(&[("rg", "deleting")], None)),
        xml(
            404,
            "<ErrorResponse><Error><Code>ReplicationGroupNotFoundFault</Code><Message>gone</Message></Error><RequestId>x</RequestId></ErrorResponse>",
        ),
    ]);
    let done = client(&mock)
        .wait_until_replication_group_deleted()
        .replication_group_id("rg")
        .wait(Duration::from_secs(600))
        .await
        .unwrap();
    assert!(done.output().is_none());
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn waiter_gives_up_after_the_maximum_wait() {
    let mock = MockTransport::from_fn(|_| Ok(xml(200, &groups_page(&[("rg", "creating")], None))));
    let err = client(&mock)
        .wait_until_replication_group_available()
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    let WaiterError::TimedOut { attempts, .. } = err else {
        panic!("{err}")
    };
    assert!(
        (2..=5).contains(&attempts),
        "{attempts} polls in 60 s with a 15 s minimum delay"
    );
}
