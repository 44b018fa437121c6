//! Round trips through the generated `TestMigration` wire layer, checked against test-only
//! codecs written here from the protocol rules (not from the runtime's code):
//!
//! - requests: random inputs → `serialize_request` → a strict form decoder → the same input;
//! - responses: random `ReplicationGroup`s → an awsQuery XML renderer (escaping, CDATA,
//!   character references, comments, namespace prefixes, shuffled and unknown members,
//!   timestamp offsets) → `parse_response` → the same value.

use std::collections::BTreeMap;
use std::fmt::Debug;

use aws_lite_runtime::protocol::{HttpResponse, RequestId};
use aws_lite_runtime::DateTime;
use elasticache::operation::test_migration::{parse_response, serialize_request};
use elasticache::types::{
    AuthTokenUpdateStatus, AutomaticFailoverStatus, CloudWatchLogsDestinationDetails, ClusterMode,
    CustomerNodeEndpoint, DataTieringStatus, DestinationDetails, DestinationType, Endpoint,
    GlobalReplicationGroupInfo, IpDiscovery, KinesisFirehoseDestinationDetails,
    LogDeliveryConfiguration, LogDeliveryConfigurationStatus, LogFormat, LogType, MultiAzStatus,
    NetworkType, NodeGroup, NodeGroupMember, PendingAutomaticFailoverStatus,
    PendingLogDeliveryConfiguration, ReplicationGroup, ReplicationGroupPendingModifiedValues,
    ReshardingStatus, SlotMigration, TestMigrationMessage, TestMigrationResponse,
    TransitEncryptionMode, UserGroupsUpdateStatus,
};
use proptest::option::of as opt;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

// ---------------------------------------------------------------------------------------
// (a) Requests: a strict application/x-www-form-urlencoded decoder (RFC 3986 percent-encoding)
// ---------------------------------------------------------------------------------------

/// Bytes RFC 3986 leaves unreserved; everything else must arrive as `%XX`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Decodes one key or value. Strict: every byte is unreserved or part of a `%XX` escape with
/// uppercase hex digits, and the result is UTF-8 (so `+` is never a space, and a raw `&`, `=`
/// or space means the encoder let something through).
fn percent_decode(text: &str) -> String {
    fn hex(b: u8) -> u8 {
        match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'F' => b - b'A' + 10,
            _ => panic!("{:?} is not an uppercase hex digit", char::from(b)),
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                assert!(i + 3 <= bytes.len(), "truncated escape in {text:?}");
                let byte = hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]);
                assert!(
                    !is_unreserved(byte),
                    "{:?} was escaped but is unreserved (in {text:?})",
                    char::from(byte)
                );
                out.push(byte);
                i += 3;
            }
            b if is_unreserved(b) => {
                out.push(b);
                i += 1;
            }
            b => panic!("raw {:?} in encoded text {text:?}", char::from(b)),
        }
    }
    String::from_utf8(out).expect("percent-decoded text is UTF-8")
}

/// Splits a form body into decoded `(key, value)` pairs, in order.
fn decode_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("pair without '=': {pair:?} in {body:?}"));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Rebuilds a `TestMigrationMessage` from a decoded body, refusing anything unexpected.
fn rebuild_input(body: &str) -> TestMigrationMessage {
    let pairs = decode_form(body);
    assert!(pairs.len() >= 2, "no Action and Version in {body:?}");
    assert_eq!(pairs[0], ("Action".into(), "TestMigration".into()));
    assert_eq!(pairs[1], ("Version".into(), "2015-02-02".into()));

    let mut group_id = None;
    let mut empty_list = false;
    let mut members: BTreeMap<usize, (Option<String>, Option<i32>)> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (key, value) in &pairs[2..] {
        assert!(
            seen.insert(key.clone()),
            "duplicate key {key:?} in {body:?}"
        );
        if key == "ReplicationGroupId" {
            assert!(
                members.is_empty() && !empty_list,
                "members out of model order"
            );
            group_id = Some(value.clone());
        } else if key == "CustomerNodeEndpointList" {
            assert_eq!(
                value, "",
                "an empty list is sent as `CustomerNodeEndpointList=`"
            );
            empty_list = true;
        } else if let Some(rest) = key.strip_prefix("CustomerNodeEndpointList.member.") {
            let (index, field) = rest.split_once('.').expect("member.N.Field");
            let index: usize = index.parse().expect("a decimal member index");
            assert!(index >= 1, "member indexes start at 1");
            let entry = members.entry(index).or_default();
            match field {
                "Address" => entry.0 = Some(value.clone()),
                "Port" => entry.1 = Some(value.parse().expect("a decimal port")),
                other => panic!("unknown endpoint member {other:?}"),
            }
        } else {
            panic!("unexpected key {key:?} in {body:?}");
        }
    }
    assert!(
        !empty_list || members.is_empty(),
        "a list sent both empty and with members"
    );
    let list = if empty_list {
        Some(vec![])
    } else if members.is_empty() {
        None
    } else {
        let indexes: Vec<usize> = members.keys().copied().collect();
        assert_eq!(
            indexes,
            (1..=members.len()).collect::<Vec<_>>(),
            "member indexes must be 1..=n"
        );
        Some(
            members
                .into_values()
                .map(|(address, port)| {
                    CustomerNodeEndpoint::builder()
                        .set_address(address)
                        .set_port(port)
                        .build()
                })
                .collect(),
        )
    };
    TestMigrationMessage::builder()
        .set_replication_group_id(group_id)
        .set_customer_node_endpoint_list(list)
        .build()
        .expect("the decoded body has every required member")
}

