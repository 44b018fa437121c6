//! XmlReader semantics: walking, text decoding, attributes, errors.

use std::borrow::Cow;

use aws_lite_runtime::xml::{Tag, XmlError, XmlReader};

/// Reads the text of the root's only child named `name`.
fn child_text(doc: &str, name: &[u8]) -> Result<String, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    let mut found = None;
    while let Some(c) = r.next_child(&root)? {
        if c.local_name() == name {
            found = Some(r.text(&c)?.into_owned());
        }
    }
    found.ok_or_else(|| XmlError::custom("missing"))
}

/// Names of the root's children, in order.
fn child_names(doc: &str) -> Result<Vec<String>, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    let mut names = Vec::new();
    while let Some(c) = r.next_child(&root)? {
        names.push(c.name_str().to_string());
    }
    Ok(names)
}

fn root_text(doc: &str) -> Result<String, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    Ok(r.text(&root)?.into_owned())
}

fn err(result: Result<impl std::fmt::Debug, XmlError>) -> XmlError {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn root_skips_prolog() {
    let doc = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n<?pi x?>\
               <!DOCTYPE r>\n  <r a=\"1\"><x/></r>\n<!-- trailing -->";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    assert_eq!(root.local_name(), b"r");
    assert_eq!(root.depth(), 1);
    assert!(!root.is_self_closing());
    assert_eq!(&doc[root.offset()..root.offset() + 2], "<r");
    let x = r.next_child(&root).unwrap().unwrap();
    assert_eq!(
        (x.local_name(), x.depth(), x.is_self_closing()),
        (&b"x"[..], 2, true)
    );
    assert_eq!(r.next_child(&root).unwrap(), None);
}

#[test]
fn accepts_bytes_and_strings() {
    let bytes: &[u8] = b"<a>1</a>";
    assert_eq!(XmlReader::new(bytes).root().unwrap().local_name(), b"a");
    let owned = String::from("<a>1</a>");
    assert_eq!(XmlReader::new(&owned).root().unwrap().local_name(), b"a");
    let vec = b"<a>1</a>".to_vec();
    assert_eq!(XmlReader::new(&vec).root().unwrap().local_name(), b"a");
}

#[test]
fn namespaces_are_stripped_from_names() {
    let doc = r#"<p:Resp xmlns:p="urn:a" xmlns="urn:b"><p:Id>1</p:Id><Id>2</Id><q:Other xmlns:q="urn:c"/></p:Resp>"#;
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    assert_eq!(root.local_name(), b"Resp");
    let mut seen = Vec::new();
    while let Some(c) = r.next_child(&root).unwrap() {
        let text = r.text(&c).unwrap();
        seen.push(format!("{}={}", c.name_str(), text));
    }
    assert_eq!(seen, ["Id=1", "Id=2", "Other="]);
}

#[test]
fn attributes() {
    let doc = r#"<r xmlns="urn:x" xmlns:xsi="urn:xsi" a="1" b='two &amp; &#51;' xsi:type="T" id="&lt;&quot;&gt;"/>"#;
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    assert!(root.is_self_closing());
    assert_eq!(root.attr(b"a").unwrap().as_deref(), Some("1"));
    assert_eq!(root.attr(b"b").unwrap().as_deref(), Some("two & 3"));
    assert_eq!(root.attr(b"type").unwrap().as_deref(), Some("T"));
    assert_eq!(root.attr(b"id").unwrap().as_deref(), Some("<\">"));
    assert_eq!(root.attr(b"missing").unwrap(), None);
    // Namespace declarations are not attributes.
    assert_eq!(root.attr(b"xmlns").unwrap(), None);
    assert_eq!(root.attr(b"xsi").unwrap(), None);
    assert!(matches!(root.attr(b"a").unwrap(), Some(Cow::Borrowed(_))));
    assert_eq!(r.next_child(&root).unwrap(), None);
}

#[test]
fn bad_attributes_are_errors() {
    for doc in [r#"<r a="&bogus;"/>"#, r#"<r a="1" a="2"/>"#, r#"<r a=1/>"#] {
        let mut r = XmlReader::new(doc);
        match r.root() {
            Ok(root) => {
                let e = err(root.attr(b"a"));
                assert!(e.to_string().contains("<r>"), "{e}");
            }
            Err(e) => assert!(e.offset().is_some(), "{e}"),
        }
    }
}

#[test]
fn duplicate_attributes_are_found_among_many() {
    // Past a few names the check moves to a hash set: duplicates are still found, wherever
    // they are, and distinct names are not taken for duplicates.
    for count in [2, 16, 17, 18, 40, 5_000] {
        let names: Vec<String> = (0..count).map(|i| format!("n{i}")).collect();
        let attrs: String = names.iter().map(|n| format!(" {n}='v'")).collect();
        let doc = format!("<r{attrs}/>");
        let mut r = XmlReader::new(&doc);
        let root = r.root().unwrap();
        assert_eq!(root.attr(b"n1").unwrap().as_deref(), Some("v"), "{count}");
        for dup in [0, count / 2, count - 1] {
            let doc = format!("<r{attrs} n{dup}='again'/>");
            let mut r = XmlReader::new(&doc);
            let e = err(r.root().unwrap().attr(b"n1"));
            assert!(
                e.to_string()
                    .contains(&format!("duplicate attribute `n{dup}`")),
                "{count} {dup}: {e}"
            );
        }
    }
}

#[test]
fn text_borrows_when_nothing_to_decode() {
    let doc = "<r><a>plain text</a><b>a &amp; b</b><c><![CDATA[x<y]]></c></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(matches!(r.text(&a).unwrap(), Cow::Borrowed("plain text")));
    let b = r.next_child(&root).unwrap().unwrap();
    assert!(matches!(r.text(&b).unwrap(), Cow::Owned(s) if s == "a & b"));
    let c = r.next_child(&root).unwrap().unwrap();
    assert!(matches!(r.text(&c).unwrap(), Cow::Borrowed("x<y")));
    assert_eq!(r.next_child(&root).unwrap(), None);
}

#[test]
fn entities_and_character_references() {
    let doc = "<r><v>&lt;&gt;&amp;&apos;&quot; &#65;&#x42;&#x43;&#233;&#x1F600; end</v></r>";
    assert_eq!(child_text(doc, b"v").unwrap(), "<>&'\" ABCé😀 end");
    assert_eq!(root_text("<r>&amp;</r>").unwrap(), "&");
    assert_eq!(root_text("<r>&#10;&#13;&#9;</r>").unwrap(), "\n\r\t");
}

#[test]
fn undefined_entities_and_bad_references_are_errors() {
    for (doc, needle) in [
        ("<r><v>&nbsp;</v></r>", "undefined entity &nbsp; in <v>"),
        ("<r><v>&copy;</v></r>", "undefined entity &copy; in <v>"),
        (
            "<r><v>&#0;</v></r>",
            "invalid character reference &#0; in <v>",
        ),
        (
            "<r><v>&#1;</v></r>",
            "invalid character reference &#1; in <v>",
        ),
        ("<r><v>&#xD800;</v></r>", "invalid character reference"),
        ("<r><v>&#x110000;</v></r>", "invalid character reference"),
        ("<r><v>&#xFFFE;</v></r>", "invalid character reference"),
        ("<r><v>&#abc;</v></r>", "invalid character reference"),
        // Only a lowercase x introduces a hex reference.
        ("<r><v>&#X43;</v></r>", "invalid character reference"),
    ] {
        let e = err(child_text(doc, b"v"));
        assert!(e.to_string().contains(needle), "{doc}: {e}");
        assert_eq!(e.offset(), Some(6), "{doc}: {e}");
    }
    // A lone ampersand is malformed.
    let e = err(child_text("<r><v>a & b</v></r>", b"v"));
    assert!(e.to_string().contains("malformed"), "{e}");
}

#[test]
fn cdata_comments_and_whitespace() {
    let doc = "<r><v>  a <!-- c --> b <![CDATA[<&amp;>]]>\n\tc  </v></r>";
    assert_eq!(child_text(doc, b"v").unwrap(), "  a  b <&amp;>\n\tc  ");
    assert_eq!(root_text("<r><![CDATA[]]></r>").unwrap(), "");
    assert_eq!(root_text("<r><?pi?>x</r>").unwrap(), "x");
    assert_eq!(root_text("<r>   </r>").unwrap(), "   ");
}

#[test]
fn line_endings_are_normalised() {
    assert_eq!(root_text("<r>a\r\nb\rc\n</r>").unwrap(), "a\nb\nc\n");
    // A character reference keeps a carriage return.
    assert_eq!(root_text("<r>a&#13;\nb</r>").unwrap(), "a\r\nb");
}

#[test]
fn empty_and_self_closing_elements() {
    let doc = "<r><a/><b></b><c /></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(a.is_self_closing());
    assert_eq!(r.text(&a).unwrap(), "");
    assert_eq!(r.next_child(&a).unwrap(), None);
    let b = r.next_child(&root).unwrap().unwrap();
    assert!(!b.is_self_closing());
    assert_eq!(r.text(&b).unwrap(), "");
    let c = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.next_child(&c).unwrap(), None);
    assert_eq!(r.next_child(&root).unwrap(), None);
    // A self-closing root has no children and empty text.
    let mut r = XmlReader::new("<r/>");
    let root = r.root().unwrap();
    assert_eq!(r.next_child(&root).unwrap(), None);
    assert_eq!(r.text(&root).unwrap(), "");
}

