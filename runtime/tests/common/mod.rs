//! Helpers shared by the integration tests (each test file includes this module).
pub mod sandbox;