/// Strings that stress the encoder: empty, the form's own syntax, any Unicode.
fn request_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => "[&=+/ %~*a-zA-Z0-9._-]{1,16}",
        2 => "\\PC{1,12}",
        1 => "(?s).{1,8}",
    ]
    .boxed()
}

/// An endpoint with at least one member set. (An endpoint with neither member set writes no
/// keys at all in awsQuery, so it cannot survive a round trip by construction.)
fn customer_endpoint() -> impl Strategy<Value = CustomerNodeEndpoint> {
    prop_oneof![
        request_text().prop_map(|a| CustomerNodeEndpoint::builder().address(a).build()),
        any::<i32>().prop_map(|p| CustomerNodeEndpoint::builder().port(p).build()),
        (request_text(), any::<i32>())
            .prop_map(|(a, p)| CustomerNodeEndpoint::builder().address(a).port(p).build()),
    ]
}

fn test_migration_message() -> impl Strategy<Value = TestMigrationMessage> {
    (
        request_text(),
        prop::collection::vec(customer_endpoint(), 0..4),
    )
        .prop_map(|(id, endpoints)| {
            TestMigrationMessage::builder()
                .replication_group_id(id)
                .set_customer_node_endpoint_list(Some(endpoints))
                .build()
                .unwrap()
        })
}

#[test]
fn decoder_reads_a_known_body() {
    let body = "Action=TestMigration&Version=2015-02-02\
                &ReplicationGroupId=my%20rg%2F1%2B%26%3D~%2A%C3%A9\
                &CustomerNodeEndpointList.member.1.Address=10.0.0.5\
                &CustomerNodeEndpointList.member.1.Port=6379\
                &CustomerNodeEndpointList.member.2.Port=-1";
    let input = rebuild_input(body);
    assert_eq!(input.replication_group_id(), Some("my rg/1+&=~*é"));
    assert_eq!(
        input.customer_node_endpoint_list(),
        [
            CustomerNodeEndpoint::builder()
                .address("10.0.0.5")
                .port(6379)
                .build(),
            CustomerNodeEndpoint::builder().port(-1).build(),
        ]
    );
    let empty = rebuild_input(
        "Action=TestMigration&Version=2015-02-02&ReplicationGroupId=&CustomerNodeEndpointList=",
    );
    assert_eq!(empty.replication_group_id(), Some(""));
    assert_eq!(empty.customer_node_endpoint_list, Some(vec![]));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Integration tests have no lib.rs to anchor a regressions file; failures print the case.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn requests_round_trip_through_a_form_decoder(input in test_migration_message()) {
        let request = serialize_request(&input).unwrap();
        prop_assert_eq!(request.method, "POST");
        prop_assert_eq!(request.path, "/");
        let decoded = rebuild_input(&request.body);
        prop_assert_eq!(&decoded, &input, "body: {}", request.body);
    }
}

// ---------------------------------------------------------------------------------------
// (b) Responses: an awsQuery XML renderer
// ---------------------------------------------------------------------------------------

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Renders awsQuery XML with random (but valid) choices, driven by a seeded generator so that
/// proptest can replay a failing case.
struct Renderer {
    state: u64,
    /// `""`, or a namespace prefix such as `"ec:"` used on every element.
    prefix: &'static str,
}

impl Renderer {
    fn new(seed: u64) -> Self {
        let mut r = Renderer {
            state: seed | 1,
            prefix: "",
        };
        if r.one_in(3) {
            r.prefix = "ec:";
        }
        r
    }

