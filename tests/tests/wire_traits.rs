//! Traits that change the wire, through the generated client to a mock transport:
//! `smithy.api#endpoint` host prefixes with `hostLabel` members, `smithy.api#requestCompression`
//! (gzip), and idempotency tokens from the config's provider. Over the `query-protocol` crate
//! (`tests/fixtures/protocol/`).

use std::time::Duration;

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::{ConfigBuilder, IdempotencyTokenProvider, MockTransport};
use aws_lite_runtime::protocol::{HttpResponse, SdkError};
use query_protocol::{Client, Config};

fn ok(op: &str) -> HttpResponse {
    HttpResponse::new(
        200,
        vec![],
        format!("<{op}Response><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{op}Response>"),
    )
}

fn builder(mock: &MockTransport) -> ConfigBuilder {
    Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(mock.clone())
        .initial_backoff(Duration::from_millis(1))
}

fn client(config: ConfigBuilder) -> Client {
    Client::new(&config.build())
}

#[tokio::test]
async fn host_prefix_is_filled_from_the_host_label_member() {
    let mock = MockTransport::new().with_response(ok("HostPrefixed"));
    client(builder(&mock))
        .host_prefixed()
        .label("abc-1")
        .send()
        .await
        .unwrap();
    let req = &mock.requests()[0];
    assert_eq!(req.url, "https://abc-1.data-query.eu-west-1.amazonaws.com/");
    assert_eq!(
        req.header("host"),
        Some("abc-1.data-query.eu-west-1.amazonaws.com")
    );
}

#[tokio::test]
async fn an_invalid_host_label_is_refused_before_sending() {
    for bad in ["", "a.b", "-x", "has space", &"x".repeat(64)] {
        let mock = MockTransport::new().with_response(ok("HostPrefixed"));
        let err = client(builder(&mock))
            .host_prefixed()
            .label(bad)
            .send()
            .await
            .unwrap_err();
        let SdkError::Build(e) = &err else {
            panic!("{bad:?}: {err:?}")
        };
        assert_eq!(e.invalid(), Some("Label"), "{bad:?}");
        assert_eq!(mock.request_count(), 0, "{bad:?} was sent");
    }
}

#[tokio::test]
async fn host_prefix_can_be_disabled() {
    let mock = MockTransport::new().with_response(ok("HostPrefixed"));
    client(builder(&mock).disable_host_prefix(true))
        .host_prefixed()
        .label("abc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].url,
        "https://query.eu-west-1.amazonaws.com/"
    );
}

#[tokio::test]
async fn idempotency_tokens_come_from_the_configured_provider() {
    let mock = MockTransport::new()
        .with_response(ok("HostPrefixed"))
        .with_response(ok("HostPrefixed"));
    let c =
        client(builder(&mock).idempotency_token_provider(IdempotencyTokenProvider::fixed("tok-1")));
    c.host_prefixed().label("a").send().await.unwrap();
    c.host_prefixed()
        .label("a")
        .token("mine")
        .send()
        .await
        .unwrap();
    let bodies: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.body_text().into_owned())
        .collect();
    assert!(bodies[0].ends_with("&Token=tok-1"), "{}", bodies[0]);
    assert!(bodies[1].ends_with("&Token=mine"), "{}", bodies[1]);
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    assert_eq!(&body[..3], &[0x1f, 0x8b, 8], "a gzip member");
    miniz_oxide::inflate::decompress_to_vec(&body[10..body.len() - 8]).expect("inflates")
}

#[tokio::test]
async fn large_bodies_of_compressed_operations_are_gzipped_and_signed_as_sent() {
    let mock = MockTransport::new().with_response(ok("Compressed"));
    let payload = "metric ".repeat(2_000);
    client(builder(&mock))
        .compressed()
        .payload(payload.clone())
        .send()
        .await
        .unwrap();
    let req = &mock.requests()[0];
    assert_eq!(req.header("content-encoding"), Some("gzip"));
    assert_eq!(
        req.header("content-length"),
        Some(req.body.len().to_string().as_str())
    );
    let plain = String::from_utf8(gunzip(&req.body)).unwrap();
    assert!(
        plain.starts_with("Action=Compressed&Version=2020-01-08&Payload=metric%20"),
        "{}",
        &plain[..60]
    );
    assert!(req.body.len() < plain.len() / 10);
    // The signature covers the compressed body and the encoding header.
    let auth = req.header("authorization").unwrap();
    assert!(auth.contains("content-encoding"), "{auth}");
}

#[tokio::test]
async fn small_bodies_and_a_disabled_setting_go_uncompressed() {
    let mock = MockTransport::new()
        .with_response(ok("Compressed"))
        .with_response(ok("Compressed"))
        .with_response(ok("Compressed"));
    client(builder(&mock))
        .compressed()
        .payload("small")
        .send()
        .await
        .unwrap();
    let big = "x".repeat(20_000);
    client(builder(&mock).disable_request_compression(true))
        .compressed()
        .payload(big.clone())
        .send()
        .await
        .unwrap();
    client(builder(&mock).request_min_compression_size_bytes(0))
        .compressed()
        .payload("small")
        .send()
        .await
        .unwrap();
    let reqs = mock.requests();
    assert_eq!(reqs[0].header("content-encoding"), None);
    assert!(reqs[0].body_text().ends_with("Payload=small"));
    assert_eq!(reqs[1].header("content-encoding"), None);
    assert_eq!(reqs[2].header("content-encoding"), Some("gzip"));
    // Operations without the trait are never compressed.
    let mock = MockTransport::new().with_response(ok("HostPrefixed"));
    client(builder(&mock).request_min_compression_size_bytes(0))
        .host_prefixed()
        .label("a")
        .send()
        .await
        .unwrap();
    assert_eq!(mock.requests()[0].header("content-encoding"), None);
}

#[test]
fn compression_settings_come_from_the_environment() {
    // The only test of this binary that touches these variables.
    std::env::set_var("AWS_DISABLE_REQUEST_COMPRESSION", "true");
    std::env::set_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "128");
    let config = Config::builder().load_from_env("QUERY").build();
    assert!(config.disable_request_compression());
    assert_eq!(config.request_min_compression_size_bytes(), 128);
    std::env::set_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "99999999");
    std::env::remove_var("AWS_DISABLE_REQUEST_COMPRESSION");
    let config = Config::builder().load_from_env("QUERY").build();
    assert!(!config.disable_request_compression());
    assert_eq!(
        config.request_min_compression_size_bytes(),
        10_240,
        "out of range: ignored"
    );
    std::env::remove_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES");
}
