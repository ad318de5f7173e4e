//! The public listener of each mock service: reads requests under limits, then answers them
//! through the service's wiremock matcher and responder (`Core::answer`).
//!
//! wiremock's own server collects every request body whole, with no limit and no timeout, and
//! panics when a client aborts a body (`Failed to read request body.`); it also serves each
//! service from one thread, so a responder that waits (the ROP upload probe) holds every other
//! request of that service. The front fixes the three: on the public port, a hyper HTTP/1.1
//! server on threads with single-threaded runtimes of their own (one per core, at most four;
//! connections are dealt round among them)
//!
//! - drops a connection whose request head has not arrived within `header_read_timeout_ms`
//!   (default 10 s);
//! - answers 413 and closes at once when `Content-Length` declares more than
//!   `request_body_limit` (default 16 MiB; nothing is read), and cuts a chunked body as soon as
//!   it passes the limit (413, closed); nothing of a refused body is kept;
//! - answers 408 and closes when a body has not fully arrived within `body_read_timeout_ms`
//!   (default 30 s);
//! - drops an aborted body silently (no panic, no answer to nobody);
//! - holds a `requests/wait` long-poll open on its connection's task (see
//!   [`crate::admin::wait`]) while the thread serves its other connections;
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

/// A running front: the threads that drive its single-threaded runtimes, and the bound address.
///
/// Each service's front is a few threads, each with a current-thread runtime (no work-stealing
/// machinery on the path of a request): the first accepts connections and hands them round to
/// all of them, itself included; a connection then stays on its thread. Reads answer from
/// memory at once; a write, which may wait (R1's probe), runs on the runtime's blocking pool
/// (see [`serve`]), so the rest go on.
pub(crate) struct Front {
    stops: Vec<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    addr: SocketAddr,
}

impl Drop for Front {
    fn drop(&mut self) {
        for stop in self.stops.drain(..) {
            // The thread may be gone already; nothing to do then.
            let _ = stop.send(());
        }
        // Joined so the port is closed, and every connection dropped, when the front is.
        // (Never from a front's own thread: that would wait for itself.)
        for thread in self.threads.drain(..) {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

/// How many threads serve each service: one per available core, at most four (the mock is a
/// test double; four cores of one service are more than any client test needs).
fn front_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

impl Front {
    /// Serves `listener` for `core` on threads and runtimes of its own.
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
        let runtime = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| io("starting the front runtime", e))
        };
        let mut front = Self {
            stops: Vec::new(),
            threads: Vec::new(),
            addr,
        };
        // Started one by one: should one fail, dropping `front` stops those already running.
        let mut hands = Vec::new();
        for _ in 1..front_threads() {
            let (hand, connections) = tokio::sync::mpsc::unbounded_channel();
            let core = Arc::clone(&core);
            front.spawn(runtime()?, move || serve_handed(connections, core, limits))?;
            hands.push(hand);
        }
        let runtime = runtime()?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)
                .map_err(|e| io("registering the listener", e))?
        };
        front.spawn(runtime, move || accept_loop(listener, core, limits, hands))?;
        Ok(front)
    }

    /// Runs `task` on a thread of its own under `runtime` until the front stops.
    fn spawn<F, T>(&mut self, runtime: tokio::runtime::Runtime, task: T) -> Result<()>
    where
        T: FnOnce() -> F + Send + 'static,
        F: std::future::Future<Output = ()>,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("mock-server-front".into())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        () = task() => {}
                        _ = stopped => {}
                    }
                });
                // Drops every connection task, and does not wait for a write still running on
                // the blocking pool (a plain drop would: R1's probe can take seconds).
                runtime.shutdown_background();
            })
            .map_err(|source| Error::Io {
                what: "starting the front thread".to_owned(),
                source,
            })?;
        self.stops.push(stop);
        self.threads.push(thread);
        Ok(())
    }

    /// The public address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Accepts connections and deals them round: one to this thread, one to each of `hands`.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    core: Arc<Core>,
    limits: Limits,
    hands: Vec<tokio::sync::mpsc::UnboundedSender<std::net::TcpStream>>,
) {
    let mut turn = 0usize;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors and the like: let the system breathe, then go on.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        turn = (turn + 1) % (hands.len() + 1);
        let stream = match hands.get(turn) {
            // Handed over as a std stream (registered anew with the other thread's runtime);
            // kept here should the other thread be gone.
            Some(hand) => match stream.into_std() {
                Ok(std) => match hand.send(std) {
                    Ok(()) => continue,
                    Err(back) => match tokio::net::TcpStream::from_std(back.0) {
                        Ok(s) => s,
                        Err(_) => continue,
                    },
                },
                Err(_) => continue,
            },
            None => stream,
        };
        tokio::spawn(connection(stream, Arc::clone(&core), limits));
    }
}

/// Serves the connections the accepting thread hands to this one.
async fn serve_handed(
    mut connections: tokio::sync::mpsc::UnboundedReceiver<std::net::TcpStream>,
    core: Arc<Core>,
    limits: Limits,
) {
    while let Some(stream) = connections.recv().await {
        if let Ok(stream) = tokio::net::TcpStream::from_std(stream) {
            tokio::spawn(connection(stream, Arc::clone(&core), limits));
        }
    }
    // The accepting thread is gone: the connections already here go on until the front stops.
    std::future::pending::<()>().await;
}

/// Serves one connection under the front's limits until the client closes it.
async fn connection(stream: tokio::net::TcpStream, core: Arc<Core>, limits: Limits) {
    let service = service_fn(move |req| serve(Arc::clone(&core), limits, req));
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .serve_connection(TokioIo::new(stream), service);
    // A client that goes away mid-request is not an error worth a log line.
    let _ = conn.await;
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
    // The `requests/wait` long-poll waits on this connection's task; the rest go on.
    if *req.method() == http::Method::GET
        && crate::admin::dashboard::admin_sub(req.uri().path()).map(|s| s.trim_end_matches('/'))
            == Some("requests/wait")
    {
        return Ok(core.wait(req.uri()).await.map(Full::new));
    }
    // Reads answer from memory at once, on the connection's thread; only writes may wait (R1's
    // probe of `audio_url`): they run on the blocking pool (a thread hand-off, too much for
    // every GET).
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