    /// xorshift64*.
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[(self.next() % options.len() as u64) as usize]
    }

    /// Whitespace between elements (ignored by the parser).
    fn sep(&mut self) -> &'static str {
        self.pick(&["", "", "\n", "\n      ", " ", "\t"])
    }

    /// `<name>inner</name>`; an empty element is sometimes written `<name/>`.
    fn element(&mut self, name: &str, inner: &str) -> String {
        let p = self.prefix;
        if inner.is_empty() && self.one_in(2) {
            format!("<{p}{name}{}/>", self.pick(&["", " "]))
        } else {
            format!("<{p}{name}>{inner}</{p}{name}>")
        }
    }

    /// Escapes text content, switching at random between entity references, numeric
    /// character references, raw characters (where XML allows), CDATA sections and
    /// interleaved comments. `\r` is always a character reference: a raw one would be
    /// normalized to `\n` by any conforming parser.
    fn text(&mut self, value: &str) -> String {
        let mut out = String::new();
        let mut in_cdata = false;
        for c in value.chars() {
            if self.one_in(12) {
                if in_cdata {
                    out.push_str("]]>");
                    in_cdata = false;
                } else if c != '\r' {
                    out.push_str("<![CDATA[");
                    in_cdata = true;
                }
            }
            if !in_cdata && self.one_in(40) {
                out.push_str("<!-- c -->");
            }
            if in_cdata {
                match c {
                    '\r' => {
                        out.push_str("]]>&#13;<![CDATA[");
                    }
                    // `]]>` cannot appear inside CDATA: close before the `>`.
                    '>' if out.ends_with("]]") => out.push_str("]]><![CDATA[>"),
                    c => out.push(c),
                }
                continue;
            }
            match c {
                '<' => out.push_str(self.pick(&["&lt;", "&#60;", "&#x3C;"])),
                '&' => out.push_str(self.pick(&["&amp;", "&#38;", "&#x26;"])),
                '>' if out.ends_with("]]") => out.push_str("&gt;"),
                '>' => out.push_str(self.pick(&["&gt;", ">"])),
                '"' => out.push_str(self.pick(&["&quot;", "\"", "&#34;"])),
                '\'' => out.push_str(self.pick(&["&apos;", "'", "&#39;"])),
                '\r' => out.push_str(self.pick(&["&#13;", "&#xD;", "&#xd;"])),
                c if !c.is_ascii() && self.one_in(3) => {
                    if self.one_in(2) {
                        out.push_str(&format!("&#x{:X};", u32::from(c)));
                    } else {
                        out.push_str(&format!("&#{};", u32::from(c)));
                    }
                }
                c => out.push(c),
            }
        }
        if in_cdata {
            out.push_str("]]>");
        }
        out
    }

    /// Surrounding whitespace that number, boolean and timestamp parsers must trim.
    fn padded(&mut self, value: &str) -> String {
        let before = self.pick(&["", "", "", " ", "\n  "]);
        let after = self.pick(&["", "", "", " ", "\n"]);
        format!("{before}{value}{after}")
    }

    /// A structure: its members in a random order (the parser matches by name), sometimes
    /// with an unknown member a newer service version might send.
    fn structure(&mut self, name: &str, members: Vec<Option<String>>) -> String {
        let mut members: Vec<String> = members.into_iter().flatten().collect();
        if self.one_in(3) {
            // Fisher–Yates.
            for i in (1..members.len()).rev() {
                let j = (self.next() % (i as u64 + 1)) as usize;
                members.swap(i, j);
            }
        }
        if self.one_in(4) {
            let at = (self.next() % (members.len() as u64 + 1)) as usize;
            let p = self.prefix;
            let unknown = match self.next() % 3 {
                0 => format!("<{p}FutureMember>x</{p}FutureMember>"),
                1 => format!(
                    "<{p}FutureList><{p}member><{p}Deep><{p}Deeper/></{p}Deep></{p}member></{p}FutureList>"
                ),
                _ => format!("<{p}Status2 a=\"1\">&lt;<!-- x --></{p}Status2>"),
            };
            members.insert(at, unknown);
        }
        let mut inner = String::new();
        for m in &members {
            inner.push_str(self.sep());
            inner.push_str(m);
        }
        if !members.is_empty() {
            inner.push_str(self.sep());
        }
        self.element(name, &inner)
    }

    fn string(&mut self, name: &str, value: Option<&str>) -> Option<String> {
        let text = self.text(value?);
        Some(self.element(name, &text))
    }

    fn enumeration<T: AsRef<str>>(&mut self, name: &str, value: Option<&T>) -> Option<String> {
        self.string(name, value.map(AsRef::as_ref))
    }

    fn boolean(&mut self, name: &str, value: Option<bool>) -> Option<String> {
        let text = self.padded(if value? { "true" } else { "false" });
        Some(self.element(name, &text))
    }

    fn integer(&mut self, name: &str, value: Option<i32>) -> Option<String> {
        let text = self.padded(&value?.to_string());
        Some(self.element(name, &text))
    }

    fn double(&mut self, name: &str, value: Option<f64>) -> Option<String> {
        let v = value?;
        let text = if v == f64::INFINITY {
            "Infinity".to_string()
        } else if v == f64::NEG_INFINITY {
            "-Infinity".to_string()
        } else {
            // Rust prints the shortest decimal that reads back as the same f64, no exponent.
            format!("{v}")
        };
        let text = self.padded(&text);
        Some(self.element(name, &text))
    }

    /// RFC 3339 `date-time`, in UTC or at a random offset, with 0, 1–3 or 6 fraction digits.
    fn timestamp(&mut self, name: &str, value: Option<DateTime>) -> Option<String> {
        let t = value?;
        let millis = t.subsec_nanos() / 1_000_000;
        assert_eq!(t.subsec_nanos() % 1_000_000, 0, "millisecond precision");
        let offset_minutes: i64 = if self.one_in(2) {
            0
        } else {
            (self.next() % (2 * 1439 + 1)) as i64 - 1439
        };
        let local = t.secs() + offset_minutes * 60;
        let (y, mo, d) = civil_from_days(local.div_euclid(86_400));
        let sod = local.rem_euclid(86_400);
        let (h, mi, s) = (sod / 3600, sod / 60 % 60, sod % 60);
        let fraction = match (millis, self.next() % 3) {
            (0, 0) => String::new(),
            (_, 1) => format!(".{millis:03}000"),
            // Trailing zeros dropped, but at least one digit kept.
            (_, 2) => {
                let digits = format!("{millis:03}");
                match digits.trim_end_matches('0') {
                    "" => ".0".to_string(),
                    trimmed => format!(".{trimmed}"),
                }
            }
            _ => format!(".{millis:03}"),
        };
        let zone = if offset_minutes == 0 {
            self.pick(&["Z", "Z", "+00:00", "-00:00"]).to_string()
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let m = offset_minutes.abs();
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        };
        let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{zone}");
        let text = self.padded(&text);
        Some(self.element(name, &text))
    }

    fn list<T>(
        &mut self,
        name: &str,
        member: &str,
        items: Option<&Vec<T>>,
        mut render: impl FnMut(&mut Self, &str, &T) -> String,
    ) -> Option<String> {
        let items = items?;
        let mut inner = String::new();
        for item in items {
            inner.push_str(self.sep());
            let rendered = render(self, member, item);
            inner.push_str(&rendered);
        }
        if !items.is_empty() {
            inner.push_str(self.sep());
        }
        Some(self.element(name, &inner))
    }

    fn strings(&mut self, name: &str, member: &str, items: Option<&Vec<String>>) -> Option<String> {
        self.list(name, member, items, |r, m, s| {
            let text = r.text(s);
            r.element(m, &text)
        })
    }

    fn endpoint(&mut self, name: &str, e: Option<&Endpoint>) -> Option<String> {
        let e = e?;
        let members = vec![
            self.string("Address", e.address()),
            self.integer("Port", e.port()),
        ];
        Some(self.structure(name, members))
    }

    fn node_group_member(&mut self, name: &str, m: &NodeGroupMember) -> String {
        let members = vec![
            self.string("CacheClusterId", m.cache_cluster_id()),
            self.string("CacheNodeId", m.cache_node_id()),
            self.endpoint("ReadEndpoint", m.read_endpoint()),
            self.string("PreferredAvailabilityZone", m.preferred_availability_zone()),
            self.string("PreferredOutpostArn", m.preferred_outpost_arn()),
            self.string("CurrentRole", m.current_role()),
        ];
        self.structure(name, members)
    }

    fn node_group(&mut self, name: &str, g: &NodeGroup) -> String {
        let members = vec![
            self.string("NodeGroupId", g.node_group_id()),
            self.string("Status", g.status()),
            self.endpoint("PrimaryEndpoint", g.primary_endpoint()),
            self.endpoint("ReaderEndpoint", g.reader_endpoint()),
            self.string("Slots", g.slots()),
            self.list(
                "NodeGroupMembers",
                "NodeGroupMember",
                g.node_group_members.as_ref(),
                |r, m, v| r.node_group_member(m, v),
            ),
        ];
        self.structure(name, members)
    }

    fn destination_details(
        &mut self,
        name: &str,
        d: Option<&DestinationDetails>,
    ) -> Option<String> {
        let d = d?;
        let cloud_watch = d.cloud_watch_logs_details().map(|c| {
            let m = vec![self.string("LogGroup", c.log_group())];
            self.structure("CloudWatchLogsDetails", m)
        });
        let firehose = d.kinesis_firehose_details().map(|k| {
            let m = vec![self.string("DeliveryStream", k.delivery_stream())];
            self.structure("KinesisFirehoseDetails", m)
        });
        Some(self.structure(name, vec![cloud_watch, firehose]))
    }

    fn log_delivery_configuration(&mut self, name: &str, c: &LogDeliveryConfiguration) -> String {
        let members = vec![
            self.enumeration("LogType", c.log_type()),
            self.enumeration("DestinationType", c.destination_type()),
            self.destination_details("DestinationDetails", c.destination_details()),
            self.enumeration("LogFormat", c.log_format()),
            self.enumeration("Status", c.status()),
            self.string("Message", c.message()),
        ];
        self.structure(name, members)
    }

    fn pending_log_delivery_configuration(
        &mut self,
        name: &str,
        c: &PendingLogDeliveryConfiguration,
    ) -> String {
        let members = vec![
            self.enumeration("LogType", c.log_type()),
            self.enumeration("DestinationType", c.destination_type()),
            self.destination_details("DestinationDetails", c.destination_details()),
            self.enumeration("LogFormat", c.log_format()),
        ];
        self.structure(name, members)
    }

    fn pending_modified_values(
        &mut self,
        name: &str,
        p: Option<&ReplicationGroupPendingModifiedValues>,
    ) -> Option<String> {
        let p = p?;
        let resharding = p.resharding().map(|r| {
            let slot = r.slot_migration().map(|s| {
                let m = vec![self.double("ProgressPercentage", s.progress_percentage())];
                self.structure("SlotMigration", m)
            });
            self.structure("Resharding", vec![slot])
        });
        let user_groups = p.user_groups().map(|u| {
            let m = vec![
                self.strings(
                    "UserGroupIdsToAdd",
                    "member",
                    u.user_group_ids_to_add.as_ref(),
                ),
                self.strings(
                    "UserGroupIdsToRemove",
                    "member",
                    u.user_group_ids_to_remove.as_ref(),
                ),
            ];
            self.structure("UserGroups", m)
        });
        let members = vec![
            self.string("PrimaryClusterId", p.primary_cluster_id()),
            self.enumeration("AutomaticFailoverStatus", p.automatic_failover_status()),
            resharding,
            self.enumeration("AuthTokenStatus", p.auth_token_status()),
            user_groups,
            self.list(
                "LogDeliveryConfigurations",
                "member",
                p.log_delivery_configurations.as_ref(),
                |r, m, c| r.pending_log_delivery_configuration(m, c),
            ),
            self.boolean("TransitEncryptionEnabled", p.transit_encryption_enabled()),
            self.enumeration("TransitEncryptionMode", p.transit_encryption_mode()),
            self.enumeration("ClusterMode", p.cluster_mode()),
        ];
        Some(self.structure(name, members))
    }

    fn replication_group(&mut self, g: &ReplicationGroup) -> String {
        let global = g.global_replication_group_info().map(|i| {
            let m = vec![
                self.string("GlobalReplicationGroupId", i.global_replication_group_id()),
                self.string(
                    "GlobalReplicationGroupMemberRole",
                    i.global_replication_group_member_role(),
                ),
            ];
            self.structure("GlobalReplicationGroupInfo", m)
        });
        let members = vec![
            self.string("ReplicationGroupId", g.replication_group_id()),
            self.string("Description", g.description()),
            global,
            self.string("Status", g.status()),
            self.pending_modified_values("PendingModifiedValues", g.pending_modified_values()),
            self.strings("MemberClusters", "ClusterId", g.member_clusters.as_ref()),
            self.list(
                "NodeGroups",
                "NodeGroup",
                g.node_groups.as_ref(),
                |r, m, n| r.node_group(m, n),
            ),
            self.string("SnapshottingClusterId", g.snapshotting_cluster_id()),
            self.enumeration("AutomaticFailover", g.automatic_failover()),
            self.enumeration("MultiAZ", g.multi_az()),
            self.endpoint("ConfigurationEndpoint", g.configuration_endpoint()),
            self.integer("SnapshotRetentionLimit", g.snapshot_retention_limit()),
            self.string("SnapshotWindow", g.snapshot_window()),
            self.boolean("ClusterEnabled", g.cluster_enabled()),
            self.string("CacheNodeType", g.cache_node_type()),
            self.boolean("AuthTokenEnabled", g.auth_token_enabled()),
            self.timestamp(
                "AuthTokenLastModifiedDate",
                g.auth_token_last_modified_date(),
            ),
            self.boolean("TransitEncryptionEnabled", g.transit_encryption_enabled()),
            self.boolean("AtRestEncryptionEnabled", g.at_rest_encryption_enabled()),
            self.strings(
                "MemberClustersOutpostArns",
                "ReplicationGroupOutpostArn",
                g.member_clusters_outpost_arns.as_ref(),
            ),
            self.string("KmsKeyId", g.kms_key_id()),
            self.string("ARN", g.arn()),
            self.strings("UserGroupIds", "member", g.user_group_ids.as_ref()),
            self.list(
                "LogDeliveryConfigurations",
                "LogDeliveryConfiguration",
                g.log_delivery_configurations.as_ref(),
                |r, m, c| r.log_delivery_configuration(m, c),
            ),
            self.timestamp(
                "ReplicationGroupCreateTime",
                g.replication_group_create_time(),
            ),
            self.enumeration("DataTiering", g.data_tiering()),
            self.boolean("AutoMinorVersionUpgrade", g.auto_minor_version_upgrade()),
            self.enumeration("NetworkType", g.network_type()),
            self.enumeration("IpDiscovery", g.ip_discovery()),
            self.enumeration("TransitEncryptionMode", g.transit_encryption_mode()),
            self.enumeration("ClusterMode", g.cluster_mode()),
            self.string("Engine", g.engine()),
        ];
        self.structure("ReplicationGroup", members)
    }

    /// The whole `<TestMigrationResponse>` document.
    fn response(&mut self, group: Option<&ReplicationGroup>, request_id: &str) -> String {
        let p = self.prefix;
        let mut out = String::new();
        if self.one_in(2) {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        let ns = "http://elasticache.amazonaws.com/doc/2015-02-02/";
        if p.is_empty() {
            out.push_str(&format!("<TestMigrationResponse xmlns=\"{ns}\">"));
        } else {
            out.push_str(&format!("<{p}TestMigrationResponse xmlns:ec=\"{ns}\">"));
        }
        let result = match group {
            Some(g) => {
                let sep = self.sep();
                let rg = self.replication_group(g);
                format!("{sep}{rg}{}", self.sep())
            }
            None => String::new(),
        };
        let result = self.element("TestMigrationResult", &result);
        let id = self.text(request_id);
        let id = self.element("RequestId", &id);
        let metadata = self.element("ResponseMetadata", &id);
        out.push_str(self.sep());
        out.push_str(&result);
        out.push_str(self.sep());
        out.push_str(&metadata);
        out.push_str(self.sep());
        out.push_str(&format!("</{p}TestMigrationResponse>\n"));
        out
    }
}