#[test]
fn unknown_children_are_skipped_at_any_depth() {
    let doc = "<r><u1><a><b><c>deep</c><d/></b></a>text</u1>\
               <keep>1</keep>\
               <u2 x='1'><keep>not me</keep><r><keep/></r></u2>\
               <keep>2</keep>\
               <partly><first>f</first><rest><x/></rest></partly>\
               <keep>3</keep></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let mut kept = Vec::new();
    while let Some(c) = r.next_child(&root).unwrap() {
        match c.local_name() {
            b"keep" => kept.push(r.text(&c).unwrap().into_owned()),
            b"partly" => {
                // Read only the first grandchild; the rest is skipped by the outer loop.
                let first = r.next_child(&c).unwrap().unwrap();
                assert_eq!(first.depth(), 3);
                assert_eq!(r.text(&first).unwrap(), "f");
            }
            _ => {}
        }
    }
    assert_eq!(kept, ["1", "2", "3"]);
}

#[test]
fn mixed_text_between_children_is_ignored() {
    assert_eq!(child_names("<r>a<x/>b<y>c</y>d</r>").unwrap(), ["x", "y"]);
}

#[test]
fn child_elements_inside_text_are_errors() {
    let e = err(child_text("<r><v>a<b>x</b></v></r>", b"v"));
    assert_eq!(e.message(), "unexpected element <b> inside <v>");
    assert_eq!(e.offset(), Some(7));
    let e = err(child_text("<r><v><p:b/></v></r>", b"v"));
    assert!(e.message().contains("<p:b> inside <v>"), "{e}");
}

