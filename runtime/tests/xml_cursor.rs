//! The cursor generated parsers use (`XmlSource`): it must read every document exactly as the
//! checked `Tag` API does, and report the same first error.

use aws_lite_runtime::xml::{Tag, XmlError, XmlReader, XmlSource};
use aws_lite_runtime::TimestampFormat;

// Both walkers treat an element by the first letter of its name: `c…` has children, `k…` is
// skipped unread, `n…` is an integer, anything else is text.

/// What a walk saw, written out: `name(…)` for containers, `name=text;` for leaves.
fn dump_with_tags(doc: &str) -> Result<String, XmlError> {
    fn visit(r: &mut XmlReader<'_>, tag: &Tag<'_>, out: &mut String) -> Result<(), XmlError> {
        while let Some(child) = r.next_child(tag)? {
            let name = child.name_str();
            match name.as_bytes().first() {
                Some(b'k') => {}
                Some(b'c') => {
                    out.push_str(name);
                    out.push('(');
                    visit(r, &child, out)?;
                    out.push(')');
                }
                Some(b'n') => {
                    let n: i64 = r.parse_text(&child)?;
                    out.push_str(&format!("{name}={n};"));
                }
                _ => {
                    let text = r.text(&child)?;
                    out.push_str(&format!("{name}={text};"));
                }
            }
        }
        Ok(())
    }
    let mut r = XmlReader::new(doc);
    let root = r.root()?;
    let mut out = format!("{}:", String::from_utf8_lossy(root.local_name()));
    visit(&mut r, &root, &mut out)?;
    Ok(out)
}

fn dump_with_cursor(doc: &str) -> Result<String, XmlError> {
    fn visit<'a, R: XmlSource<'a>>(
        r: &mut R,
        depth: usize,
        out: &mut String,
    ) -> Result<(), XmlError> {
        while let Some(name) = r.child(depth) {
            let name = std::str::from_utf8(name).unwrap();
            match name.as_bytes().first() {
                Some(b'k') => {}
                Some(b'c') => {
                    out.push_str(name);
                    out.push('(');
                    visit(r, depth + 1, out)?;
                    out.push(')');
                }
                Some(b'n') => {
                    let n: i64 = r.read_parse()?;
                    out.push_str(&format!("{name}={n};"));
                }
                // `s…` through `read_string`, the rest through `read_text`.
                Some(b's') => {
                    let text = r.read_string()?;
                    out.push_str(&format!("{name}={text};"));
                }
                _ => {
                    let text = r.read_text()?;
                    out.push_str(&format!("{name}={text};"));
                }
            }
        }
        Ok(())
    }
    let mut r = XmlReader::new(doc);
    let root = r.root_name();
    r.failure()?;
    let mut out = format!("{}:", String::from_utf8_lossy(root.unwrap_or_default()));
    visit(&mut r, 1, &mut out)?;
    r.failure()?;
    Ok(out)
}

const DOCUMENTS: &[&str] = &[
    // Well-formed.
    "<r><a>1</a><b>two</b></r>",
    "<r xmlns='urn:x' xmlns:p='urn:p'><p:a>1</p:a><c><p:b>x</p:b></c></r>",
    "<r>\n  <a/>\n  <b></b>\n  <c/>\n  <d>after</d>\n</r>",
    "<r><c><a>in</a><c2/><c3><a/></c3></c><a>out</a></r>",
    "<r><a>x &amp; y &lt;z&gt; &#65;&#x42;</a><b><![CDATA[<raw> & ]]>tail</b></r>",
    "<r><a>line\r\nend\rcr</a><b>one<!-- c -->two<?pi?>three</b></r>",
    "<r><k><deep><deeper><x>1</x></deeper></deep></k><a>kept</a></r>",
    "<r><k/><k>t</k><a>v</a><!-- between --><?pi x?><b>w</b></r>",
    "<r><n> 42 </n><n>-7</n></r>",
    "<r><c><c><c><c><a>deep</a></c></c></c></c><a>x</a></r>",
    "<r><a attr='>' other=\"a/b\">v</a><c x='1'/><b>w</b></r>",
    "<r><a>é ü 中</a><c ><a >sp</a ></c ></r>",
    "<r><s>plain</s><s/><s>a &amp; <![CDATA[<b>]]> c\r\n</s><c><s>in</s></c></r>",
    "<r/>",
    "<r></r>",
    "<?xml version='1.0'?>\n<!-- c --><!DOCTYPE r><?pi?> <p:r xmlns:p='urn:p'><a>1</a></p:r>",
    // Malformed, or values that do not parse.
    "<r><a>1</a><c><b>x</c></r>",
    "<r><c><a>1</a>",
    "<r><a>1</a><c><k><x></k></c></r>",
    "<r><a>bad &nope; ref</a></r>",
    "<r><a>text<b>child</b></a></r>",
    "<r><s>text<b>child</b></s></r>",
    "<r><s>bad &#0; ref</s></r>",
    "<r><n>12x</n></r>",
    "<r><c><n>9999999999999999999999</n></c><a>after</a></r>",
    "<r><a>1</a></x>",
    "<r><c><a>1</a><",
    "<r><c><a>&amp</a></c></r>",
    "<r><c><!-- open comment </c></r>",
    "<r><c><a x='1>v</a></c></r>",
    "<r><a>ok</a><c><b>x</b></c></r>trailing<x/>",
    // No root element, or a broken one.
    "",
    "text",
    "</r>",
    "<![CDATA[x]]><r/>",
    "<r",
    "<r a='1",
    "<",
];

