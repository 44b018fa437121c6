//! [`XmlReader`]: element-by-element walking over a borrowed body.
//!
//! The scanner is hand-written and works on bytes: the body is checked to be
//! UTF-8 once, up front, and every slice handed out is cut at ASCII delimiters,
//! so it is valid `str` without further checks.

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use super::scan::{
    doctype_end, find_seq, is_space, local_part, name_stop, past_blanks, same_bytes_at, skip_space,
    tag_bounds, tag_end, text_end, text_end_or_cr, trim_end,
};
use super::text::{append, decode_reference, parse_float, push_normalized, quote, trim};
use super::{Tag, XmlError};
use crate::{Blob, DateTime, TimestampFormat};

/// Default limit on element nesting; AWS responses stay far below it.
const DEFAULT_MAX_DEPTH: usize = 64;

/// A pull reader over an XML body, handing out [`Tag`]s that borrow from it.
///
/// ```
/// use aws_lite_runtime::xml::XmlReader;
/// let body = "<R xmlns='urn:x'><Id>a&amp;b</Id><Skip><x/></Skip><Port> 6379 </Port></R>";
/// let mut r = XmlReader::new(body);
/// let root = r.root()?;
/// let (mut id, mut port) = (None, None);
/// while let Some(child) = r.next_child(&root)? {
///     match child.local_name() {
///         b"Id" => id = Some(r.text(&child)?.into_owned()),
///         b"Port" => port = Some(r.parse_text::<i32>(&child)?),
///         _ => {} // skipped by the next `next_child` call
///     }
/// }
/// assert_eq!((id.as_deref(), port), (Some("a&b"), Some(6379)));
/// # Ok::<(), aws_lite_runtime::xml::XmlError>(())
/// ```
///
/// After a structural error (malformed XML, misuse) every later call returns
/// the same error.
pub struct XmlReader<'a> {
    /// The longest valid UTF-8 prefix of the body (all of it, normally).
    text: &'a str,
    /// `text` as bytes, for scanning.
    bytes: &'a [u8],
    /// Length of the whole body.
    body_len: usize,
    /// Offset of the first byte that is not UTF-8, if any: reading stops there.
    invalid_utf8: Option<usize>,
    /// Where scanning resumes.
    pos: usize,
    /// The currently open elements, root first; its length is the current
    /// depth. Offsets identify elements so misuse is detected, not followed.
    open: Vec<Open>,
    max_depth: usize,
    root_read: bool,
    failed: Option<XmlError>,
    /// Offset of the `<` of the element most recently returned: the cursor's current element.
    current: usize,
    /// Whether that element was written `<a/>` (and so is not on `open`).
    self_closed: bool,
}

/// An element whose end tag has not been read yet.
#[derive(Clone, Copy)]
struct Open {
    /// Offset of its `<`.
    offset: usize,
    /// End of its qualified name (which starts at `offset + 1`).
    name_end: usize,
}

