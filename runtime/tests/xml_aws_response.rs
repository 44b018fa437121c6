//! A hand-written parser in the style of generated code, over AWS-style
//! responses with unknown elements interleaved, plus the no-panic sweep.

use aws_lite_runtime::xml::{Tag, XmlError, XmlReader};
use aws_lite_runtime::{DateTime, TimestampFormat};

const RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TestMigrationResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <NewTopLevelThing><Nested><Deeper a="1">x</Deeper></Nested></NewTopLevelThing>
  <TestMigrationResult>
    <ReplicationGroup>
      <ReplicationGroupId>my-group</ReplicationGroupId>
      <Description>Tom &amp; Jerry&#39;s &lt;cache&gt; <![CDATA[& more]]></Description>
      <UnknownScalar>42</UnknownScalar>
      <MemberClusters>
        <ClusterId>my-group-001</ClusterId>
        <Surprise><ClusterId>not-a-member</ClusterId></Surprise>
        <ClusterId>my-group-002</ClusterId>
      </MemberClusters>
      <Port>6379</Port>
      <AutomaticFailover>enabled</AutomaticFailover>
      <ClusterEnabled>true</ClusterEnabled>
      <ReplicationGroupCreateTime>2024-01-02T03:04:05.123Z</ReplicationGroupCreateTime>
      <EmptyList/>
      <Tags/>
    </ReplicationGroup>
    <!-- a comment between members -->
  </TestMigrationResult>
  <ResponseMetadata>
    <RequestId>0b1c2d3e-aaaa-bbbb-cccc-0123456789ab</RequestId>
  </ResponseMetadata>
</TestMigrationResponse>
"#;

#[derive(Debug, Default, PartialEq)]
struct ReplicationGroup {
    id: Option<String>,
    description: Option<String>,
    member_clusters: Option<Vec<String>>,
    port: Option<i32>,
    automatic_failover: Option<String>,
    cluster_enabled: Option<bool>,
    create_time: Option<DateTime>,
    tags: Option<Vec<String>>,
}

#[derive(Debug, Default, PartialEq)]
struct Output {
    replication_group: Option<ReplicationGroup>,
    request_id: Option<String>,
}

