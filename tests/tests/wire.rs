//! The generated awsQuery wire layer of TestMigration, driven through its public entry points.

use aws_lite_runtime::protocol::{HttpResponse, ProvideErrorMeta, RequestId, SdkError};
use elasticache::operation::test_migration::{
    parse_response, serialize_request, TestMigrationError,
};
use elasticache::types::{AutomaticFailoverStatus, CustomerNodeEndpoint, TestMigrationMessage};

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, vec![], body)
}

#[test]
fn request_is_a_form_post_with_action_version_and_members_in_model_order() {
    let input = TestMigrationMessage::builder()
        .replication_group_id("my rg/1+&=~*é")
        .customer_node_endpoint_list(
            CustomerNodeEndpoint::builder()
                .address("10.0.0.5")
                .port(6379)
                .build(),
        )
        .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address("10.0.0.6").build())
        .build()
        .unwrap();
    let req = serialize_request(&input).unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/");
    assert_eq!(
        req.headers,
        vec![(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8".to_string()
        )]
    );
    assert_eq!(
        req.body,
        "Action=TestMigration&Version=2015-02-02\
         &ReplicationGroupId=my%20rg%2F1%2B%26%3D~%2A%C3%A9\
         &CustomerNodeEndpointList.member.1.Address=10.0.0.5\
         &CustomerNodeEndpointList.member.1.Port=6379\
         &CustomerNodeEndpointList.member.2.Address=10.0.0.6"
    );
}

#[test]
fn empty_list_is_sent_as_key_with_empty_value() {
    let mut input = TestMigrationMessage::builder()
        .replication_group_id("rg")
        .set_customer_node_endpoint_list(Some(vec![]))
        .build()
        .unwrap();
    let req = serialize_request(&input).unwrap();
    assert_eq!(
        req.body,
        "Action=TestMigration&Version=2015-02-02&ReplicationGroupId=rg&CustomerNodeEndpointList="
    );
    // A required member cleared after building is caught before sending.
    input.replication_group_id = None;
    let err = serialize_request(&input).unwrap_err();
    assert_eq!(err.missing(), ["ReplicationGroupId"]);
}

#[test]
fn parses_output_and_request_id() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<TestMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <TestMigrationResult>
    <ReplicationGroup>
      <ReplicationGroupId>rg &amp; co</ReplicationGroupId>
      <FutureMember><Nested><Deeper>x</Deeper></Nested></FutureMember>
      <Status><![CDATA[avail]]>able</Status>
      <AutomaticFailover>half-enabled</AutomaticFailover>
      <ClusterEnabled>true</ClusterEnabled>
      <MemberClusters><ClusterId>a</ClusterId><ClusterId>b</ClusterId></MemberClusters>
      <UserGroupIds/>
      <Description></Description>
      <ReplicationGroupCreateTime>2024-01-02T03:04:05.123+01:00</ReplicationGroupCreateTime>
      <NodeGroups>
        <NodeGroup><NodeGroupId>0001</NodeGroupId><PrimaryEndpoint><Address>h</Address><Port>6379</Port></PrimaryEndpoint></NodeGroup>
      </NodeGroups>
    </ReplicationGroup>
  </TestMigrationResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</TestMigrationResponse>"#;
    let out = parse_response(&response(200, body)).unwrap();
    assert_eq!(out.request_id(), Some("req-1"));
    let g = out.replication_group().unwrap();
    assert_eq!(g.replication_group_id(), Some("rg & co"));
    assert_eq!(g.status(), Some("available"));
    assert_eq!(g.automatic_failover().unwrap().as_str(), "half-enabled");
    assert!(matches!(
        g.automatic_failover(),
        Some(AutomaticFailoverStatus::Unknown(_))
    ));
    assert_eq!(g.cluster_enabled(), Some(true));
    assert_eq!(g.member_clusters(), ["a", "b"]);
    assert_eq!(
        g.user_group_ids,
        Some(vec![]),
        "an empty element is an empty list, not a missing one"
    );
    assert_eq!(g.description(), Some(""));
    let t = g.replication_group_create_time().unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_704_161_045, 123_000_000));
    assert_eq!(
        g.node_groups()[0].primary_endpoint().unwrap().port(),
        Some(6379)
    );
    assert_eq!(g.snapshot_window(), None);
}

