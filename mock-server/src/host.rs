//! One mock service on one `wiremock::MockServer`: the catch-all responder, fault injection,
//! the bounded journal, mock rotation and the common admin API.
//!
//! # Why and how mocks rotate
//!
//! wiremock 0.6.5 keeps a clone of every request a mounted mock matched (`MountedMock::matches`),
//! even with request recording disabled, and a scoped mock's guard only marks the mock out of
//! scope: its copies stay until `MockServer::reset`. So every `rotate_every` requests wiremock
//! serves on its private port (the public port is the front's, whose requests never reach
//! wiremock and are never copied) the responder spawns, *on wiremock's own single-threaded
//! runtime*, one task that calls `reset` and then re-registers the two mocks. wiremock handles a request by taking its state lock, matching
//! and calling our (synchronous) responder without any suspension point in between, and nothing
//! else in this crate takes that lock; on that one thread the task's `reset` and `register` calls
//! therefore run back to back in a single poll (each lock acquisition is uncontended and ready at
//! once; a freshly polled task has its full cooperative budget of 128, of which the three
//! acquisitions use three), so no request can ever see the empty mock set in between and get
//! wiremock's bare 404.
//!
//! # Sync responder, async dispatchers
//!
//! `Respond::respond` (and [`Core::answer`], what the public front calls) is synchronous while
//! the API crates' dispatchers are async. The dispatchers run under `futures::executor::block_on`
//! on the calling thread (the front's, or wiremock's on the private port): the in-memory handlers
//! never await I/O (state sits behind `std::sync::Mutex`es with short critical sections), and all
//! outgoing work (webhooks, pushes, audio downloads) is spawned onto a background runtime that
//! the services own (two worker threads). The one exception, the ROP upload-time probe of
//! `audio_url`, waits on a task of that runtime with a short timeout; a URL pointing back at the
//! ROP service itself is answered without fetching (see `rop`).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{json_response, query_map};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Respond, ResponseTemplate};

use crate::admin::{dashboard, openapi, wait};
use crate::error::{Error, Result};
use crate::faults::{FaultRule, Faults};
use crate::journal::{Journal, JournalEntry, JournalFilter};
use crate::redact::Redactor;

/// Bodies past this are answered 413 before being copied for a dispatcher (whose own limits are
/// lower; wiremock has already buffered the body by then).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// What each mock service implements; the host does the rest.
pub(crate) trait MockService: Send + Sync + 'static {
    /// Short name (`rop`, `pbx`, `crm`).
    fn name(&self) -> &'static str;
    /// Answers one protocol request. Runs on wiremock's server thread: never blocks on I/O.
    fn handle(&self, req: Request<Bytes>) -> Response<Bytes>;
    /// Answers a service-specific admin request (`sub` is the path after `/__admin/`), or `None`.
    fn admin(&self, sub: &str, req: &Request<Bytes>) -> Option<Response<Bytes>>;
    /// The whole in-memory state as JSON.
    fn state(&self) -> Value;
    /// The service's routes, for near-miss reports on unmatched requests.
    fn routes(&self) -> &'static [crate::near_miss::Route];
    /// Back to the seeded state.
    fn reset(&self);
    /// Loads (merges) JSON seed data; the error names the bad field.
    fn seed(&self, data: Value) -> std::result::Result<Value, String>;
}

/// What [`Core::answer`] decided.
pub(crate) enum Answer {
    /// Close the connection without an answer (an injected connection reset).
    Reset,
    /// This answer, after this delay.
    Respond(Response<Bytes>, Option<std::time::Duration>),
}