#[test]
fn the_cursor_reads_every_document_as_tags_do() {
    for doc in DOCUMENTS {
        let tags = dump_with_tags(doc);
        let cursor = dump_with_cursor(doc);
        assert_eq!(cursor, tags, "document {doc:?}");
    }
}

#[test]
fn the_cursor_reports_malformed_documents() {
    // (Not only equal to the Tag API's answer: an error at all.)
    for doc in DOCUMENTS.iter().skip_while(|d| !d.contains("<b>x</c>")) {
        if doc.ends_with("<x/>") {
            // Content after the root is never read.
            assert!(dump_with_cursor(doc).is_ok());
            continue;
        }
        let e = dump_with_cursor(doc).expect_err(doc);
        assert!(!e.message().is_empty(), "{doc:?}");
    }
}

#[test]
fn errors_are_kept_and_every_later_child_is_none() {
    let mut r = XmlReader::new("<r><c><a>1</b></c><d>2</d></r>");
    let root = r.root().unwrap();
    assert_eq!(r.child(1), Some(&b"c"[..]));
    assert_eq!(r.child(2), Some(&b"a"[..]));
    let e = r.read_text().unwrap_err();
    assert!(e.message().contains("expected </a>, found </b>"), "{e}");
    assert_eq!(r.child(2), None);
    assert_eq!(r.child(1), None);
    assert_eq!(r.failure(), Err(e.clone()));
    assert_eq!(r.read_text(), Err(e.clone()));
    // The checked API sees the same error.
    assert_eq!(r.next_child(&root), Err(e));

    // A structural error met while skipping ends the loop; `failure` has it.
    let mut r = XmlReader::new("<r><k><x></k></r>");
    r.root().unwrap();
    assert_eq!(r.child(1), Some(&b"k"[..]));
    assert_eq!(r.child(1), None);
    let e = r.failure().unwrap_err();
    assert!(e.message().contains("expected </x>, found </k>"), "{e}");
}

#[test]
fn self_closing_elements_are_empty_leaves_and_empty_containers() {
    let mut r = XmlReader::new("<r><a/><c/><b>x</b><c><a/></c></r>");
    r.root().unwrap();
    assert_eq!(r.child(1), Some(&b"a"[..]));
    assert_eq!(r.read_string().unwrap(), "");
    assert_eq!(r.child(1), Some(&b"c"[..]));
    assert_eq!(r.child(2), None, "a self-closing element has no children");
    assert_eq!(r.child(1), Some(&b"b"[..]));
    assert_eq!(r.read_string().unwrap(), "x");
    assert_eq!(r.child(1), Some(&b"c"[..]));
    assert_eq!(r.child(2), Some(&b"a"[..]));
    assert_eq!(r.child(2), None);
    assert_eq!(r.child(1), None);
    assert_eq!(r.failure(), Ok(()));
}

