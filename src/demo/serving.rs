//! An axum app served on a loopback address from a thread and runtime of its own, stopped
//! (and its thread joined) when the handle is stopped or dropped.
use std::net::SocketAddr;
use std::thread::JoinHandle;

use axum::Router;
use tokio::sync::oneshot;

use super::error::DemoError;

/// A running server.
pub(super) struct Serving {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Serving {
    /// Binds `addr` (`127.0.0.1:0` for any free port) and serves `app` on a thread named
    /// `thread_name`.
    pub(super) fn start(addr: &str, thread_name: &str, app: Router) -> Result<Serving, DemoError> {
        let bind_err = |source| DemoError::Bind {
            addr: addr.to_string(),
            source,
        };
        let listener = std::net::TcpListener::bind(addr).map_err(bind_err)?;
        let local = listener.local_addr().map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(DemoError::Server)?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(DemoError::Server)?
        };
        let (tx, rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(thread_name.to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let stop = async {
                        // A dropped sender stops the server too.
                        let _ = rx.await;
                    };
                    // Serving ends only on shutdown; an accept error is retried by axum.
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(stop)
                        .await;
                });
            })
            .map_err(DemoError::Server)?;
        Ok(Serving {
            addr: local,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub(super) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and waits for the server thread to end.
    pub(super) fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.stop();
    }
}