fn parse_response(body: &[u8]) -> Result<Output, XmlError> {
    let mut r = XmlReader::new(body);
    let root = r.root()?;
    if root.local_name() != b"TestMigrationResponse" {
        return Err(XmlError::custom(format!(
            "expected <TestMigrationResponse>, found <{}>",
            root.name_str()
        )));
    }
    let mut out = Output::default();
    while let Some(child) = r.next_child(&root)? {
        match child.local_name() {
            b"TestMigrationResult" => {
                while let Some(f) = r.next_child(&child)? {
                    if f.local_name() == b"ReplicationGroup" {
                        out.replication_group = Some(parse_group(&mut r, &f)?);
                    }
                }
            }
            b"ResponseMetadata" => {
                while let Some(f) = r.next_child(&child)? {
                    if f.local_name() == b"RequestId" {
                        out.request_id = Some(r.text(&f)?.into_owned());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn parse_group(r: &mut XmlReader<'_>, tag: &Tag<'_>) -> Result<ReplicationGroup, XmlError> {
    let mut g = ReplicationGroup::default();
    while let Some(f) = r.next_child(tag)? {
        match f.local_name() {
            b"ReplicationGroupId" => g.id = Some(r.text(&f)?.into_owned()),
            b"Description" => g.description = Some(r.text(&f)?.into_owned()),
            b"MemberClusters" => g.member_clusters = Some(parse_list(r, &f, b"ClusterId")?),
            b"Tags" => g.tags = Some(parse_list(r, &f, b"Tag")?),
            b"Port" => g.port = Some(r.parse_text(&f)?),
            b"AutomaticFailover" => g.automatic_failover = Some(r.text(&f)?.into_owned()),
            b"ClusterEnabled" => g.cluster_enabled = Some(r.parse_bool(&f)?),
            b"ReplicationGroupCreateTime" => {
                let text = r.text(&f)?;
                let t = DateTime::parse(text.trim(), TimestampFormat::DateTime)
                    .map_err(|e| XmlError::custom(e.to_string()))?;
                g.create_time = Some(t);
            }
            _ => {}
        }
    }
    Ok(g)
}

fn parse_list(
    r: &mut XmlReader<'_>,
    tag: &Tag<'_>,
    member: &[u8],
) -> Result<Vec<String>, XmlError> {
    let mut items = Vec::new();
    while let Some(m) = r.next_child(tag)? {
        if m.local_name() == member {
            items.push(r.text(&m)?.into_owned());
        }
    }
    Ok(items)
}

#[test]
fn parses_the_response() {
    let out = parse_response(RESPONSE.as_bytes()).unwrap();
    assert_eq!(
        out,
        Output {
            replication_group: Some(ReplicationGroup {
                id: Some("my-group".into()),
                description: Some("Tom & Jerry's <cache> & more".into()),
                member_clusters: Some(vec!["my-group-001".into(), "my-group-002".into()]),
                port: Some(6379),
                automatic_failover: Some("enabled".into()),
                cluster_enabled: Some(true),
                create_time: Some(DateTime::from_millis(1_704_164_645_123)),
                tags: Some(vec![]),
            }),
            request_id: Some("0b1c2d3e-aaaa-bbbb-cccc-0123456789ab".into()),
        }
    );
}

#[test]
fn wrong_root_is_a_custom_error() {
    let e = parse_response(b"<ErrorResponse><Error/></ErrorResponse>").unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected <TestMigrationResponse>, found <ErrorResponse>"
    );
}

#[test]
fn response_with_only_metadata() {
    let body = b"<TestMigrationResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></TestMigrationResponse>";
    let out = parse_response(body).unwrap();
    assert_eq!(out.replication_group, None);
    assert_eq!(out.request_id.as_deref(), Some("r"));
}

/// Every prefix of the sample and a few hundred deterministic byte mutations:
/// the parser may fail, but must never panic.
#[test]
fn no_input_panics() {
    let doc = RESPONSE.as_bytes();
    for end in 0..=doc.len() {
        let _ = parse_response(&doc[..end]);
    }
    let interesting = [
        b'<', b'>', b'/', b'&', b';', b'#', b'x', b'"', b'\'', b'=', b'!', b'?', b'[', b']', b':',
        b' ', b'\n', b'-', b'0', b'a', 0x00, 0x80, 0xC3, 0xFF,
    ];
    let mut state = 0x9E37_79B9u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    for round in 0..600 {
        let mut mutated = doc.to_vec();
        // One to three edits per document: replace, delete or duplicate a byte.
        for _ in 0..=(round % 3) {
            let i = next() % mutated.len();
            match next() % 3 {
                0 => mutated[i] = interesting[next() % interesting.len()],
                1 => {
                    mutated.remove(i);
                }
                _ => {
                    let b = mutated[i];
                    mutated.insert(i, b);
                }
            }
        }
        let _ = parse_response(&mutated);
        // Also walk generically, reading every leaf as text and every attribute.
        let _ = walk_everything(&mutated);
    }
}

/// Visits every element, asks for a made-up attribute, and reads leaf text.
fn walk_everything(body: &[u8]) -> Result<usize, XmlError> {
    let mut r = XmlReader::new(body).with_max_depth(8);
    let root = r.root()?;
    let mut stack = vec![root];
    let mut count = 1;
    while let Some(top) = stack.last().copied() {
        let _ = top.attr(b"a");
        match r.next_child(&top)? {
            Some(child) if child.local_name().ends_with(b"Id") => {
                count += 1;
                let _ = r.text(&child);
            }
            Some(child) => {
                count += 1;
                stack.push(child);
            }
            None => {
                stack.pop();
            }
        }
    }
    Ok(count)
}

#[test]
fn generic_walk_counts_elements() {
    assert_eq!(walk_everything(RESPONSE.as_bytes()).unwrap(), 22);
}
