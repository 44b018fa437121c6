//! Pull-style reading of XML response bodies, borrowing from the input.
//!
//! Generated parsers walk the tree with [`XmlReader::next_child`] and read leaf
//! values with [`XmlReader::text`] / [`XmlReader::parse_text`]; anything they do
//! not ask for is skipped without building a DOM.

mod error;
mod reader;
mod scan;
mod tag;
mod text;

pub use error::XmlError;
pub use reader::XmlReader;
pub use tag::Tag;

/// What generated deserializers read from; [`XmlReader`] implements it.
///
/// The deserializers are generic over it so that rustc compiles each of them only in a crate
/// that calls it, and once there (a generic function is instantiated once per crate that uses
/// it, where an `#[inline]` one would be copied into every codegen unit that calls it).
pub trait XmlSource<'a> {
    /// [`XmlReader::next_child`].
    fn next_child(&mut self, parent: &Tag<'_>) -> Result<Option<Tag<'a>>, XmlError>;
    /// [`XmlReader::text`].
    fn text(&mut self, tag: &Tag<'_>) -> Result<std::borrow::Cow<'a, str>, XmlError>;
    /// [`XmlReader::parse_text`].
    fn parse_text<T>(&mut self, tag: &Tag<'_>) -> Result<T, XmlError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display;
    /// [`XmlReader::parse_bool`].
    fn parse_bool(&mut self, tag: &Tag<'_>) -> Result<bool, XmlError>;
    /// [`XmlReader::parse_f32`].
    fn parse_f32(&mut self, tag: &Tag<'_>) -> Result<f32, XmlError>;
    /// [`XmlReader::parse_f64`].
    fn parse_f64(&mut self, tag: &Tag<'_>) -> Result<f64, XmlError>;
}

impl<'a> XmlSource<'a> for XmlReader<'a> {
    #[inline]
    fn next_child(&mut self, parent: &Tag<'_>) -> Result<Option<Tag<'a>>, XmlError> {
        XmlReader::next_child(self, parent)
    }

    #[inline]
    fn text(&mut self, tag: &Tag<'_>) -> Result<std::borrow::Cow<'a, str>, XmlError> {
        XmlReader::text(self, tag)
    }

    #[inline]
    fn parse_text<T>(&mut self, tag: &Tag<'_>) -> Result<T, XmlError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        XmlReader::parse_text(self, tag)
    }

    #[inline]
    fn parse_bool(&mut self, tag: &Tag<'_>) -> Result<bool, XmlError> {
        XmlReader::parse_bool(self, tag)
    }

    #[inline]
    fn parse_f32(&mut self, tag: &Tag<'_>) -> Result<f32, XmlError> {
        XmlReader::parse_f32(self, tag)
    }

    #[inline]
    fn parse_f64(&mut self, tag: &Tag<'_>) -> Result<f64, XmlError> {
        XmlReader::parse_f64(self, tag)
    }
}