#[test]
fn attributes_of_the_current_element() {
    let mut r = XmlReader::new(
        "<r><a id='1' xmlns:p='urn:p' p:kind=\"x &amp; y\">t</a><b id=\"2\"/><c>n</c></r>",
    );
    r.root().unwrap();
    assert_eq!(r.child(1), Some(&b"a"[..]));
    assert_eq!(r.current_attr(b"id").unwrap().as_deref(), Some("1"));
    assert_eq!(r.current_attr(b"kind").unwrap().as_deref(), Some("x & y"));
    assert_eq!(
        r.current_attr(b"p").unwrap(),
        None,
        "namespace declarations are not attributes"
    );
    assert_eq!(r.read_text().unwrap(), "t");
    assert_eq!(r.child(1), Some(&b"b"[..]));
    assert_eq!(r.current_attr(b"id").unwrap().as_deref(), Some("2"));
    assert_eq!(r.child(1), Some(&b"c"[..]));
    assert_eq!(r.current_attr(b"id").unwrap(), None);
}

#[test]
fn values_that_do_not_parse_name_their_element() {
    let read = |doc: &str, f: &dyn Fn(&mut XmlReader<'_>) -> Result<(), XmlError>| {
        let mut r = XmlReader::new(doc);
        r.root().unwrap();
        r.child(1).unwrap();
        f(&mut r).unwrap_err().to_string()
    };
    let e = read("<r><p:Port xmlns:p='u'>63x</p:Port></r>", &|r| {
        r.read_parse::<i32>().map(drop)
    });
    assert!(e.starts_with("invalid value \"63x\" in <Port>:"), "{e}");
    let e = read("<r><On>yes</On></r>", &|r| r.read_bool().map(drop));
    assert!(
        e.starts_with("invalid value \"yes\" in <On>: expected true or false"),
        "{e}"
    );
    let e = read("<r><D>inf</D></r>", &|r| r.read_f64().map(drop));
    assert!(
        e.starts_with("invalid value \"inf\" in <D>: expected a number"),
        "{e}"
    );
    let e = read("<r><F>1.5.2</F></r>", &|r| r.read_f32().map(drop));
    assert!(e.contains("in <F>"), "{e}");
    let e = read("<r><When>yesterday</When></r>", &|r| {
        r.read_timestamp(TimestampFormat::DateTime).map(drop)
    });
    assert!(e.starts_with("<When>: "), "{e}");
    let e = read("<r><Data>not base64!</Data></r>", &|r| {
        r.read_blob().map(drop)
    });
    assert!(e.starts_with("<Data>: "), "{e}");
}

#[test]
fn good_values_read_through_the_cursor() {
    let mut r = XmlReader::new(
        "<r><t> 2024-01-02T03:04:05Z </t><e>1700000000</e><b>aGk=</b><f>NaN</f><x>true</x></r>",
    );
    r.root().unwrap();
    r.child(1).unwrap();
    let t = r.read_timestamp(TimestampFormat::DateTime).unwrap();
    r.child(1).unwrap();
    let e = r.read_timestamp(TimestampFormat::EpochSeconds).unwrap();
    assert_eq!(t.to_millis().unwrap(), 1_704_164_645_000);
    assert_eq!(e.to_millis().unwrap(), 1_700_000_000_000);
    r.child(1).unwrap();
    assert_eq!(r.read_blob().unwrap().as_ref(), b"hi");
    r.child(1).unwrap();
    assert!(r.read_f32().unwrap().is_nan());
    r.child(1).unwrap();
    assert!(r.read_bool().unwrap());
    assert_eq!(r.child(1), None);
}

#[test]
fn after_an_error_attributes_are_not_read_either() {
    let mut r = XmlReader::new("<r><a id='1'>x</b></r>");
    r.root().unwrap();
    assert_eq!(r.child(1), Some(&b"a"[..]));
    let e = r.read_text().unwrap_err();
    assert_eq!(r.current_attr(b"id"), Err(e));
}

#[test]
fn mixing_the_apis_never_reads_a_left_behind_element() {
    // `<a/>` is current, then the checked API moves on to the end of the root: reading text
    // now is reading the root's, not `<a/>`'s (empty) content.
    let mut r = XmlReader::new("<r><a/>tail</r>");
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(a.is_self_closing());
    assert_eq!(r.next_child(&root).unwrap(), None);
    assert!(
        r.read_text().is_err(),
        "the root has ended: there is no current text"
    );
}