/// Shared by the two mounted mocks of one service.
pub(crate) struct Core {
    service: Arc<dyn MockService>,
    journal: Arc<Journal>,
    /// The public (front's) address, where wiremock's private port redirects a `requests/wait`
    /// that must wait (see [`crate::admin::wait`]).
    public_addr: SocketAddr,
    faults: Faults,
    body_limit: usize,
    redactor: Redactor,
    rotate_every: u64,
    requests: Arc<AtomicU64>,
    /// Every request a mock matched (admin ones included): what wiremock copies.
    matched: AtomicU64,
    rotations: AtomicU64,
    rotating: Arc<AtomicBool>,
    server: std::sync::OnceLock<Weak<MockServer>>,
}

impl Core {
    fn mocks(self: &Arc<Self>) -> (Mock, Mock) {
        let reset = Mock::given(ResetFault(Arc::clone(self)))
            .respond_with_err(reset_connection)
            .with_priority(1)
            .named("fault: connection reset");
        let main = Mock::given(any())
            .respond_with(CatchAll(Arc::clone(self)))
            .with_priority(2)
            .named("catch-all");
        (reset, main)
    }

    /// Counts a protocol request (not an admin one) and rotates when due.
    fn count_and_maybe_rotate(self: &Arc<Self>, via: Via) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.maybe_rotate(via);
    }

    /// Rotates the mocks every `rotate_every` requests wiremock matched (admin requests
    /// included, since wiremock copies those too). The front's requests never reach wiremock,
    /// so wiremock keeps no copy of them and they never rotate anything.
    fn maybe_rotate(self: &Arc<Self>, via: Via) {
        if via == Via::Front {
            return;
        }
        let n = self.matched.fetch_add(1, Ordering::Relaxed) + 1;
        if self.rotate_every == 0 || !n.is_multiple_of(self.rotate_every) {
            return;
        }
        if self.rotating.swap(true, Ordering::AcqRel) {
            return;
        }
        let Some(server) = self.server.get().and_then(Weak::upgrade) else {
            self.rotating.store(false, Ordering::Release);
            return;
        };
        // We run inside wiremock's current-thread runtime: spawn there (see module docs).
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            self.rotating.store(false, Ordering::Release);
            return;
        };
        let (reset, main) = self.mocks();
        let core = Arc::clone(self);
        handle.spawn(async move {
            server.reset().await;
            server.register(reset).await;
            server.register(main).await;
            core.rotations.fetch_add(1, Ordering::Relaxed);
            core.rotating.store(false, Ordering::Release);
        });
    }

    fn journal_entry(
        &self,
        req: Seen<'_>,
        status: u16,
        fault: Option<String>,
        started: Instant,
        near_miss: Option<Value>,
    ) {
        let path = match req.shown_path {
            Some(shown) => shown,
            None => self.redactor.path(req.uri.path()),
        };
        self.journal.push(JournalEntry {
            id: 0,
            time: chrono::Utc::now(),
            method: method_name(req.method),
            path,
            query: req.uri.query().map(|q| self.redactor.query(q)),
            status,
            fault,
            micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            body_len: req.body.len(),
            body: self.redactor.body(req.body, self.body_limit),
            near_miss,
        });
    }

    /// What the public front ([`crate::front`]) answers: the same matcher and responder as
    /// the mounted mocks, without a `ResponseTemplate` in between.
    pub(crate) fn answer(self: &Arc<Self>, req: Request<Bytes>) -> Answer {
        if self.take_reset(&req, Via::Front) {
            return Answer::Reset;
        }
        let (resp, delay) = self.respond_http(req, Via::Front);
        Answer::Respond(resp, delay)
    }

    /// Journals a request the front refused before reading its body (413, 408): method, path
    /// and query only, nothing of the body.
    pub(crate) fn journal_refused(self: &Arc<Self>, parts: &http::request::Parts, status: u16) {
        self.count_and_maybe_rotate(Via::Front);
        let seen = Seen {
            method: &parts.method,
            uri: &parts.uri,
            body: &[],
            shown_path: None,
        };
        self.journal_entry(seen, status, None, Instant::now(), None);
    }

    /// `GET /__admin/requests/wait` on the public port: the long-poll, on the connection's task.
    pub(crate) async fn wait(&self, uri: &http::Uri) -> Response<Bytes> {
        wait::long_poll(&self.journal, uri).await
    }

    /// Consumes a connection-reset fault that applies to `req` (journaling it), if any.
    fn take_reset(self: &Arc<Self>, req: &Request<Bytes>, via: Via) -> bool {
        let path = req.uri().path();
        if dashboard::admin_sub(path).is_some() {
            return false;
        }
        let hit = self.faults.take_reset(req.method().as_str(), path);
        if hit {
            self.count_and_maybe_rotate(via);
            let seen = Seen::of(req);
            self.journal_entry(seen, 0, Some("reset".to_owned()), Instant::now(), None);
        }
        hit
    }

    fn respond(self: &Arc<Self>, wreq: &wiremock::Request) -> ResponseTemplate {
        let (resp, delay) = self.respond_http(to_http(wreq), Via::Wiremock);
        to_template(resp, delay)
    }

    fn respond_http(
        self: &Arc<Self>,
        req: Request<Bytes>,
        via: Via,
    ) -> (Response<Bytes>, Option<std::time::Duration>) {
        let started = Instant::now();
        if req.body().len() > MAX_BODY {
            self.count_and_maybe_rotate(via);
            let resp = admin_error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
            self.journal_entry(Seen::of(&req), 413, None, started, None);
            return (resp, None);
        }
        if let Some(sub) = dashboard::admin_sub(req.uri().path()) {
            let sub = sub.trim_end_matches('/').to_owned();
            self.maybe_rotate(via);
            let resp = self.admin(&sub, &req);
            return (resp, None);
        }
        self.count_and_maybe_rotate(via);
        // What the journal keeps of the request; the handler takes the request itself (all
        // three are reference-counted or small: no copy of the body).
        let method = req.method().clone();
        let uri = req.uri().clone();
        let body = req.body().clone();
        let path = uri.path();
        let applied = self.faults.take(method.as_str(), path);
        let (resp, delay, label) = match applied {
            Some(a) => {
                let label = Some(a.label());
                match a.status {
                    Some(code) => {
                        let status =
                            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                        let body = a
                            .body
                            .clone()
                            .unwrap_or_else(|| r#"{"error":"injected fault"}"#.to_owned());
                        let resp = Response::builder()
                            .status(status)
                            .header(http::header::CONTENT_TYPE, "application/json")
                            .body(Bytes::from(body))
                            .unwrap_or_else(|_| Response::new(Bytes::new()));
                        (resp, a.delay, label)
                    }
                    None => (self.handle_guarded(req), a.delay, label),
                }
            }
            None => (self.handle_guarded(req), None, None),
        };
        // The path may carry a key (a client that put it there): log and journal it scrubbed.
        let shown = self.redactor.path(path);
        let seen = Seen {
            method: &method,
            uri: &uri,
            body: &body,
            shown_path: None,
        };
        let (resp, near_miss) = if label.is_none() {
            self.near_miss(&seen, &shown, resp)
        } else {
            (resp, None)
        };
        let status = resp.status().as_u16();
        tracing::debug!(service = self.service.name(), %method, path = %shown, status, "request");
        let seen = Seen {
            shown_path: Some(shown),
            ..seen
        };
        self.journal_entry(seen, status, label, started, near_miss);
        (resp, delay)
    }

    /// A 404 on a path no route of the service has: the near-miss report written into the
    /// answer's envelope, and as JSON for the journal. Other answers pass unchanged.
    fn near_miss(
        &self,
        req: &Seen<'_>,
        shown: &str,
        resp: Response<Bytes>,
    ) -> (Response<Bytes>, Option<Value>) {
        let table = self.service.routes();
        let path = req.uri.path();
        if resp.status() != StatusCode::NOT_FOUND || crate::near_miss::is_routed(table, path) {
            return (resp, None);
        }
        let query = query_map(req.uri);
        // The report echoes the path: diagnose the scrubbed one (`shown`), so a key sent as a
        // path segment reaches neither the 404 body nor the journal.
        let report =
            crate::near_miss::diagnose(table, req.method.as_str(), shown, &query, req.body);
        let (mut parts, body) = resp.into_parts();
        let body = Bytes::from(crate::near_miss::annotate(&body, &report));
        parts.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        parts.headers.remove(http::header::CONTENT_LENGTH);
        let journal = serde_json::to_value(&report).ok();
        (Response::from_parts(parts, body), journal)
    }

    /// The service's answer; a panicking handler (a bug) becomes a 500 and the service lives on.
    fn handle_guarded(&self, req: Request<Bytes>) -> Response<Bytes> {
        let service = &self.service;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| service.handle(req))) {
            Ok(resp) => resp,
            Err(_) => {
                tracing::error!(service = service.name(), "handler panicked; answered 500");
                admin_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error in the mock",
                )
            }
        }
    }

    fn admin(&self, sub: &str, req: &Request<Bytes>) -> Response<Bytes> {
        let method = req.method();
        match (method, sub) {
            (&Method::GET, "health") => {
                let (kept, total) = self.journal.counts();
                json_response(
                    StatusCode::OK,
                    &json!({
                        "status": "ok",
                        "service": self.service.name(),
                        "requests": self.requests.load(Ordering::Relaxed),
                        "journal": {"kept": kept, "seen": total, "capacity": self.journal.capacity()},
                        "rotations": self.rotations.load(Ordering::Relaxed),
                    }),
                )
            }
            (&Method::GET, "") => dashboard::page(),
            (&Method::GET, "requests/wait") => wait::wait_now(&self.journal, req, self.public_addr),
            (&Method::GET, "requests/count") => wait::count(&self.journal, req),
            (&Method::GET, "requests") => {
                match http_plumbing::from_fields::<JournalFilter>(Value::Object(query_map(
                    req.uri(),
                ))) {
                    Ok(filter) => {
                        let items = self.journal.list(&filter);
                        json_response(
                            StatusCode::OK,
                            &json!({"items": items, "count": items.len(),
                                "order": "oldest first", "dropped": self.journal.dropped()}),
                        )
                    }
                    Err(e) => admin_error(StatusCode::BAD_REQUEST, &e.to_string()),
                }
            }
            (&Method::DELETE, "requests") => {
                self.journal.clear();
                json_response(StatusCode::OK, &json!({"status": "ok"}))
            }
            (&Method::GET, "state") => json_response(StatusCode::OK, &self.service.state()),
            (&Method::POST, "reset") => {
                self.service.reset();
                self.faults.clear();
                self.journal.clear();
                json_response(StatusCode::OK, &json!({"status": "ok"}))
            }
            (&Method::POST, "seed") => match serde_json::from_slice::<Value>(req.body()) {
                Ok(v) => match self.service.seed(v) {
                    Ok(summary) => json_response(StatusCode::OK, &summary),
                    Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
                },
                Err(e) => admin_error(StatusCode::BAD_REQUEST, &format!("body: {e}")),
            },
            (&Method::GET, "faults") => {
                json_response(StatusCode::OK, &json!({"items": self.faults.list()}))
            }
            (&Method::POST, "faults") => match serde_json::from_slice::<FaultRule>(req.body()) {
                Ok(rule) => match rule.validate() {
                    Ok(()) => json_response(StatusCode::CREATED, &self.faults.add(rule)),
                    Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
                },
                Err(e) => admin_error(StatusCode::BAD_REQUEST, &format!("body: {e}")),
            },
            (&Method::DELETE, "faults") => {
                self.faults.clear();
                json_response(StatusCode::OK, &json!({"status": "ok"}))
            }
            (&Method::DELETE, s) if s.starts_with("faults/") => {
                match s.trim_start_matches("faults/").parse::<u64>() {
                    Ok(id) if self.faults.remove(id) => {
                        json_response(StatusCode::OK, &json!({"status": "ok"}))
                    }
                    Ok(id) => admin_error(StatusCode::NOT_FOUND, &format!("id: no fault {id}")),
                    Err(_) => admin_error(StatusCode::BAD_REQUEST, "id: not a number"),
                }
            }
            (&Method::GET, s) if openapi::is_document(s) => {
                openapi::serve(self.service.name(), s, req)
            }
            _ => match self.service.admin(sub, req) {
                Some(resp) => resp,
                None => admin_error(
                    StatusCode::NOT_FOUND,
                    &format!("no admin route {method} /__admin/{sub}"),
                ),
            },
        }
    }
}

