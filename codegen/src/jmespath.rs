//! A parser for JMESPath expressions, the query language of Smithy waiter paths
//! (`smithy.waiters#waitable` acceptors with an `output`/`inputOutput` path matcher).
//!
//! The grammar and its meaning follow the JMESPath specification
//! (<https://jmespath.org/specification.html>). The parser runs at generation time: [`parse`] turns
//! the text into an [`Expr`] tree that the emitter compiles into Rust.
//!
//! Parsing is top-down operator precedence (Pratt): every token that can follow an operand has a
//! *left binding power*, and an operand keeps absorbing such tokens while they bind tighter than the
//! context it was started in. From weakest to tightest: `|`, `||`, `&&`, the comparators, `[]`
//! (flatten), the right-hand side of projections, the operand of `!`, `.`, `[?`, `[`. So `!a.b` is
//! `!(a.b)`, `!a == b` is `(!a) == b`, and `a == b || c` is `(a == b) || c`.
//!
//! Projections are the one subtle part: `a[*].b.c` applies `.b.c` to every element of `a`. After a
//! projection (`[*]`, `.*`, `[]`, `[?…]`, a slice) the parser collects a right-hand side made of
//! `.x`, `[…]` and `[?…]` steps, and stops at the first token that binds weaker than a projection:
//! `|`, `||`, `&&`, a comparator, `[]`, or the end of the enclosing brackets. That right-hand side
//! is [`Expr::Identity`] when nothing follows.

use std::fmt;

use serde_json::Value;