/// Text content: XML's special characters, significant whitespace (including `\r`), any
/// printable Unicode, or plain identifiers.
fn xml_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => "[<>&\"' a-z\\]]{1,12}",
        1 => "[ \t\n\r]{1,3}[a-z<&]{0,4}[ \t\n\r]{0,3}",
        2 => "\\PC{1,12}",
        2 => "[a-z0-9-]{1,16}",
    ]
    .boxed()
}

fn ostr() -> BoxedStrategy<Option<String>> {
    opt(xml_text()).boxed()
}

fn olist<T: Debug + Clone + 'static>(
    item: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<Vec<T>>> {
    opt(prop::collection::vec(item, 0..4)).boxed()
}

/// An enum: mostly known values, sometimes values this crate does not know.
fn enumeration<T: From<String> + Debug + Clone + 'static>(
    known: &'static [&'static str],
) -> BoxedStrategy<Option<T>> {
    opt(prop_oneof![
        3 => prop::sample::select(known).prop_map(|s| T::from(s.to_string())),
        1 => xml_text().prop_map(T::from),
    ])
    .boxed()
}

/// A timestamp with millisecond precision in years 0002..=9997, so that rendering it at any
/// UTC offset stays within RFC 3339's four-digit years.
fn timestamp() -> BoxedStrategy<Option<DateTime>> {
    const MIN_MS: i64 = -62_104_060_800_000; // 0002-01-01T00:00:00Z
    const MAX_MS: i64 = 253_339_228_800_000; // 9998-01-01T00:00:00Z
    opt(prop_oneof![
        3 => (MIN_MS..MAX_MS).prop_map(DateTime::from_millis),
        // Around now, where real responses are.
        1 => (1_500_000_000_000i64..1_900_000_000_000).prop_map(DateTime::from_millis),
        1 => (0i64..86_400).prop_map(|s| DateTime::from_millis(s * 1000)),
    ])
    .boxed()
}

