//! The Smithy model: ids, shapes, typed traits, the prelude, and loading from JSON AST.

mod id;
mod load;
mod prelude;
mod shape;
mod traits;

pub use id::{is_identifier, ShapeId};
pub use load::{load, Source};
pub use prelude::unit;
pub use shape::{Member, Model, Operation, Resource, Service, Shape, ShapeKind, Simple};
pub use traits::*;
