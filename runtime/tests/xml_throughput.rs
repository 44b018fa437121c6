//! Throughput check for walking a typical ~11 KB response. Ignored by default;
//! run with `cargo test -p aws-lite-runtime --release --test xml_throughput -- --ignored --nocapture`.

use std::time::Instant;

use aws_lite_runtime::xml::{Tag, XmlError, XmlReader};

/// A DescribeReplicationGroups-like body of about 11 KB.
fn sample() -> String {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeReplicationGroupsResponse \
         xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">\n  <DescribeReplicationGroupsResult>\n    \
         <ReplicationGroups>\n",
    );
    for i in 0..6 {
        doc.push_str(&format!(
            "      <ReplicationGroup>\n        <ReplicationGroupId>group-{i}</ReplicationGroupId>\n        \
             <Description>Cache for service {i} &amp; friends</Description>\n        <Status>available</Status>\n        \
             <PendingModifiedValues/>\n        <MemberClusters>\n          <ClusterId>group-{i}-001</ClusterId>\n          \
             <ClusterId>group-{i}-002</ClusterId>\n        </MemberClusters>\n        <NodeGroups>\n          <NodeGroup>\n            \
             <NodeGroupId>0001</NodeGroupId>\n            <Status>available</Status>\n            <PrimaryEndpoint>\n              \
             <Address>group-{i}.abc123.ng.0001.use1.cache.amazonaws.com</Address>\n              <Port>6379</Port>\n            \
             </PrimaryEndpoint>\n            <NodeGroupMembers>\n              <NodeGroupMember>\n                \
             <CacheClusterId>group-{i}-001</CacheClusterId>\n                <CacheNodeId>0001</CacheNodeId>\n                \
             <PreferredAvailabilityZone>us-east-1a</PreferredAvailabilityZone>\n                <CurrentRole>primary</CurrentRole>\n              \
             </NodeGroupMember>\n            </NodeGroupMembers>\n          </NodeGroup>\n        </NodeGroups>\n        \
             <AutomaticFailover>enabled</AutomaticFailover>\n        <MultiAZ>enabled</MultiAZ>\n        \
             <ClusterEnabled>false</ClusterEnabled>\n        <CacheNodeType>cache.r6g.large</CacheNodeType>\n        \
             <AuthTokenEnabled>false</AuthTokenEnabled>\n        <TransitEncryptionEnabled>true</TransitEncryptionEnabled>\n        \
             <AtRestEncryptionEnabled>true</AtRestEncryptionEnabled>\n        <ARN>arn:aws:elasticache:us-east-1:123456789012:replicationgroup:group-{i}</ARN>\n        \
             <LogDeliveryConfigurations/>\n        <ReplicationGroupCreateTime>2024-01-02T03:04:05.123Z</ReplicationGroupCreateTime>\n        \
             <DataTiering>disabled</DataTiering>\n        <AutoMinorVersionUpgrade>true</AutoMinorVersionUpgrade>\n        \
             <NetworkType>ipv4</NetworkType>\n        <IpDiscovery>ipv4</IpDiscovery>\n        <Engine>redis</Engine>\n      \
             </ReplicationGroup>\n"
        ));
    }
    doc.push_str(
        "    </ReplicationGroups>\n  </DescribeReplicationGroupsResult>\n  <ResponseMetadata>\n    \
         <RequestId>0b1c2d3e-aaaa-bbbb-cccc-0123456789ab</RequestId>\n  </ResponseMetadata>\n\
         </DescribeReplicationGroupsResponse>\n",
    );
    doc
}

/// Walks like a generated parser: recurse into containers, read every leaf.
fn walk(r: &mut XmlReader<'_>, tag: &Tag<'_>, total: &mut usize) -> Result<(), XmlError> {
    while let Some(child) = r.next_child(tag)? {
        match child.local_name() {
            b"DescribeReplicationGroupsResult"
            | b"ReplicationGroups"
            | b"ReplicationGroup"
            | b"MemberClusters"
            | b"NodeGroups"
            | b"NodeGroup"
            | b"PrimaryEndpoint"
            | b"NodeGroupMembers"
            | b"NodeGroupMember"
            | b"ResponseMetadata"
            | b"PendingModifiedValues"
            | b"LogDeliveryConfigurations" => walk(r, &child, total)?,
            b"Port" => *total += r.parse_text::<i32>(&child)? as usize,
            _ => *total += r.text(&child)?.len(),
        }
    }
    Ok(())
}

fn parse(doc: &str) -> usize {
    let mut r = XmlReader::new(doc);
    let root = r.root().expect("root");
    let mut total = 0;
    walk(&mut r, &root, &mut total).expect("walk");
    total
}

#[test]
fn sample_walks() {
    let doc = sample();
    assert!((10_000..13_000).contains(&doc.len()), "{}", doc.len());
    assert!(parse(&doc) > 0);
}

/// Checking that the body is UTF-8, which the reader does once up front: a
/// floor for any reader (every byte is looked at once).
fn floor(doc: &str) -> usize {
    std::str::from_utf8(std::hint::black_box(doc.as_bytes())).map_or(0, str::len)
}

/// Best time per document over several rounds (machines here are shared, so
/// the minimum is the stable figure).
fn best_micros(doc: &str, f: fn(&str) -> usize) -> f64 {
    let per_round = 2_000;
    let mut best = f64::MAX;
    let mut sink = 0;
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..per_round {
            sink += f(std::hint::black_box(doc));
        }
        best = best.min(start.elapsed().as_secs_f64() / per_round as f64);
    }
    std::hint::black_box(sink);
    best * 1e6
}

#[test]
#[ignore = "throughput measurement; run in release"]
fn throughput() {
    let doc = sample();
    let mb_per_s = |micros: f64| doc.len() as f64 / micros;
    let ours = best_micros(&doc, parse);
    let floor = best_micros(&doc, floor);
    println!(
        "{} bytes: XmlReader walk {ours:.1} µs = {:.0} MB/s; UTF-8 check alone {floor:.1} µs = {:.0} MB/s",
        doc.len(),
        mb_per_s(ours),
        mb_per_s(floor)
    );
}
