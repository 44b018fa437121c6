//! The model's documentation (HTML) as rustdoc Markdown, and `#[doc]` attributes.
//!
//! A small tag scanner, not an HTML parser: AWS documentation uses a handful of tags, and
//! anything unknown keeps its text and loses its markup. Output is escaped so rustdoc sees no
//! intra-doc links (`[x]`), no HTML tags, no doctests and no bare URLs.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes, one per line, for Markdown text.
pub fn doc_attrs(markdown: &str) -> TokenStream {
    let markdown = strip_bidi(markdown);
    let lines = markdown.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc]` attributes for model HTML.
pub fn html_doc_attrs(html: &str) -> TokenStream {
    doc_attrs(&html_to_markdown(html))
}

/// Characters that change the direction of text (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F). rustc denies them in comments and doc comments (`text_direction_codepoint_in_comment`,
/// `text_direction_codepoint_in_literal`), since they can make code read differently from
/// what it does.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Text without bidirectional control characters (see [`is_bidi_control`]).
pub fn strip_bidi(text: &str) -> String {
    if text.contains(is_bidi_control) {
        text.chars().filter(|c| !is_bidi_control(*c)).collect()
    } else {
        text.to_string()
    }
}

/// Text with each bidirectional control character written as its escape (`\u{202E}`), for
/// model text quoted in docs as code (a `pattern`, a wire value), where dropping a character
/// would misquote it.
pub fn escape_bidi(text: &str) -> String {
    if !text.contains(is_bidi_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Converts documentation HTML to Markdown (without bidirectional control characters, which
/// rustc rejects in doc comments).
pub fn html_to_markdown(html: &str) -> String {
    let html = strip_bidi(html);
    let mut w = Writer::default();
    let mut rest = html.as_str();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = after.find('>') {
                let tag = &after[..end];
                rest = &after[end + 1..];
                w.tag(tag);
                continue;
            }
            w.text("<");
            rest = after;
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        w.text(&decode_entities(&rest[..end]));
        rest = &rest[end..];
    }
    w.finish()
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Current line being assembled (flushed at block boundaries).
    line: String,
    lists: Vec<ListKind>,
    in_code: bool,
    in_pre: bool,
    /// The line being assembled starts a list item (its marker is on it).
    marker_line: bool,
    /// Link target of the `<a>` being written, and where its text started in `line`.
    link: Option<(String, usize)>,
}

#[derive(Clone, Copy)]
enum ListKind {
    Bullet,
    Numbered(u32),
}

impl Writer {
    fn tag(&mut self, raw: &str) {
        let closing = raw.starts_with('/');
        let body = raw.trim_start_matches('/').trim_end_matches('/').trim();
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        let attrs = &body[name_end..];
        match (name.as_str(), closing) {
            (
                "p" | "div" | "important" | "note" | "dl" | "dd" | "h1" | "h2" | "h3" | "h4" | "h5"
                | "h6",
                false,
            ) => {
                self.block();
                match name.as_str() {
                    "note" => self.line.push_str("**Note:** "),
                    "important" => self.line.push_str("**Important:** "),
                    n if n.starts_with('h') => self.line.push_str("**"),
                    _ => {}
                }
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.line.push_str("**");
                self.block();
            }
            ("p" | "div" | "important" | "note" | "dl" | "dd", true) => self.block(),
            ("dt", false) => {
                self.block();
                self.line.push_str("**");
            }
            ("dt", true) => {
                self.line.push_str("**");
                self.block();
            }
            ("br", _) => self.flush_line(),
            ("ul", false) => {
                self.block();
                self.lists.push(ListKind::Bullet);
            }
            ("ol", false) => {
                self.block();
                self.lists.push(ListKind::Numbered(0));
            }
            ("ul" | "ol", true) => {
                self.flush_line();
                self.lists.pop();
                self.block();
                // A nested list ends with a blank line too, or what follows would read as
                // a lazy continuation of its last item.
                if !self.lists.is_empty() && !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                }
            }
            ("li", false) => {
                self.flush_line();
                let marker = match self.lists.last_mut() {
                    Some(ListKind::Numbered(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.line.push_str(&marker);
                self.marker_line = true;
            }
            ("li", true) => self.flush_line(),
            ("code" | "tt" | "userinput" | "replaceable", false) if !self.in_pre => {
                self.in_code = true;
                self.line.push('`');
            }
            ("code" | "tt" | "userinput" | "replaceable", true) if !self.in_pre => {
                self.in_code = false;
                if self.line.ends_with('`') {
                    self.line.pop(); // empty code span: drop it
                } else {
                    self.line.push('`');
                }
            }
            ("pre", false) => {
                self.block();
                self.in_pre = true;
                self.out.push_str("```text\n");
            }
            ("pre", true) => {
                self.flush_line();
                self.in_pre = false;
                self.out.push_str("```\n\n");
            }
            ("b" | "strong", _) if !self.in_code => self.line.push_str("**"),
            ("i" | "em", _) if !self.in_code => self.line.push('*'),
            ("a", false) => {
                let href = attr(attrs, "href").unwrap_or_default();
                self.link = Some((href, self.line.len()));
                if !self.in_code {
                    self.line.push('[');
                }
            }
            ("a", true) => {
                if let Some((href, start)) = self.link.take() {
                    if self.in_code {
                        return;
                    }
                    let is_url = href.starts_with("http://") || href.starts_with("https://");
                    if is_url && self.line.len() > start + 1 {
                        self.line.push_str("](");
                        self.line
                            .push_str(&href.replace(' ', "%20").replace(')', "%29"));
                        self.line.push(')');
                    } else {
                        // No usable target: keep the text only.
                        self.line.remove(start);
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_pre {
            for (i, part) in text.split('\n').enumerate() {
                if i > 0 {
                    self.flush_line();
                }
                self.line.push_str(&part.replace("```", "'''"));
            }
            return;
        }
        // Collapse whitespace as HTML does.
        let mut collapsed = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space
                    && !(collapsed.is_empty() && (self.line.is_empty() || self.line.ends_with(' ')))
                {
                    collapsed.push(' ');
                }
                space = false;
                collapsed.push(c);
            }
        }
        // Trailing whitespace separates this text from what follows, unless the line
        // already ends in a space.
        if space && (!collapsed.is_empty() || (!self.line.is_empty() && !self.line.ends_with(' ')))
        {
            collapsed.push(' ');
        }
        if self.in_code {
            self.line.push_str(&collapsed.replace('`', "'"));
        } else {
            self.line.push_str(&escape_markdown(&collapsed));
        }
    }

    fn flush_line(&mut self) {
        let line = if self.in_pre {
            self.line.trim_end().to_string()
        } else {
            self.line.trim().to_string()
        };
        self.line.clear();
        if line.is_empty() && !self.in_pre {
            return;
        }
        // Later lines of a list item are indented under its text, or Markdown would end the list.
        // A nested item's marker is indented under its parent item's text.
        if !self.in_pre {
            let enclosing = if self.marker_line {
                self.lists.len().saturating_sub(1)
            } else {
                self.lists.len()
            };
            let indent: usize = self.lists[..enclosing]
                .iter()
                .map(|l| match l {
                    ListKind::Bullet => 2,
                    ListKind::Numbered(_) => 3,
                })
                .sum();
            self.out.push_str(&" ".repeat(indent));
        }
        self.marker_line = false;
        self.out.push_str(&line);
        self.out.push('\n');
    }

    /// Ends a paragraph: a blank line follows unless one is already there.
    fn block(&mut self) {
        // `<li><p>text</p></li>`: the paragraph continues the item's line.
        let t = self.line.trim();
        if !self.lists.is_empty()
            && (t == "-"
                || (t.ends_with('.')
                    && t[..t.len() - 1].bytes().all(|b| b.is_ascii_digit())
                    && t.len() > 1))
        {
            return;
        }
        self.flush_line();
        if self.lists.is_empty() && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn finish(mut self) -> String {
        self.flush_line();
        let text = self.out.trim().to_string();
        // Collapse runs of blank lines.
        let mut out = String::with_capacity(text.len());
        let mut blank = false;
        for line in text.lines() {
            if line.trim().is_empty() {
                if !blank {
                    out.push('\n');
                }
                blank = true;
            } else {
                out.push_str(line);
                out.push('\n');
                blank = false;
            }
        }
        out.trim_end().to_string()
    }
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let at = attrs.find(&format!("{name}="))?;
    let rest = &attrs[at + name.len() + 1..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(decode_entities(&rest[1..1 + end]).trim().to_string())
    } else {
        Some(rest.split_whitespace().next()?.to_string())
    }
}