/// A structure member sent twice (AWS never does) takes the second element's value whole: the
/// first one's members do not leak into it.
#[test]
fn a_repeated_structure_element_replaces_the_first() {
    let body = "<TestMigrationResponse><TestMigrationResult>\
        <ReplicationGroup><ReplicationGroupId>first</ReplicationGroupId><Status>old</Status>\
        <ConfigurationEndpoint><Address>a.example</Address><Port>1</Port></ConfigurationEndpoint>\
        <ConfigurationEndpoint><Port>2</Port></ConfigurationEndpoint></ReplicationGroup>\
        <ReplicationGroup><ReplicationGroupId>second</ReplicationGroupId>\
        <ConfigurationEndpoint><Address>b.example</Address></ConfigurationEndpoint></ReplicationGroup>\
        </TestMigrationResult></TestMigrationResponse>";
    let out = parse_response(&response(200, body)).unwrap();
    let group = out.replication_group().unwrap();
    assert_eq!(group.replication_group_id(), Some("second"));
    assert_eq!(group.status(), None);
    let endpoint = group.configuration_endpoint().unwrap();
    assert_eq!(
        (endpoint.address(), endpoint.port()),
        (Some("b.example"), None)
    );

    // Within one element too: the second endpoint replaces the first.
    let body = body.replace(
        "<ReplicationGroup><ReplicationGroupId>second",
        "<Skipped><ReplicationGroupId>second",
    );
    let body = body.replace(
        "</ReplicationGroup></TestMigrationResult>",
        "</Skipped></TestMigrationResult>",
    );
    let out = parse_response(&response(200, &body)).unwrap();
    let group = out.replication_group().unwrap();
    assert_eq!(group.replication_group_id(), Some("first"));
    let endpoint = group.configuration_endpoint().unwrap();
    assert_eq!((endpoint.address(), endpoint.port()), (None, Some(2)));
}

#[test]
fn request_id_header_wins_over_body() {
    let body = "<TestMigrationResponse><TestMigrationResult/><ResponseMetadata><RequestId>body</RequestId></ResponseMetadata></TestMigrationResponse>";
    let resp = HttpResponse::new(
        200,
        vec![("X-Amzn-RequestId".into(), "header".into())],
        body,
    );
    assert_eq!(parse_response(&resp).unwrap().request_id(), Some("header"));
}

#[test]
fn an_error_takes_the_header_request_id_else_the_body_one_and_keeps_code_and_message() {
    let body =
        "<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code>\
        <Message> gone &amp; done </Message></Error><RequestId>body</RequestId></ErrorResponse>";
    for (headers, id) in [
        (
            vec![("x-amzn-RequestId".to_string(), "header".to_string())],
            "header",
        ),
        (vec![], "body"),
    ] {
        let err = parse_response(&HttpResponse::new(404, headers, body)).unwrap_err();
        let SdkError::Service(e) = err else {
            panic!("expected a service error, got {err:?}")
        };
        let TestMigrationError::ReplicationGroupNotFoundFault(inner) = &e else {
            panic!("wrong variant: {e:?}")
        };
        // The member and the metadata hold the same message, untrimmed, references decoded.
        assert_eq!(inner.message(), Some(" gone & done "));
        assert_eq!(e.message(), Some(" gone & done "));
        assert_eq!(e.code(), Some("ReplicationGroupNotFoundFault"));
        assert_eq!(e.request_id(), Some(id));
        assert_eq!(inner.request_id(), Some(id));
    }
    // An unmodeled code keeps its code too.
    let other = body.replace("ReplicationGroupNotFoundFault", "Throttling");
    let err = parse_response(&HttpResponse::new(400, vec![], other)).unwrap_err();
    let SdkError::Service(e) = err else {
        panic!("expected a service error, got {err:?}")
    };
    assert!(matches!(e, TestMigrationError::Unhandled(_)), "{e:?}");
    assert_eq!(
        (e.code(), e.message()),
        (Some("Throttling"), Some(" gone & done "))
    );
}