/// Which server a request came in through: the public front, or wiremock on the private port
/// (whose matched requests wiremock copies, hence the rotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Front,
    Wiremock,
}

/// A method's name for the journal: borrowed for the standard methods, copied otherwise.
fn method_name(method: &Method) -> std::borrow::Cow<'static, str> {
    use std::borrow::Cow::Borrowed;
    match *method {
        Method::GET => Borrowed("GET"),
        Method::POST => Borrowed("POST"),
        Method::PUT => Borrowed("PUT"),
        Method::DELETE => Borrowed("DELETE"),
        Method::HEAD => Borrowed("HEAD"),
        Method::OPTIONS => Borrowed("OPTIONS"),
        Method::PATCH => Borrowed("PATCH"),
        _ => std::borrow::Cow::Owned(method.as_str().to_owned()),
    }
}

/// Drives an in-memory handler's future to completion on the current (wiremock) thread.
///
/// Only for futures that never wait on I/O or on the Tokio runtime: see the module docs.
pub(crate) fn run_sync<F: std::future::Future>(fut: F) -> F::Output {
    futures::executor::block_on(fut)
}

/// The JSON error body of the admin API: `{"error": "..."}`.
pub(crate) fn admin_error(status: StatusCode, message: &str) -> Response<Bytes> {
    json_response(status, &json!({"error": message}))
}