fn oendpoint() -> BoxedStrategy<Option<Endpoint>> {
    opt((ostr(), opt(any::<i32>()))
        .prop_map(|(a, p)| Endpoint::builder().set_address(a).set_port(p).build()))
    .boxed()
}

fn node_group_member() -> impl Strategy<Value = NodeGroupMember> {
    (ostr(), ostr(), oendpoint(), ostr(), ostr(), ostr()).prop_map(|(c, n, e, az, arn, role)| {
        NodeGroupMember::builder()
            .set_cache_cluster_id(c)
            .set_cache_node_id(n)
            .set_read_endpoint(e)
            .set_preferred_availability_zone(az)
            .set_preferred_outpost_arn(arn)
            .set_current_role(role)
            .build()
    })
}

fn node_group() -> impl Strategy<Value = NodeGroup> {
    (
        ostr(),
        ostr(),
        oendpoint(),
        oendpoint(),
        ostr(),
        olist(node_group_member()),
    )
        .prop_map(|(id, status, primary, reader, slots, members)| {
            NodeGroup::builder()
                .set_node_group_id(id)
                .set_status(status)
                .set_primary_endpoint(primary)
                .set_reader_endpoint(reader)
                .set_slots(slots)
                .set_node_group_members(members)
                .build()
        })
}