#[test]
fn modeled_errors_dispatch_on_code_not_status() {
    let body = r#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>bad &lt;port&gt;</Message></Error>
  <RequestId>r-9</RequestId></ErrorResponse>"#;
    // Status 404 is not the modeled 400: the code still decides.
    let err = parse_response(&response(404, body)).unwrap_err();
    let SdkError::Service(e) = err else {
        panic!("expected a service error")
    };
    let TestMigrationError::InvalidParameterValueException(inner) = &e else {
        panic!("wrong variant: {e:?}")
    };
    assert_eq!(inner.message(), Some("bad <port>"));
    assert_eq!(inner.request_id(), Some("r-9"));
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert_eq!(e.status(), 404);
    assert_eq!(
        e.to_string(),
        "InvalidParameterValue: bad <port> (request id: r-9, HTTP 404)"
    );
}

#[test]
fn not_found_fault_and_unmodeled_codes() {
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>nope</Message></Error><RequestId>r</RequestId></ErrorResponse>";
    let e = parse_response(&response(404, body))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(e.is_replication_group_not_found_fault());
    let body = "<ErrorResponse><Error><Code>Throttling</Code><Message>slow down</Message></Error><RequestId>r2</RequestId></ErrorResponse>";
    let e = parse_response(&response(400, body))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    let TestMigrationError::Unhandled(u) = &e else {
        panic!("expected unhandled")
    };
    assert_eq!(u.code(), Some("Throttling"));
    assert_eq!(e.meta().request_id.as_deref(), Some("r2"));
    assert_eq!(
        e.to_string(),
        "Throttling: slow down (request id: r2, HTTP 400)"
    );
}

#[test]
fn bodies_that_are_not_awsquery_xml_give_a_response_error() {
    for (status, body) in [
        (502, "<html><body>Bad Gateway</body></html>"),
        (500, ""),
        (
            200,
            "<TestMigrationResponse><TestMigrationResult><ReplicationGroup>",
        ),
        (200, "<SomethingElse/>"),
        (200, "not xml at all"),
        (
            400,
            "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>",
        ),
    ] {
        match parse_response(&response(status, body)) {
            Err(SdkError::Response(e)) => {
                assert_eq!(e.status(), status);
                assert!(body.starts_with(e.excerpt().trim_end_matches('…')), "{e}");
                let text = e.to_string();
                assert!(text.contains(&format!("HTTP {status}")), "{text}");
            }
            other => panic!("{status} {body:?}: expected a response error, got {other:?}"),
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut body = String::from("<TestMigrationResponse><TestMigrationResult><ReplicationGroup>");
    body.push_str(&"<NodeGroups>".repeat(depth));
    body.push_str(&"</NodeGroups>".repeat(depth));
    body.push_str("</ReplicationGroup></TestMigrationResult></TestMigrationResponse>");
    assert!(matches!(
        parse_response(&response(200, &body)),
        Err(SdkError::Response(_))
    ));
}

#[test]
fn ec2_style_errors_wrapper_is_read_too() {
    // Some awsQuery services (and moto) wrap the error in `<Errors>`, as EC2 does.
    let body = "<ErrorResponse><Errors><Error><Code>ReplicationGroupNotFoundFault</Code><Message>gone</Message></Error></Errors><RequestId>r</RequestId></ErrorResponse>";
    let e = parse_response(&response(404, body))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(e.is_replication_group_not_found_fault(), "{e:?}");
    assert_eq!(e.message(), Some("gone"));
}

#[test]
fn the_root_is_matched_by_its_local_name_and_a_wrong_one_is_named() {
    // A namespace prefix on the envelope is fine.
    let body =
        "<a:TestMigrationResponse xmlns:a='urn:x'><a:TestMigrationResult><a:ReplicationGroup>\
                <a:ReplicationGroupId>rg</a:ReplicationGroupId></a:ReplicationGroup>\
                </a:TestMigrationResult></a:TestMigrationResponse>";
    let out = parse_response(&response(200, body)).unwrap();
    let group = out.replication_group().unwrap();
    assert_eq!(group.replication_group_id(), Some("rg"));
    // Another operation's answer: the service's XML, but not this response.
    let body = "<a:DescribeReplicationGroupsResponse xmlns:a='urn:x'/>";
    match parse_response(&response(200, body)) {
        Err(SdkError::Response(e)) => assert!(
            e.to_string().starts_with(
                "HTTP 200 with a malformed response: not a valid TestMigration response: \
                 expected <TestMigrationResponse>, found <DescribeReplicationGroupsResponse>"
            ),
            "{e}"
        ),
        other => panic!("expected a response error, got {other:?}"),
    }
}