struct CatchAll(Arc<Core>);

impl Respond for CatchAll {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}

/// Matches exactly the requests a connection-reset fault applies to (consuming the rule).
struct ResetFault(Arc<Core>);

impl Match for ResetFault {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.take_reset(&to_http(request), Via::Wiremock)
    }
}

/// hyper closes the connection without an answer when the service errors.
fn reset_connection(_request: &wiremock::Request) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "injected connection reset",
    )
}

fn to_http(w: &wiremock::Request) -> Request<Bytes> {
    let path_and_query = match w.url.query() {
        Some(q) => format!("{}?{q}", w.url.path()),
        None => w.url.path().to_owned(),
    };
    let mut req = Request::new(Bytes::copy_from_slice(&w.body));
    *req.method_mut() = w.method.clone();
    *req.headers_mut() = w.headers.clone();
    // The path came from a URL wiremock already parsed; fall back to `/` if http disagrees.
    *req.uri_mut() = path_and_query
        .parse()
        .unwrap_or_else(|_| http::Uri::from_static("/"));
    req
}

fn to_template(resp: Response<Bytes>, delay: Option<std::time::Duration>) -> ResponseTemplate {
    let (parts, body) = resp.into_parts();
    let mut t = ResponseTemplate::new(parts.status.as_u16());
    for (name, value) in &parts.headers {
        t = t.append_header(name.clone(), value.clone());
    }
    t = t.set_body_bytes(body.to_vec());
    if let Some(d) = delay {
        t = t.set_delay(d);
    }
    t
}

