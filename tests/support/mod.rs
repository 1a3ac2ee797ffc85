//! Shared helpers for the integration tests.
pub mod postgres;
pub mod server;
pub mod xml_text;