/// A parsed JMESPath expression.
///
/// Every node is evaluated against a *current value*; the comments below say what each produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// The current value: `@`, and the implicit right-hand side of a projection with nothing
    /// after it (`a[*]`).
    Identity,
    /// A field of the current object (`foo`, `"quoted foo"`); null on anything but an object.
    Field(String),
    /// `left.right`: `right` evaluated against the result of `left`.
    Subexpr(Box<Expr>, Box<Expr>),
    /// `left[index]`: one element of the array `left`; a negative index counts from the end.
    Index(Box<Expr>, i64),
    /// `left[start:stop:step]`: a sub-array of `left`. The parser only produces it as the left side
    /// of a [`Expr::Projection`], because a slice projects: `a[1:3].b` is
    /// `Projection(Slice(a, 1, 3, None), b)`.
    Slice(Box<Expr>, Option<i64>, Option<i64>, Option<i64>),
    /// A list projection, `left[*].right`: `right` applied to each element of the array `left`,
    /// null results dropped.
    Projection(Box<Expr>, Box<Expr>),
    /// `left[]`: the array `left` with one level of nested arrays spliced in. The parser only
    /// produces it as the left side of a projection: `a[].b` is `Projection(Flatten(a), b)`.
    Flatten(Box<Expr>),
    /// An object projection, `left.*.right`: `right` applied to each value of the object `left`,
    /// null results dropped.
    ObjectProjection(Box<Expr>, Box<Expr>),
    /// A filter projection, `left[?condition].right`, stored as (left, right, condition): `right`
    /// applied to each element of the array `left` for which `condition` is truthy.
    FilterProjection(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `left <op> right`.
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `left && right`: `left` when it is falsy, else `right`.
    And(Box<Expr>, Box<Expr>),
    /// `left || right`: `left` when it is truthy, else `right`.
    Or(Box<Expr>, Box<Expr>),
    /// `!operand`: a boolean, the negated truthiness of the operand.
    Not(Box<Expr>),
    /// A JSON literal in backticks: `` `0` ``, `` `"x"` ``, `` `[1,2]` ``.
    Literal(Value),
    /// A raw string literal, `'text'`.
    RawString(String),
    /// `[a, b]`: a list of the results of each expression.
    MultiSelectList(Vec<Expr>),
    /// `{k: a, j: b}`: an object of the results of each expression, keys in source order.
    MultiSelectHash(Vec<(String, Expr)>),
    /// A function call, `length(a)`. The name is not checked against the built-in functions.
    Function(String, Vec<Expr>),
    /// `&expr`: an expression handed unevaluated to a function (`sort_by(a, &b)`). Only appears
    /// as a direct argument of a [`Expr::Function`].
    ExprRef(Box<Expr>),
    /// `left | right`: `right` evaluated against the result of `left`. Unlike `.`, it ends any
    /// projection on its left.
    Pipe(Box<Expr>, Box<Expr>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A syntax error: byte offset into the expression and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset into the expression text where the problem is (always a char boundary).
    pub offset: usize,
    /// What went wrong, e.g. "expected `]`, found `)`".
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a JMESPath expression.
///
/// # Errors
///
/// A [`ParseError`] at the first place, in text order, where the text is not a JMESPath
/// expression (or nests deeper than the parser accepts).
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let mut parser = Parser {
        text,
        tokens: lex(text),
        pos: 0,
        depth: 0,
    };
    let result = parser.expr(0).and_then(|expr| match parser.peek() {
        Tok::Eof => Ok(expr),
        _ => Err(parser.error("the end of the expression")),
    });
    result.map_err(|mut error| {
        error.offset = floor_char_boundary(text, error.offset);
        error
    })
}

// Binding powers. Only the order matters; the gaps leave room for the rbp-only levels.
const BP_PIPE: u8 = 1;
const BP_OR: u8 = 2;
const BP_AND: u8 = 3;
const BP_CMP: u8 = 5;
const BP_FLATTEN: u8 = 9;
/// Tokens binding weaker than this end the right-hand side of a projection.
const BP_PROJECTION_STOP: u8 = 10;
/// The right-hand side of `[*]`, `.*`, `[?…]` and slices is parsed at this power.
const BP_STAR: u8 = 20;
/// The operand of `!` is parsed at this power: it takes `.`/`[`/`[?` chains and projections
/// started by them, but not comparators, `&&`, `||`, `|` or `[]`.
const BP_NOT: u8 = 30;
const BP_DOT: u8 = 40;
const BP_FILTER: u8 = 50;
const BP_LBRACKET: u8 = 55;

/// Deepest nesting accepted; it bounds the recursion of the parser and of the `Drop` of the tree,
/// so hostile input gets an error instead of a stack overflow. Real waiter paths nest a handful.
const MAX_DEPTH: usize = 128;

/// A token, with its payload decoded.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An unquoted identifier; also a function name when `(` follows.
    Ident(String),
    /// A quoted identifier, unescaped.
    Quoted(String),
    /// An integer (index or slice bound).
    Number(i64),
    /// A JSON literal in backticks, decoded.
    Literal(Value),
    /// A raw string, unescaped.
    Raw(String),
    Dot,
    Star,
    At,
    LBracket,
    /// `[]`
    Flatten,
    /// `[?`
    Filter,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Amp,
    Not,
    Cmp(CmpOp),
    Eof,
    /// A lexical error. The lexer stops there; the parser reports it when it reaches it, so
    /// errors come out in text order.
    Invalid(String),
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// Left binding power: how tightly a token attaches to the operand before it (0: not at all).
fn lbp(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => BP_PIPE,
        Tok::Or => BP_OR,
        Tok::And => BP_AND,
        Tok::Cmp(_) => BP_CMP,
        Tok::Flatten => BP_FLATTEN,
        Tok::Dot => BP_DOT,
        Tok::Filter => BP_FILTER,
        Tok::LBracket => BP_LBRACKET,
        _ => 0,
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Never empty: always ends with `Eof`.
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[(self.pos + n).min(last)].tok
    }

    fn start(&self) -> usize {
        self.tokens[self.pos].start
    }

    /// Moves past the current token; stays on the final `Eof`.
    fn bump(&mut self) {
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, want: &Tok) -> bool {
        let found = self.peek() == want;
        if found {
            self.bump();
        }
        found
    }

    fn expect(&mut self, want: &Tok, expected: &str) -> Result<(), ParseError> {
        if self.eat(want) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// An error at the current token: the lexer's message if lexing stopped there, else
    /// "expected …, found …".
    fn error(&self, expected: &str) -> ParseError {
        let token = &self.tokens[self.pos];
        let message = match &token.tok {
            Tok::Invalid(message) => message.clone(),
            _ => format!("expected {expected}, found {}", self.describe(token)),
        };
        ParseError {
            offset: token.start,
            message,
        }
    }

    fn describe(&self, token: &Token) -> String {
        match token.tok {
            Tok::Eof => "the end of the expression".to_string(),
            Tok::Literal(_) => "a JSON literal".to_string(),
            Tok::Raw(_) => "a raw string".to_string(),
            _ => format!("`{}`", self.text.get(token.start..token.end).unwrap_or("?")),
        }
    }

    /// Counts one level of nesting. Callers restore `depth` on success only: an error ends the
    /// parse, so nothing reads it afterwards.
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                offset: self.start(),
                message: format!("expression nested more than {MAX_DEPTH} levels deep"),
            });
        }
        Ok(())
    }

    /// An expression that absorbs every operator binding tighter than `rbp`.
    fn expr(&mut self, rbp: u8) -> Result<Expr, ParseError> {
        let left = self.nud()?;
        self.led_loop(left, rbp)
    }

    fn led_loop(&mut self, mut left: Expr, rbp: u8) -> Result<Expr, ParseError> {
        let depth = self.depth;
        while rbp < lbp(self.peek()) {
            // Each step wraps `left` one level deeper, so it counts like recursion.
            self.enter()?;
            left = self.led(left)?;
        }
        self.depth = depth;
        Ok(left)
    }

    /// An expression that starts at the current token (the "null denotation").
    fn nud(&mut self) -> Result<Expr, ParseError> {
        let depth = self.depth;
        self.enter()?;
        let start = self.start();
        let expr = match self.peek() {
            Tok::Ident(_) | Tok::Quoted(_) => self.identifier()?,
            Tok::Literal(value) => {
                let value = value.clone();
                self.bump();
                Expr::Literal(value)
            }
            Tok::Raw(text) => {
                let text = text.clone();
                self.bump();
                Expr::RawString(text)
            }
            Tok::At => {
                self.bump();
                Expr::Identity
            }
            Tok::Star => {
                self.bump();
                let rhs = self.projection_rhs(BP_STAR)?;
                Expr::ObjectProjection(Box::new(Expr::Identity), Box::new(rhs))
            }
            Tok::Not => {
                self.bump();
                Expr::Not(Box::new(self.expr(BP_NOT)?))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.expr(0)?;
                self.expect(&Tok::RParen, "`)`")?;
                inner
            }
            Tok::LBracket => {
                // `[0]`, `[1:2]` and `[*]` apply to the current value; anything else in
                // brackets is a multi-select list (`[*, a]` included).
                let access = matches!(self.peek_at(1), Tok::Number(_) | Tok::Colon)
                    || (*self.peek_at(1) == Tok::Star && *self.peek_at(2) == Tok::RBracket);
                self.bump();
                if access {
                    self.bracket(Expr::Identity)?
                } else {
                    self.multi_select_list()?
                }
            }
            Tok::Flatten => {
                self.bump();
                self.flatten(Expr::Identity)?
            }
            Tok::Filter => {
                self.bump();
                self.filter(Expr::Identity)?
            }
            Tok::LBrace => {
                self.bump();
                self.multi_select_hash()?
            }
            // The specification only allows `&expr` as a function argument (see `call`).
            Tok::Amp => {
                return Err(ParseError {
                    offset: start,
                    message: "an expression reference `&…` is only allowed as a function argument"
                        .to_string(),
                })
            }
            Tok::Number(_) => {
                return Err(ParseError {
                    offset: start,
                    message: format!(
                        "expected an expression, found the number {}; number values are JSON \
                         literals in backticks",
                        self.describe(&self.tokens[self.pos])
                    ),
                })
            }
            _ => return Err(self.error("an expression")),
        };
        self.depth = depth;
        Ok(expr)
    }

    /// Extends `left` with the operator at the current token (the "left denotation").
    fn led(&mut self, left: Expr) -> Result<Expr, ParseError> {
        let left = Box::new(left);
        let expr = match self.peek() {
            Tok::Pipe => {
                self.bump();
                Expr::Pipe(left, Box::new(self.expr(BP_PIPE)?))
            }
            Tok::Or => {
                self.bump();
                Expr::Or(left, Box::new(self.expr(BP_OR)?))
            }
            Tok::And => {
                self.bump();
                Expr::And(left, Box::new(self.expr(BP_AND)?))
            }
            Tok::Cmp(op) => {
                let op = *op;
                self.bump();
                Expr::Compare(op, left, Box::new(self.expr(BP_CMP)?))
            }
            Tok::Flatten => {
                self.bump();
                self.flatten(*left)?
            }
            Tok::Dot => {
                self.bump();
                self.dot_rhs(Some(*left))?
            }
            Tok::LBracket => {
                self.bump();
                self.bracket(*left)?
            }
            Tok::Filter => {
                self.bump();
                self.filter(*left)?
            }
            // Unreachable through `led_loop`, which only calls here for tokens with a binding power.
            _ => return Err(self.error("an operator")),
        };
        Ok(expr)
    }

    /// An identifier, or a function call when an unquoted one is followed by `(`.
    fn identifier(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Tok::Ident(name) => {
                let name = name.clone();
                self.bump();
                if *self.peek() == Tok::LParen {
                    self.call(name)
                } else {
                    Ok(Expr::Field(name))
                }
            }
            Tok::Quoted(name) => {
                let name = name.clone();
                self.bump();
                Ok(Expr::Field(name))
            }
            _ => Err(self.error("an identifier")),
        }
    }

    /// The argument list of a function call; the current token is `(`.
    fn call(&mut self, name: String) -> Result<Expr, ParseError> {
        self.bump();
        let mut args = Vec::new();
        if self.eat(&Tok::RParen) {
            return Ok(Expr::Function(name, args));
        }
        loop {
            let arg = if self.eat(&Tok::Amp) {
                Expr::ExprRef(Box::new(self.expr(0)?))
            } else {
                self.expr(0)?
            };
            args.push(arg);
            if !self.eat(&Tok::Comma) {
                self.expect(&Tok::RParen, "`,` or `)`")?;
                return Ok(Expr::Function(name, args));
            }
        }
    }

    /// What follows a `.`, attached to `left` (`None` when the dot starts a projection's
    /// right-hand side, which applies to each element).
    fn dot_rhs(&mut self, left: Option<Expr>) -> Result<Expr, ParseError> {
        let right = match self.peek() {
            Tok::Star => {
                self.bump();
                let rhs = self.projection_rhs(BP_STAR)?;
                let left = left.unwrap_or(Expr::Identity);
                return Ok(Expr::ObjectProjection(Box::new(left), Box::new(rhs)));
            }
            Tok::Ident(_) | Tok::Quoted(_) => self.identifier()?,
            Tok::LBracket => {
                self.bump();
                self.multi_select_list()?
            }
            Tok::LBrace => {
                self.bump();
                self.multi_select_hash()?
            }
            _ => return Err(self.error("an identifier, `*`, `[` or `{` after `.`")),
        };
        Ok(match left {
            Some(left) => Expr::Subexpr(Box::new(left), Box::new(right)),
            None => right,
        })
    }

    /// `[*]`, `[index]` or a slice applied to `left`; the `[` is consumed.
    fn bracket(&mut self, left: Expr) -> Result<Expr, ParseError> {
        if self.eat(&Tok::Star) {
            self.expect(&Tok::RBracket, "`]`")?;
            let rhs = self.projection_rhs(BP_STAR)?;
            return Ok(Expr::Projection(Box::new(left), Box::new(rhs)));
        }
        let start = self.number();
        match start {
            Some(index) => {
                if self.eat(&Tok::RBracket) {
                    return Ok(Expr::Index(Box::new(left), index));
                }
                self.expect(&Tok::Colon, "`:` or `]`")?;
            }
            None => self.expect(&Tok::Colon, "a number, `:` or `*`")?,
        }
        let stop = self.number();
        let mut step = None;
        if self.eat(&Tok::Colon) {
            let at = self.start();
            step = self.number();
            if step == Some(0) {
                return Err(ParseError {
                    offset: at,
                    message: "a slice step cannot be 0".to_string(),
                });
            }
            let expected = if step.is_some() {
                "`]`"
            } else {
                "a number or `]`"
            };
            self.expect(&Tok::RBracket, expected)?;
        } else {
            let expected = if stop.is_some() {
                "`:` or `]`"
            } else {
                "a number, `:` or `]`"
            };
            self.expect(&Tok::RBracket, expected)?;
        }
        let rhs = self.projection_rhs(BP_STAR)?;
        let slice = Expr::Slice(Box::new(left), start, stop, step);
        Ok(Expr::Projection(Box::new(slice), Box::new(rhs)))
    }

    fn number(&mut self) -> Option<i64> {
        let Tok::Number(n) = *self.peek() else {
            return None;
        };
        self.bump();
        Some(n)
    }

    /// `left[]`; the `[]` is consumed. Flatten has its own, weaker, power: `a[*].b[]` flattens
    /// the projection's result rather than each `b`.
    fn flatten(&mut self, left: Expr) -> Result<Expr, ParseError> {
        let rhs = self.projection_rhs(BP_FLATTEN)?;
        let flattened = Expr::Flatten(Box::new(left));
        Ok(Expr::Projection(Box::new(flattened), Box::new(rhs)))
    }

    /// `left[?condition]`; the `[?` is consumed.
    fn filter(&mut self, left: Expr) -> Result<Expr, ParseError> {
        let condition = self.expr(0)?;
        self.expect(&Tok::RBracket, "`]`")?;
        let rhs = self.projection_rhs(BP_STAR)?;
        Ok(Expr::FilterProjection(
            Box::new(left),
            Box::new(rhs),
            Box::new(condition),
        ))
    }

    /// The part after a projection that applies to each element: `.x`, `[…]` and `[?…]` steps
    /// binding tighter than `rbp`; [`Expr::Identity`] when the projection ends right away.
    fn projection_rhs(&mut self, rbp: u8) -> Result<Expr, ParseError> {
        if lbp(self.peek()) < BP_PROJECTION_STOP {
            return Ok(Expr::Identity);
        }
        let depth = self.depth;
        self.enter()?;
        let first = match self.peek() {
            Tok::Dot => {
                self.bump();
                self.dot_rhs(None)?
            }
            // As in `[…]` at the start of an expression: the step applies to each element.
            Tok::LBracket | Tok::Filter => self.nud()?,
            _ => return Err(self.error("`.`, `[` or the end of the projection")),
        };
        let rhs = self.led_loop(first, rbp)?;
        self.depth = depth;
        Ok(rhs)
    }

    /// `[a, b]`; the `[` is consumed.
    fn multi_select_list(&mut self) -> Result<Expr, ParseError> {
        let mut items = Vec::new();
        loop {
            items.push(self.expr(0)?);
            if !self.eat(&Tok::Comma) {
                self.expect(&Tok::RBracket, "`,` or `]`")?;
                return Ok(Expr::MultiSelectList(items));
            }
        }
    }

    /// `{k: a, j: b}`; the `{` is consumed.
    fn multi_select_hash(&mut self) -> Result<Expr, ParseError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.peek() {
                Tok::Ident(key) | Tok::Quoted(key) => key.clone(),
                _ => return Err(self.error("a key (an identifier)")),
            };
            self.bump();
            self.expect(&Tok::Colon, "`:`")?;
            pairs.push((key, self.expr(0)?));
            if !self.eat(&Tok::Comma) {
                self.expect(&Tok::RBrace, "`,` or `}`")?;
                return Ok(Expr::MultiSelectHash(pairs));
            }
        }
    }
}

