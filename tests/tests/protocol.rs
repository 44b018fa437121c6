//! awsQuery rules, one test each, written from the protocol's specification, over the
//! `query-protocol` crate generated from `tests/fixtures/protocol/` (a model that uses every
//! construct).

use aws_lite_runtime::protocol::{HttpResponse, SdkError};
use aws_lite_runtime::{Blob, DateTime};
use query_protocol::operation::everything::{parse_response, serialize_request, EverythingError};
use query_protocol::operation::no_output;
use query_protocol::types::{Color, EverythingInput, Inner, Level, Nested, NoOutputInput};

/// The body after `Action=Everything&Version=2020-01-08`, with the random token removed.
fn body(input: &EverythingInput) -> String {
    let req = serialize_request(input).unwrap();
    let rest = req
        .body
        .strip_prefix("Action=Everything&Version=2020-01-08")
        .expect("prefix");
    rest.split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("Token="))
        .map(|kv| format!("&{kv}"))
        .collect()
}

fn base() -> query_protocol::types::builders::EverythingInputBuilder {
    EverythingInput::builder()
}

#[test]
fn scalars_and_renamed_keys() {
    let input = base()
        .str("a b")
        .renamed("x")
        .flag(true)
        .int(-3)
        .long(1i64 << 40)
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Str=a%20b&OtherName=x&Flag=true&Int=-3&Long=1099511627776"
    );
}

#[test]
fn percent_encoding_of_reserved_and_non_ascii() {
    let input = base().str("&=+/ %~*é😀-._").build().unwrap();
    assert_eq!(
        body(&input),
        "&Str=%26%3D%2B%2F%20%25~%2A%C3%A9%F0%9F%98%80-._"
    );
}

#[test]
fn empty_string_is_key_with_empty_value() {
    assert_eq!(body(&base().str("").build().unwrap()), "&Str=");
}

#[test]
fn floats_including_nan_and_infinities() {
    let input = base().float(1.5f32).double(f64::NAN).build().unwrap();
    assert_eq!(body(&input), "&Float=1.5&Double=NaN");
    assert_eq!(
        body(&base().double(f64::INFINITY).build().unwrap()),
        "&Double=Infinity"
    );
    assert_eq!(
        body(&base().double(f64::NEG_INFINITY).build().unwrap()),
        "&Double=-Infinity"
    );
}

#[test]
fn timestamps_in_each_format() {
    let t = DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000);
    let input = base()
        .time(t)
        .epoch_time(t)
        .http_time(DateTime::from_secs(1_576_540_098))
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Time=2019-12-16T23%3A48%3A18.5Z&EpochTime=1576540098.5&HttpTime=Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT"
    );
}

#[test]
fn blobs_are_base64() {
    assert_eq!(
        body(&base().data(Blob::new(b"value".to_vec())).build().unwrap()),
        "&Data=dmFsdWU%3D"
    );
}

#[test]
fn enums_send_their_wire_value_and_keep_unknown_ones() {
    assert_eq!(
        body(
            &base()
                .color(Color::DarkBlue)
                .level(Level::High)
                .build()
                .unwrap()
        ),
        "&Color=dark-blue&Level=10"
    );
    assert_eq!(
        body(&base().color(Color::from("purple")).build().unwrap()),
        "&Color=purple"
    );
}

#[test]
fn nested_structures_use_dotted_keys() {
    let nested = Nested::builder()
        .name("n")
        .inner(Inner::builder().value(7).build())
        .build();
    assert_eq!(
        body(&base().nested(nested).build().unwrap()),
        "&Nested.Name=n&Nested.Inner.Value=7"
    );
}

#[test]
fn lists_wrapped_named_flattened_and_empty() {
    let input = base()
        .strings("a")
        .strings("b")
        .named("c")
        .flat("d")
        .flat("e")
        .flat_renamed("f")
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Strings.member.1=a&Strings.member.2=b&Named.Entry.1=c&Flat.1=d&Flat.2=e&Item.1=f"
    );
    let empty = base()
        .set_strings(Some(vec![]))
        .set_flat(Some(vec![]))
        .build()
        .unwrap();
    assert_eq!(body(&empty), "&Strings=&Flat=");
}

#[test]
fn nested_lists_of_structures_and_lists_of_lists() {
    let input = base()
        .structs(Nested::builder().name("x").build())
        .structs(
            Nested::builder()
                .inner(Inner::builder().value(2).build())
                .build(),
        )
        .list_of_lists(vec!["a".to_string(), "b".to_string()])
        .list_of_lists(vec![])
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Structs.Thing.1.Name=x&Structs.Thing.2.Inner.Value=2\
         &ListOfLists.member.1.member.1=a&ListOfLists.member.1.member.2=b&ListOfLists.member.2="
    );
}

