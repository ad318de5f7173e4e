//! The retry loop every client and webhook sender shares.

use crate::limits::{ReadError, SendPolicy, read_capped};
use crate::retry::{RetryPolicy, is_retryable_status, parse_retry_after};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// A response as it came off the wire: status, headers and the raw body, kept whole so a caller
/// can show an HTML 502 page as it was instead of "expected value at line 1".
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The final HTTP status.
    pub status: StatusCode,
    /// The final response's headers.
    pub headers: HeaderMap,
    /// The final response's body.
    pub body: Bytes,
    /// How many attempts were made, the successful or last one included.
    pub attempts: u32,
}

impl RawResponse {
    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A request that never got a response: connection refused, timeout, TLS failure, the total
/// deadline passed, or an answer body over the cap.
///
/// The URL is stripped from the inner error (`reqwest::Error::without_url`), so a key carried in
/// the query string cannot leak through `Display` or `Debug`.
#[derive(Debug)]
pub struct TransportError {
    /// What went wrong.
    kind: Kind,
    /// How many attempts were made.
    pub attempts: u32,
}

#[derive(Debug)]
enum Kind {
    Http(reqwest::Error),
    Deadline(Duration),
    TooLarge { status: StatusCode, limit: u64 },
}

impl TransportError {
    fn http(e: reqwest::Error, attempts: u32) -> Self {
        Self {
            kind: Kind::Http(e.without_url()),
            attempts,
        }
    }

    /// Whether the last attempt timed out, or the call's total deadline passed.
    pub fn is_timeout(&self) -> bool {
        match &self.kind {
            Kind::Http(e) => e.is_timeout(),
            Kind::Deadline(_) => true,
            Kind::TooLarge { .. } => false,
        }
    }