/// Splits the text into tokens, ending with `Eof`. A lexical error becomes an `Invalid` token
/// and ends the list (see [`Tok::Invalid`]).
fn lex(text: &str) -> Vec<Token> {
    let mut lexer = Lexer { text, pos: 0 };
    let mut tokens = Vec::new();
    loop {
        match lexer.next_token() {
            Ok(Some(token)) => tokens.push(token),
            Ok(None) => break,
            Err(error) => {
                tokens.push(Token {
                    tok: Tok::Invalid(error.message),
                    start: error.offset,
                    end: error.offset,
                });
                break;
            }
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        start: text.len(),
        end: text.len(),
    });
    tokens
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

fn lex_error(offset: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        offset,
        message: message.into(),
    }
}

impl Lexer<'_> {
    fn next_token(&mut self) -> Result<Option<Token>, ParseError> {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(&byte) = bytes.get(start) else {
            return Ok(None);
        };
        let next = bytes.get(start + 1).copied();
        let single = |tok: Tok| -> Result<(Tok, usize), ParseError> { Ok((tok, start + 1)) };
        let double = |tok: Tok| -> Result<(Tok, usize), ParseError> { Ok((tok, start + 2)) };
        let (tok, end) = match byte {
            b'.' => single(Tok::Dot),
            b'*' => single(Tok::Star),
            b'@' => single(Tok::At),
            b']' => single(Tok::RBracket),
            b'{' => single(Tok::LBrace),
            b'}' => single(Tok::RBrace),
            b'(' => single(Tok::LParen),
            b')' => single(Tok::RParen),
            b',' => single(Tok::Comma),
            b':' => single(Tok::Colon),
            // `[?` and `[]` are single tokens, as in the grammar: `[ ]` is not a flatten.
            b'[' => match next {
                Some(b'?') => double(Tok::Filter),
                Some(b']') => double(Tok::Flatten),
                _ => single(Tok::LBracket),
            },
            b'|' if next == Some(b'|') => double(Tok::Or),
            b'|' => single(Tok::Pipe),
            b'&' if next == Some(b'&') => double(Tok::And),
            b'&' => single(Tok::Amp),
            b'!' if next == Some(b'=') => double(Tok::Cmp(CmpOp::Ne)),
            b'!' => single(Tok::Not),
            b'=' if next == Some(b'=') => double(Tok::Cmp(CmpOp::Eq)),
            b'=' => Err(lex_error(
                start,
                "unexpected `=`: the equality comparator is `==`",
            )),
            b'<' if next == Some(b'=') => double(Tok::Cmp(CmpOp::Le)),
            b'<' => single(Tok::Cmp(CmpOp::Lt)),
            b'>' if next == Some(b'=') => double(Tok::Cmp(CmpOp::Ge)),
            b'>' => single(Tok::Cmp(CmpOp::Gt)),
            b'"' => self.quoted_identifier(start),
            b'\'' => self.raw_string(start),
            b'`' => self.literal(start),
            b'-' | b'0'..=b'9' => self.number(start),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                let name = &self.text[start..start + len];
                Ok((Tok::Ident(name.to_string()), start + len))
            }
            _ => {
                let found = self.text.get(start..).and_then(|rest| rest.chars().next());
                let message = match found {
                    Some(c) => format!("unexpected character {c:?}"),
                    None => "unexpected byte".to_string(),
                };
                Err(lex_error(start, message))
            }
        }?;
        self.pos = end;
        Ok(Some(Token { tok, start, end }))
    }

    /// `"…"` with JSON string escapes; serde_json does the decoding.
    fn quoted_identifier(&self, start: usize) -> Result<(Tok, usize), ParseError> {
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        // Scanning bytes is safe for UTF-8: `"` and `\` never occur inside a multi-byte char.
        loop {
            match bytes.get(i) {
                None => {
                    return Err(lex_error(
                        start,
                        "unterminated quoted identifier: missing closing `\"`",
                    ))
                }
                Some(b'\\') => i += 2,
                Some(b'"') => break,
                Some(_) => i += 1,
            }
        }
        let end = i + 1;
        let source = &self.text[start..end];
        match serde_json::from_str::<String>(source) {
            Ok(name) if name.is_empty() => Err(lex_error(start, "empty quoted identifier")),
            Ok(name) => Ok((Tok::Quoted(name), end)),
            Err(error) => Err(lex_error(
                start + json_error_index(&error, source),
                format!("invalid quoted identifier: {}", json_error_message(&error)),
            )),
        }
    }

    /// `'…'`: only `\'` and `\\` are escapes; any other backslash stays as written.
    fn raw_string(&self, start: usize) -> Result<(Tok, usize), ParseError> {
        let mut value = String::new();
        let mut chars = self.text[start + 1..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => return Ok((Tok::Raw(value), start + 1 + i + 1)),
                '\\' => match chars.peek() {
                    Some(&(_, escaped @ ('\'' | '\\'))) => {
                        value.push(escaped);
                        chars.next();
                    }
                    _ => value.push('\\'),
                },
                c => value.push(c),
            }
        }
        Err(lex_error(
            start,
            "unterminated raw string: missing closing `'`",
        ))
    }

    /// `` `json` ``: a JSON value, where `` \` `` stands for a backtick.
    fn literal(&self, start: usize) -> Result<(Tok, usize), ParseError> {
        let mut json = String::new();
        // Source offset of each byte of `json`, to point errors at the right place.
        let mut offsets = Vec::new();
        let mut chars = self.text[start + 1..].char_indices().peekable();
        let close = loop {
            let Some((i, c)) = chars.next() else {
                return Err(lex_error(
                    start,
                    "unterminated JSON literal: missing closing '`'",
                ));
            };
            let at = start + 1 + i;
            match c {
                '`' => break at,
                '\\' if matches!(chars.peek(), Some((_, '`'))) => {
                    chars.next();
                    json.push('`');
                    offsets.push(at);
                }
                c => {
                    json.push(c);
                    offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
                }
            }
        };
        match serde_json::from_str::<Value>(&json) {
            Ok(value) => Ok((Tok::Literal(value), close + 1)),
            Err(error) => {
                let mut index = json_error_index(&error, &json);
                // The specification deprecated `` `foo` `` for `` `"foo"` ``; say so rather than
                // only "expected value", pointing at the word rather than into it.
                let trimmed = json.trim_start();
                let hint = if trimmed.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                    index = json.len() - trimmed.len();
                    " (unquoted strings in literals are not supported: write `\"text\"` or 'text')"
                } else {
                    ""
                };
                let offset = offsets.get(index).copied().unwrap_or(close);
                Err(lex_error(
                    offset,
                    format!("invalid JSON literal: {}{hint}", json_error_message(&error)),
                ))
            }
        }
    }

    /// `-?[0-9]+`, as an `i64`.
    fn number(&self, start: usize) -> Result<(Tok, usize), ParseError> {
        let bytes = self.text.as_bytes();
        let digits = start + usize::from(bytes[start] == b'-');
        let len = bytes[digits..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len == 0 {
            return Err(lex_error(start, "expected a digit after `-`"));
        }
        let end = digits + len;
        let text = &self.text[start..end];
        match text.parse::<i64>() {
            Ok(n) => Ok((Tok::Number(n), end)),
            Err(_) => Err(lex_error(start, format!("number {text} is out of range"))),
        }
    }
}

/// The byte index into `source` that a serde_json error points at.
fn json_error_index(error: &serde_json::Error, source: &str) -> usize {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + error.column().saturating_sub(1)).min(source.len())
}