fn destination_details() -> BoxedStrategy<Option<DestinationDetails>> {
    opt((opt(ostr()), opt(ostr())).prop_map(|(cw, kf)| {
        DestinationDetails::builder()
            .set_cloud_watch_logs_details(cw.map(|g| {
                CloudWatchLogsDestinationDetails::builder()
                    .set_log_group(g)
                    .build()
            }))
            .set_kinesis_firehose_details(kf.map(|s| {
                KinesisFirehoseDestinationDetails::builder()
                    .set_delivery_stream(s)
                    .build()
            }))
            .build()
    }))
    .boxed()
}

fn log_delivery_configuration() -> impl Strategy<Value = LogDeliveryConfiguration> {
    (
        enumeration::<LogType>(LogType::values()),
        enumeration::<DestinationType>(DestinationType::values()),
        destination_details(),
        enumeration::<LogFormat>(LogFormat::values()),
        enumeration::<LogDeliveryConfigurationStatus>(LogDeliveryConfigurationStatus::values()),
        ostr(),
    )
        .prop_map(|(t, dt, dd, f, s, m)| {
            LogDeliveryConfiguration::builder()
                .set_log_type(t)
                .set_destination_type(dt)
                .set_destination_details(dd)
                .set_log_format(f)
                .set_status(s)
                .set_message(m)
                .build()
        })
}

