//! The run lock on a shared store: a PostgreSQL advisory lock keyed by the workflow, held by
//! the run's session. The server drops it when the session ends, however the holder ended
//! (a SIGKILL closes its socket). A row of `zynk.run_lock` names the holder for refused runs.
use std::time::{Duration, Instant};

use super::PgState;
use crate::state::LockError;

/// Advisory-lock class of run locks ("zynk"); the object id is the workflow's hash.
pub(super) const CLASS: i32 = 0x7a79_6e6b;

/// How often a waiting run tries again.
const POLL: Duration = Duration::from_millis(100);

/// The lock's object id: FNV-1a of the workflow name, kept positive (stable across builds
/// and platforms, unlike the standard hasher).
fn key(workflow: &str) -> i32 {
    let hash = workflow.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    i32::try_from(hash & 0x7fff_ffff).unwrap_or(0)
}

/// Takes the lock of `workflow` for `state`'s session, trying every [`POLL`] for up to
/// `wait`; then records this host and process as its holder.
pub(super) fn acquire(
    state: &PgState,
    workflow: &str,
    host: &str,
    wait: Option<Duration>,
) -> Result<(), LockError> {
    let store = state.url.to_string();
    let server = |e: crate::state::StateError| LockError::Server {
        store: store.clone(),
        reason: e.to_string(),
    };
    let key = key(workflow);
    let deadline = wait.map(|w| Instant::now() + w);
    loop {
        let taken: bool = state
            .with(|c| {
                c.query_one("SELECT pg_try_advisory_lock($1, $2)", &[&CLASS, &key])?
                    .try_get(0)
            })
            .map_err(server)?;
        if taken {
            break;
        }
        if deadline.is_some_and(|d| Instant::now() < d) {
            std::thread::sleep(POLL);
            continue;
        }
        return Err(LockError::SharedBusy {
            holder: holder(state, workflow, key),
            store,
        });
    }
    state
        .execute(
            "INSERT INTO zynk.run_lock (workflow, host, pid, started, backend_pid)
             VALUES ($1, $2, $3, $4, pg_backend_pid())
             ON CONFLICT (workflow) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                 started = excluded.started, backend_pid = excluded.backend_pid",
            &[
                &workflow,
                &host,
                &i64::from(std::process::id()),
                &crate::state::now_micros(),
            ],
        )
        .map_err(server)?;
    Ok(())
}

/// The holder as its row names it, if the session holding the lock wrote that row (it
/// writes it just after taking the lock, so a run refused at that instant asks again).
fn holder(state: &PgState, workflow: &str, key: i32) -> String {
    for _ in 0..25 {
        let row = state.query(
            "SELECT h.host, h.pid, h.started FROM zynk.run_lock h
             JOIN pg_locks l ON l.pid = h.backend_pid
             WHERE h.workflow = $1 AND l.locktype = 'advisory' AND l.granted
               AND l.classid = $2::int4::oid AND l.objid = $3::int4::oid AND l.objsubid = 2",
            &[&workflow, &CLASS, &key],
        );
        match row.as_deref() {
            Ok([row, ..]) => {
                let fields = (
                    row.try_get::<_, String>(0),
                    row.try_get::<_, i64>(1),
                    row.try_get::<_, i64>(2),
                );
                if let (Ok(host), Ok(pid), Ok(started)) = fields {
                    let started = crate::state::from_micros(started)
                        .to_zoned(jiff::tz::TimeZone::system())
                        .strftime("%Y-%m-%d %H:%M:%S %Z");
                    return format!("host {host}, pid {pid}, started {started}");
                }
                break;
            }
            Ok([]) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    "holder unknown".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_positive() {
        assert_eq!(key(""), 0x011c_9dc5);
        assert_eq!(key("a"), 0x640c_292c);
        assert!(key("Website Script Based Sage 50 Integration") >= 0);
        assert_ne!(key("Shop A"), key("Shop B"));
    }
}
