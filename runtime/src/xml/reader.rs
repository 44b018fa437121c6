//! [`XmlReader`]: element-by-element walking over a borrowed body.

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use super::text::{is_xml_char, parse_float, predefined_entity, quote, trim};
use super::{Tag, XmlError};

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
    reader: Reader<&'a [u8]>,
    input: &'a [u8],
    /// `<` offsets of the currently open elements, root first; its length is the
    /// current depth. Offsets identify elements so misuse is detected, not followed.
    open: Vec<usize>,
    max_depth: usize,
    root_read: bool,
    failed: Option<XmlError>,
}

impl<'a> XmlReader<'a> {
    /// Reads `body` (UTF-8; a byte order mark is skipped).
    pub fn new<B: AsRef<[u8]> + ?Sized>(body: &'a B) -> Self {
        let input = body.as_ref();
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        // Whitespace is significant in string values. (`skip_whitespace` below
        // turns leading-whitespace trimming on only while text is being ignored.)
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Self {
            reader,
            input,
            open: Vec::with_capacity(16),
            max_depth: DEFAULT_MAX_DEPTH,
            root_read: false,
            failed: None,
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
        self.check()?;
        if self.root_read {
            return self.fail_at("root() called twice", self.position());
        }
        self.root_read = true;
        self.skip_whitespace(true);
        loop {
            match self.read()? {
                Event::Start(e) => return self.open_tag(&e),
                Event::Empty(e) => return self.tag(&e, 1, true),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
                Event::Text(t) if trim(&t).is_empty() => {}
                Event::Text(t) => {
                    let at = self.offset_of(&t);
                    return self.fail_at(
                        format!("expected an XML document, found text {}", quote(trim(&t))),
                        at,
                    );
                }
                Event::CData(_) | Event::GeneralRef(_) => {
                    return self.fail_at("expected an XML document, found text", self.position())
                }
                Event::End(e) => {
                    let at = self.offset_of(&e);
                    return self.fail_at(
                        format!("unexpected end tag </{}> before the root element", &*e),
                        at.saturating_sub(2),
                    );
                }
                Event::Eof => {
                    return self.fail_at("no root element: the body is empty", self.input.len())
                }
            }
        }
    }

    /// Returns the next child element of `parent`, skipping text, comments and
    /// whatever is left of earlier children; `None` once `parent` has ended.
    pub fn next_child(&mut self, parent: &Tag<'_>) -> Result<Option<Tag<'a>>, XmlError> {
        self.check()?;
        if parent.self_closing {
            return Ok(None);
        }
        if !self.is_open(parent) {
            return Err(self.misuse("next_child", parent, "is not open (already finished?)"));
        }
        self.skip_whitespace(true);
        // Iterative on purpose: skipping a deep subtree must not use stack.
        loop {
            match self.read()? {
                Event::Start(e) => {
                    let tag = self.open_tag(&e)?;
                    if tag.depth == parent.depth + 1 {
                        return Ok(Some(tag));
                    }
                }
                Event::Empty(e) => {
                    let tag = self.tag(&e, self.open.len() + 1, true)?;
                    if tag.depth == parent.depth + 1 {
                        return Ok(Some(tag));
                    }
                }
                Event::End(_) => {
                    self.open.pop();
                    if self.open.len() < parent.depth {
                        return Ok(None);
                    }
                }
                Event::Eof => return Err(self.eof_inside(parent)),
                _ => {}
            }
        }
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
        self.skip_whitespace(false);
        let mut text = Cow::Borrowed("");
        loop {
            match self.read()? {
                Event::Text(t) => append(&mut text, t.xml10_content()),
                Event::CData(t) => append(&mut text, t.xml10_content()),
                Event::GeneralRef(r) => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .ok()
                            .flatten()
                            .filter(|&c| is_xml_char(c))
                    } else {
                        predefined_entity(&r)
                    };
                    match c {
                        Some(c) => text.to_mut().push(c),
                        None => return Err(self.bad_reference(&r, tag)),
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(e) | Event::Empty(e) => return Err(self.element_in_text(&e, tag)),
                Event::End(_) => {
                    self.open.pop();
                    return Ok(text);
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return self.fail_at(
                        format!("unexpected markup inside <{}>", tag.name_str()),
                        self.position(),
                    )
                }
                Event::Eof => return Err(self.eof_inside(tag)),
            }
        }
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

    /// Whether quick-xml should drop whitespace before text. Indentation between
    /// elements is about half of all events in a pretty-printed response; when
    /// text is going to be ignored anyway, trimming it means no event at all.
    #[inline]
    fn skip_whitespace(&mut self, skip: bool) {
        self.reader.config_mut().trim_text_start = skip;
    }

    #[inline]
    fn check(&self) -> Result<(), XmlError> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Records a structural error so later calls repeat it instead of reading on.
    fn fail_at<T>(&mut self, message: impl Into<String>, offset: usize) -> Result<T, XmlError> {
        Err(self.poison(XmlError::at(message, offset)))
    }

    #[cold]
    fn poison(&mut self, err: XmlError) -> XmlError {
        self.failed = Some(err.clone());
        err
    }

    #[cold]
    #[inline(never)]
    fn misuse(&mut self, method: &str, tag: &Tag<'_>, problem: &str) -> XmlError {
        let message = format!(
            "{method}() called for <{}>, which {problem}",
            tag.name_str()
        );
        let at = self.position();
        self.poison(XmlError::at(message, at))
    }

    #[cold]
    #[inline(never)]
    fn eof_inside(&mut self, tag: &Tag<'_>) -> XmlError {
        let message = format!(
            "unexpected end of input inside <{}> (opened at byte {})",
            tag.name_str(),
            tag.offset
        );
        let at = self.input.len();
        self.poison(XmlError::at(message, at))
    }

    #[cold]
    #[inline(never)]
    fn bad_reference(&mut self, r: &BytesRef<'_>, tag: &Tag<'_>) -> XmlError {
        let what = if r.is_char_ref() {
            "invalid character reference"
        } else {
            "undefined entity"
        };
        let message = format!("{what} &{}; in <{}>", &**r, tag.name_str());
        let at = self.offset_of(r).saturating_sub(1);
        self.poison(XmlError::at(message, at))
    }

    #[cold]
    #[inline(never)]
    fn element_in_text(&mut self, e: &BytesStart<'_>, tag: &Tag<'_>) -> XmlError {
        let message = format!(
            "unexpected element <{}> inside <{}>",
            e.name().0,
            tag.name_str()
        );
        let at = self.offset_of(e).saturating_sub(1);
        self.poison(XmlError::at(message, at))
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self, e: &BytesStart<'_>, offset: usize) -> XmlError {
        let message = format!(
            "element <{}> is nested deeper than the limit of {} levels",
            e.name().0,
            self.max_depth
        );
        self.poison(XmlError::at(message, offset))
    }

    #[cold]
    #[inline(never)]
    fn malformed(&mut self, e: &quick_xml::Error) -> XmlError {
        let at = usize::try_from(self.reader.error_position()).unwrap_or(usize::MAX);
        let inside = match self.innermost_name() {
            Some(name) => format!(" (inside <{name}>)"),
            None => String::new(),
        };
        self.poison(XmlError::at(format!("malformed XML: {e}{inside}"), at))
    }

    #[inline]
    fn read(&mut self) -> Result<Event<'a>, XmlError> {
        match self.reader.read_event() {
            Ok(event) => Ok(event),
            Err(e) => Err(self.malformed(&e)),
        }
    }

    /// Qualified name of the innermost open element, re-read from the input
    /// (only needed for error messages, so it is not stored).
    fn innermost_name(&self) -> Option<&'a str> {
        let start = self.open.last()?.checked_add(1)?;
        let rest = self.input.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            .unwrap_or(rest.len());
        std::str::from_utf8(rest.get(..len)?).ok()
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Whether `tag` is one of the currently open elements.
    #[inline]
    fn is_open(&self, tag: &Tag<'_>) -> bool {
        tag.depth
            .checked_sub(1)
            .and_then(|i| self.open.get(i))
            .is_some_and(|&offset| offset == tag.offset)
    }

    /// Builds the tag for a start event and records it as open.
    #[inline]
    fn open_tag(&mut self, e: &BytesStart<'a>) -> Result<Tag<'a>, XmlError> {
        let tag = self.tag(e, self.open.len() + 1, false)?;
        self.open.push(tag.offset);
        Ok(tag)
    }

    fn tag(
        &mut self,
        e: &BytesStart<'a>,
        depth: usize,
        self_closing: bool,
    ) -> Result<Tag<'a>, XmlError> {
        let content: &str = e;
        let start = self.offset_of(content);
        let offset = start.saturating_sub(1);
        if depth > self.max_depth {
            return Err(self.too_deep(e, offset));
        }
        let qname_len = e.name().0.len();
        let raw = start
            .checked_add(content.len())
            .and_then(|end| self.input.get(start..end));
        let Some((qname, attrs)) =
            raw.and_then(|raw| Some((raw.get(..qname_len)?, raw.get(qname_len..)?)))
        else {
            // Only reachable if quick-xml stopped borrowing from the input.
            return self.fail_at("internal error: tag not found in the input", offset);
        };
        let local_name = match qname.iter().position(|&b| b == b':') {
            Some(i) => qname.get(i + 1..).unwrap_or_default(),
            None => qname,
        };
        Ok(Tag {
            local_name,
            attrs,
            offset,
            depth,
            self_closing,
        })
    }

    /// Offset in the input of a string quick-xml borrowed from it.
    #[inline]
    fn offset_of(&self, part: &str) -> usize {
        // Events borrow from `input`, so the address difference is the offset;
        // this is plain integer arithmetic, with a fallback if that ever changes.
        let diff = (part.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        if diff <= self.input.len() {
            diff
        } else {
            self.position()
        }
    }
}

/// Appends a piece of text, borrowing when it is the only piece.
fn append<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else if !piece.is_empty() {
        text.to_mut().push_str(&piece);
    }
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