fn pending_log_delivery_configuration() -> impl Strategy<Value = PendingLogDeliveryConfiguration> {
    (
        enumeration::<LogType>(LogType::values()),
        enumeration::<DestinationType>(DestinationType::values()),
        destination_details(),
        enumeration::<LogFormat>(LogFormat::values()),
    )
        .prop_map(|(t, dt, dd, f)| {
            PendingLogDeliveryConfiguration::builder()
                .set_log_type(t)
                .set_destination_type(dt)
                .set_destination_details(dd)
                .set_log_format(f)
                .build()
        })
}

/// Finite doubles and infinities (NaN is not equal to itself, so it cannot round-trip by `==`).
fn progress() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => 0.0f64..100.0,
        1 => any::<f64>().prop_filter("not NaN", |v| !v.is_nan()),
    ]
}

fn pending_modified_values() -> BoxedStrategy<Option<ReplicationGroupPendingModifiedValues>> {
    let resharding = opt(opt(opt(progress())).prop_map(|slot| {
        ReshardingStatus::builder()
            .set_slot_migration(
                slot.map(|p| SlotMigration::builder().set_progress_percentage(p).build()),
            )
            .build()
    }));
    let user_groups = opt(
        (olist(xml_text()), olist(xml_text())).prop_map(|(add, remove)| {
            UserGroupsUpdateStatus::builder()
                .set_user_group_ids_to_add(add)
                .set_user_group_ids_to_remove(remove)
                .build()
        }),
    );
    opt((
        ostr(),
        enumeration::<PendingAutomaticFailoverStatus>(PendingAutomaticFailoverStatus::values()),
        resharding,
        enumeration::<AuthTokenUpdateStatus>(AuthTokenUpdateStatus::values()),
        user_groups,
        olist(pending_log_delivery_configuration()),
        opt(any::<bool>()),
        enumeration::<TransitEncryptionMode>(TransitEncryptionMode::values()),
        enumeration::<ClusterMode>(ClusterMode::values()),
    )
        .prop_map(
            |(primary, failover, resharding, auth, groups, logs, tee, tem, cm)| {
                ReplicationGroupPendingModifiedValues::builder()
                    .set_primary_cluster_id(primary)
                    .set_automatic_failover_status(failover)
                    .set_resharding(resharding)
                    .set_auth_token_status(auth)
                    .set_user_groups(groups)
                    .set_log_delivery_configurations(logs)
                    .set_transit_encryption_enabled(tee)
                    .set_transit_encryption_mode(tem)
                    .set_cluster_mode(cm)
                    .build()
            },
        ))
    .boxed()
}

