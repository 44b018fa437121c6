//! ec2Query rules, one test each, written from the protocol's specification, over the
//! `ec2-protocol` crate generated from `tests/fixtures/ec2-protocol/` (a model that uses every
//! construct).

use aws_lite_runtime::protocol::{HttpResponse, RequestId, SdkError};
use aws_lite_runtime::DateTime;
use ec2_protocol::operation::everything::{parse_response, serialize_request, EverythingError};
use ec2_protocol::operation::no_input;
use ec2_protocol::types::{EverythingRequest, Filter, Greeting, Nested, State};

/// The body after `Action=Everything&Version=2021-06-30`, with the random token removed.
fn body(input: &EverythingRequest) -> String {
    let req = serialize_request(input).unwrap();
    let rest = req
        .body
        .strip_prefix("Action=Everything&Version=2021-06-30")
        .expect("prefix");
    rest.split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("Token="))
        .map(|kv| format!("&{kv}"))
        .collect()
}

fn base() -> ec2_protocol::types::builders::EverythingRequestBuilder {
    EverythingRequest::builder()
}

#[test]
fn keys_are_capitalised_member_or_xml_names_and_ec2_query_name_wins() {
    let input = base()
        .plain("p")
        .lower_name("l")
        .dry_run(true)
        .named("n")
        .count(3)
        .when(DateTime::from_secs(0))
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Plain=p&LowerName=l&DryRun=true&QueryWins=n&Count=3&When=1970-01-01T00%3A00%3A00Z"
    );
}

#[test]
fn lists_are_always_flattened_and_the_item_xml_name_is_ignored() {
    let input = base()
        .ids("i-1")
        .ids("i-2")
        .filters(
            Filter::builder()
                .name("state")
                .values("running")
                .values("stopped")
                .build(),
        )
        .complex_list_arg(Greeting::builder().hi("hello").build())
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&InstanceId.1=i-1&InstanceId.2=i-2\
         &Filter.1.Name=state&Filter.1.Value.1=running&Filter.1.Value.2=stopped\
         &ComplexListArg.1.Hi=hello"
    );
}

#[test]
fn nested_structures_use_the_same_rules_at_every_level() {
    let input = base()
        .nested(Nested::builder().inner_value("v").deeper("a").build())
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&NestedThing.InnerValue=v&NestedThing.DeeperKey.1=a"
    );
}

#[test]
fn empty_lists_are_left_out() {
    let input = base()
        .set_ids(Some(vec![]))
        .filters(Filter::builder().name("x").set_values(Some(vec![])).build())
        .build()
        .unwrap();
    assert_eq!(body(&input), "&Filter.1.Name=x");
}

#[test]
fn an_operation_without_input_sends_action_and_version() {
    let req = no_input::serialize_request(&()).unwrap();
    assert_eq!(req.body, "Action=NoInput&Version=2021-06-30");
}

const OUTPUT: &str = r#"<EverythingResponse xmlns="https://example.com/ec2/">
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    <name>thing</name>
    <state>running</state>
    <count>7</count>
    <itemSet>
        <item><itemId>a</itemId><tagSet><item><key>k</key><value>v</value></item></tagSet></item>
        <item><itemId>b</itemId></item>
    </itemSet>
    <flat>x</flat>
    <flat>y</flat>
    <launchTime>2024-05-01T10:00:00.000Z</launchTime>
    <nextToken>t</nextToken>
</EverythingResponse>"#;

#[test]
fn output_members_sit_in_the_response_element_under_their_names_as_written() {
    let out = parse_response(&HttpResponse::new(200, vec![], OUTPUT)).unwrap();
    assert_eq!(out.name(), Some("thing"));
    assert_eq!(out.state(), Some(&State::Running));
    assert_eq!(out.count(), Some(7));
    let ids: Vec<_> = out.items().iter().map(|i| i.item_id().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(out.items()[0].tags()[0].value(), Some("v"));
    assert_eq!(out.flat(), ["x", "y"]);
    assert_eq!(out.launched().map(|t| t.secs()), Some(1_714_557_600));
    assert_eq!(out.next_token(), Some("t"));
}

#[test]
fn the_request_id_is_the_lowercase_request_id_element_unless_a_header_gives_one() {
    let out = parse_response(&HttpResponse::new(200, vec![], OUTPUT)).unwrap();
    assert_eq!(
        out.request_id(),
        Some("59dbff89-35bd-4eac-99ed-be587EXAMPLE")
    );
    let headers = vec![("x-amzn-RequestId".to_string(), "from-header".to_string())];
    let out = parse_response(&HttpResponse::new(200, headers, OUTPUT)).unwrap();
    assert_eq!(out.request_id(), Some("from-header"));
}

#[test]
fn a_result_wrapper_or_another_operation_s_response_is_not_accepted() {
    let wrapped = "<EverythingResponse><EverythingResult><name>n</name></EverythingResult></EverythingResponse>";
    // Unknown elements are skipped: the wrapper's content is not the output.
    let out = parse_response(&HttpResponse::new(200, vec![], wrapped)).unwrap();
    assert_eq!(out.name(), None);
    let other = "<NoInputResponse><value>v</value></NoInputResponse>";
    let e = parse_response(&HttpResponse::new(200, vec![], other)).unwrap_err();
    assert!(matches!(e, SdkError::Response(_)), "{e:?}");
    let ok = no_input::parse_response(&HttpResponse::new(200, vec![], other)).unwrap();
    assert_eq!(ok.value(), Some("v"));
}

const ERROR: &str =
    "<Response><Errors><Error><Code>InvalidThing</Code><Message>first</Message></Error>\
    <Error><Code>Other</Code><Message>second</Message></Error></Errors>\
    <RequestID>req-1</RequestID></Response>";

#[test]
fn errors_are_read_from_response_errors_error_with_request_id_and_the_first_wins() {
    let e = parse_response(&HttpResponse::new(400, vec![], ERROR))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    let EverythingError::InvalidThing(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(inner.message(), Some("first"));
    assert_eq!(e.request_id(), Some("req-1"));
    assert_eq!(e.code(), Some("InvalidThing"));
}

#[test]
fn the_error_code_is_the_shape_name_not_the_aws_query_error_code() {
    let custom = ERROR.replace(">InvalidThing<", ">NotUsedByEc2<");
    let e = parse_response(&HttpResponse::new(400, vec![], custom)).unwrap_err();
    assert!(
        matches!(e, SdkError::Service(EverythingError::Unhandled(_))),
        "{e:?}"
    );
    assert_eq!(e.into_service_error().unwrap().code(), Some("NotUsedByEc2"));
}