#[test]
fn parse_text_and_friends() {
    let doc = "<r><i> 42 </i><n>-7</n><bad>4x</bad><t>true</t><f>\nfalse\n</f><T>True</T>\
               <d>1.5</d><nan>NaN</nan><inf>Infinity</inf><ninf>-Infinity</ninf><e>1e3</e>\
               <lower>inf</lower><big>99999999999</big><ts>2024-01-02T03:04:05Z</ts></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let mut tags = Vec::new();
    while let Some(c) = r.next_child(&root).unwrap() {
        let name = c.name_str().to_string();
        let out = match name.as_str() {
            "i" => format!("{:?}", r.parse_text::<i32>(&c)),
            "n" => format!(
                "{:?}",
                r.parse_text::<u8>(&c).map_err(|e| e.message().to_string())
            ),
            "bad" => format!(
                "{:?}",
                r.parse_text::<i64>(&c).map_err(|e| e.message().to_string())
            ),
            "t" | "f" | "T" => format!(
                "{:?}",
                r.parse_bool(&c).map_err(|e| e.message().to_string())
            ),
            "d" | "nan" | "inf" | "ninf" | "e" | "lower" => {
                format!("{:?}", r.parse_f64(&c).map_err(|e| e.message().to_string()))
            }
            "big" => format!(
                "{:?}",
                r.parse_text::<i32>(&c).map_err(|e| e.message().to_string())
            ),
            "ts" => format!(
                "{:?}",
                r.parse_text::<aws_lite_runtime::DateTime>(&c)
                    .map(|t| t.secs())
            ),
            _ => unreachable!(),
        };
        tags.push(format!("{name}: {out}"));
    }
    assert_eq!(
        tags,
        [
            "i: Ok(42)",
            "n: Err(\"invalid value \\\"-7\\\" in <n>: invalid digit found in string\")",
            "bad: Err(\"invalid value \\\"4x\\\" in <bad>: invalid digit found in string\")",
            "t: Ok(true)",
            "f: Ok(false)",
            "T: Err(\"invalid value \\\"True\\\" in <T>: expected true or false\")",
            "d: Ok(1.5)",
            "nan: Ok(NaN)",
            "inf: Ok(inf)",
            "ninf: Ok(-inf)",
            "e: Ok(1000.0)",
            "lower: Err(\"invalid value \\\"inf\\\" in <lower>: expected a number\")",
            "big: Err(\"invalid value \\\"99999999999\\\" in <big>: number too large to fit in target type\")",
            "ts: Ok(1704164645)",
        ]
    );
}