/// Every member of `ReplicationGroup`, each independently absent or random.
fn replication_group() -> impl Strategy<Value = ReplicationGroup> {
    let global = opt((ostr(), ostr()).prop_map(|(id, role)| {
        GlobalReplicationGroupInfo::builder()
            .set_global_replication_group_id(id)
            .set_global_replication_group_member_role(role)
            .build()
    }));
    let part1 = (
        ostr(),
        ostr(),
        global,
        ostr(),
        pending_modified_values(),
        olist(xml_text()),
        olist(node_group()),
        ostr(),
        enumeration::<AutomaticFailoverStatus>(AutomaticFailoverStatus::values()),
        enumeration::<MultiAzStatus>(MultiAzStatus::values()),
        oendpoint(),
        opt(any::<i32>()),
    );
    let part2 = (
        ostr(),
        opt(any::<bool>()),
        ostr(),
        opt(any::<bool>()),
        timestamp(),
        opt(any::<bool>()),
        opt(any::<bool>()),
        olist(xml_text()),
        ostr(),
        ostr(),
        olist(xml_text()),
        olist(log_delivery_configuration()),
    );
    let part3 = (
        timestamp(),
        enumeration::<DataTieringStatus>(DataTieringStatus::values()),
        opt(any::<bool>()),
        enumeration::<NetworkType>(NetworkType::values()),
        enumeration::<IpDiscovery>(IpDiscovery::values()),
        enumeration::<TransitEncryptionMode>(TransitEncryptionMode::values()),
        enumeration::<ClusterMode>(ClusterMode::values()),
        ostr(),
    );
    (part1, part2, part3).prop_map(|(p1, p2, p3)| {
        let (
            id,
            description,
            global,
            status,
            pending,
            clusters,
            groups,
            snapshotting,
            failover,
            multi_az,
            config,
            retention,
        ) = p1;
        let (
            window,
            cluster_enabled,
            node_type,
            auth,
            auth_date,
            tee,
            at_rest,
            arns,
            kms,
            arn,
            user_groups,
            logs,
        ) = p2;
        let (created, tiering, auto_minor, network, ip, tem, cluster_mode, engine) = p3;
        ReplicationGroup::builder()
            .set_replication_group_id(id)
            .set_description(description)
            .set_global_replication_group_info(global)
            .set_status(status)
            .set_pending_modified_values(pending)
            .set_member_clusters(clusters)
            .set_node_groups(groups)
            .set_snapshotting_cluster_id(snapshotting)
            .set_automatic_failover(failover)
            .set_multi_az(multi_az)
            .set_configuration_endpoint(config)
            .set_snapshot_retention_limit(retention)
            .set_snapshot_window(window)
            .set_cluster_enabled(cluster_enabled)
            .set_cache_node_type(node_type)
            .set_auth_token_enabled(auth)
            .set_auth_token_last_modified_date(auth_date)
            .set_transit_encryption_enabled(tee)
            .set_at_rest_encryption_enabled(at_rest)
            .set_member_clusters_outpost_arns(arns)
            .set_kms_key_id(kms)
            .set_arn(arn)
            .set_user_group_ids(user_groups)
            .set_log_delivery_configurations(logs)
            .set_replication_group_create_time(created)
            .set_data_tiering(tiering)
            .set_auto_minor_version_upgrade(auto_minor)
            .set_network_type(network)
            .set_ip_discovery(ip)
            .set_transit_encryption_mode(tem)
            .set_cluster_mode(cluster_mode)
            .set_engine(engine)
            .build()
    })
}

#[test]
fn renderer_writes_known_timestamps() {
    // 2024-01-02T03:04:05.123Z, at every rendering the seeds below choose.
    let t = DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000);
    let expected = ReplicationGroup::builder()
        .replication_group_create_time(t)
        .build();
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(19_724), (2024, 1, 2));
    assert_eq!(civil_from_days(-719_162), (1, 1, 1));
    assert_eq!(civil_from_days(2_932_896), (9999, 12, 31));
    for seed in 0..64 {
        let body = Renderer::new(seed).response(Some(&expected), "id");
        let out = parse_response(&HttpResponse::new(200, vec![], body.clone()))
            .unwrap_or_else(|e| panic!("{e}\n{body}"));
        assert_eq!(out.replication_group(), Some(&expected), "{body}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn responses_round_trip_through_an_xml_renderer(
        group in proptest::option::weighted(0.9, replication_group()),
        request_id in "[a-f0-9-]{0,36}",
        seed in any::<u64>(),
    ) {
        let body = Renderer::new(seed).response(group.as_ref(), &request_id);
        let output = match parse_response(&HttpResponse::new(200, vec![], body.clone())) {
            Ok(output) => output,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\nbody:\n{body}"))),
        };
        let expected = TestMigrationResponse::builder()
            .set_replication_group(group)
            .build();
        prop_assert_eq!(output.replication_group(), expected.replication_group(), "body:\n{}", body);
        prop_assert_eq!(output.request_id(), Some(request_id.as_str()));
    }
}
