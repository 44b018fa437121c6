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