#[test]
fn maps_wrapped_renamed_and_flattened_in_key_order() {
    let input = base()
        .map("b", "2")
        .map("a", "1")
        .named_map("k", Nested::builder().name("v").build())
        .flat_map("z", "9")
        .build()
        .unwrap();
    assert_eq!(
        body(&input),
        "&Map.entry.1.key=a&Map.entry.1.value=1&Map.entry.2.key=b&Map.entry.2.value=2\
         &NamedMap.entry.1.K=k&NamedMap.entry.1.V.Name=v&FlatMap.1.key=z&FlatMap.1.value=9"
    );
    // Empty maps are omitted.
    assert_eq!(
        body(&base().set_map(Some(Default::default())).build().unwrap()),
        ""
    );
}

#[test]
fn idempotency_token_is_filled_with_a_uuid_v4_when_unset() {
    let req = serialize_request(&base().build().unwrap()).unwrap();
    let token = req
        .body
        .split('&')
        .find_map(|kv| kv.strip_prefix("Token="))
        .expect("token sent");
    assert_eq!(token.len(), 36);
    assert_eq!(&token[14..15], "4", "version 4: {token}");
    assert!(
        matches!(&token[19..20], "8" | "9" | "a" | "b"),
        "variant: {token}"
    );
    let other = serialize_request(&base().build().unwrap()).unwrap();
    assert_ne!(req.body, other.body, "each request gets a fresh token");
    let given = serialize_request(&base().token("mine").build().unwrap()).unwrap();
    assert!(given.body.ends_with("&Token=mine"), "{}", given.body);
}

#[test]
fn constraints_are_not_enforced_when_sending_but_validate_checks_them() {
    // Smithy: constraint traits are not enforced when serializing; the service decides.
    for input in [
        base().bounded("a").build().unwrap(),
        base().bounded("abcdef").build().unwrap(),
        base().bounded("AB").build().unwrap(),
        base().count(11).build().unwrap(),
    ] {
        assert!(serialize_request(&input).is_ok(), "{input:?} is sent");
    }
    let body = body(&base().bounded("a").count(11).build().unwrap());
    assert!(
        body.contains("Bounded=a") && body.contains("Count=11"),
        "{body}"
    );

    let err = base().bounded("a").build().unwrap().validate().unwrap_err();
    assert_eq!(err.invalid(), Some("Bounded"));
    assert!(err.to_string().contains("at least 2"), "{err}");
    let err = base()
        .bounded("abcdef")
        .build()
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(err.to_string().contains("at most 5"), "{err}");
    let err = base()
        .bounded("AB")
        .build()
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(err.to_string().contains("pattern"), "{err}");
    let err = base().count(11).build().unwrap().validate().unwrap_err();
    assert_eq!(err.invalid(), Some("Count"));
    assert!(base()
        .bounded("abc")
        .count(10)
        .build()
        .unwrap()
        .validate()
        .is_ok());
}

fn ok(body: &str) -> query_protocol::types::EverythingOutput {
    parse_response(&HttpResponse::new(200, vec![], body)).unwrap_or_else(|e| panic!("{e}"))
}

fn wrap(inner: &str) -> String {
    format!(
        "<EverythingResponse xmlns=\"https://example.com/query/\"><EverythingResult>{inner}</EverythingResult>\
         <ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></EverythingResponse>"
    )
}

#[test]
fn parses_scalars_by_wire_name() {
    let out = ok(&wrap(
        "<Str>s</Str><OtherName>r</OtherName><Flag>false</Flag><Int>-1</Int><Long>9000000000</Long>\
         <Float>NaN</Float><Double>-Infinity</Double><Data>dmFsdWU=</Data><Color>red</Color><Level>1</Level>",
    ));
    assert_eq!(out.str(), Some("s"));
    assert_eq!(out.renamed(), Some("r"));
    assert_eq!(out.flag(), Some(false));
    assert_eq!(out.int(), Some(-1));
    assert_eq!(out.long(), Some(9_000_000_000));
    assert!(out.float().unwrap().is_nan());
    assert_eq!(out.double(), Some(f64::NEG_INFINITY));
    assert_eq!(out.data().unwrap().as_ref(), b"value");
    assert_eq!(out.color(), Some(&Color::Red));
    assert_eq!(out.level(), Some(&Level::Low));
}

#[test]
fn parses_timestamps_in_every_allowed_form() {
    let out = ok(&wrap(
        "<Time>2019-12-16T23:48:18.52+02:00</Time><EpochTime>1576540098.5</EpochTime>\
         <HttpTime>Mon, 16 Dec 2019 23:48:18 GMT</HttpTime>",
    ));
    let t = out.time().unwrap();
    assert_eq!(
        (t.secs(), t.subsec_nanos()),
        (1_576_540_098 - 7200, 520_000_000)
    );
    assert_eq!(out.epoch_time().unwrap().subsec_nanos(), 500_000_000);
    assert_eq!(out.http_time().unwrap().secs(), 1_576_540_098);
    assert_eq!(
        ok(&wrap("<Time>2019-12-16T23:48:18Z</Time>"))
            .time()
            .unwrap()
            .secs(),
        1_576_540_098
    );
}