/// A serde_json error without its " at line L column C" suffix: the offset says where.
fn json_error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // ---- AST builders -------------------------------------------------------------------

    fn b(e: Expr) -> Box<Expr> {
        Box::new(e)
    }
    fn field(name: &str) -> Expr {
        Expr::Field(name.to_string())
    }
    fn sub(l: Expr, r: Expr) -> Expr {
        Expr::Subexpr(b(l), b(r))
    }
    fn proj(l: Expr, r: Expr) -> Expr {
        Expr::Projection(b(l), b(r))
    }
    fn flat(l: Expr) -> Expr {
        Expr::Flatten(b(l))
    }
    fn oproj(l: Expr, r: Expr) -> Expr {
        Expr::ObjectProjection(b(l), b(r))
    }
    fn filter(l: Expr, r: Expr, c: Expr) -> Expr {
        Expr::FilterProjection(b(l), b(r), b(c))
    }
    fn cmp(op: CmpOp, l: Expr, r: Expr) -> Expr {
        Expr::Compare(op, b(l), b(r))
    }
    fn raw(s: &str) -> Expr {
        Expr::RawString(s.to_string())
    }
    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Function(name.to_string(), args)
    }
    fn slice(l: Expr, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Expr {
        Expr::Slice(b(l), start, stop, step)
    }
    use Expr::Identity as I;

    #[track_caller]
    fn ast(text: &str, expected: Expr) {
        match parse(text) {
            Ok(actual) => assert_eq!(actual, expected, "parse tree of {text:?}"),
            Err(error) => panic!("{text:?} failed to parse: {error}"),
        }
    }

    #[track_caller]
    fn parse_error(text: &str) -> ParseError {
        match parse(text) {
            Ok(expr) => panic!("{text:?} parsed as {expr:?}, expected an error"),
            Err(error) => error,
        }
    }

    // ---- 1. parse trees -----------------------------------------------------------------

    #[test]
    fn identifiers() {
        ast("@", I);
        ast("foo", field("foo"));
        ast("_foo9", field("_foo9"));
        ast(r#""quoted foo""#, field("quoted foo"));
        ast(r#""a\"b\\c\u00e9\n""#, field("a\"b\\c\u{e9}\n"));
        ast(r#""✓""#, field("✓"));
        ast("  foo  ", field("foo"));
    }

    #[test]
    fn subexpressions() {
        ast("a.b", sub(field("a"), field("b")));
        ast("a.b.c", sub(sub(field("a"), field("b")), field("c")));
        ast(r#"a."b c""#, sub(field("a"), field("b c")));
        ast("a . b", sub(field("a"), field("b")));
        ast("@.a", sub(I, field("a")));
    }

    #[test]
    fn indexes() {
        ast("a[0]", Expr::Index(b(field("a")), 0));
        ast("a[-1]", Expr::Index(b(field("a")), -1));
        ast("[0]", Expr::Index(b(I), 0));
        ast("a[ 2 ]", Expr::Index(b(field("a")), 2));
        ast("a[0][1]", Expr::Index(b(Expr::Index(b(field("a")), 0)), 1));
        ast(
            "a.b[0].c",
            sub(Expr::Index(b(sub(field("a"), field("b"))), 0), field("c")),
        );
    }

    #[test]
    fn slices_project() {
        ast("a[1:3]", proj(slice(field("a"), Some(1), Some(3), None), I));
        ast(
            "a[1:2:1]",
            proj(slice(field("a"), Some(1), Some(2), Some(1)), I),
        );
        ast("a[::-1]", proj(slice(field("a"), None, None, Some(-1)), I));
        ast("a[:]", proj(slice(field("a"), None, None, None), I));
        ast("a[1:]", proj(slice(field("a"), Some(1), None, None), I));
        ast("a[:2:]", proj(slice(field("a"), None, Some(2), None), I));
        ast("[-2:]", proj(slice(I, Some(-2), None, None), I));
        ast(
            "a[:2].b",
            proj(slice(field("a"), None, Some(2), None), field("b")),
        );
    }

    #[test]
    fn list_projections() {
        ast("a[*]", proj(field("a"), I));
        ast("[*]", proj(I, I));
        ast("a[*].b", proj(field("a"), field("b")));
        ast("a[*].b.c", proj(field("a"), sub(field("b"), field("c"))));
        ast(
            "a[*].b[*].c",
            proj(field("a"), proj(field("b"), field("c"))),
        );
        ast("a[*][0]", proj(field("a"), Expr::Index(b(I), 0)));
        ast(
            "a[*].b[0].c",
            proj(field("a"), sub(Expr::Index(b(field("b")), 0), field("c"))),
        );
        // `[*, a]` is a multi-select list, not a projection of the current value.
        ast(
            "[*, a]",
            Expr::MultiSelectList(vec![oproj(I, I), field("a")]),
        );
    }

    #[test]
    fn flatten() {
        ast("a[]", proj(flat(field("a")), I));
        ast("[]", proj(flat(I), I));
        ast(
            "a[].b.c",
            proj(flat(field("a")), sub(field("b"), field("c"))),
        );
        ast("a[][]", proj(flat(proj(flat(field("a")), I)), I));
        // Flatten binds weaker than a projection: it flattens the projection's result.
        ast("a[*].b[]", proj(flat(proj(field("a"), field("b"))), I));
        ast(
            "a[].b[].c",
            proj(flat(proj(flat(field("a")), field("b"))), field("c")),
        );
    }

    #[test]
    fn object_projections() {
        ast("a.*", oproj(field("a"), I));
        ast("*", oproj(I, I));
        ast("*.b", oproj(I, field("b")));
        ast(
            "VerificationAttributes.*.VerificationStatus",
            oproj(field("VerificationAttributes"), field("VerificationStatus")),
        );
        ast("a.*.b.c", oproj(field("a"), sub(field("b"), field("c"))));
        ast("a.*.*", oproj(field("a"), oproj(I, I)));
        ast("a[*].*.b", proj(field("a"), oproj(I, field("b"))));
    }

    #[test]
    fn filters() {
        ast(
            "foo[?a == 'x'].b",
            filter(
                field("foo"),
                field("b"),
                cmp(CmpOp::Eq, field("a"), raw("x")),
            ),
        );
        ast("[?a]", filter(I, I, field("a")));
        ast(
            "a[*].b[?c].d",
            proj(field("a"), filter(field("b"), field("d"), field("c"))),
        );
        ast(
            "a[?b][?c]",
            filter(field("a"), filter(I, I, field("c")), field("b")),
        );
        ast(
            "a[?b || c && !d]",
            filter(
                field("a"),
                I,
                Expr::Or(
                    b(field("b")),
                    b(Expr::And(b(field("c")), b(Expr::Not(b(field("d")))))),
                ),
            ),
        );
    }

    #[test]
    fn comparators() {
        for (text, op) in [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<", CmpOp::Lt),
            ("<=", CmpOp::Le),
            (">", CmpOp::Gt),
            (">=", CmpOp::Ge),
        ] {
            ast(&format!("a {text} b"), cmp(op, field("a"), field("b")));
            ast(&format!("a{text}b"), cmp(op, field("a"), field("b")));
        }
        // Left-associative, like the other binary operators.
        ast(
            "a == b != c",
            cmp(
                CmpOp::Ne,
                cmp(CmpOp::Eq, field("a"), field("b")),
                field("c"),
            ),
        );
        ast(
            "a.b == `1`",
            cmp(
                CmpOp::Eq,
                sub(field("a"), field("b")),
                Expr::Literal(json!(1)),
            ),
        );
    }

    #[test]
    fn boolean_operators() {
        ast(
            "!a && b || c",
            Expr::Or(
                b(Expr::And(b(Expr::Not(b(field("a")))), b(field("b")))),
                b(field("c")),
            ),
        );
        ast(
            "a || b && c",
            Expr::Or(b(field("a")), b(Expr::And(b(field("b")), b(field("c"))))),
        );
        ast(
            "a || b || c",
            Expr::Or(b(Expr::Or(b(field("a")), b(field("b")))), b(field("c"))),
        );
        ast(
            "a == b || c",
            Expr::Or(b(cmp(CmpOp::Eq, field("a"), field("b"))), b(field("c"))),
        );
        ast("!!a", Expr::Not(b(Expr::Not(b(field("a"))))));
        // `!` takes the whole `.`/`[` chain but not a comparator.
        ast("!a.b", Expr::Not(b(sub(field("a"), field("b")))));
        ast("!a[0]", Expr::Not(b(Expr::Index(b(field("a")), 0))));
        ast("!a[*].b", Expr::Not(b(proj(field("a"), field("b")))));
        ast(
            "!a == b",
            cmp(CmpOp::Eq, Expr::Not(b(field("a"))), field("b")),
        );
        ast(
            "!(a == b)",
            Expr::Not(b(cmp(CmpOp::Eq, field("a"), field("b")))),
        );
    }

    #[test]
    fn literals() {
        ast("`0`", Expr::Literal(json!(0)));
        ast("`\"x\"`", Expr::Literal(json!("x")));
        ast("`[1,2]`", Expr::Literal(json!([1, 2])));
        ast(
            "` {\"a\": [true, null]} `",
            Expr::Literal(json!({"a": [true, null]})),
        );
        ast(r#"`"a\`b"`"#, Expr::Literal(json!("a`b")));
        ast(r#"`"\u03a6"`"#, Expr::Literal(json!("\u{3a6}")));
        ast("`false`", Expr::Literal(json!(false)));
    }

    #[test]
    fn raw_strings() {
        ast("'text'", raw("text"));
        ast("''", raw(""));
        ast(r"'it\'s'", raw("it's"));
        ast(r"'a\\b'", raw(r"a\b"));
        // Other escapes are kept as written.
        ast(r"'a\nb\u03a6'", raw(r"a\nb\u03a6"));
        ast("'✓ \"q\"'", raw("✓ \"q\""));
    }

    #[test]
    fn multi_selects() {
        ast(
            "[a, b]",
            Expr::MultiSelectList(vec![field("a"), field("b")]),
        );
        ast(
            "a.[b, c[0]]",
            sub(
                field("a"),
                Expr::MultiSelectList(vec![field("b"), Expr::Index(b(field("c")), 0)]),
            ),
        );
        ast(
            "{k: a, j: b}",
            Expr::MultiSelectHash(vec![
                ("k".to_string(), field("a")),
                ("j".to_string(), field("b")),
            ]),
        );
        ast(
            r#"a.{"k k": b.c, d: `1`}"#,
            sub(
                field("a"),
                Expr::MultiSelectHash(vec![
                    ("k k".to_string(), sub(field("b"), field("c"))),
                    ("d".to_string(), Expr::Literal(json!(1))),
                ]),
            ),
        );
        ast(
            "a[*].[b, c]",
            proj(
                field("a"),
                Expr::MultiSelectList(vec![field("b"), field("c")]),
            ),
        );
        // A multi-select in a projection's right-hand side keeps projecting what follows it.
        ast(
            "a[*].[b, c][0]",
            proj(
                field("a"),
                Expr::Index(b(Expr::MultiSelectList(vec![field("b"), field("c")])), 0),
            ),
        );
    }

    #[test]
    fn functions() {
        ast("length(a)", call("length", vec![field("a")]));
        ast("f()", call("f", vec![]));
        ast(
            "f (a, `1`)",
            call("f", vec![field("a"), Expr::Literal(json!(1))]),
        );
        ast(
            "sort_by(a, &b.c)",
            call(
                "sort_by",
                vec![field("a"), Expr::ExprRef(b(sub(field("b"), field("c"))))],
            ),
        );
        ast("a.length(@)", sub(field("a"), call("length", vec![I])));
        ast(
            "length(a)[0]",
            Expr::Index(b(call("length", vec![field("a")])), 0),
        );
        ast(
            "f(g(a), [b])",
            call(
                "f",
                vec![
                    call("g", vec![field("a")]),
                    Expr::MultiSelectList(vec![field("b")]),
                ],
            ),
        );
    }

    #[test]
    fn pipes_and_parentheses() {
        ast("a | b", Expr::Pipe(b(field("a")), b(field("b"))));
        ast(
            "a | b | c",
            Expr::Pipe(b(Expr::Pipe(b(field("a")), b(field("b")))), b(field("c"))),
        );
        ast(
            "a[*].b | [0]",
            Expr::Pipe(b(proj(field("a"), field("b"))), b(Expr::Index(b(I), 0))),
        );
        ast(
            "a || b | c",
            Expr::Pipe(b(Expr::Or(b(field("a")), b(field("b")))), b(field("c"))),
        );
        ast(
            "(a || b).c",
            sub(Expr::Or(b(field("a")), b(field("b"))), field("c")),
        );
        // Parentheses end a projection.
        ast("(a[*].b).c", sub(proj(field("a"), field("b")), field("c")));
        ast("((a))", field("a"));
    }

    #[test]
    fn projection_stops() {
        ast(
            "a[*].b == c",
            cmp(CmpOp::Eq, proj(field("a"), field("b")), field("c")),
        );
        ast(
            "a[*].b && c",
            Expr::And(b(proj(field("a"), field("b"))), b(field("c"))),
        );
        ast(
            "a[*].b || c[*].d",
            Expr::Or(
                b(proj(field("a"), field("b"))),
                b(proj(field("c"), field("d"))),
            ),
        );
        ast(
            "a.*.b | c",
            Expr::Pipe(b(oproj(field("a"), field("b"))), b(field("c"))),
        );
        ast(
            "a == b[*].c",
            cmp(CmpOp::Eq, field("a"), proj(field("b"), field("c"))),
        );
        ast(
            "[a[*].b, c]",
            Expr::MultiSelectList(vec![proj(field("a"), field("b")), field("c")]),
        );
    }

    #[test]
    fn waiter_paths() {
        let in_service = filter(
            field("Instances"),
            I,
            cmp(CmpOp::Eq, field("LifecycleState"), raw("InService")),
        );
        ast(
            "length(Instances[?LifecycleState=='InService']) >= MinSize",
            cmp(
                CmpOp::Ge,
                call("length", vec![in_service.clone()]),
                field("MinSize"),
            ),
        );
        ast(
            "contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)",
            call(
                "contains",
                vec![
                    proj(
                        flat(proj(
                            flat(field("AutoScalingGroups")),
                            Expr::MultiSelectList(vec![cmp(
                                CmpOp::Ge,
                                call("length", vec![in_service]),
                                field("MinSize"),
                            )]),
                        )),
                        I,
                    ),
                    Expr::Literal(json!(false)),
                ],
            ),
        );
        ast(
            "Reservations[].Instances[].State.Name",
            proj(
                flat(proj(flat(field("Reservations")), field("Instances"))),
                sub(field("State"), field("Name")),
            ),
        );
        ast(
            "length(Reservations[]) > `0`",
            cmp(
                CmpOp::Gt,
                call("length", vec![proj(flat(field("Reservations")), I)]),
                Expr::Literal(json!(0)),
            ),
        );
        ast(
            "Table.TableStatus",
            sub(field("Table"), field("TableStatus")),
        );
    }

    // ---- 2. a reference evaluator, to show the trees mean what the specification says ----

    fn eval(expr: &Expr, v: &Value) -> Value {
        match expr {
            Expr::Identity => v.clone(),
            Expr::Field(name) => v.get(name.as_str()).cloned().unwrap_or(Value::Null),
            Expr::Subexpr(l, r) | Expr::Pipe(l, r) => eval(r, &eval(l, v)),
            Expr::Index(l, i) => match eval(l, v) {
                Value::Array(items) => {
                    let len = items.len() as i64;
                    let i = if *i < 0 { *i + len } else { *i };
                    if (0..len).contains(&i) {
                        items[i as usize].clone()
                    } else {
                        Value::Null
                    }
                }
                _ => Value::Null,
            },
            Expr::Slice(l, start, stop, step) => match eval(l, v) {
                Value::Array(items) => Value::Array(eval_slice(&items, *start, *stop, *step)),
                _ => Value::Null,
            },
            Expr::Projection(l, r) => match eval(l, v) {
                Value::Array(items) => project(items.iter(), r),
                _ => Value::Null,
            },
            Expr::ObjectProjection(l, r) => match eval(l, v) {
                Value::Object(map) => project(map.values(), r),
                _ => Value::Null,
            },
            Expr::FilterProjection(l, r, c) => match eval(l, v) {
                Value::Array(items) => project(items.iter().filter(|i| truthy(&eval(c, i))), r),
                _ => Value::Null,
            },
            Expr::Flatten(l) => match eval(l, v) {
                Value::Array(items) => {
                    let mut out = Vec::new();
                    for item in items {
                        match item {
                            Value::Array(inner) => out.extend(inner),
                            other => out.push(other),
                        }
                    }
                    Value::Array(out)
                }
                _ => Value::Null,
            },
            Expr::Compare(op, l, r) => compare(*op, &eval(l, v), &eval(r, v)),
            Expr::And(l, r) => {
                let left = eval(l, v);
                if truthy(&left) {
                    eval(r, v)
                } else {
                    left
                }
            }
            Expr::Or(l, r) => {
                let left = eval(l, v);
                if truthy(&left) {
                    left
                } else {
                    eval(r, v)
                }
            }
            Expr::Not(e) => Value::Bool(!truthy(&eval(e, v))),
            Expr::Literal(value) => value.clone(),
            Expr::RawString(s) => Value::String(s.clone()),
            Expr::MultiSelectList(_) | Expr::MultiSelectHash(_) if v.is_null() => Value::Null,
            Expr::MultiSelectList(items) => {
                Value::Array(items.iter().map(|e| eval(e, v)).collect())
            }
            Expr::MultiSelectHash(pairs) => {
                Value::Object(pairs.iter().map(|(k, e)| (k.clone(), eval(e, v))).collect())
            }
            Expr::Function(name, args) => call_function(name, args, v),
            Expr::ExprRef(_) => panic!("expression references are only evaluated by functions"),
        }
    }

    fn project<'v>(items: impl Iterator<Item = &'v Value>, rhs: &Expr) -> Value {
        Value::Array(
            items
                .map(|item| eval(rhs, item))
                .filter(|value| !value.is_null())
                .collect(),
        )
    }

    /// The specification's slice algorithm: endpoints clamped, defaults depending on the
    /// direction.
    fn eval_slice(
        items: &[Value],
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    ) -> Vec<Value> {
        let len = items.len() as i64;
        let step = step.unwrap_or(1);
        let adjust = |end: i64| {
            if end < 0 {
                let end = end + len;
                match (end < 0, step < 0) {
                    (true, true) => -1,
                    (true, false) => 0,
                    (false, _) => end,
                }
            } else if end >= len {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            } else {
                end
            }
        };
        let start = start.map_or(if step < 0 { len - 1 } else { 0 }, adjust);
        let stop = stop.map_or(if step < 0 { -1 } else { len }, adjust);
        let mut out = Vec::new();
        let mut i = start;
        while if step > 0 { i < stop } else { i > stop } {
            out.push(items[i as usize].clone());
            i += step;
        }
        out
    }

    fn truthy(v: &Value) -> bool {
        match v {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }

    /// JMESPath equality: deep, with numbers compared by value (`1` equals `1.0`).
    fn json_eq(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, p)| y.get(k).is_some_and(|q| json_eq(p, q)))
            }
            _ => a == b,
        }
    }

    /// Ordering comparisons only apply to numbers; anything else yields null.
    fn compare(op: CmpOp, a: &Value, b: &Value) -> Value {
        let ordered = |f: fn(f64, f64) -> bool| match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                Value::Bool(f(x.as_f64().unwrap(), y.as_f64().unwrap()))
            }
            _ => Value::Null,
        };
        match op {
            CmpOp::Eq => Value::Bool(json_eq(a, b)),
            CmpOp::Ne => Value::Bool(!json_eq(a, b)),
            CmpOp::Lt => ordered(|x, y| x < y),
            CmpOp::Le => ordered(|x, y| x <= y),
            CmpOp::Gt => ordered(|x, y| x > y),
            CmpOp::Ge => ordered(|x, y| x >= y),
        }
    }

    /// Order for `sort`, `max`, `min`: numbers by value, strings by code point.
    fn order(a: &Value, b: &Value) -> std::cmp::Ordering {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                x.as_f64().unwrap().total_cmp(&y.as_f64().unwrap())
            }
            (Value::String(x), Value::String(y)) => x.cmp(y),
            _ => panic!("cannot order {a} and {b}"),
        }
    }

    fn type_name(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    fn call_function(name: &str, args: &[Expr], v: &Value) -> Value {
        if let ("sort_by", [list, Expr::ExprRef(key)]) = (name, args) {
            let Value::Array(mut items) = eval(list, v) else {
                return Value::Null;
            };
            items.sort_by(|x, y| order(&eval(key, x), &eval(key, y)));
            return Value::Array(items);
        }
        let values: Vec<Value> = args.iter().map(|arg| eval(arg, v)).collect();
        match (name, values.as_slice()) {
            ("length", [Value::String(s)]) => Value::from(s.chars().count()),
            ("length", [Value::Array(a)]) => Value::from(a.len()),
            ("length", [Value::Object(o)]) => Value::from(o.len()),
            ("contains", [Value::Array(a), needle]) => {
                Value::Bool(a.iter().any(|item| json_eq(item, needle)))
            }
            ("contains", [Value::String(s), Value::String(needle)]) => {
                Value::Bool(s.contains(needle.as_str()))
            }
            ("contains", [Value::String(_), _]) => Value::Bool(false),
            ("abs", [Value::Number(n)]) => match n.as_i64() {
                Some(i) => Value::from(i.abs()),
                None => Value::from(n.as_f64().unwrap().abs()),
            },
            ("max", [Value::Array(a)]) => a.iter().max_by(|x, y| order(x, y)).cloned().into(),
            ("min", [Value::Array(a)]) => a.iter().min_by(|x, y| order(x, y)).cloned().into(),
            ("to_string", [Value::String(s)]) => Value::String(s.clone()),
            ("to_string", [other]) => Value::String(other.to_string()),
            ("to_number", [Value::Number(n)]) => Value::Number(n.clone()),
            ("to_number", [Value::String(s)]) => match serde_json::from_str::<Value>(s) {
                Ok(n @ Value::Number(_)) => n,
                _ => Value::Null,
            },
            ("to_number", [_]) => Value::Null,
            ("not_null", all) => all.iter().find(|x| !x.is_null()).cloned().into(),
            ("type", [x]) => Value::from(type_name(x)),
            ("keys", [Value::Object(o)]) => o.keys().cloned().map(Value::String).collect(),
            ("values", [Value::Object(o)]) => o.values().cloned().collect(),
            ("starts_with", [Value::String(s), Value::String(p)]) => {
                Value::Bool(s.starts_with(p.as_str()))
            }
            ("ends_with", [Value::String(s), Value::String(p)]) => {
                Value::Bool(s.ends_with(p.as_str()))
            }
            ("join", [Value::String(glue), Value::Array(items)]) => {
                let parts: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                Value::from(parts.join(glue))
            }
            ("sort", [Value::Array(items)]) => {
                let mut items = items.clone();
                items.sort_by(order);
                Value::Array(items)
            }
            _ => panic!("the test evaluator has no {name} for {values:?}"),
        }
    }

    #[track_caller]
    fn search(expression: &str, given: &str) -> Value {
        let given: Value = serde_json::from_str(given).expect("test input is JSON");
        let expr = parse(expression).unwrap_or_else(|e| panic!("{expression:?}: {e}"));
        eval(&expr, &given)
    }

    /// Examples from the JMESPath specification (and its function reference), each as
    /// (expression, given document, expected result).
    const SPEC_EXAMPLES: &[(&str, &str, &str)] = &[
        // Identifiers.
        ("foo", r#"{"foo": "value"}"#, r#""value""#),
        ("bar", r#"{"foo": "value"}"#, "null"),
        ("foo", r#"{"foo": [0, 1, 2]}"#, "[0, 1, 2]"),
        (
            r#""with space""#,
            r#"{"with space": "value"}"#,
            r#""value""#,
        ),
        (
            r#""special chars: !@#""#,
            r#"{"special chars: !@#": "value"}"#,
            r#""value""#,
        ),
        (
            r#""quote\"char""#,
            r#"{"quote\"char": "value"}"#,
            r#""value""#,
        ),
        (r#""\u2713""#, r#"{"\u2713": "value"}"#, r#""value""#),
        // Subexpressions.
        ("foo.bar", r#"{"foo": {"bar": "value"}}"#, r#""value""#),
        (r#"foo."bar""#, r#"{"foo": {"bar": "value"}}"#, r#""value""#),
        ("foo.bar", r#"{"foo": {"baz": "value"}}"#, "null"),
        (
            "foo.bar.baz",
            r#"{"foo": {"bar": {"baz": "value"}}}"#,
            r#""value""#,
        ),
        // Index expressions.
        ("[0]", r#"["first", "second", "third"]"#, r#""first""#),
        ("[-1]", r#"["first", "second", "third"]"#, r#""third""#),
        ("[100]", r#"["first", "second", "third"]"#, "null"),
        (
            "foo[0]",
            r#"{"foo": ["first", "second", "third"]}"#,
            r#""first""#,
        ),
        (
            "foo[100]",
            r#"{"foo": ["first", "second", "third"]}"#,
            "null",
        ),
        ("foo[0][0]", r#"{"foo": [[0, 1], [1, 2]]}"#, "0"),
        // Slices.
        ("[0:4:1]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[0, 1, 2, 3]"),
        ("[0:4]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[0, 1, 2, 3]"),
        ("[0:3]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[0, 1, 2]"),
        ("[:2]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[0, 1]"),
        ("[::2]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[0, 2, 4, 6, 8]"),
        (
            "[::-1]",
            "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
            "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]",
        ),
        ("[-2:]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[8, 9]"),
        (
            "[5:0:-1]",
            "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
            "[5, 4, 3, 2, 1]",
        ),
        // Flatten.
        (
            "reservations[].instances[].state",
            r#"{"reservations": [{"instances": [{"state": "running"}, {"state": "stopped"}]},
                                 {"instances": [{"state": "terminated"}, {"state": "running"}]}]}"#,
            r#"["running", "stopped", "terminated", "running"]"#,
        ),
        (
            "[]",
            "[[0, 1], 2, [3], 4, [5, [6, 7]]]",
            "[0, 1, 2, 3, 4, 5, [6, 7]]",
        ),
        // Or, and, not.
        ("foo || bar", r#"{"foo": "foo-value"}"#, r#""foo-value""#),
        ("foo || bar", r#"{"bar": "bar-value"}"#, r#""bar-value""#),
        (
            "foo || bar",
            r#"{"foo": "foo-value", "bar": "bar-value"}"#,
            r#""foo-value""#,
        ),
        ("foo || bar", r#"{"baz": "baz-value"}"#, "null"),
        (
            "foo || bar || baz",
            r#"{"baz": "baz-value"}"#,
            r#""baz-value""#,
        ),
        (
            "override || mylist[-1]",
            r#"{"mylist": ["one", "two"]}"#,
            r#""two""#,
        ),
        (
            "override || mylist[-1]",
            r#"{"mylist": ["one", "two"], "override": "yes"}"#,
            r#""yes""#,
        ),
        (
            "True && False",
            r#"{"True": true, "False": false}"#,
            "false",
        ),
        (
            "Number && EmptyList",
            r#"{"Number": 5, "EmptyList": []}"#,
            "[]",
        ),
        (
            "foo[?a == `1` && b == `2`]",
            r#"{"foo": [{"a": 1, "b": 2}, {"a": 1, "b": 3}]}"#,
            r#"[{"a": 1, "b": 2}]"#,
        ),
        ("!True", r#"{"True": true}"#, "false"),
        ("!False", r#"{"False": false}"#, "true"),
        ("!Number", r#"{"Number": 5}"#, "false"),
        ("!EmptyList", r#"{"EmptyList": []}"#, "true"),
        // Multi-select list and hash.
        (
            "[foo,bar]",
            r#"{"foo": "a", "bar": "b", "baz": "c"}"#,
            r#"["a", "b"]"#,
        ),
        (
            "[foo,bar[0]]",
            r#"{"foo": "a", "bar": ["b"], "baz": "c"}"#,
            r#"["a", "b"]"#,
        ),
        (
            "[foo,bar.baz]",
            r#"{"foo": "a", "bar": {"baz": "b"}}"#,
            r#"["a", "b"]"#,
        ),
        ("[foo,baz]", r#"{"foo": "a", "bar": "b"}"#, r#"["a", null]"#),
        (
            "{foo: foo, bar: bar}",
            r#"{"foo": "a", "bar": "b", "baz": "c"}"#,
            r#"{"foo": "a", "bar": "b"}"#,
        ),
        (
            "{foo: foo, firstbar: bar[0]}",
            r#"{"foo": "a", "bar": ["b"]}"#,
            r#"{"foo": "a", "firstbar": "b"}"#,
        ),
        (
            r#"{foo: foo, "bar.baz": bar.baz}"#,
            r#"{"foo": "a", "bar": {"baz": "b"}}"#,
            r#"{"foo": "a", "bar.baz": "b"}"#,
        ),
        (
            "{foo: foo, baz: baz}",
            r#"{"foo": "a", "bar": "b"}"#,
            r#"{"foo": "a", "baz": null}"#,
        ),
        // Wildcards.
        (
            "[*].foo",
            r#"[{"foo": 1}, {"foo": 2}, {"foo": 3}]"#,
            "[1, 2, 3]",
        ),
        (
            "[*].foo",
            r#"[{"foo": 1}, {"foo": 2}, {"bar": 3}]"#,
            "[1, 2]",
        ),
        (
            "*.foo",
            r#"{"a": {"foo": 1}, "b": {"foo": 2}, "c": {"bar": 1}}"#,
            "[1, 2]",
        ),
        // Filters.
        (
            "foo[?bar==`10`]",
            r#"{"foo": [{"bar": 1}, {"bar": 10}]}"#,
            r#"[{"bar": 10}]"#,
        ),
        (
            "[?bar==`10`]",
            r#"[{"bar": 1}, {"bar": 10}]"#,
            r#"[{"bar": 10}]"#,
        ),
        (
            "foo[?a==b]",
            r#"{"foo": [{"a": 1, "b": 2}, {"a": 2, "b": 2}]}"#,
            r#"[{"a": 2, "b": 2}]"#,
        ),
        // Pipes.
        (
            "foo[*].bar | [0]",
            r#"{"foo": [{"bar": ["first1", "second1"]}, {"bar": ["first2", "second2"]}]}"#,
            r#"["first1", "second1"]"#,
        ),
        (
            "foo[*].bar[0]",
            r#"{"foo": [{"bar": ["first1", "second1"]}, {"bar": ["first2", "second2"]}]}"#,
            r#"["first1", "first2"]"#,
        ),
        ("foo | bar", r#"{"foo": {"bar": "baz"}}"#, r#""baz""#),
        ("foo | [0]", r#"{"foo": [0, 1, 2]}"#, "0"),
        // Literals and raw strings.
        ("`\"foo\"`", "{}", r#""foo""#),
        (r#"`"\u03a6"`"#, "{}", r#""\u03a6""#),
        ("`\"✓\"`", "{}", r#""✓""#),
        ("`[1, 2, 3]`", "{}", "[1, 2, 3]"),
        (r#"`{"a": "b"}`"#, "{}", r#"{"a": "b"}"#),
        (r#"`"foo\`bar"`"#, "{}", r#""foo`bar""#),
        ("'foo'", r#""""#, r#""foo""#),
        ("' bar '", r#""""#, r#"" bar ""#),
        ("'[baz]'", r#""""#, r#""[baz]""#),
        (r"'\u03a6'", r#""""#, r#""\\u03a6""#),
        (r"'foo\'bar'", r#""""#, r#""foo'bar""#),
        // Functions.
        ("abs(`1`)", "{}", "1"),
        ("abs(`-1`)", "{}", "1"),
        ("abs(`-24`)", "{}", "24"),
        ("contains('foobar', 'foo')", "{}", "true"),
        ("contains('foobar', 'not')", "{}", "false"),
        ("contains('foobar', 'bar')", "{}", "true"),
        ("contains('foobar', `123`)", "{}", "false"),
        ("contains(@, 'a')", r#"["a"]"#, "true"),
        ("contains(@, 'b')", r#"["a"]"#, "false"),
        ("ends_with(str, 'r')", r#"{"str": "foobarbar"}"#, "true"),
        ("ends_with(str, 'foo')", r#"{"str": "foobarbar"}"#, "false"),
        ("join(', ', @)", r#"["a", "b"]"#, r#""a, b""#),
        ("join('', @)", r#"["a", "b"]"#, r#""ab""#),
        (
            "keys(@)",
            r#"{"foo": "baz", "bar": "bam"}"#,
            r#"["foo", "bar"]"#,
        ),
        ("length('abc')", "{}", "3"),
        ("length(@)", r#""current""#, "7"),
        ("length(@)", r#"["a", "b", "c"]"#, "3"),
        ("length(@)", r#"{"a": 1, "b": 2}"#, "2"),
        ("max(@)", "[10, 15]", "15"),
        ("max(@)", r#"["a", "b"]"#, r#""b""#),
        ("max(@)", "[]", "null"),
        ("min(@)", "[10, 15]", "10"),
        ("min(@)", r#"["a", "b"]"#, r#""a""#),
        (
            "not_null(no_exist, a, b, c, d)",
            r#"{"a": null, "b": null, "c": [], "d": "foo"}"#,
            "[]",
        ),
        (
            "not_null(a, b, `null`, d, c)",
            r#"{"a": null, "b": null, "c": [], "d": "foo"}"#,
            r#""foo""#,
        ),
        (
            "not_null(a, b)",
            r#"{"a": null, "b": null, "c": [], "d": "foo"}"#,
            "null",
        ),
        ("sort(@)", "[10, 2, 5]", "[2, 5, 10]"),
        ("sort(@)", r#"["b", "a", "c"]"#, r#"["a", "b", "c"]"#),
        ("starts_with(str, 'foo')", r#"{"str": "foobarbar"}"#, "true"),
        (
            "starts_with(str, 'bar')",
            r#"{"str": "foobarbar"}"#,
            "false",
        ),
        ("to_string(`2`)", "{}", r#""2""#),
        ("to_string('foo')", "{}", r#""foo""#),
        ("to_string(`[1,2]`)", "{}", r#""[1,2]""#),
        ("to_number('1.0')", "{}", "1.0"),
        ("to_number('1e21')", "{}", "1e21"),
        ("to_number('abc')", "{}", "null"),
        ("to_number(`1`)", "{}", "1"),
        ("type('foo')", "{}", r#""string""#),
        ("type(`true`)", "{}", r#""boolean""#),
        ("type(`null`)", "{}", r#""null""#),
        ("type(`123.05`)", "{}", r#""number""#),
        (r#"type(`["abc"]`)"#, "{}", r#""array""#),
        (r#"type(`{"abc": "123"}`)"#, "{}", r#""object""#),
        (
            "values(@)",
            r#"{"foo": "baz", "bar": "bam"}"#,
            r#"["baz", "bam"]"#,
        ),
        (
            "myarray[?contains(@, 'foo') == `true`]",
            r#"{"myarray": ["foo", "foobar", "barfoo", "bar", "baz", "barbaz", "barfoobaz"]}"#,
            r#"["foo", "foobar", "barfoo", "barfoobaz"]"#,
        ),
        (
            "sort_by(people, &age)[].name",
            r#"{"people": [{"age": 20, "name": "a"}, {"age": 10, "name": "b"}, {"age": 30, "name": "c"}]}"#,
            r#"["b", "a", "c"]"#,
        ),
    ];

    #[test]
    fn specification_examples() {
        for (expression, given, expected) in SPEC_EXAMPLES {
            let expected: Value = serde_json::from_str(expected).expect("expected is JSON");
            let actual = search(expression, given);
            assert!(
                json_eq(&actual, &expected),
                "search({expression}, {given}) gave {actual}, expected {expected}"
            );
        }
    }

    /// Projection and precedence rules the specification spells out in prose.
    #[test]
    fn evaluation_semantics() {
        let people = r#"{"people": [{"first": "James", "age": 55}, {"first": "Jacob", "age": 40},
                                   {"first": "Jayden"}, {"missing": "different"}]}"#;
        let cases = [
            // A projection drops nulls, and a pipe stops it.
            ("people[*].first", json!(["James", "Jacob", "Jayden"])),
            ("people[*].first | [0]", json!("James")),
            ("people[*].first[0]", json!([])),
            // Ordering comparisons on non-numbers are null, so filter out.
            ("people[?age > `45`].first", json!(["James"])),
            ("people[?first > `1`].first", json!([])),
            ("people[?age == `40.0`].first", json!(["Jacob"])),
            ("people[?!age].first", json!(["Jayden"])),
            ("length(people[?age >= `40`]) >= `2`", json!(true)),
            ("people[*].age == `55`", json!(false)),
            ("people[0].age < people[1].age", json!(false)),
            ("people[0].first < people[1].first", Value::Null),
            ("!people[0].age", json!(false)),
            ("people[2].age || 'none'", json!("none")),
            (
                "{names: people[*].first, n: length(people)}",
                json!({"names": ["James", "Jacob", "Jayden"], "n": 4}),
            ),
        ];
        for (expression, expected) in cases {
            let actual = search(expression, people);
            assert!(
                json_eq(&actual, &expected),
                "{expression}: gave {actual}, expected {expected}"
            );
        }
    }

    /// The waiter paths of AWS models, on documents shaped like the services' responses.
    #[test]
    fn waiter_path_evaluation() {
        let asg = r#"{"AutoScalingGroups": [
            {"MinSize": 2, "Instances": [{"LifecycleState": "InService"}, {"LifecycleState": "Pending"}]},
            {"MinSize": 1, "Instances": [{"LifecycleState": "InService"}]}]}"#;
        let path = "contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)";
        assert_eq!(search(path, asg), json!(true));
        let asg_ready = asg.replace("Pending", "InService");
        assert_eq!(search(path, &asg_ready), json!(false));

        let ses = r#"{"VerificationAttributes": {"a@example.com": {"VerificationStatus": "Success"},
                                                 "b@example.com": {"VerificationStatus": "Pending"}}}"#;
        assert_eq!(
            search("VerificationAttributes.*.VerificationStatus", ses),
            json!(["Success", "Pending"])
        );

        let ec2 = r#"{"Reservations": [{"Instances": [{"State": {"Name": "running"}}]},
                                       {"Instances": [{"State": {"Name": "pending"}}, {"State": {"Name": "running"}}]}]}"#;
        assert_eq!(
            search("Reservations[].Instances[].State.Name", ec2),
            json!(["running", "pending", "running"])
        );
        assert_eq!(search("length(Reservations[]) > `0`", ec2), json!(true));
    }

    // ---- 3. errors ------------------------------------------------------------------------

    #[test]
    fn required_error_offsets() {
        let cases = [
            ("a[", 2, "expected a number, `:` or `*`, found the end of the expression"),
            ("a.", 2, "expected an identifier, `*`, `[` or `{` after `.`, found the end of the expression"),
            ("length(", 7, "expected an expression, found the end of the expression"),
            ("`{", 0, "unterminated JSON literal: missing closing '`'"),
            ("[?a==]", 5, "expected an expression, found `]`"),
        ];
        for (text, offset, message) in cases {
            let error = parse_error(text);
            assert_eq!(error.offset, offset, "{text:?}: {error}");
            assert_eq!(error.message, message, "{text:?}");
        }
    }

    #[test]
    fn error_display() {
        let error = parse_error("foo[?a ) ]");
        assert_eq!(error.to_string(), "at offset 7: expected `]`, found `)`");
        assert_eq!(
            parse_error("a b").to_string(),
            "at offset 2: expected the end of the expression, found `b`"
        );
    }

    #[test]
    fn more_error_offsets() {
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("   ", 3),
            (".foo", 0),
            ("foo.1", 4),
            ("foo.-11", 4),
            ("foo..bar", 4),
            ("foo[.]", 4),
            ("a]", 1),
            ("a][", 1),
            ("!", 1),
            ("![!(!", 5),
            ("((&", 2),
            (":", 0),
            (",", 0),
            ("}", 0),
            ("{", 1),
            ("{}", 1),
            ("{a}", 2),
            ("{a: b,}", 6),
            ("[a, ]", 4),
            ("[ ]", 2),
            ("f(a,)", 4),
            ("f(a b)", 4),
            ("a[b]", 2),
            ("a[*, b]", 3),
            ("a[1 2]", 4),
            ("a[1:2 3]", 6),
            ("a[1:2:3 4]", 8),
            ("a[1:2:0]", 6),
            ("a = b", 2),
            ("a == 1", 5),
            ("&a", 0),
            ("a | &b", 4),
            ("a.&b", 2),
            ("a.[]", 2),
            ("a.[?b]", 2),
            ("a.@", 2),
            ("a[*] b", 5),
            ("\"unterminated", 0),
            ("a.\"x", 2),
            ("'unterminated", 0),
            ("\"\"", 0),
            (r#""\q""#, 2),
            ("a.\"\u{1}\"", 3),
            ("`foo`", 1),
            ("`[1, 2,]`", 7),
            ("``", 1),
            ("`1` `2`", 4),
            ("a[99999999999999999999]", 2),
            ("a # b", 2),
            ("a.é", 2),
            ("-", 0),
            ("a[-]", 2),
            ("\"a\"(b)", 3),
            ("(a)(b)", 3),
            ("a(", 2),
            ("a(b", 3),
        ];
        for &(text, offset) in cases {
            let error = parse_error(text);
            assert_eq!(error.offset, offset, "{text:?}: {error}");
        }
    }

    #[test]
    fn error_messages_are_specific() {
        assert!(parse_error("`foo`").message.contains("unquoted strings"));
        assert!(parse_error("a = b").message.contains("`==`"));
        assert!(parse_error("a[1:2:0]").message.contains("step cannot be 0"));
        assert!(parse_error("&a").message.contains("function argument"));
        assert!(parse_error("a == 1").message.contains("JSON literals"));
        assert!(parse_error("a[99999999999999999999]")
            .message
            .contains("out of range"));
        assert!(parse_error("\"\"")
            .message
            .contains("empty quoted identifier"));
        assert!(parse_error(r#""\q""#)
            .message
            .starts_with("invalid quoted identifier"));
        assert!(parse_error("a.é").message.contains("'é'"));
        assert!(parse_error("f(a b)").message.contains("`,` or `)`"));
        let deep = "(".repeat(500) + "a" + &")".repeat(500);
        assert!(parse_error(&deep).message.contains("nested"));
    }

    /// No input may panic or overflow the stack; every error offset is a char boundary of the
    /// input.
    #[test]
    fn never_panics() {
        let mut inputs: Vec<String> = Vec::new();
        let valid: Vec<&str> = SPEC_EXAMPLES
            .iter()
            .map(|(expression, _, _)| *expression)
            .chain([
                "contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)",
                "a[1:2:-1].{\"k\": 'v\\'', j: `[\"\\`\"]`} | sort_by(@, &x)[?!y != z] || *.é",
            ])
            .collect();
        // Every prefix of valid expressions (truncation), cut at char boundaries.
        for text in &valid {
            for (i, _) in text.char_indices() {
                inputs.push(text[..i].to_string());
                inputs.push(text[i..].to_string());
            }
        }
        // Pseudo-random strings over the characters that matter to the grammar.
        let alphabet: Vec<char> = "ab_.*@[]{}()?,:|&!=<>'\"`\\-09 é\u{0}\n".chars().collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let text: String = (0..len)
                .map(|k| {
                    let r = seed.rotate_left(k as u32 * 5);
                    alphabet[(r % alphabet.len() as u64) as usize]
                })
                .collect();
            inputs.push(text);
        }
        // Deep nesting of every recursive form.
        for unit in [
            "(", "!", "[", "{a:", "f(", "[?", "a.", "&", "[*]", ".*", "[]", "a|", "a||",
        ] {
            inputs.push(unit.repeat(50_000));
        }
        inputs.push(format!("a{}", ".b".repeat(50_000)));
        inputs.push(format!("a{}", "[0]".repeat(50_000)));
        inputs.push(format!("`{}`", "[".repeat(50_000)));
        for input in &inputs {
            if let Err(error) = parse(input) {
                assert!(error.offset <= input.len(), "{input:?}: {error}");
                assert!(input.is_char_boundary(error.offset), "{input:?}: {error}");
                assert!(!error.message.is_empty());
            }
        }
    }
}
