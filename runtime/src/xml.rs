//! Pull-style reading of XML response bodies, borrowing from the input.
//!
//! Hand-written code walks the tree with [`XmlReader::next_child`] and reads leaf values with
//! [`XmlReader::text`] / [`XmlReader::parse_text`], passing [`Tag`]s that the reader checks.
//! Generated parsers use the leaner cursor of [`XmlSource`]. Anything not asked for is
//! skipped without building a DOM.

mod error;
mod gather;
mod reader;
mod scan;
mod tag;
mod text;

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

pub use error::XmlError;
pub use gather::Gather;
pub use reader::XmlReader;
pub use tag::Tag;

use crate::{Blob, DateTime, TimestampFormat};

/// `slot` emptied, then set to `new()` for a parser to fill in place: `Option::insert`, without
/// the value built aside and copied in (for a large structure, a `memcpy` per element).
#[inline(always)]
pub fn fresh<T>(slot: &mut Option<T>, new: fn() -> T) -> &mut T {
    *slot = None;
    slot.get_or_insert_with(new)
}

/// What generated deserializers read from, as a cursor: elements are addressed by depth, and
/// values are read from the current element (the one [`XmlSource::child`] returned last).
/// [`XmlReader`] implements it.
///
/// The deserializers are generic over it so that rustc compiles each of them only in a crate
/// that calls it, and once there (a generic function is instantiated once per crate that uses
/// it, where an `#[inline]` one would be copied into every codegen unit that calls it).
///
/// ```
/// use aws_lite_runtime::xml::{XmlReader, XmlSource};
/// let mut r = XmlReader::new("<R><Id>a&amp;b</Id><Skip><x/></Skip><Port>6379</Port></R>");
/// let root = r.root()?;
/// let (mut id, mut port) = (None, None);
/// while let Some(name) = r.child(root.depth()) {
///     match name {
///         b"Id" => id = Some(r.read_string()?),
///         b"Port" => port = Some(r.read_parse::<i32>()?),
///         _ => {} // skipped by the next `child` call
///     }
/// }
/// r.failure()?;
/// assert_eq!((id.as_deref(), port), (Some("a&b"), Some(6379)));
/// # Ok::<(), aws_lite_runtime::xml::XmlError>(())
/// ```
pub trait XmlSource<'a> {
    /// [`XmlReader::child`].
    fn child(&mut self, depth: usize) -> Option<&'a [u8]>;
    /// [`XmlReader::failure`].
    fn failure(&self) -> Result<(), XmlError>;
    /// [`XmlReader::read_text`].
    fn read_text(&mut self) -> Result<Cow<'a, str>, XmlError>;
    /// [`XmlReader::read_string`].
    fn read_string(&mut self) -> Result<String, XmlError>;
    /// [`XmlReader::read_parse`].
    fn read_parse<T>(&mut self) -> Result<T, XmlError>
    where
        T: FromStr,
        T::Err: Display;
    /// [`XmlReader::read_bool`].
    fn read_bool(&mut self) -> Result<bool, XmlError>;
    /// [`XmlReader::read_f32`].
    fn read_f32(&mut self) -> Result<f32, XmlError>;
    /// [`XmlReader::read_f64`].
    fn read_f64(&mut self) -> Result<f64, XmlError>;
    /// [`XmlReader::read_timestamp`].
    fn read_timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, XmlError>;
    /// [`XmlReader::read_blob`].
    fn read_blob(&mut self) -> Result<Blob, XmlError>;
    /// [`XmlReader::current_attr`].
    fn current_attr(&self, local_name: &[u8]) -> Result<Option<Cow<'a, str>>, XmlError>;
}

impl<'a> XmlSource<'a> for XmlReader<'a> {
    #[inline]
    fn child(&mut self, depth: usize) -> Option<&'a [u8]> {
        XmlReader::child(self, depth)
    }

    #[inline]
    fn failure(&self) -> Result<(), XmlError> {
        XmlReader::failure(self)
    }

    #[inline]
    fn read_text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        XmlReader::read_text(self)
    }

    #[inline]
    fn read_string(&mut self) -> Result<String, XmlError> {
        XmlReader::read_string(self)
    }

    #[inline]
    fn read_parse<T>(&mut self) -> Result<T, XmlError>
    where
        T: FromStr,
        T::Err: Display,
    {
        XmlReader::read_parse(self)
    }

    #[inline]
    fn read_bool(&mut self) -> Result<bool, XmlError> {
        XmlReader::read_bool(self)
    }

    #[inline]
    fn read_f32(&mut self) -> Result<f32, XmlError> {
        XmlReader::read_f32(self)
    }

    #[inline]
    fn read_f64(&mut self) -> Result<f64, XmlError> {
        XmlReader::read_f64(self)
    }

    #[inline]
    fn read_timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, XmlError> {
        XmlReader::read_timestamp(self, format)
    }

    #[inline]
    fn read_blob(&mut self) -> Result<Blob, XmlError> {
        XmlReader::read_blob(self)
    }

    #[inline]
    fn current_attr(&self, local_name: &[u8]) -> Result<Option<Cow<'a, str>>, XmlError> {
        XmlReader::current_attr(self, local_name)
    }
}
