//! [`Tag`]: a start tag as seen by generated parsers.

use std::borrow::Cow;
use std::collections::HashSet;

use super::scan::is_space;
use super::text::decode_reference;
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
        let mut names = SeenNames::default();
        for attr in Attributes::new(attrs) {
            let (qname, raw) = attr.map_err(|e| self.error(&e))?;
            if !names.insert(qname) {
                return Err(self.error(&format!("duplicate attribute `{qname}`")));
            }
            let (prefix, local) = match qname.split_once(':') {
                Some((prefix, local)) => (prefix, local),
                None => ("", qname),
            };
            if found.is_some()
                || prefix == "xmlns"
                || qname == "xmlns"
                || local.as_bytes() != local_name
            {
                continue;
            }
            found = Some(normalize_attribute(raw).map_err(|e| self.error(&e))?);
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

/// The attribute names of one start tag seen so far: a short list, then a hash set once there
/// are many, so that a hostile tag with thousands of attributes costs linear time, not
/// quadratic.
#[derive(Default)]
struct SeenNames<'a> {
    few: Vec<&'a str>,
    many: HashSet<&'a str>,
}

impl<'a> SeenNames<'a> {
    /// Past this many names, lookups go to the set.
    const FEW: usize = 16;

    /// Records `name`; false if it was already there.
    fn insert(&mut self, name: &'a str) -> bool {
        if !self.many.is_empty() {
            return self.many.insert(name);
        }
        if self.few.contains(&name) {
            return false;
        }
        self.few.push(name);
        if self.few.len() > Self::FEW {
            self.many.extend(self.few.drain(..));
        }
        true
    }
}

/// Iterates over `name="value"` pairs (either quote) separated by whitespace,
/// yielding the qualified name and the raw value.
struct Attributes<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Attributes<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    fn parse_next(&mut self) -> Result<Option<(&'a str, &'a str)>, String> {
        let bytes = self.text.as_bytes();
        let skip_space = |mut i: usize| {
            while bytes.get(i).is_some_and(|&b| is_space(b)) {
                i += 1;
            }
            i
        };
        let start = skip_space(self.pos);
        if start >= bytes.len() {
            return Ok(None);
        }
        let mut i = start;
        while bytes.get(i).is_some_and(|&b| b != b'=' && !is_space(b)) {
            i += 1;
        }
        let name = self.text.get(start..i).unwrap_or_default();
        if name.is_empty() {
            return Err("expected an attribute name before `=`".into());
        }
        i = skip_space(i);
        if bytes.get(i) != Some(&b'=') {
            return Err(format!("attribute `{name}` has no `=value`"));
        }
        i = skip_space(i + 1);
        let quote = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(format!("the value of attribute `{name}` is not quoted")),
        };
        let value_start = i + 1;
        let Some(len) = bytes
            .get(value_start..)
            .and_then(|rest| rest.iter().position(|&b| b == quote))
        else {
            return Err(format!("the value of attribute `{name}` is not closed"));
        };
        let value = self
            .text
            .get(value_start..value_start + len)
            .unwrap_or_default();
        self.pos = value_start + len + 1;
        Ok(Some((name, value)))
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a str, &'a str), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.parse_next().transpose();
        if matches!(item, Some(Err(_))) {
            self.pos = self.text.len();
        }
        item
    }
}

/// Attribute-value normalisation (XML 1.0 §3.3.3): references decoded, each
/// literal tab, line feed, carriage return or CR LF pair becomes one space.
fn normalize_attribute(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        rest = match rest.as_bytes().get(i) {
            Some(b'&') => {
                let Some(end) = after.find(';') else {
                    return Err("`&` without a closing `;` in an attribute value".into());
                };
                let name = after.get(..end).unwrap_or_default();
                match decode_reference(name) {
                    Some(c) => out.push(c),
                    None => return Err(format!("undefined or invalid reference &{name};")),
                }
                after.get(end + 1..).unwrap_or_default()
            }
            Some(b'\r') => {
                out.push(' ');
                after.strip_prefix('\n').unwrap_or(after)
            }
            _ => {
                out.push(' ');
                after
            }
        };
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}