/// What the journal keeps of one request.
struct Seen<'a> {
    method: &'a Method,
    uri: &'a http::Uri,
    body: &'a [u8],
    /// The path already scrubbed for display, when the caller had it at hand.
    shown_path: Option<String>,
}

impl<'a> Seen<'a> {
    fn of(req: &'a Request<Bytes>) -> Self {
        Self {
            method: req.method(),
            uri: req.uri(),
            body: req.body(),
            shown_path: None,
        }
    }
}

/// A running mock service: its wiremock server and the shared core.
pub(crate) struct Host {
    front: crate::front::Front,
    /// The wiremock server on its private port, with the same mounted mocks (kept running for
    /// the mocks' rotation; the front answers the public port).
    _server: Arc<MockServer>,
    core: Arc<Core>,
}

impl Host {
    /// Binds `addr` and starts serving `service`.
    pub(crate) async fn start(
        addr: SocketAddr,
        service: Arc<dyn MockService>,
        journal_capacity: usize,
        journal_body_limit: usize,
        redactor: Redactor,
        rotate_every: u64,
        limits: crate::front::Limits,
    ) -> Result<Self> {
        let name = service.name();
        let listener = std::net::TcpListener::bind(addr).map_err(|source| Error::Io {
            what: format!("binding the mock {name} to {addr}"),
            source,
        })?;
        let journal = Arc::new(Journal::new(journal_capacity));
        let public_addr = listener.local_addr().map_err(|source| Error::Io {
            what: format!("reading the address of the mock {name}"),
            source,
        })?;
        let core = Arc::new(Core {
            service,
            journal,
            public_addr,
            faults: Faults::default(),
            body_limit: journal_body_limit,
            redactor,
            rotate_every,
            requests: Arc::new(AtomicU64::new(0)),
            matched: AtomicU64::new(0),
            rotations: AtomicU64::new(0),
            rotating: Arc::new(AtomicBool::new(false)),
            server: std::sync::OnceLock::new(),
        });
        // wiremock serves a private loopback port; the public one is the front's.
        let loopback: std::net::IpAddr = if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        };
        let private = std::net::TcpListener::bind((loopback, 0)).map_err(|source| Error::Io {
            what: format!("binding the private wiremock port of the mock {name}"),
            source,
        })?;
        let front = crate::front::Front::start(listener, Arc::clone(&core), limits)?;
        let server = Arc::new(
            MockServer::builder()
                .listener(private)
                .disable_request_recording()
                .start()
                .await,
        );
        // Set once, right after creation: cannot already be set.
        let _ = core.server.set(Arc::downgrade(&server));
        let (reset, main) = core.mocks();
        server.register(reset).await;
        server.register(main).await;
        Ok(Self {
            front,
            _server: server,
            core,
        })
    }

    /// `http://ip:port` of the service.
    pub(crate) fn uri(&self) -> String {
        format!("http://{}", self.front.addr())
    }

    /// The bound address.
    pub(crate) fn address(&self) -> SocketAddr {
        self.front.addr()
    }

    /// Requests answered so far (admin requests excluded).
    pub(crate) fn requests(&self) -> u64 {
        self.core.requests.load(Ordering::Relaxed)
    }

    /// The shared request counter.
    pub(crate) fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.core.requests)
    }

    /// Journal entries kept right now.
    pub(crate) fn journal_len(&self) -> usize {
        self.core.journal.counts().0
    }

    /// `http://ip:port` of the private wiremock server (tests of the rotation).
    #[cfg(test)]
    pub(crate) fn private_uri(&self) -> String {
        self._server.uri()
    }

    /// Rotations of the mounted mocks so far.
    #[cfg(test)]
    pub(crate) fn rotations(&self) -> u64 {
        self.core.rotations.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn journal_method_names_are_as_sent_and_standard_ones_borrowed() {
        assert!(matches!(method_name(&Method::GET), Cow::Borrowed("GET")));
        assert!(matches!(
            method_name(&Method::PATCH),
            Cow::Borrowed("PATCH")
        ));
        let custom = Method::from_bytes(b"PURGE").unwrap();
        assert_eq!(method_name(&custom), "PURGE");
        assert_eq!(method_name(&Method::TRACE), "TRACE");
    }
}
