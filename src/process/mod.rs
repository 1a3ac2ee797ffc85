//! What the whole process shares below the interpreter: how a failure ends, the stop signals
//! and the crash tests' fault points. The HTTP client, the ledgers and the state stores use
//! these without depending on the runtime.
pub mod failure;
pub mod fault;
pub mod interrupt;

pub use failure::FailureKind;
pub use interrupt::Signal;