/// One piece of markup, already consumed.
enum Markup<'a> {
    /// A start tag (recorded as open unless self-closing).
    Start(Tag<'a>),
    /// An end tag, checked against the innermost open element and closed.
    End,
    /// A CDATA section's content (before line-end normalisation).
    CData(&'a str),
    /// The XML declaration `<?xml …?>`.
    Decl,
    /// `<!DOCTYPE …>`.
    Doctype,
    /// A comment or processing instruction.
    Ignorable,
}

impl<'a> XmlReader<'a> {
    /// Reads `body` (UTF-8; a byte order mark is skipped).
    pub fn new<B: AsRef<[u8]> + ?Sized>(body: &'a B) -> Self {
        let body = body.as_ref();
        // One validation pass over the whole body (fast on ASCII) instead of one
        // per token; an invalid byte is reported when reading reaches it.
        let (text, invalid_utf8) = match std::str::from_utf8(body) {
            Ok(text) => (text, None),
            Err(e) => {
                let valid = body.get(..e.valid_up_to()).unwrap_or_default();
                (
                    std::str::from_utf8(valid).unwrap_or_default(),
                    Some(e.valid_up_to()),
                )
            }
        };
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self {
            text,
            bytes: text.as_bytes(),
            body_len: body.len(),
            invalid_utf8,
            pos,
            open: Vec::with_capacity(16),
            max_depth: DEFAULT_MAX_DEPTH,
            root_read: false,
            failed: None,
            current: 0,
            self_closed: false,
        }
    }

    /// Sets the deepest element nesting accepted (the root is depth 1).
    ///
    /// Generated parsers recurse once per level, so this is what bounds their
    /// stack use on hostile input.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Returns the root element, skipping the XML declaration, comments,
    /// processing instructions, a doctype and whitespace before it.
    pub fn root(&mut self) -> Result<Tag<'a>, XmlError> {
        self.read_root()
    }

    /// The cursor's [`Self::root`]: the root element's local name, the root then being the
    /// current element (at depth 1); `None` after an error, which [`Self::failure`] returns.
    /// The name comes back in registers: a `Tag` returned through memory and read back with
    /// wider loads stalled the caller.
    #[inline(never)]
    pub fn root_name(&mut self) -> Option<&'a [u8]> {
        match self.read_root() {
            Ok(tag) => Some(tag.local_name),
            Err(e) => {
                self.failed.get_or_insert(e);
                None
            }
        }
    }

    #[inline(always)]
    fn read_root(&mut self) -> Result<Tag<'a>, XmlError> {
        self.check()?;
        if self.root_read {
            return Err(self.fail_at("root() called twice", self.pos));
        }
        self.root_read = true;
        let lt = loop {
            let start = skip_space(self.bytes, self.pos);
            self.pos = start;
            match self.bytes.get(start) {
                None => {
                    return Err(match self.invalid_utf8 {
                        Some(at) => self.bad_utf8(at),
                        None => self.fail_at("no root element: the body is empty", self.body_len),
                    })
                }
                Some(b'<') => {}
                Some(_) => {
                    let end = text_end(self.bytes, start);
                    let text = trim(self.str(start, end));
                    let message = if text.is_empty() {
                        "expected an XML document, found text".to_string()
                    } else {
                        format!("expected an XML document, found text {}", quote(text))
                    };
                    return Err(self.fail_at(message, start));
                }
            }
            // The start tag is read after the loop, not through `markup`: the tag came back
            // from there through memory, and reading it back stalled.
            match self.bytes.get(start + 1) {
                Some(b'!') => {
                    if let Markup::CData(_) = self.bang(start)? {
                        return Err(self.fail_at("expected an XML document, found text", start));
                    }
                }
                Some(b'?') => {
                    self.processing_instruction(start)?;
                }
                // An end tag with nothing open, or `<` at the end of the input: an error.
                Some(b'/') | None => {
                    self.markup(start)?;
                }
                Some(_) => break start,
            }
        };
        let tag = self.start_tag(lt)?;
        self.current = lt;
        self.self_closed = tag.self_closing;
        Ok(tag)
    }

    /// Returns the next child element of `parent`, skipping text, comments and
    /// whatever is left of earlier children; `None` once `parent` has ended.
    pub fn next_child(&mut self, parent: &Tag<'_>) -> Result<Option<Tag<'a>>, XmlError> {
        self.check()?;
        // Whatever was current is left behind (the cursor's `read_*` must not see it).
        self.self_closed = false;
        if parent.self_closing {
            return Ok(None);
        }
        if !self.is_open(parent) {
            return Err(self.misuse("next_child", parent, "is not open (already finished?)"));
        }
        self.advance(parent.depth)
    }

    /// The next child of the open element at `depth`, which the caller has checked; `None`
    /// once it has ended. Every error it returns is also recorded in `failed`.
    #[inline(always)]
    fn advance(&mut self, depth: usize) -> Result<Option<Tag<'a>>, XmlError> {
        // Iterative on purpose: skipping a deep subtree must not use stack.
        loop {
            let lt = self.skip_text(self.pos)?;
            if lt >= self.bytes.len() {
                return Err(self.eof_inside_open(depth));
            }
            // Start and end tags directly, the rest through `markup`.
            match self.bytes.get(lt + 1) {
                Some(b'/') => {
                    if !self.close_quickly(lt) {
                        self.end_tag(lt)?;
                    }
                    if self.open.len() < depth {
                        return Ok(None);
                    }
                }
                // Comments, CDATA, DOCTYPE, processing instructions: skipped.
                Some(b'!') => {
                    self.bang(lt)?;
                }
                Some(b'?') => {
                    self.processing_instruction(lt)?;
                }
                None => return Err(self.unexpected_end("`<` at the end of the input", lt)),
                Some(_) => {
                    let tag = self.start_tag(lt)?;
                    if tag.depth == depth + 1 {
                        self.current = lt;
                        self.self_closed = tag.self_closing;
                        return Ok(Some(tag));
                    }
                }
            }
        }
    }

    // The cursor: generated parsers address elements by depth and read "the current element"
    // (the one the last `child` returned). Names come back in registers, not as a 56-byte
    // `Tag` through memory, and structural errors are kept in the reader, so a parser checks
    // once, with `failure`, instead of after every element. Misuse is not detected here as it
    // is with `Tag`s: generated code is correct by construction.

    // `child`, `read_text` and `read_string` are called from the runtime and, through
    // `XmlSource`, from generated code: kept out of line, a client links one copy of each.

    /// The local name of the next child of the open element at `depth` (the root is 1),
    /// skipping whatever is left of earlier children; `None` once that element has ended, and
    /// after an error, which [`Self::failure`] then returns. So a caller that stops at `None`
    /// must check [`Self::failure`] before trusting what it read.
    #[inline(never)]
    pub fn child(&mut self, depth: usize) -> Option<&'a [u8]> {
        // An element at `depth` that is not open was self-closing (or has ended).
        self.self_closed = false;
        if self.failed.is_some() || self.open.len() < depth {
            return None;
        }
        match self.advance(depth) {
            Ok(Some(tag)) => Some(tag.local_name),
            Ok(None) => None,
            Err(e) => {
                self.failed.get_or_insert(e);
                None
            }
        }
    }

    /// The error that ended reading, if any: [`Self::child`] returns `None` after one.
    #[inline]
    pub fn failure(&self) -> Result<(), XmlError> {
        self.check()
    }

    /// [`Self::text`] of the current element (the one [`Self::child`] returned last).
    #[inline(never)]
    pub fn read_text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        self.current_text()
    }

    /// [`Self::read_text`], owned: for a `String` member, without going through a `Cow`.
    #[inline(never)]
    pub fn read_string(&mut self) -> Result<String, XmlError> {
        self.current_text().map(Cow::into_owned)
    }

    #[inline(always)]
    fn current_text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        self.check()?;
        if std::mem::take(&mut self.self_closed) {
            return Ok(Cow::Borrowed(""));
        }
        // Fast path as in `text`.
        let start = self.pos;
        let end = text_end_or_cr(self.bytes, start);
        if self.close_quickly(end) {
            return Ok(Cow::Borrowed(self.str(start, end)));
        }
        let tag = self.current_start_tag();
        self.text_slow(&tag, start)
    }

    /// [`Self::parse_text`] of the current element.
    pub fn read_parse<T>(&mut self) -> Result<T, XmlError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let text = self.read_text()?;
        let value = trim(&text);
        value.parse().map_err(|e| self.invalid_current(value, &e))
    }

    /// [`Self::parse_bool`] of the current element.
    pub fn read_bool(&mut self) -> Result<bool, XmlError> {
        let text = self.read_text()?;
        match trim(&text) {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(self.invalid_current(other, &"expected true or false")),
        }
    }

    /// [`Self::parse_f64`] of the current element.
    pub fn read_f64(&mut self) -> Result<f64, XmlError> {
        let text = self.read_text()?;
        let value = trim(&text);
        parse_float(value, f64::NAN, f64::INFINITY, f64::NEG_INFINITY)
            .ok_or_else(|| self.invalid_current(value, &"expected a number"))
    }

    /// [`Self::parse_f32`] of the current element.
    pub fn read_f32(&mut self) -> Result<f32, XmlError> {
        let text = self.read_text()?;
        let value = trim(&text);
        parse_float(value, f32::NAN, f32::INFINITY, f32::NEG_INFINITY)
            .ok_or_else(|| self.invalid_current(value, &"expected a number"))
    }

    /// The current element's text as a timestamp in `format` (surrounding whitespace allowed).
    pub fn read_timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, XmlError> {
        let text = self.read_text()?;
        DateTime::parse(trim(&text), format)
            .map_err(|e| XmlError::custom(format!("<{}>: {e}", self.current_name())))
    }

    /// The current element's text as base64-encoded bytes.
    pub fn read_blob(&mut self) -> Result<Blob, XmlError> {
        let text = self.read_text()?;
        match crate::base64::decode(&text) {
            Ok(bytes) => Ok(Blob::new(bytes)),
            Err(e) => Err(XmlError::custom(format!("<{}>: {e}", self.current_name()))),
        }
    }

    /// [`Tag::attr`] of the current element; call it before reading the element's content.
    pub fn current_attr(&self, local_name: &[u8]) -> Result<Option<Cow<'a, str>>, XmlError> {
        self.check()?;
        self.current_start_tag().attr(local_name)
    }

    /// The current element as a [`Tag`], for attributes and messages: its start tag, read
    /// again (it was read once already, so it is closed).
    #[cold]
    fn current_start_tag(&self) -> Tag<'a> {
        let lt = self.current;
        let name_start = lt + 1;
        let len = self.bytes.len();
        let (name_end, content_end, gt) =
            tag_bounds(self.bytes, name_start, name_start).unwrap_or((len, len, len));
        let qname = self.bytes.get(name_start..name_end).unwrap_or_default();
        Tag {
            local_name: local_part(qname),
            attrs: self.bytes.get(name_end..content_end).unwrap_or_default(),
            offset: lt,
            depth: self.open.len(),
            self_closing: content_end != gt,
        }
    }

    /// The current element's local name, for messages.
    #[cold]
    pub(crate) fn current_name(&self) -> &'a str {
        self.current_start_tag().name_str()
    }

    #[cold]
    #[inline(never)]
    fn invalid_current(&self, value: &str, why: &dyn Display) -> XmlError {
        invalid_value(&self.current_start_tag(), value, why)
    }

    /// Reads the text content of `tag` through its end tag: text and CDATA
    /// concatenated, references decoded, whitespace kept. Borrows from the
    /// input unless something had to be decoded.
    ///
    /// `tag` must be the element most recently returned (not yet consumed).
    pub fn text(&mut self, tag: &Tag<'_>) -> Result<Cow<'a, str>, XmlError> {
        self.check()?;
        if tag.self_closing {
            return Ok(Cow::Borrowed(""));
        }
        if self.open.len() != tag.depth || !self.is_open(tag) {
            return Err(self.misuse("text", tag, "is not the current element"));
        }
        // Fast path: plain text directly followed by the element's end tag.
        let start = self.pos;
        let end = text_end_or_cr(self.bytes, start);
        if self.close_quickly(end) {
            return Ok(Cow::Borrowed(self.str(start, end)));
        }
        self.text_slow(tag, start)
    }

    /// Reads the text of `tag`, trims surrounding whitespace and parses it with
    /// `FromStr`.
    pub fn parse_text<T>(&mut self, tag: &Tag<'_>) -> Result<T, XmlError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let text = self.text(tag)?;
        let value = trim(&text);
        value.parse().map_err(|e| invalid_value(tag, value, &e))
    }

    /// Reads a boolean: exactly `true` or `false` (surrounding whitespace allowed).
    pub fn parse_bool(&mut self, tag: &Tag<'_>) -> Result<bool, XmlError> {
        let text = self.text(tag)?;
        match trim(&text) {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(invalid_value(tag, other, &"expected true or false")),
        }
    }

    /// Reads a double: a decimal number, `NaN`, `Infinity` or `-Infinity`.
    pub fn parse_f64(&mut self, tag: &Tag<'_>) -> Result<f64, XmlError> {
        let text = self.text(tag)?;
        let value = trim(&text);
        parse_float(value, f64::NAN, f64::INFINITY, f64::NEG_INFINITY)
            .ok_or_else(|| invalid_value(tag, value, &"expected a number"))
    }

    /// Reads a float: a decimal number, `NaN`, `Infinity` or `-Infinity`.
    pub fn parse_f32(&mut self, tag: &Tag<'_>) -> Result<f32, XmlError> {
        let text = self.text(tag)?;
        let value = trim(&text);
        parse_float(value, f32::NAN, f32::INFINITY, f32::NEG_INFINITY)
            .ok_or_else(|| invalid_value(tag, value, &"expected a number"))
    }

    /// The general case of [`Self::text`]: several pieces, references, CDATA,
    /// comments, line ends to normalise.
    #[inline(never)]
    fn text_slow(&mut self, tag: &Tag<'_>, start: usize) -> Result<Cow<'a, str>, XmlError> {
        let mut text = Cow::Borrowed("");
        let mut pos = start;
        loop {
            let end = text_end_or_cr(self.bytes, pos);
            append(&mut text, self.str(pos, end));
            match self.bytes.get(end) {
                None => {
                    self.pos = end;
                    return Err(self.eof_inside(tag));
                }
                Some(b'\r') => {
                    text.to_mut().push('\n');
                    pos = end + 1;
                    if self.bytes.get(pos) == Some(&b'\n') {
                        pos += 1;
                    }
                }
                Some(b'&') => {
                    let semi = self.reference_end(end)?;
                    let name = self.str(end + 1, semi);
                    match decode_reference(name) {
                        Some(c) => text.to_mut().push(c),
                        None => return Err(self.bad_reference(name, end, tag)),
                    }
                    pos = semi + 1;
                }
                Some(_) => {
                    match self.markup(end)? {
                        Markup::End => return Ok(text),
                        Markup::CData(data) => {
                            if data.contains('\r') {
                                push_normalized(text.to_mut(), data);
                            } else {
                                append(&mut text, data);
                            }
                        }
                        Markup::Ignorable => {}
                        Markup::Start(child) => return Err(self.element_in_text(&child, tag)),
                        Markup::Decl | Markup::Doctype => {
                            let message = format!("unexpected markup inside <{}>", tag.name_str());
                            return Err(self.fail_at(message, end));
                        }
                    }
                    pos = self.pos;
                }
            }
        }
    }

    /// If an end tag for the innermost open element starts at `lt` (spelled
    /// exactly `</name>`), closes that element, moves past it and returns true.
    #[inline(always)]
    fn close_quickly(&mut self, lt: usize) -> bool {
        let Some(&top) = self.open.last() else {
            return false;
        };
        if self.bytes.get(lt..lt + 2) != Some(b"</") {
            return false;
        }
        let len = top.name_end - top.offset - 1;
        let name_end = lt + 2 + len;
        if self.bytes.get(name_end) == Some(&b'>')
            && same_bytes_at(self.bytes, top.offset + 1, lt + 2, len)
        {
            self.open.pop();
            self.pos = name_end + 1;
            true
        } else {
            false
        }
    }

    /// Skips character data from `from`, checking that every `&` has its `;`,
    /// and returns the position of the next `<` (or the end of the input).
    #[inline(always)]
    fn skip_text(&mut self, from: usize) -> Result<usize, XmlError> {
        // Between elements there is indentation, or nothing: past it, one comparison a word,
        // is nearly always the next `<`. Other text is searched the general way; references
        // in it are rare.
        let mut end = past_blanks(self.bytes, from);
        if self.bytes.get(end) != Some(&b'<') {
            end = text_end(self.bytes, end);
        }
        if self.bytes.get(end) == Some(&b'&') {
            return self.skip_text_from_reference(end);
        }
        Ok(end)
    }

    /// The rest of [`Self::skip_text`], from the reference at `amp`.
    #[inline(never)]
    fn skip_text_from_reference(&mut self, amp: usize) -> Result<usize, XmlError> {
        let mut end = amp;
        loop {
            let pos = self.reference_end(end)? + 1;
            end = text_end(self.bytes, pos);
            if self.bytes.get(end) != Some(&b'&') {
                return Ok(end);
            }
        }
    }

    /// The `;` ending the reference whose `&` is at `amp`; a `<`, another `&`
    /// or the end of input first is an error.
    fn reference_end(&mut self, amp: usize) -> Result<usize, XmlError> {
        let rest = self.bytes.get(amp + 1..).unwrap_or_default();
        match rest.iter().position(|&b| matches!(b, b';' | b'&' | b'<')) {
            Some(i) if rest.get(i) == Some(&b';') => Ok(amp + 1 + i),
            Some(_) => Err(self.malformed("`&` without a closing `;`", amp)),
            None => Err(self.unexpected_end("`&` without a closing `;`", amp)),
        }
    }

    /// Reads the markup whose `<` is at `lt` and moves past it. Start tags are
    /// recorded as open, end tags checked against the innermost open element.
    #[inline]
    fn markup(&mut self, lt: usize) -> Result<Markup<'a>, XmlError> {
        match self.bytes.get(lt + 1) {
            Some(b'/') => {
                if !self.close_quickly(lt) {
                    self.end_tag(lt)?;
                }
                Ok(Markup::End)
            }
            Some(b'!') => self.bang(lt),
            Some(b'?') => self.processing_instruction(lt),
            Some(_) => self.start_tag(lt).map(Markup::Start),
            None => Err(self.unexpected_end("`<` at the end of the input", lt)),
        }
    }

    // Inlined so the tag is built in registers: returned through memory, it
    // was read back with wider loads than it was written with, and the failed
    // store forwarding cost more than the whole scan.
    #[inline(always)]
    fn start_tag(&mut self, lt: usize) -> Result<Tag<'a>, XmlError> {
        let bytes = self.bytes;
        let name_start = lt + 1;
        // Fast path: `<name>` or `<name/>`; anything else (attributes,
        // whitespace, quotes) goes through the general, quote-aware search.
        let (stop, local_start, stop_byte) = name_stop(bytes, name_start);
        let (name_end, content_end, gt, local_start) = match stop_byte {
            Some(b'>') => (stop, stop, stop, local_start),
            Some(b'/') if bytes.get(stop + 1) == Some(&b'>') => (stop, stop, stop + 1, local_start),
            // Attributes (a root's `xmlns`): the name ends at the whitespace, so only the `>`
            // is left to find, past quoted values.
            Some(b) if is_space(b) => {
                let Some(gt) = tag_end(bytes, stop) else {
                    return Err(self.unexpected_end("unclosed tag", lt));
                };
                let content_end = if bytes.get(gt - 1) == Some(&b'/') {
                    gt - 1
                } else {
                    gt
                };
                (stop, content_end, gt, local_start)
            }
            _ => {
                let Some((name_end, content_end, gt)) = tag_bounds(bytes, name_start, stop) else {
                    return Err(self.unexpected_end("unclosed tag", lt));
                };
                let qname = bytes.get(name_start..name_end).unwrap_or_default();
                (
                    name_end,
                    content_end,
                    gt,
                    name_end - local_part(qname).len(),
                )
            }
        };
        if name_end == name_start {
            return Err(self.malformed("expected an element name after `<`", lt));
        }
        let self_closing = content_end != gt;
        let qname = bytes.get(name_start..name_end).unwrap_or_default();
        let depth = self.open.len() + 1;
        if depth > self.max_depth {
            return Err(self.too_deep(qname, lt));
        }
        let local_name = bytes.get(local_start..name_end).unwrap_or_default();
        if !self_closing {
            self.open.push(Open {
                offset: lt,
                name_end,
            });
        }
        self.pos = gt + 1;
        Ok(Tag {
            local_name,
            attrs: bytes.get(name_end..content_end).unwrap_or_default(),
            offset: lt,
            depth,
            self_closing,
        })
    }

    /// The end tag at `lt`, the general way (after `close_quickly` has said no): a name with
    /// whitespace before `>`, or a mismatch to report.
    fn end_tag(&mut self, lt: usize) -> Result<(), XmlError> {
        let name_start = lt + 2;
        // Quote-aware like start tags, so `</a x=">">` is one (bad) tag.
        let Some(gt) = tag_end(self.bytes, name_start) else {
            return Err(self.unexpected_end("unclosed end tag", lt));
        };
        let name = trim_end(self.bytes.get(name_start..gt).unwrap_or_default());
        let name = String::from_utf8_lossy(name);
        let Some(top) = self.open.last() else {
            let message = format!("unexpected end tag </{name}>: no element is open");
            return Err(self.malformed(&message, lt));
        };
        let expected = self.str(top.offset + 1, top.name_end);
        // (A matching tag with trailing whitespace, `</a >`, is the only way here
        // without an error.)
        if *name != *expected {
            let message = format!("expected </{expected}>, found </{name}>");
            return Err(self.malformed(&message, lt));
        }
        self.open.pop();
        self.pos = gt + 1;
        Ok(())
    }

    /// `<!--…-->`, `<![CDATA[…]]>` or `<!DOCTYPE …>`.
    fn bang(&mut self, lt: usize) -> Result<Markup<'a>, XmlError> {
        let rest = self.bytes.get(lt + 2..).unwrap_or_default();
        let starts_with = |prefix: &[u8]| rest.get(..prefix.len()) == Some(prefix);
        let truncated = |prefix: &[u8]| rest.len() < prefix.len() && prefix.starts_with(rest);
        if starts_with(b"--") {
            let Some(end) = find_seq(self.bytes, lt + 4, b"-->") else {
                return Err(self.unexpected_end("unclosed comment", lt));
            };
            self.pos = end + 3;
            Ok(Markup::Ignorable)
        } else if starts_with(b"[CDATA[") {
            let start = lt + 9;
            let Some(end) = find_seq(self.bytes, start, b"]]>") else {
                return Err(self.unexpected_end("unclosed CDATA section", lt));
            };
            self.pos = end + 3;
            Ok(Markup::CData(self.str(start, end)))
        } else if rest
            .get(..7)
            .is_some_and(|word| word.eq_ignore_ascii_case(b"DOCTYPE"))
        {
            let Some(gt) = doctype_end(self.bytes, lt + 9) else {
                return Err(self.unexpected_end("unclosed DOCTYPE", lt));
            };
            let after_keyword = self.bytes.get(lt + 9..gt).unwrap_or_default();
            if after_keyword.iter().all(|&b| is_space(b)) {
                return Err(self.malformed("DOCTYPE without a name", lt));
            }
            self.pos = gt + 1;
            Ok(Markup::Doctype)
        } else if truncated(b"--") || truncated(b"[CDATA[") || truncated(b"DOCTYPE") {
            Err(self.unexpected_end("unclosed `<!` markup", lt))
        } else {
            Err(self.malformed("`<!` must start a comment, CDATA section or DOCTYPE", lt))
        }
    }

    /// `<?target …?>`, the XML declaration among them.
    fn processing_instruction(&mut self, lt: usize) -> Result<Markup<'a>, XmlError> {
        // `<?>` is not a complete instruction.
        let Some(end) = find_seq(self.bytes, lt + 1, b"?>").filter(|&end| end > lt + 1) else {
            return Err(self.unexpected_end("unclosed processing instruction", lt));
        };
        self.pos = end + 2;
        let content = self.bytes.get(lt + 2..end).unwrap_or_default();
        let is_decl = content.starts_with(b"xml") && content.get(3).is_none_or(|&b| is_space(b));
        Ok(if is_decl {
            Markup::Decl
        } else {
            Markup::Ignorable
        })
    }

    /// The input between two positions found by scanning (ASCII delimiters, so
    /// always `char` boundaries).
    #[inline]
    fn str(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    #[inline]
    fn check(&self) -> Result<(), XmlError> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Records a structural error so later calls repeat it instead of reading on.
    #[cold]
    #[inline(never)]
    fn fail_at(&mut self, message: impl Into<String>, offset: usize) -> XmlError {
        let err = XmlError::at(message, offset);
        self.failed = Some(err.clone());
        err
    }

    /// Malformed XML at `offset`, naming the innermost open element.
    #[cold]
    #[inline(never)]
    fn malformed(&mut self, what: &str, offset: usize) -> XmlError {
        let inside = match self.open.last() {
            Some(top) => format!(" (inside <{}>)", self.str(top.offset + 1, top.name_end)),
            None => String::new(),
        };
        self.fail_at(format!("malformed XML: {what}{inside}"), offset)
    }

    /// Markup cut short by the end of the input — or by a byte that is not UTF-8.
    #[cold]
    #[inline(never)]
    fn unexpected_end(&mut self, what: &str, offset: usize) -> XmlError {
        match self.invalid_utf8 {
            Some(at) => self.bad_utf8(at),
            None => self.malformed(what, offset),
        }
    }

    #[cold]
    #[inline(never)]
    fn bad_utf8(&mut self, at: usize) -> XmlError {
        self.malformed("the body is not valid UTF-8", at)
    }

    #[cold]
    #[inline(never)]
    fn misuse(&mut self, method: &str, tag: &Tag<'_>, problem: &str) -> XmlError {
        let message = format!(
            "{method}() called for <{}>, which {problem}",
            tag.name_str()
        );
        self.fail_at(message, self.pos)
    }

    #[cold]
    #[inline(never)]
    fn eof_inside(&mut self, tag: &Tag<'_>) -> XmlError {
        if let Some(at) = self.invalid_utf8 {
            return self.bad_utf8(at);
        }
        let message = format!(
            "unexpected end of input inside <{}> (opened at byte {})",
            tag.name_str(),
            tag.offset
        );
        self.fail_at(message, self.body_len)
    }

    /// The input ended inside the open element at `depth`.
    #[cold]
    #[inline(never)]
    fn eof_inside_open(&mut self, depth: usize) -> XmlError {
        let open = depth.checked_sub(1).and_then(|i| self.open.get(i)).copied();
        match open {
            Some(open) => {
                let qname = self
                    .bytes
                    .get(open.offset + 1..open.name_end)
                    .unwrap_or_default();
                let tag = Tag {
                    local_name: local_part(qname),
                    attrs: &[],
                    offset: open.offset,
                    depth,
                    self_closing: false,
                };
                self.eof_inside(&tag)
            }
            None => self.unexpected_end("unexpected end of input", self.body_len),
        }
    }

    #[cold]
    #[inline(never)]
    fn bad_reference(&mut self, name: &str, amp: usize, tag: &Tag<'_>) -> XmlError {
        let what = if name.starts_with('#') {
            "invalid character reference"
        } else {
            "undefined entity"
        };
        let message = format!("{what} &{name}; in <{}>", tag.name_str());
        self.fail_at(message, amp)
    }

    #[cold]
    #[inline(never)]
    fn element_in_text(&mut self, child: &Tag<'_>, tag: &Tag<'_>) -> XmlError {
        let qname_end = child.offset + 1 + child_qname_len(self.bytes, child.offset);
        let message = format!(
            "unexpected element <{}> inside <{}>",
            self.str(child.offset + 1, qname_end),
            tag.name_str()
        );
        self.fail_at(message, child.offset)
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self, qname: &[u8], offset: usize) -> XmlError {
        let message = format!(
            "element <{}> is nested deeper than the limit of {} levels",
            String::from_utf8_lossy(qname),
            self.max_depth
        );
        self.fail_at(message, offset)
    }

    /// Whether `tag` is one of the currently open elements.
    #[inline]
    fn is_open(&self, tag: &Tag<'_>) -> bool {
        tag.depth
            .checked_sub(1)
            .and_then(|i| self.open.get(i))
            .is_some_and(|open| open.offset == tag.offset)
    }
}

/// Length of the qualified name of the start tag whose `<` is at `lt`.
fn child_qname_len(bytes: &[u8], lt: usize) -> usize {
    let rest = bytes.get(lt + 1..).unwrap_or_default();
    rest.iter()
        .position(|&b| is_space(b) || b == b'>' || b == b'/')
        .unwrap_or(rest.len())
}

fn invalid_value(tag: &Tag<'_>, value: &str, why: &dyn Display) -> XmlError {
    XmlError::at(
        format!(
            "invalid value {} in <{}>: {why}",
            quote(value),
            tag.name_str()
        ),
        tag.offset,
    )
}
