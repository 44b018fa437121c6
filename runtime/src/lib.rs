//! Support code shared by clients generated from Smithy models (awsQuery protocol).
//!
//! Generated code calls into this crate on hot paths, so everything here avoids
//! per-call allocation where it can and never panics on input data.
//!
//! - [`query::QueryWriter`] builds `application/x-www-form-urlencoded` request bodies.
//! - [`xml::XmlReader`] pulls elements out of XML response bodies without a DOM.
//! - [`DateTime`], [`Blob`] and [`base64`] cover the timestamp and blob shapes.
//! - [`BuildError`] is returned by input builders.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod base64;
mod blob;
pub mod client;
mod document;
pub mod endpoint;
mod error;
#[cfg(feature = "gzip")]
pub mod gzip;
pub mod jmespath;
mod json;
pub mod protocol;
pub mod query;
mod random;
#[cfg(feature = "serde")]
mod serde_impls;
mod time;
mod unknown;
pub mod waiter;
pub mod xml;

pub use blob::Blob;
pub use document::Document;
pub use error::BuildError;
pub use time::{DateTime, DateTimeError, TimestampFormat};
pub use unknown::UnknownVariantValue;
