//! [`Tag`]: a start tag as seen by generated parsers.

use std::borrow::Cow;

use quick_xml::events::attributes::Attributes;
use quick_xml::XmlVersion;

use super::XmlError;

/// A start tag (`<ns:Name attr="v">` or `<Name/>`), borrowing from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Name with any namespace prefix removed.
    pub(super) local_name: &'a [u8],
    /// Everything after the qualified name up to `>` or `/>`.
    pub(super) attrs: &'a [u8],
    /// Offset of the `<`; identifies the element for the reader's checks.
    pub(super) offset: usize,
    /// 1 for the root element.
    pub(super) depth: usize,
    pub(super) self_closing: bool,
}

impl<'a> Tag<'a> {
    /// The element name without its namespace prefix, e.g. `b"RequestId"`.
    pub fn local_name(&self) -> &'a [u8] {
        self.local_name
    }

    /// The local name as text, for messages.
    pub fn name_str(&self) -> &'a str {
        // Names come from validated UTF-8 and are cut at ASCII bytes, so this
        // never falls back in practice.
        std::str::from_utf8(self.local_name).unwrap_or("?")
    }

    /// Nesting depth: 1 for the root element, 2 for its children, and so on.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Whether the element was written self-closing (`<a/>`).
    pub fn is_self_closing(&self) -> bool {
        self.self_closing
    }

    /// Byte offset of the tag's `<` in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Value of the attribute whose local name is `local_name`, unescaped;
    /// namespace declarations (`xmlns`, `xmlns:p`) are never matched.
    pub fn attr(&self, local_name: &[u8]) -> Result<Option<Cow<'a, str>>, XmlError> {
        if self.attrs.is_empty() {
            return Ok(None);
        }
        let attrs = std::str::from_utf8(self.attrs).map_err(|e| self.error(&e.to_string()))?;
        let mut found = None;
        // Walk all attributes, not just up to the match, so duplicates and
        // malformed ones are reported consistently.
        for attr in Attributes::new(attrs, 0) {
            let attr = attr.map_err(|e| self.error(&e.to_string()))?;
            let qname = attr.key.0.as_bytes();
            let (prefix, local) = match qname.iter().position(|&b| b == b':') {
                Some(i) => (&qname[..i], &qname[i + 1..]),
                None => (&b""[..], qname),
            };
            if found.is_some() || prefix == b"xmlns" || qname == b"xmlns" || local != local_name {
                continue;
            }
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| self.error(&e.to_string()))?;
            found = Some(value);
        }
        Ok(found)
    }

    fn error(&self, what: &str) -> XmlError {
        XmlError::at(
            format!("invalid attributes on <{}>: {what}", self.name_str()),
            self.offset,
        )
    }
}