#[test]
fn parses_lists_maps_and_nesting() {
    let out = ok(&wrap(
        "<Strings><member>a</member><member>b</member></Strings>\
         <Named><Entry>c</Entry></Named>\
         <Flat>d</Flat><Str>between</Str><Flat>e</Flat>\
         <Item>f</Item>\
         <Structs><Thing Id=\"7\"><Name>x</Name><Inner><Value>3</Value></Inner></Thing></Structs>\
         <ListOfLists><member><member>a</member></member><member/></ListOfLists>\
         <Map><entry><key>k</key><value>v</value></entry></Map>\
         <NamedMap><entry><K>k</K><V><Name>n</Name></V></entry></NamedMap>\
         <FlatMap><key>a</key><value>1</value></FlatMap><FlatMap><key>b</key><value>2</value></FlatMap>",
    ));
    assert_eq!(out.strings(), ["a", "b"]);
    assert_eq!(out.named(), ["c"]);
    assert_eq!(out.flat(), ["d", "e"]);
    assert_eq!(out.flat_renamed(), ["f"]);
    assert_eq!(out.str(), Some("between"));
    let s = &out.structs()[0];
    assert_eq!(
        (s.name(), s.id(), s.inner().unwrap().value()),
        (Some("x"), Some("7"), Some(3))
    );
    assert_eq!(out.list_of_lists(), [vec!["a".to_string()], vec![]]);
    assert_eq!(out.map().unwrap()["k"], "v");
    assert_eq!(out.named_map().unwrap()["k"].name(), Some("n"));
    let flat = out.flat_map().unwrap();
    assert_eq!((flat["a"].as_str(), flat["b"].as_str()), ("1", "2"));
}

#[test]
fn empty_elements_missing_elements_and_unknown_elements() {
    let out = ok(&wrap("<Strings/><Str></Str><Data/><Unknown><Deep><Deeper/></Deep></Unknown><Nested><New>1</New></Nested>"));
    assert_eq!(
        out.strings,
        Some(vec![]),
        "an empty element is an empty list"
    );
    assert_eq!(out.str(), Some(""));
    assert_eq!(out.data().unwrap().as_ref(), b"");
    assert_eq!(out.int(), None);
    assert_eq!(out.nested().unwrap().name(), None);
}

#[test]
fn entities_char_refs_cdata_and_namespaces() {
    let out = ok(&wrap("<Str>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#233;&#x1F600; <![CDATA[<raw>&amp;]]></Str>"));
    assert_eq!(out.str(), Some("<a> & \"b\" 'c' é😀 <raw>&amp;"));
    let prefixed = "<q:EverythingResponse xmlns:q=\"https://example.com/query/\"><q:EverythingResult><q:Str>p</q:Str></q:EverythingResult></q:EverythingResponse>";
    assert_eq!(ok(prefixed).str(), Some("p"));
}

#[test]
fn operation_without_output_accepts_metadata_only_or_empty_body() {
    let input = NoOutputInput::builder().flag(true).build().unwrap();
    assert_eq!(
        no_output::serialize_request(&input).unwrap().body,
        "Action=NoOutput&Version=2020-01-08&Flag=true"
    );
    let meta_only = "<NoOutputResponse><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></NoOutputResponse>";
    no_output::parse_response(&HttpResponse::new(200, vec![], meta_only)).unwrap();
    no_output::parse_response(&HttpResponse::new(200, vec![], "")).unwrap();
}

#[test]
fn errors_map_custom_codes_and_shape_names() {
    let custom = "<ErrorResponse><Error><Type>Sender</Type><Code>Custom.Code</Code><Message>m</Message><Reason>r</Reason></Error><RequestId>i</RequestId></ErrorResponse>";
    let e = parse_response(&HttpResponse::new(402, vec![], custom))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    let EverythingError::CustomCodeError(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!((inner.message(), inner.reason()), (Some("m"), Some("r")));
    let plain = "<ErrorResponse><Error><Type>Receiver</Type><Code>PlainError</Code><Message>p</Message></Error><RequestId>i</RequestId></ErrorResponse>";
    let e = parse_response(&HttpResponse::new(500, vec![], plain))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(e.is_plain_error(), "{e:?}");
    assert_eq!(e.message(), Some("p"));
    // The shape name of an error with a custom code is not its code.
    let by_name = custom.replace("Custom.Code", "CustomCodeError");
    let e = parse_response(&HttpResponse::new(402, vec![], by_name)).unwrap_err();
    assert!(
        matches!(e, SdkError::Service(EverythingError::Unhandled(_))),
        "{e:?}"
    );
}