#[test]
fn parse_f32_accepts_specials() {
    let mut r = XmlReader::new("<r><a>NaN</a><b>-Infinity</b><c>0.1</c><d>nan</d></r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(r.parse_f32(&a).unwrap().is_nan());
    let b = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.parse_f32(&b).unwrap(), f32::NEG_INFINITY);
    let c = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.parse_f32(&c).unwrap(), 0.1);
    let d = r.next_child(&root).unwrap().unwrap();
    assert!(r.parse_f32(&d).is_err());
    // A value error leaves the reader usable.
    assert_eq!(r.next_child(&root).unwrap(), None);
}

#[test]
fn value_errors_name_element_and_offset() {
    let doc = "<r>\n  <Port>abc</Port></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let port = r.next_child(&root).unwrap().unwrap();
    let e = r.parse_text::<i32>(&port).unwrap_err();
    assert_eq!(e.offset(), Some(6));
    assert_eq!(
        e.to_string(),
        "invalid value \"abc\" in <Port>: invalid digit found in string (at byte 6)"
    );
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    // next_child again after None.
    let mut r = XmlReader::new("<r><a><x/></a><b/></r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(r.next_child(&a).unwrap().is_some());
    assert_eq!(r.next_child(&a).unwrap(), None);
    let e = err(r.next_child(&a));
    assert!(e.message().contains("not open"), "{e}");
    // Errors are sticky.
    assert_eq!(err(r.next_child(&root)), e);

    // text() on an element that is no longer current.
    let mut r = XmlReader::new("<r><a>1</a><b>2</b></r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    let _b = r.next_child(&root).unwrap().unwrap();
    let e = err(r.text(&a));
    assert!(e.message().contains("not the current element"), "{e}");

    // text() on the parent after reading a child.
    let mut r = XmlReader::new("<r><a>1</a></r>");
    let root = r.root().unwrap();
    let _a = r.next_child(&root).unwrap().unwrap();
    assert!(r.text(&root).is_err());

    // root() twice.
    let mut r = XmlReader::new("<r/>");
    r.root().unwrap();
    assert!(err(r.root()).message().contains("twice"));

    // A same-depth sibling is not mistaken for a finished element.
    let mut r = XmlReader::new("<r><a><x/></a><b><y/></b></r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    let _b = r.next_child(&root).unwrap().unwrap();
    assert!(r.next_child(&a).is_err());
}

#[test]
fn malformed_documents() {
    let cases: &[(&str, &str)] = &[
        ("<r><a></b></r>", "malformed"),
        ("<r><a>", "end of input inside <a>"),
        ("<r><a>text", "end of input"),
        ("<r>", "end of input inside <r>"),
        ("<r", "malformed"),
        ("<r><a x='1></a></r>", "malformed"),
        ("<r><!-- never closed", "malformed"),
        ("<r><![CDATA[ never closed", "malformed"),
        ("<r></r></extra>", ""),
        ("<r><a/></r", "malformed"),
        ("<r>\u{0}</r>", ""),
    ];
    for &(doc, needle) in cases {
        let result = (|| -> Result<(), XmlError> {
            let mut r = XmlReader::new(doc);
            let root = r.root()?;
            while let Some(c) = r.next_child(&root)? {
                r.text(&c)?;
            }
            // Trailing garbage after the root is only noticed if something reads it.
            let _ = r.next_child(&root)?;
            Ok(())
        })();
        if needle.is_empty() {
            // Either outcome is acceptable; it must just not panic.
            continue;
        }
        let e = err(result);
        assert!(e.to_string().contains(needle), "{doc:?}: {e}");
        assert!(e.offset().is_some(), "{doc:?}: {e}");
    }
}

#[test]
fn mismatched_end_tag_reports_names() {
    let e = err(child_names("<r><a></b></r>"));
    let msg = e.to_string();
    assert!(msg.contains('a') && msg.contains('b'), "{msg}");
    assert_eq!(e.offset(), Some(6), "{msg}");
}

#[test]
fn not_xml_at_all() {
    for doc in [
        "",
        "   \n",
        "hello",
        "{\"json\": true}",
        "404 Not Found",
        "&amp;",
        "</r>",
    ] {
        let e = err(XmlReader::new(doc).root());
        assert!(e.offset().is_some(), "{doc:?}: {e}");
    }
    assert!(err(XmlReader::new("").root()).message().contains("empty"));
    assert!(err(XmlReader::new(&b"\xff\xfe<\x00r\x00>\x00"[..]).root())
        .to_string()
        .contains("malformed"));
}

#[test]
fn html_error_page() {
    let html = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>502 Bad Gateway</title></head>\n\
                <body><h1>Bad Gateway</h1><br></body>\n</html>\n";
    let mut r = XmlReader::new(html);
    let root = r.root().unwrap();
    // A generated parser rejects the root by name...
    assert_ne!(root.local_name(), b"ErrorResponse");
    // ...and walking it anyway ends in an error rather than a panic.
    let mut walk = || -> Result<(), XmlError> {
        while let Some(c) = r.next_child(&root)? {
            while r.next_child(&c)?.is_some() {}
        }
        Ok(())
    };
    assert!(walk().is_err());
}

#[test]
fn custom_errors() {
    let e = XmlError::custom("expected <TestMigrationResponse>, found <Foo>");
    assert_eq!(
        e.to_string(),
        "expected <TestMigrationResponse>, found <Foo>"
    );
    assert_eq!(e.offset(), None);
    assert_eq!(e.clone(), e);
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().contains("TestMigration"));
}

#[test]
fn depth_limit() {
    let nested = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
    // Exactly at the limit is fine, one more is not.
    let walk = |doc: &str, max: usize| -> Result<usize, XmlError> {
        let mut r = XmlReader::new(doc).with_max_depth(max);
        let mut tag = r.root()?;
        let mut depth = 1;
        while let Some(child) = r.next_child(&tag)? {
            tag = child;
            depth += 1;
        }
        Ok(depth)
    };
    assert_eq!(walk(&nested(64), 64).unwrap(), 64);
    let e = walk(&nested(65), 64).unwrap_err();
    assert!(e.message().contains("deeper than the limit of 64"), "{e}");
    assert_eq!(e.offset(), Some(64 * 3));
    assert_eq!(walk(&nested(3), 3).unwrap(), 3);
    assert!(walk(&nested(4), 3).is_err());
    // Self-closing elements count too.
    let doc = "<a><a><a/></a></a>";
    assert!(walk(doc, 2).is_err());
    assert!(walk(doc, 3).is_ok());
    // The limit also applies to subtrees being skipped.
    let doc = format!("<r><skip>{}</skip></r>", nested(100));
    let mut r = XmlReader::new(&doc);
    let root = r.root().unwrap();
    assert!(r.next_child(&root).unwrap().is_some());
    assert!(r.next_child(&root).is_err());
    // Default limit is 64.
    let deep = nested(65);
    let mut r = XmlReader::new(&deep);
    let root = r.root().unwrap();
    assert!(r.next_child(&root).unwrap().is_some());
    assert!(r.next_child(&root).is_err());
}

#[test]
fn hundred_thousand_deep_document_is_an_error() {
    let n = 100_000;
    let doc = "<a>".repeat(n) + &"</a>".repeat(n);
    // Skipping from the root.
    let mut r = XmlReader::new(&doc);
    let root = r.root().unwrap();
    let e = r
        .next_child(&root)
        .and_then(|_| r.next_child(&root))
        .unwrap_err();
    assert!(e.message().contains("nested deeper"), "{e}");
    // A recursive descent in the style of generated parsers.
    fn descend(r: &mut XmlReader<'_>, tag: &Tag<'_>) -> Result<(), XmlError> {
        while let Some(child) = r.next_child(tag)? {
            descend(r, &child)?;
        }
        Ok(())
    }
    let mut r = XmlReader::new(&doc);
    let root = r.root().unwrap();
    assert!(descend(&mut r, &root).is_err());
    // Unclosed, too.
    let doc = "<a>".repeat(n);
    let mut r = XmlReader::new(&doc);
    let root = r.root().unwrap();
    assert!(descend(&mut r, &root).is_err());
}
