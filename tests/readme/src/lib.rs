//! The README's Rust examples, compiled and run as this crate's doc tests (`cargo test -p
//! readme --doc`), so they cannot rot; this crate depends on the generated crate alone.
#![doc = include_str!("../../../README.md")]
