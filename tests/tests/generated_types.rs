//! The committed crate behaves as its users expect: builders, enums, accessors, errors, serde.

use elasticache::types::error::ReplicationGroupNotFoundFault;
use elasticache::types::{
    AutomaticFailoverStatus, CustomerNodeEndpoint, NodeGroup, ReplicationGroup,
    TestMigrationMessage,
};

#[test]
fn input_builder_names_every_missing_required_member() {
    let err = TestMigrationMessage::builder().build().unwrap_err();
    assert_eq!(
        err.missing(),
        ["ReplicationGroupId", "CustomerNodeEndpointList"]
    );
    let text = err.to_string();
    assert!(text.contains("TestMigrationMessage"), "{text}");
    assert!(
        text.contains("ReplicationGroupId") && text.contains("CustomerNodeEndpointList"),
        "{text}"
    );

    let err = TestMigrationMessage::builder()
        .replication_group_id("rg")
        .build()
        .unwrap_err();
    assert_eq!(err.missing(), ["CustomerNodeEndpointList"]);
}

#[test]
fn fluent_builders_append_list_items() {
    let input = TestMigrationMessage::builder()
        .replication_group_id("my-rg")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.5")
                .port(6379)
                .build(),
        )
        .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address("10.0.0.6").build())
        .build()
        .expect("complete input");
    assert_eq!(input.replication_group_id(), Some("my-rg"));
    let endpoints = input.customer_node_endpoint_list();
    assert_eq!(endpoints.len(), 2);
    assert_eq!(endpoints[0].port(), Some(6379));
    assert_eq!(endpoints[1].port(), None);
}

#[test]
fn list_accessors_are_empty_slices_when_unset() {
    let group = ReplicationGroup::builder().build();
    assert!(group.member_clusters().is_empty());
    assert!(group.node_groups().is_empty());
    assert_eq!(group.replication_group_id(), None);
    let group = ReplicationGroup::builder()
        .node_groups(NodeGroup::builder().node_group_id("0001").build())
        .build();
    assert_eq!(group.node_groups()[0].node_group_id(), Some("0001"));
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(
        AutomaticFailoverStatus::from("enabled"),
        AutomaticFailoverStatus::Enabled
    );
    let future = AutomaticFailoverStatus::from("half-enabled");
    assert!(matches!(future, AutomaticFailoverStatus::Unknown(_)));
    assert_eq!(future.as_str(), "half-enabled");
    assert_eq!(future.to_string(), "half-enabled");
    let parsed: AutomaticFailoverStatus = "disabling".parse().unwrap();
    assert_eq!(parsed, AutomaticFailoverStatus::Disabling);
    assert!(AutomaticFailoverStatus::values().contains(&"enabling"));
    assert_eq!(AutomaticFailoverStatus::values().len(), 4);
}

#[test]
fn errors_are_std_errors_with_code_and_message() {
    let e = ReplicationGroupNotFoundFault::builder()
        .message("no such group")
        .build();
    let as_error: &dyn std::error::Error = &e;
    assert_eq!(
        as_error.to_string(),
        "ReplicationGroupNotFoundFault: no such group"
    );
    assert_eq!(
        ReplicationGroupNotFoundFault::CODE,
        "ReplicationGroupNotFoundFault"
    );
    assert_eq!(ReplicationGroupNotFoundFault::STATUS, 404);
    assert_eq!(
        elasticache::types::error::InvalidParameterValueException::CODE,
        "InvalidParameterValue"
    );
}

#[test]
fn serde_uses_model_member_names_and_omits_unset_members() {
    let group = ReplicationGroup::builder()
        .replication_group_id("rg-1")
        .automatic_failover(AutomaticFailoverStatus::Enabled)
        .cluster_enabled(true)
        .replication_group_create_time(aws_lite_runtime::DateTime::from_secs(1_700_000_000))
        .member_clusters("rg-1-001")
        .build();
    let json = serde_json::to_value(&group).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "ReplicationGroupId": "rg-1",
            "AutomaticFailover": "enabled",
            "ClusterEnabled": true,
            "ReplicationGroupCreateTime": "2023-11-14T22:13:20Z",
            "MemberClusters": ["rg-1-001"],
        })
    );
    let back: ReplicationGroup = serde_json::from_value(json).unwrap();
    assert_eq!(back, group);
}