/// Decodes the predefined and numeric entities (and `&nbsp;`); unknown ones stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&name[2..], 16).ok()?)?
                }
                _ if name.starts_with('#') => char::from_u32(name[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes what rustdoc would read as links, tags or emphasis, and wraps bare URLs.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for word in s.split_inclusive(' ') {
        let trimmed = word.trim_end();
        if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
            let url_end = trimmed.trim_end_matches(['.', ',', ';', ':', ')']).len();
            out.push('<');
            out.push_str(&trimmed[..url_end]);
            out.push('>');
            out.push_str(&word[url_end..]);
            continue;
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '*' | '_' | '`' | '\\' | '#') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_code_links_lists() {
        assert_eq!(
            md("<p>One <code>two</code>.</p><p>Three</p>"),
            "One `two`.\n\nThree"
        );
        assert_eq!(
            md("<p>See <a href=\"https://example.com/x\">the guide</a>.</p>"),
            "See [the guide](https://example.com/x)."
        );
        assert_eq!(md("<ul><li><p>a</p></li><li>b</li></ul>"), "- a\n- b");
        assert_eq!(
            md("<ul><li><p>a</p><p>more</p><ul><li>x</li></ul></li></ul><p>after</p>"),
            "- a\n  more\n  - x\n\nafter"
        );
        assert_eq!(
            md("Use [REQUIRED] &amp; <i>x</i>"),
            "Use \\[REQUIRED\\] & *x*"
        );
        assert_eq!(
            md("Go to https://example.com."),
            "Go to <https://example.com>."
        );
        assert_eq!(md("<note>Careful</note>"), "**Note:** Careful");
        assert_eq!(md("a &lt;b&gt; c"), "a \\<b\\> c");
        assert_eq!(
            md("<pre><code>x = 1\ny</code></pre>"),
            "```text\nx = 1\ny\n```"
        );
    }

    #[test]
    fn bidi_controls_are_dropped_from_docs() {
        assert_eq!(md("<p>a\u{202E}b\u{2066}c\u{200F}</p>"), "abc");
        assert_eq!(md("<p>\u{202E}</p>"), "");
        let attrs = super::doc_attrs("x\u{202D}y").to_string();
        assert!(
            !attrs.contains('\u{202D}') && attrs.contains("xy"),
            "{attrs}"
        );
        assert_eq!(super::escape_bidi("^a\u{202E}$"), "^a\\u{202E}$");
    }
}
