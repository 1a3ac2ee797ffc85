//! Time as stored by the state store and the ledger: Unix microseconds, UTC.
use jiff::Timestamp;

/// The current time in Unix microseconds.
pub fn now_micros() -> i64 {
    Timestamp::now().as_microsecond()
}

/// Microseconds back to a timestamp (clamped to jiff's range).
pub fn from_micros(micros: i64) -> Timestamp {
    Timestamp::from_microsecond(micros).unwrap_or(Timestamp::UNIX_EPOCH)
}
