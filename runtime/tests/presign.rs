//! SigV4 query-string presigning against published vectors: the AWS SigV4 test suite's
//! query-signed cases (aws-c-auth `v4/get-vanilla*`, current revision with `X-Amz-Expires`),
//! and ElastiCache IAM authentication tokens as botocore's `SigV4QueryAuth` presigns them
//! (the reference values were computed with botocore 1.44.8 and checked against an
//! independent HMAC derivation; they are facts about the algorithm, not our output).

use std::time::{Duration, UNIX_EPOCH};

use aws_lite_runtime::auth::{presign, Credentials, PresignRequest};

/// 2015-08-30T12:36:00Z, the test suite's signing time.
fn suite_time() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn suite_credentials(token: Option<&str>) -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        token.map(str::to_owned),
    )
}

fn signature(query: &str) -> &str {
    query.rsplit_once("X-Amz-Signature=").unwrap().1
}

#[test]
fn suite_get_vanilla() {
    let request = PresignRequest {
        method: "GET",
        host: "example.amazonaws.com",
        path: "/",
        query: "",
        expires: Duration::from_secs(3600),
    };
    let query = presign(
        &request,
        &suite_credentials(None),
        "us-east-1",
        "service",
        suite_time(),
    )
    .unwrap();
    assert_eq!(
        query,
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request\
         &X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d"
    );
}

#[test]
fn suite_get_vanilla_query_order_key_case() {
    let request = PresignRequest {
        method: "GET",
        host: "example.amazonaws.com",
        path: "/",
        query: "Param2=value2&Param1=value1",
        expires: Duration::from_secs(3600),
    };
    let query = presign(
        &request,
        &suite_credentials(None),
        "us-east-1",
        "service",
        suite_time(),
    )
    .unwrap();
    assert!(
        query.starts_with("Param2=value2&Param1=value1&X-Amz-Algorithm="),
        "{query}"
    );
    assert_eq!(
        signature(&query),
        "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5"
    );
}

#[test]
fn suite_get_vanilla_with_session_token() {
    let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    let request = PresignRequest {
        method: "GET",
        host: "example.amazonaws.com",
        path: "/",
        query: "",
        expires: Duration::from_secs(3600),
    };
    let query = presign(
        &request,
        &suite_credentials(Some(token)),
        "us-east-1",
        "service",
        suite_time(),
    )
    .unwrap();
    assert!(
        query.contains(&format!("&X-Amz-Security-Token={token}&")),
        "{query}"
    );
    assert_eq!(
        signature(&query),
        "7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c"
    );
}

/// ElastiCache IAM tokens: `GET http://<cache>/?Action=connect&User=<user>[&ResourceType=
/// ServerlessCache]`, service `elasticache`, 900 seconds.
fn elasticache_token(query: &str, token: Option<&str>) -> String {
    let request = PresignRequest {
        method: "GET",
        host: "my-group",
        path: "/",
        query,
        expires: Duration::from_secs(900),
    };
    presign(
        &request,
        &suite_credentials(token),
        "us-east-1",
        "elasticache",
        suite_time(),
    )
    .unwrap()
}

#[test]
fn elasticache_tokens_match_botocore() {
    let cases = [
        (
            "Action=connect&User=my-user",
            None,
            "4bf35c5480ca051331887fe3a13b91ff0b0dd151bf30b013525ed0d0a50940fc",
        ),
        (
            "Action=connect&User=my-user",
            Some("SESSIONTOKEN/+=example"),
            "45cd2d8eae0031190a4ff9f8b221bdb199ef5db694207c8721c9f04d460e4989",
        ),
        (
            "Action=connect&User=my-user&ResourceType=ServerlessCache",
            None,
            "fa1557dc6e84c9b9692daf330952199d8bc62a21c9fe3d6399d1165c92d13662",
        ),
        (
            "Action=connect&User=my-user&ResourceType=ServerlessCache",
            Some("SESSIONTOKEN/+=example"),
            "fe91bfb2842bac8746921cb5472b6eff73483a378a25be03dad77f28bcf5721e",
        ),
        (
            "Action=connect&User=a%20user%2B1",
            None,
            "a3268de1f63b6e6624304282ca371cd7cf5aa6b872a182c75da7c69a8c6d7714",
        ),
    ];
    for (query, token, expected) in cases {
        let signed = elasticache_token(query, token);
        assert_eq!(signature(&signed), expected, "{query} {token:?}");
        if token.is_some() {
            assert!(
                signed.contains("X-Amz-Security-Token=SESSIONTOKEN%2F%2B%3Dexample"),
                "{signed}"
            );
        }
    }
}

#[test]
fn presign_rejects_bad_input() {
    let mut request = PresignRequest {
        method: "GET",
        host: "my-group",
        path: "/",
        query: "",
        expires: Duration::from_secs(0),
    };
    let credentials = suite_credentials(None);
    let err = presign(
        &request,
        &credentials,
        "us-east-1",
        "elasticache",
        suite_time(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("expiry"), "{err}");
    request.expires = Duration::from_secs(8 * 24 * 3600);
    assert!(presign(
        &request,
        &credentials,
        "us-east-1",
        "elasticache",
        suite_time()
    )
    .is_err());
    request.expires = Duration::from_secs(900);
    request.host = "";
    assert!(presign(
        &request,
        &credentials,
        "us-east-1",
        "elasticache",
        suite_time()
    )
    .is_err());
    request.host = "my-group";
    assert!(presign(
        &request,
        &credentials,
        "us east",
        "elasticache",
        suite_time()
    )
    .is_err());
}