    /// The status and the cap in bytes when the answer body was larger than the cap.
    pub fn body_too_large(&self) -> Option<(StatusCode, u64)> {
        match self.kind {
            Kind::TooLarge { status, limit } => Some((status, limit)),
            _ => None,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Http(e) => write!(f, "request failed after {} attempt(s): {e}", self.attempts),
            Kind::Deadline(total) => write!(
                f,
                "no answer within the total timeout of {} ms ({} attempt(s))",
                total.as_millis(),
                self.attempts
            ),
            Kind::TooLarge { status, limit } => write!(
                f,
                "the answer body (HTTP {}) is larger than the {limit}-byte limit",
                status.as_u16()
            ),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Sends a request, retrying per `policy` with the default 8 MiB body cap and no total
/// deadline; see [`send`] for the rules.
pub async fn send_with_retry<F>(
    policy: &RetryPolicy,
    make: F,
) -> Result<RawResponse, TransportError>
where
    F: FnMut() -> reqwest::RequestBuilder,
{
    send(&SendPolicy::from(policy.clone()), make).await
}

/// Sends a request, retrying per `policy.retry`, and returns the final response whatever its
/// status.
///
/// `make` builds a fresh request for every attempt (a multipart body cannot be replayed).
/// Connection errors, timeouts, 5xx and 429 are retried; 429 and 503 honour `Retry-After`.
/// Other statuses return at once. After the last retry the last response (or error) is returned,
/// so callers map status and body into their own error type.
///
/// Bounds: the body is read up to `policy.max_body` bytes (more fails at once, not retried);
/// the whole call, backoffs included, ends by `policy.total_timeout` — without it a call can
/// take up to `(max_retries + 1) × per-attempt timeout` plus the backoffs.
pub async fn send<F>(policy: &SendPolicy, make: F) -> Result<RawResponse, TransportError>
where
    F: FnMut() -> reqwest::RequestBuilder,
{
    let deadline = policy.total_timeout.map(|t| (t, Instant::now() + t));
    let attempts = AtomicU32::new(0);
    let run = attempt_loop(policy, deadline.map(|d| d.1), &attempts, make);
    match deadline {
        None => run.await,
        Some((total, at)) => match tokio::time::timeout_at(at, run).await {
            Ok(result) => result,
            Err(_) => Err(TransportError {
                kind: Kind::Deadline(total),
                attempts: attempts.load(Ordering::Relaxed),
            }),
        },
    }
}

async fn attempt_loop<F>(
    policy: &SendPolicy,
    deadline: Option<Instant>,
    attempts: &AtomicU32,
    mut make: F,
) -> Result<RawResponse, TransportError>
where
    F: FnMut() -> reqwest::RequestBuilder,
{
    let retry = &policy.retry;
    // Whether sleeping `d` still ends before the deadline.
    let fits = |d: Duration| deadline.is_none_or(|at| Instant::now() + d < at);
    loop {
        let n = attempts.fetch_add(1, Ordering::Relaxed) + 1;
        let retries_left = n <= retry.max_retries();
        match make().send().await {
            Ok(resp) => {
                let status = resp.status();
                let headers = resp.headers().clone();
                let body = match read_capped(resp, policy.max_body).await {
                    Ok(b) => b,
                    Err(ReadError::TooLarge) => {
                        return Err(TransportError {
                            kind: Kind::TooLarge {
                                status,
                                limit: policy.max_body,
                            },
                            attempts: n,
                        });
                    }
                    Err(ReadError::Http(e)) => {
                        let delay = retry.delay(n, None);
                        if retries_left && fits(delay) {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        return Err(TransportError::http(e, n));
                    }
                };
                if retries_left && is_retryable_status(status) {
                    let after = headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(parse_retry_after);
                    let delay = retry.delay(n, after);
                    if fits(delay) {
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                }
                return Ok(RawResponse {
                    status,
                    headers,
                    body,
                    attempts: n,
                });
            }
            Err(e) => {
                let retryable = e.is_connect() || e.is_timeout() || e.is_request();
                let delay = retry.delay(n, None);
                if retries_left && retryable && fits(delay) {
                    tokio::time::sleep(delay).await;
                    continue;
                }
                return Err(TransportError::http(e, n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn fast() -> RetryPolicy {
        RetryPolicy::default()
            .with_jitter(false)
            .with_initial_backoff(Duration::from_millis(1))
    }

    #[tokio::test]
    async fn retries_5xx_then_returns_success() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(&server)
            .await;
        let client = reqwest::Client::new();
        let r = send_with_retry(&fast(), || client.get(server.uri()))
            .await
            .unwrap();
        assert_eq!(
            (r.status, r.attempts, r.text().as_str()),
            (StatusCode::OK, 3, "ok")
        );
    }

    #[tokio::test]
    async fn keeps_last_5xx_body_when_retries_run_out() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
            .mount(&server)
            .await;
        let client = reqwest::Client::new();
        let r = send_with_retry(&fast().with_max_retries(1), || client.get(server.uri()))
            .await
            .unwrap();
        assert_eq!((r.status.as_u16(), r.attempts), (503, 2));
        assert_eq!(r.text(), "<html>down</html>");
    }

    #[tokio::test]
    async fn never_retries_other_4xx() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(409))
            .expect(1)
            .mount(&server)
            .await;
        let client = reqwest::Client::new();
        let r = send_with_retry(&fast(), || client.get(server.uri()))
            .await
            .unwrap();
        assert_eq!((r.status.as_u16(), r.attempts), (409, 1));
    }

    #[tokio::test]
    async fn honours_retry_after_on_429() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let client = reqwest::Client::new();
        let started = std::time::Instant::now();
        let r = send_with_retry(&fast().with_max_backoff(Duration::from_secs(1)), || {
            client.get(server.uri())
        })
        .await
        .unwrap();
        assert_eq!(r.status, StatusCode::OK);
        assert!(started.elapsed() >= Duration::from_millis(900));
    }

    #[tokio::test]
    async fn connection_error_has_no_url_or_key() {
        // Bind a port, then free it, so nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}/api?apiKey=TOPSECRET");
        let e = send_with_retry(&fast().with_max_retries(1), || client.get(&url))
            .await
            .unwrap_err();
        assert_eq!(e.attempts, 2);
        assert!(!format!("{e} {e:?}").contains("TOPSECRET"));
    }
}
