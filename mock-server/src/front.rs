//! The public listener of each mock service: reads requests under limits, then answers them
//! through the service's wiremock matcher and responder (`Core::answer`).
//!
//! wiremock's own server collects every request body whole, with no limit and no timeout, and
//! panics when a client aborts a body (`Failed to read request body.`); it also serves each
//! service from one thread, so a responder that waits (the ROP upload probe) holds every other
//! request of that service. The front fixes the three: on the public port, a hyper HTTP/1.1
//! server on a thread and single-threaded runtime of its own
//!
//! - drops a connection whose request head has not arrived within `header_read_timeout_ms`
//!   (default 10 s);
//! - answers 413 and closes at once when `Content-Length` declares more than
//!   `request_body_limit` (default 16 MiB; nothing is read), and cuts a chunked body as soon as
//!   it passes the limit (413, closed); nothing of a refused body is kept;
//! - answers 408 and closes when a body has not fully arrived within `body_read_timeout_ms`
//!   (default 30 s);
//! - drops an aborted body silently (no panic, no answer to nobody);
//! - runs the (synchronous) responder of a write (POST, PUT…) on the blocking pool, so a
//!   waiting responder (R1's probe) never holds the other requests.
//!
//! The wiremock server keeps running on a private loopback port with the same mounted mocks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Body as _;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::error::{Error, Result};
use crate::host::{Answer, Core};

/// The default largest request body read, in bytes (16 MiB; the dispatchers' own limits are
/// lower: 1 MiB for JSON and form bodies).
pub(crate) const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// The front's limits (config `request_body_limit`, `header_read_timeout_ms`,
/// `body_read_timeout_ms`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Largest request body, in bytes.
    pub(crate) body: usize,
    /// Time to send a request head (also the idle time between kept-alive requests).
    pub(crate) header: Duration,
    /// Time to send a whole body.
    pub(crate) body_read: Duration,
}

impl Limits {
    pub(crate) fn from_config(c: &crate::config::Config) -> Self {
        Self {
            body: c.request_body_limit,
            header: Duration::from_millis(c.header_read_timeout_ms.max(1)),
            body_read: Duration::from_millis(c.body_read_timeout_ms.max(1)),
        }
    }
}

/// A running front: the thread that drives its single-threaded runtime, and the bound address.
///
/// Each service's front is one thread with a current-thread runtime (no work-stealing
/// machinery on the path of a request): reads answer from memory at once; a write, which may
/// wait (R1's probe), runs on the runtime's blocking pool (see [`serve`]), so the rest go on.
pub(crate) struct Front {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    addr: SocketAddr,
}

impl Drop for Front {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The thread may be gone already; nothing to do then.
            let _ = stop.send(());
        }
        // Joined so the port is closed, and every connection dropped, when the front is.
        // (Never from the front's own thread: that would wait for itself.)
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

impl Front {
    /// Serves `listener` for `core` on a thread and runtime of its own.
    pub(crate) fn start(
        listener: std::net::TcpListener,
        core: Arc<Core>,
        limits: Limits,
    ) -> Result<Self> {
        let io = |what: &str, source| Error::Io {
            what: what.to_owned(),
            source,
        };
        let addr = listener
            .local_addr()
            .map_err(|e| io("reading the bound address", e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| io("configuring the listener", e))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| io("starting the front runtime", e))?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)
                .map_err(|e| io("registering the listener", e))?
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("mock-server-front".into())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        () = accept_loop(listener, core, limits) => {}
                        _ = stopped => {}
                    }
                });
                // Drops every connection task, and does not wait for a write still running on
                // the blocking pool (a plain drop would: R1's probe can take seconds).
                runtime.shutdown_background();
            })
            .map_err(|e| io("starting the front thread", e))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
            addr,
        })
    }

    /// The public address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, core: Arc<Core>, limits: Limits) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors and the like: let the system breathe, then go on.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let core = Arc::clone(&core);
        tokio::spawn(async move {
            let service = service_fn(move |req| serve(Arc::clone(&core), limits, req));
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away mid-request is not an error worth a log line.
            let _ = conn.await;
        });
    }
}

/// Why a connection is closed without an answer.
fn closed(why: &'static str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::ConnectionAborted, why)
}

async fn serve(
    core: Arc<Core>,
    limits: Limits,
    req: hyper::Request<Incoming>,
) -> std::result::Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.body as u64) {
        core.journal_refused(&parts, 413);
        return Ok(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large",
        ));
    }
    // A request without a body (most GETs) skips the timer and the collector.
    let body = if body.is_end_stream() {
        Bytes::new()
    } else {
        let read =
            tokio::time::timeout(limits.body_read, Limited::new(body, limits.body).collect()).await;
        match read {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                core.journal_refused(&parts, 413);
                return Ok(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request body too large",
                ));
            }
            Ok(Err(_)) => return Err(closed("request body aborted")),
            Err(_) => {
                core.journal_refused(&parts, 408);
                return Ok(refuse(StatusCode::REQUEST_TIMEOUT, "request body too slow"));
            }
        }
    };
    let req = http::Request::from_parts(parts, body);
    // Reads answer from memory at once, on the front's thread; only writes may wait (R1's probe
    // of `audio_url`): they run on the blocking pool (a thread hand-off, too much for every GET).
    let answer = if matches!(*req.method(), http::Method::GET | http::Method::HEAD) {
        core.answer(req)
    } else {
        match tokio::task::spawn_blocking(move || core.answer(req)).await {
            Ok(answer) => answer,
            // Only when the runtime shuts down under it (the mock is stopping).
            Err(_) => return Err(closed("the mock is shutting down")),
        }
    };
    match answer {
        Answer::Reset => Err(closed("injected connection reset")),
        Answer::Respond(resp, delay) => {
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            Ok(resp.map(Full::new))
        }
    }
}

/// An error answer that also closes the connection (the rest of the request is not read).
fn refuse(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    let mut resp = crate::host::admin_error(status, message).map(Full::new);
    resp.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
    resp
}
