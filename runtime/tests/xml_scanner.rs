//! The hand-written scanner under `XmlReader`: markup it must skip or
//! understand (quotes, comments, processing instructions, DOCTYPE, CDATA,
//! prefixes, byte order mark, UTF-8) and the errors it reports, with offsets.

use std::borrow::Cow;

use aws_lite_runtime::xml::{XmlError, XmlReader};

/// `name=text` for each child of the root, reading every child's text.
fn children(doc: &str) -> Result<Vec<String>, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    let mut out = Vec::new();
    while let Some(c) = r.next_child(&root)? {
        let text = r.text(&c)?;
        out.push(format!("{}={text}", c.name_str()));
    }
    Ok(out)
}

/// Names of the root's children, skipping (not reading) their content.
fn child_names(doc: &[u8]) -> Result<Vec<String>, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    let mut out = Vec::new();
    while let Some(c) = r.next_child(&root)? {
        out.push(c.name_str().to_string());
    }
    Ok(out)
}

fn root_text(doc: &str) -> Result<String, XmlError> {
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    Ok(r.text(&root)?.into_owned())
}

fn err<T: std::fmt::Debug>(result: Result<T, XmlError>) -> XmlError {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn attributes_with_both_quotes_and_markup_characters_inside() {
    let doc = r#"<r><a x='say "hi"' y="it's" z="a>b" w='</a>' v="/>"/><b q=">">t</b></r>"#;
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(a.is_self_closing());
    assert_eq!(a.attr(b"x").unwrap().as_deref(), Some("say \"hi\""));
    assert_eq!(a.attr(b"y").unwrap().as_deref(), Some("it's"));
    assert_eq!(a.attr(b"z").unwrap().as_deref(), Some("a>b"));
    assert_eq!(a.attr(b"w").unwrap().as_deref(), Some("</a>"));
    assert_eq!(a.attr(b"v").unwrap().as_deref(), Some("/>"));
    let b = r.next_child(&root).unwrap().unwrap();
    assert!(!b.is_self_closing());
    assert_eq!(b.attr(b"q").unwrap().as_deref(), Some(">"));
    assert_eq!(r.text(&b).unwrap(), "t");
    assert_eq!(r.next_child(&root).unwrap(), None);
    // Skipped rather than read, the same quotes must not end the tag early.
    assert_eq!(child_names(doc.as_bytes()).unwrap(), ["a", "b"]);
}

#[test]
fn attribute_syntax() {
    let doc = "<r a = \"1\"\tb='2'\nc=\"x\ty\r\nz&#10;&#9;w\" d=\"\"/>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    assert_eq!(root.attr(b"a").unwrap().as_deref(), Some("1"));
    assert_eq!(root.attr(b"b").unwrap().as_deref(), Some("2"));
    // Literal whitespace becomes spaces (CR LF as one); references keep theirs.
    assert_eq!(root.attr(b"c").unwrap().as_deref(), Some("x y z\n\tw"));
    assert_eq!(root.attr(b"d").unwrap().as_deref(), Some(""));
    assert!(matches!(root.attr(b"d").unwrap(), Some(Cow::Borrowed(""))));
    // A prefixed attribute is found by its local name; the first one wins.
    let mut r = XmlReader::new(r#"<r p:a="1" q:a="2"/>"#);
    assert_eq!(r.root().unwrap().attr(b"a").unwrap().as_deref(), Some("1"));
    // Attributes without whitespace between them.
    let mut r = XmlReader::new(r#"<r a="1"b="2"/>"#);
    assert_eq!(r.root().unwrap().attr(b"b").unwrap().as_deref(), Some("2"));
    for doc in [
        r#"<r a="1/>"#,
        r#"<r a='1"/>"#,
        r#"<r a="&#1;"/>"#,
        r#"<r a="&amp"/>"#,
        r#"<r ="1"/>"#,
        r#"<r a b="1"/>"#,
        r#"<r p:a="1" p:a="2"/>"#,
    ] {
        let mut r = XmlReader::new(doc);
        match r.root() {
            Ok(root) => {
                let e = err(root.attr(b"a"));
                assert!(
                    e.message().starts_with("invalid attributes on <r>"),
                    "{doc}: {e}"
                );
                assert_eq!(e.offset(), Some(0), "{doc}");
            }
            // An unclosed quote hides the end of the tag.
            Err(e) => assert!(e.message().contains("malformed"), "{doc}: {e}"),
        }
    }
}

#[test]
fn comments_may_contain_double_hyphens() {
    let doc = "<r><!-- a -- b --><a>1</a><!----><!-- <b>2</b> --><c><!--x--->-->3</c></r>";
    // (The first `-->` ends a comment.)
    assert_eq!(children(doc).unwrap(), ["a=1", "c=-->3"]);
    assert_eq!(child_names(doc.as_bytes()).unwrap(), ["a", "c"]);
    // `<!-->` and `<!--->` do not close themselves.
    assert_eq!(root_text("<r><!-->-->x<!--->-->y</r>").unwrap(), "xy");
    let e = err(root_text("<r>a<!-- -- </r>"));
    assert!(e.message().contains("unclosed comment"), "{e}");
    assert_eq!(e.offset(), Some(4));
}

#[test]
fn processing_instructions_and_declarations() {
    let doc = "<?xml version=\"1.0\"?><?pi a > b?><r><?x?><a>1<?y z?>2</a><?xml-stylesheet href='a'?></r>";
    assert_eq!(children(doc).unwrap(), ["a=12"]);
    // An XML declaration inside content is an error when reading text.
    let e = err(root_text("<r>a<?xml version='1.0'?></r>"));
    assert_eq!(e.message(), "unexpected markup inside <r>");
    assert_eq!(e.offset(), Some(4));
    // `<?>` is not a whole instruction.
    let e = err(root_text("<r><?></r>"));
    assert!(
        e.message().contains("unclosed processing instruction"),
        "{e}"
    );
    assert_eq!(e.offset(), Some(3));
}

#[test]
fn doctype_before_the_root() {
    for doc in [
        "<!DOCTYPE r><r><a>1</a></r>",
        "<!doctype r><r><a>1</a></r>",
        "<!DOCTYPE r SYSTEM \"a>b.dtd\"><r><a>1</a></r>",
        "<!DOCTYPE r [\n  <!ENTITY e \"]>\">\n  <!-- ]> -->\n  <?p ]>?>\n  <!ELEMENT r ANY>\n]>\n<r><a>1</a></r>",
    ] {
        assert_eq!(children(doc).unwrap(), ["a=1"], "{doc}");
    }
    let e = err(XmlReader::new("<!DOCTYPE>").root());
    assert!(e.message().contains("DOCTYPE without a name"), "{e}");
    let e = err(XmlReader::new("<!DOCTYPE r [ <r/>").root());
    assert!(e.message().contains("unclosed DOCTYPE"), "{e}");
    // Inside an element, a DOCTYPE is skipped between children but not in text.
    assert_eq!(child_names(b"<r><!DOCTYPE x><a/></r>").unwrap(), ["a"]);
    let e = err(root_text("<r><!DOCTYPE x></r>"));
    assert_eq!(e.message(), "unexpected markup inside <r>");
    // Other `<!` markup is malformed.
    let e = err(root_text("<r><!ELEMENT x></r>"));
    assert!(e.message().contains("malformed"), "{e}");
    assert_eq!(e.offset(), Some(3));
}

#[test]
fn cdata_sections() {
    assert_eq!(root_text("<r><![CDATA[a]]b]]></r>").unwrap(), "a]]b");
    assert_eq!(root_text("<r><![CDATA[]]]]></r>").unwrap(), "]]");
    assert_eq!(
        root_text("<r><![CDATA[<a>&amp;</a>]]></r>").unwrap(),
        "<a>&amp;</a>"
    );
    assert_eq!(root_text("<r>x<![CDATA[y]]>z</r>").unwrap(), "xyz");
    assert_eq!(
        root_text("<r><![CDATA[a\r\nb\rc]]></r>").unwrap(),
        "a\nb\nc"
    );
    // A CDATA section alone is borrowed.
    let mut r = XmlReader::new("<r><![CDATA[a&b]]></r>");
    let root = r.root().unwrap();
    assert!(matches!(r.text(&root).unwrap(), Cow::Borrowed("a&b")));
    // Skipped, a CDATA section may contain what looks like tags.
    assert_eq!(
        child_names(b"<r><a><![CDATA[</a><b>]]></a><c/></r>").unwrap(),
        ["a", "c"]
    );
    let e = err(root_text("<r><![CDATA[x]></r>"));
    assert!(e.message().contains("unclosed CDATA"), "{e}");
    assert_eq!(e.offset(), Some(3));
    let e = err(root_text("<r><![CDAT[x]]></r>"));
    assert!(e.message().contains("malformed"), "{e}");
}

#[test]
fn end_tags() {
    // Whitespace after the name is allowed.
    assert_eq!(
        children("<r><a>1</a ><b>2</b\n\t></r >").unwrap(),
        ["a=1", "b=2"]
    );
    assert_eq!(
        child_names(b"<r><a><x></x ></a ><b/></r>").unwrap(),
        ["a", "b"]
    );
    // Mismatches name both tags and point at the end tag.
    for (doc, offset) in [
        ("<r><a>1</b></r>", 7),
        ("<r><a>1</ab></r>", 7),
        ("<r><ab>1</a></r>", 8),
        ("<r><a>1</A></r>", 7),
        ("<r><p:a>1</q:a></r>", 9),
        ("<r><a>1</a x></r>", 7),
    ] {
        let e = err(children(doc));
        assert!(
            e.message().starts_with("malformed XML: expected </"),
            "{doc}: {e}"
        );
        assert_eq!(e.offset(), Some(offset), "{doc}");
    }
    let e = err(child_names(b"<r><a><x></y></a></r>"));
    assert_eq!(
        e.message(),
        "malformed XML: expected </x>, found </y> (inside <x>)"
    );
    let e = err(children("<r><a>1</a"));
    assert!(e.message().contains("unclosed end tag"), "{e}");
    // An end tag with nothing open.
    let e = err(XmlReader::new("</r>").root());
    assert!(e.message().contains("unexpected end tag </r>"), "{e}");
    assert_eq!(e.offset(), Some(0));
}

#[test]
fn namespace_prefixes() {
    let doc = "<soap:Envelope xmlns:soap='urn:s'><soap:Body><m:Id xmlns:m='urn:m'>7</m:Id></soap:Body></soap:Envelope>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    assert_eq!(root.local_name(), b"Envelope");
    let body = r.next_child(&root).unwrap().unwrap();
    assert_eq!(body.local_name(), b"Body");
    let id = r.next_child(&body).unwrap().unwrap();
    assert_eq!((id.local_name(), id.name_str()), (&b"Id"[..], "Id"));
    assert_eq!(r.parse_text::<u8>(&id).unwrap(), 7);
    assert_eq!(r.next_child(&body).unwrap(), None);
    assert_eq!(r.next_child(&root).unwrap(), None);
    // The prefix is part of the name the end tag must repeat.
    let e = err(children("<r><p:a>1</a></r>"));
    assert!(e.message().contains("expected </p:a>, found </a>"), "{e}");
    // Only the first colon splits.
    assert_eq!(child_names(b"<r><a:b:c/></r>").unwrap(), ["b:c"]);
}

#[test]
fn byte_order_mark() {
    let doc = "\u{feff}<r><a>1</a></r>";
    let mut r = XmlReader::new(doc);
    let root = r.root().unwrap();
    // Offsets count the mark's three bytes.
    assert_eq!(root.offset(), 3);
    let a = r.next_child(&root).unwrap().unwrap();
    assert_eq!(a.offset(), 6);
    assert_eq!(r.text(&a).unwrap(), "1");
    // Only at the very start.
    assert!(XmlReader::new(" \u{feff}<r/>").root().is_err());
    assert!(XmlReader::new("\u{feff}\u{feff}<r/>").root().is_err());
    // A mark alone is an empty body.
    let e = err(XmlReader::new("\u{feff}").root());
    assert!(e.message().contains("empty"), "{e}");
}

#[test]
fn utf8_is_checked_where_reading_reaches() {
    let doc = "<r><é a='ü'>ß😀</é></r>";
    assert_eq!(children(doc).unwrap(), ["é=ß😀"]);
    // An invalid byte is reported at its offset, wherever reading reaches it:
    // in text being read, in an element being skipped, inside a tag...
    let walk = |doc: &[u8], read_text: bool| -> Result<(), XmlError> {
        let mut r = XmlReader::new(doc);
        let root = r.root()?;
        while let Some(c) = r.next_child(&root)? {
            if read_text {
                r.text(&c)?;
            }
        }
        Ok(())
    };
    for (doc, read_text, at) in [
        (&b"<r><a>x\xffy</a></r>"[..], true, 7),
        (b"<r><a><b>\xc3</b></a><c/></r>", false, 9),
        (b"<r><a x='\xe2\x82'/></r>", false, 9),
        (b"\xef\xbb<r/>", false, 0),
    ] {
        let e = err(walk(doc, read_text));
        assert!(e.message().contains("not valid UTF-8"), "{doc:?}: {e}");
        assert_eq!(e.offset(), Some(at), "{doc:?}: {e}");
    }
    // ...but bytes after the root element are never read.
    let mut r = XmlReader::new(&b"<r><a/></r>\xff"[..]);
    let root = r.root().unwrap();
    assert!(r.next_child(&root).unwrap().is_some());
    assert_eq!(r.next_child(&root).unwrap(), None);
}

#[test]
fn references_in_text_and_skipped_text() {
    assert_eq!(
        root_text("<r>&#x10FFFF;&#1114111;</r>").unwrap(),
        "\u{10FFFF}\u{10FFFF}"
    );
    for doc in [
        "<r>&#+65;</r>",
        "<r>&#x-41;</r>",
        "<r>&#;</r>",
        "<r>&#x;</r>",
        "<r>&;</r>",
    ] {
        let e = err(root_text(doc));
        assert_eq!(e.offset(), Some(3), "{doc}: {e}");
    }
    // An undefined entity is only an error when the text is read...
    assert_eq!(
        child_names(b"<r><a>&nbsp;</a><b/></r>").unwrap(),
        ["a", "b"]
    );
    // ...but an `&` without its `;` is malformed even when skipped.
    for doc in [
        &b"<r><a>x & y</a></r>"[..],
        b"<r><a>&amp</a></r>",
        b"<r><a>&a&b;</a></r>",
    ] {
        let e = err(child_names(doc));
        assert!(e.message().contains("`&` without a closing `;`"), "{e}");
        assert_eq!(
            e.offset(),
            Some(doc.iter().position(|&b| b == b'&').unwrap())
        );
    }
}

#[test]
fn tag_syntax() {
    // Whitespace and attributes before `>` or `/>`.
    assert_eq!(
        children("<r><a >1</a><b\n/><c\tx='1' /></r>").unwrap(),
        ["a=1", "b=", "c="]
    );
    // Names are not validated beyond being non-empty...
    assert_eq!(
        child_names(b"<r><a.b-c_d/><\xc3\xa9/></r>").unwrap(),
        ["a.b-c_d", "é"]
    );
    // ...but an empty name is malformed.
    for doc in [&b"<r><></></r>"[..], b"<r>< a/></r>", b"<r></>"] {
        let e = err(child_names(doc));
        assert!(e.message().contains("malformed"), "{doc:?}: {e}");
        assert_eq!(e.offset(), Some(3), "{doc:?}");
    }
    for (doc, what) in [
        (&b"<r><a"[..], "unclosed tag"),
        (b"<r><a x='>", "unclosed tag"),
        (b"<r><", "`<` at the end"),
    ] {
        let e = err(child_names(doc));
        assert!(e.message().contains(what), "{doc:?}: {e}");
        assert_eq!(e.offset(), Some(3), "{doc:?}");
    }
}

#[test]
fn errors_are_sticky_and_name_the_open_element() {
    let mut r = XmlReader::new("<r><a><b>x</c></a></r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    let e = err(r.next_child(&root));
    assert_eq!(
        e.to_string(),
        "malformed XML: expected </b>, found </c> (inside <b>) (at byte 10)"
    );
    assert_eq!(err(r.next_child(&a)), e);
    assert_eq!(err(r.text(&a)), e);
    assert_eq!(err(r.root()), e);
}

#[test]
fn text_fast_and_slow_paths_agree() {
    // The same values through the borrowed fast path and through decoding.
    for (inner, expected) in [
        ("plain", "plain"),
        ("", ""),
        ("  spaced  ", "  spaced  "),
        ("a&amp;b", "a&b"),
        ("a<!---->b", "ab"),
        ("<![CDATA[a]]>b", "ab"),
        ("a\r\nb", "a\nb"),
        ("a\r", "a\n"),
        ("\r\n", "\n"),
        ("&lt;", "<"),
    ] {
        let doc = format!("<r><v>{inner}</v><w>{inner}</w ></r>");
        assert_eq!(
            children(&doc).unwrap(),
            [format!("v={expected}"), format!("w={expected}")],
            "{inner:?}"
        );
    }
    // Long names and values cross the 8-byte words the scanner reads.
    let name = "ReplicationGroupCreateTimeX".repeat(3);
    let value = "0123456789abcdef-".repeat(5);
    let doc = format!("<r><{name}>{value}</{name}><{name}/></r>");
    let expected = [format!("{name}={value}"), format!("{name}=")];
    assert_eq!(children(&doc).unwrap(), expected);
    let doc = format!("<r><{name}>{value}</{name}x></r>");
    assert!(err(children(&doc)).message().contains("expected </"));
}

/// Start tags with whitespace after the name (attributes, or none): the name ends there, the
/// tag at the first `>` outside quotes, and a `/` just before it makes the element empty.
#[test]
fn start_tags_with_whitespace_after_the_name() {
    let cases: [(&str, &str, bool, Option<&str>, &str); 8] = [
        (r#"<r><a x="1">t</a></r>"#, "a", false, Some("1"), "t"),
        ("<r><a\n\t>t</a></r>", "a", false, None, "t"),
        (r#"<r><p:a x="1" >t</p:a></r>"#, "a", false, Some("1"), "t"),
        ("<r><a x='1'/></r>", "a", true, Some("1"), ""),
        ("<r><a x='1' /></r>", "a", true, Some("1"), ""),
        ("<r><a x='/'>t</a></r>", "a", false, Some("/"), "t"),
        (r#"<r><a x="/>" y='a>b'/></r>"#, "a", true, Some("/>"), ""),
        (
            r#"<r><p:a x=">/">p:t</p:a></r>"#,
            "a",
            false,
            Some(">/"),
            "p:t",
        ),
    ];
    for (doc, name, empty, x, text) in cases {
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let a = r.next_child(&root).unwrap().unwrap();
        assert_eq!(
            (a.name_str(), a.is_self_closing(), a.offset()),
            (name, empty, 3),
            "{doc}"
        );
        assert_eq!(a.attr(b"x").unwrap().as_deref(), x, "{doc}");
        assert_eq!(r.text(&a).unwrap(), text, "{doc}");
        assert_eq!(r.next_child(&root).unwrap(), None, "{doc}");
    }
    // Unclosed, or closed only inside a quoted value.
    for doc in ["<r><a x='1'", "<r><a x='>'", "<r><a "] {
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let e = r.next_child(&root).unwrap_err();
        assert!(e.to_string().contains("unclosed tag"), "{doc}: {e}");
        assert_eq!(e.offset(), Some(3), "{doc}");
    }
}

/// What may come before the root element, and the first error when no root can be read:
/// `root` and the cursor's `root_name` agree on both.
#[test]
fn what_comes_before_the_root() {
    for (doc, name) in [
        ("<r/>", "r"),
        ("\u{feff}<r/>", "r"),
        ("<!DOCTYPE r><r/>", "r"),
        (
            "<?xml version='1.0'?><!-- c --><!DOCTYPE r><?pi?>\n<p:r xmlns:p='u'/>",
            "r",
        ),
    ] {
        let root = XmlReader::new(doc).root().unwrap();
        assert_eq!((root.local_name(), root.depth()), (name.as_bytes(), 1));
        let mut r = XmlReader::new(doc);
        assert_eq!(r.root_name(), Some(name.as_bytes()), "{doc:?}");
        r.failure().unwrap();
    }
    for (doc, message, offset) in [
        ("", "no root element: the body is empty", 0),
        ("   ", "no root element: the body is empty", 3),
        (
            "  text  ",
            "expected an XML document, found text \"text\"",
            2,
        ),
        (
            "</r>",
            "malformed XML: unexpected end tag </r>: no element is open",
            0,
        ),
        ("<", "malformed XML: `<` at the end of the input", 0),
        (
            "<![CDATA[x]]><r/>",
            "expected an XML document, found text",
            0,
        ),
        ("<r", "malformed XML: unclosed tag", 0),
        ("<r a='1", "malformed XML: unclosed tag", 0),
        ("<!-- c", "malformed XML: unclosed comment", 0),
        ("<?pi", "malformed XML: unclosed processing instruction", 0),
        (
            "\u{ff}<r/>",
            "malformed XML: the body is not valid UTF-8",
            0,
        ),
    ] {
        let bytes: Vec<u8> = match doc.strip_prefix('\u{ff}') {
            // A lone byte that is not UTF-8, then the rest.
            Some(rest) => [&[0xff_u8][..], rest.as_bytes()].concat(),
            None => doc.as_bytes().to_vec(),
        };
        let e = err(XmlReader::new(&bytes).root());
        assert_eq!(
            (e.message(), e.offset()),
            (message, Some(offset)),
            "{doc:?}"
        );
        let mut r = XmlReader::new(&bytes);
        assert_eq!(r.root_name(), None, "{doc:?}");
        assert_eq!(r.failure(), Err(e), "{doc:?}");
        // Reading stops at the first error.
        assert_eq!(r.child(1), None, "{doc:?}");
    }
}
