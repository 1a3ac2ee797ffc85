//! HTTP against real servers on 127.0.0.1: the client itself, and `fetch`/`notify`/`http`
//! run from the CLI (what a good answer is, bounds, TLS, secrets).
use crate::support;

mod answers;
mod bounds;
mod cli;
mod client;
mod interrupt;
mod secrets;
mod tls;
