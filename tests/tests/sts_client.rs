//! The generated STS client (`generated-sts/`, from `model-sts/`) over a mock transport: the
//! unsigned `AssumeRoleWithWebIdentity`, the signed `AssumeRole`, the endpoint's signing
//! region override, and `aws_lite_credentials::StsClient` turning responses into credentials.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite_credentials::StsClient;
use aws_lite_runtime::auth::{AssumeRoleRequest, Credentials, StsApi, WebIdentityCredentials};
use aws_lite_runtime::client::{MockTransport, Transport};
use aws_lite_runtime::protocol::HttpResponse;

const ASSUMED: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAWEBIDENTITY</AccessKeyId>
      <SecretAccessKey>webSecretwebSecretwebSecret</SecretAccessKey>
      <SessionToken>webSessionToken</SessionToken>
      <Expiration>2100-01-01T00:00:00Z</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:app</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

const ROLE: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>roleSecretroleSecretroleSecret</SecretAccessKey>
      <SessionToken>roleSessionToken</SessionToken>
      <Expiration>2100-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser><AssumedRoleId>AROA:ci</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/deployer/ci</Arn></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, vec![("content-type".into(), "text/xml".into())], body)
}

fn config(mock: &MockTransport, region: &str) -> sts::config::Config {
    sts::config::Config::builder()
        .region(region)
        .transport(Arc::new(mock.clone()) as Arc<dyn Transport>)
        .build()
}

#[tokio::test]
async fn web_identity_is_sent_unsigned_without_credentials() {
    let mock = MockTransport::new().with_response(ok(ASSUMED));
    // No credentials at all: the operation must not ask for them.
    let client = sts::Client::new(&config(&mock, "eu-west-1"));
    let out = client
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::123456789012:role/app")
        .role_session_name("app")
        .web_identity_token("eyJhbGciOi.token.sig")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.credentials().unwrap().access_key_id(),
        "ASIAWEBIDENTITY"
    );
    let request = &mock.requests()[0];
    assert_eq!(request.url, "https://sts.eu-west-1.amazonaws.com/");
    assert!(request.header("authorization").is_none(), "{request:?}");
    assert!(request.header("x-amz-date").is_none(), "{request:?}");
    assert_eq!(
        request.body_text(),
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
         &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&RoleSessionName=app\
         &WebIdentityToken=eyJhbGciOi.token.sig"
    );
    // The session token is sensitive in our model: Debug hides it.
    let debug = format!("{:?}", out.credentials().unwrap());
    assert!(
        !debug.contains("webSessionToken") && !debug.contains("webSecret"),
        "{debug}"
    );
}

#[tokio::test]
async fn assume_role_is_signed_and_global_endpoint_signs_for_us_east_1() {
    let mock = MockTransport::new()
        .with_response(ok(ROLE))
        .with_response(ok(ROLE));
    let source = Credentials::new("AKIDSOURCE", "sourceSecretsourceSecret", None);
    let regional = sts::config::Config::builder()
        .region("ap-southeast-2")
        .credentials(source.clone())
        .transport(Arc::new(mock.clone()) as Arc<dyn Transport>)
        .build();
    sts::Client::new(&regional)
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/deployer")
        .role_session_name("ci")
        .send()
        .await
        .unwrap();
    let global = regional.to_builder().region("aws-global").build();
    sts::Client::new(&global)
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/deployer")
        .role_session_name("ci")
        .send()
        .await
        .unwrap();
    let requests = mock.requests();
    let auth = requests[0].header("authorization").unwrap();
    assert!(
        auth.contains("Credential=AKIDSOURCE/")
            && auth.contains("/ap-southeast-2/sts/aws4_request"),
        "{auth}"
    );
    assert_eq!(requests[1].url, "https://sts.amazonaws.com/");
    // The rule set's authSchemes names us-east-1 for the global endpoint.
    let auth = requests[1].header("authorization").unwrap();
    assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");
}

#[tokio::test]
async fn credentials_crate_turns_sts_answers_into_credentials() {
    let mock = MockTransport::new()
        .with_response(ok(ROLE))
        .with_response(ok(ASSUMED));
    let sts = Arc::new(StsClient::with_config(config(&mock, "us-west-2")));
    let source = Credentials::new("AKIDSOURCE", "sourceSecretsourceSecret", None);
    let request = AssumeRoleRequest::new("arn:aws:iam::123456789012:role/deployer")
        .session_name("ci")
        .external_id("ext-1")
        .duration_seconds(900);
    let credentials = sts.assume_role(source, &request).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAROLE");
    assert_eq!(credentials.session_token(), Some("roleSessionToken"));
    assert_eq!(
        credentials.expiry(),
        Some(UNIX_EPOCH + Duration::from_secs(4_102_444_800))
    );
    let body = mock.requests()[0].body_text().into_owned();
    assert!(
        body.contains("RoleSessionName=ci")
            && body.contains("DurationSeconds=900")
            && body.contains("ExternalId=ext-1"),
        "{body}"
    );

    let dir = std::env::temp_dir().join(format!("sts-client-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "header.payload.signature\n").unwrap();
    let provider =
        WebIdentityCredentials::new(&token_file, "arn:aws:iam::123456789012:role/app", sts)
            .session_name("pod");
    let credentials = aws_lite_runtime::auth::ProvideCredentials::provide_credentials(&provider)
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAWEBIDENTITY");
    assert!(credentials.expiry().unwrap() > SystemTime::now());
    let body = mock.requests()[1].body_text().into_owned();
    assert!(
        body.contains("WebIdentityToken=header.payload.signature&")
            || body.ends_with("WebIdentityToken=header.payload.signature"),
        "{body}"
    );
    assert!(!format!("{provider:?}").contains("payload"));
    let _ = std::fs::remove_dir_all(&dir);
}
