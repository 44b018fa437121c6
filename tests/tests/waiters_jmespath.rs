//! Waiter expressions beyond member paths, compiled by the generator and run against canned
//! responses: filters, functions, negative indexes, object projections, `&&`/`!`, and an
//! `inputOutput` acceptor. Over the `query-protocol` crate (`tests/fixtures/protocol/`, the
//! `Counted` and `Echoed` waiters of `Everything`). Expected outcomes follow JMESPath's
//! specification, worked out by hand for each body.

use std::time::Duration;

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::MockTransport;
use aws_lite_runtime::protocol::HttpResponse;
use aws_lite_runtime::waiter::WaiterError;
use query_protocol::{Client, Config};

fn client(mock: &MockTransport) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("a", "b", None))
        .transport(mock.clone())
        .initial_backoff(Duration::from_millis(1))
        .build();
    Client::new(&config)
}

fn body(inner: &str) -> HttpResponse {
    HttpResponse::new(
        200,
        vec![],
        format!(
            "<EverythingResponse><EverythingResult>{inner}</EverythingResult></EverythingResponse>"
        ),
    )
}

fn nested(name: &str, value: i32) -> String {
    format!("<member><Name>{name}</Name><Inner><Value>{value}</Value></Inner></member>")
}

/// How the `Counted` wait ended: `success`, `failure <acceptor index>`, or `polling` (no
/// acceptor decided before time ran out).
async fn counted(response: HttpResponse) -> String {
    let mock = MockTransport::from_fn(move |_| Ok(response.clone()));
    match client(&mock)
        .wait_until_counted()
        .wait(Duration::from_secs(30))
        .await
    {
        Ok(_) => "success".into(),
        Err(WaiterError::Failure {
            acceptor: Some(i), ..
        }) => format!("failure {i}"),
        Err(WaiterError::TimedOut { .. }) => "polling".into(),
        Err(e) => format!("{e:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_filter_inside_length_counts_matching_items() {
    // Two of three structures have Inner.Value > 2: length(...) >= 2 holds → success.
    let ok = body(&format!(
        "<Structs>{}{}{}</Structs>",
        nested("a", 3),
        nested("b", 1),
        nested("c", 5)
    ));
    assert_eq!(counted(ok).await, "success");
    // Only one does: nothing else matches, so the waiter keeps polling.
    let one = body(&format!(
        "<Structs>{}{}</Structs>",
        nested("a", 3),
        nested("b", 1)
    ));
    assert_eq!(counted(one).await, "polling");
}

#[tokio::test(start_paused = true)]
async fn contains_over_a_flattened_list_of_lists_fails_the_wait() {
    let stop = body("<ListOfLists><member><member>go</member></member><member><member>stop</member></member></ListOfLists>");
    assert_eq!(counted(stop).await, "failure 1");
    let go = body("<ListOfLists><member><member>go</member></member></ListOfLists>");
    assert_eq!(counted(go).await, "polling");
}

#[tokio::test(start_paused = true)]
async fn an_object_projection_over_a_map_of_structures() {
    let entry =
        |k: &str, name: &str| format!("<entry><K>{k}</K><V><Name>{name}</Name></V></entry>");
    let done = body(&format!(
        "<NamedMap>{}{}</NamedMap>",
        entry("x", "done"),
        entry("y", "done")
    ));
    assert_eq!(counted(done).await, "success");
    let mixed = body(&format!(
        "<NamedMap>{}{}</NamedMap>",
        entry("x", "done"),
        entry("y", "busy")
    ));
    assert_eq!(counted(mixed).await, "polling");
    // An empty projection never satisfies allStringEquals.
    assert_eq!(counted(body("<NamedMap></NamedMap>")).await, "polling");
}

#[tokio::test(start_paused = true)]
async fn an_index_then_a_member() {
    let broken = body(&format!("<Structs>{}</Structs>", nested("broken", 0)));
    assert_eq!(counted(broken).await, "failure 3");
}

#[tokio::test(start_paused = true)]
async fn a_negative_index_and_a_negated_boolean() {
    let last =
        body("<Flag>false</Flag><Strings><member>first</member><member>last</member></Strings>");
    assert_eq!(counted(last).await, "success");
    // `!Flag` is false when Flag is true.
    let flagged = body("<Flag>true</Flag><Strings><member>last</member></Strings>");
    assert_eq!(counted(flagged).await, "polling");
    // `!Flag` is true when Flag is absent (null is falsy).
    let absent = body("<Strings><member>last</member></Strings>");
    assert_eq!(counted(absent).await, "success");
}

#[tokio::test(start_paused = true)]
async fn an_error_type_acceptor_keeps_polling() {
    let err = HttpResponse::new(
        500,
        vec![],
        "<ErrorResponse><Error><Code>PlainError</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    );
    assert_eq!(counted(err).await, "polling");
}

#[tokio::test(start_paused = true)]
async fn an_input_output_acceptor_compares_the_request_with_the_response() {
    let echo = body("<Str>hello</Str>");
    let mock = MockTransport::from_fn(move |_| Ok(echo.clone()));
    let waited = client(&mock)
        .wait_until_echoed()
        .str("hello")
        .wait(Duration::from_secs(30))
        .await;
    assert!(waited.is_ok(), "{waited:?}");
    assert_eq!(mock.request_count(), 1);

    let other = body("<Str>something else</Str>");
    let mock = MockTransport::from_fn(move |_| Ok(other.clone()));
    let waited = client(&mock)
        .wait_until_echoed()
        .str("hello")
        .wait(Duration::from_secs(30))
        .await;
    assert!(
        matches!(waited, Err(WaiterError::TimedOut { .. })),
        "{waited:?}"
    );
    assert!(mock.request_count() > 1);
}

#[test]
fn the_generator_accepts_exactly_the_functions_the_runtime_implements() {
    assert_eq!(
        codegen::emit::WAITER_FUNCTIONS,
        aws_lite_runtime::jmespath::FUNCTIONS
    );
}
