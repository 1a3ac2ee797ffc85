//! What the whole process shares below the interpreter: how a failure ends, the stop signals
//! and the crash tests' fault points. The HTTP client, the ledgers and the state stores use
//! these without depending on the runtime.
pub(crate) mod failure;
pub(crate) mod fault;
pub(crate) mod interrupt;

pub use failure::FailureKind;
pub(crate) use interrupt::Signal;
