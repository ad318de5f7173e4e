//! The retry loop every client and webhook sender shares.

use crate::retry::{RetryPolicy, is_retryable_status, parse_retry_after};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::fmt;

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

/// A request that never got a response: connection refused, timeout, TLS failure…
///
/// The URL is stripped from the inner error (`reqwest::Error::without_url`), so a key carried in
/// the query string cannot leak through `Display` or `Debug`.
#[derive(Debug)]
pub struct TransportError {
    /// The last attempt's error, without its URL.
    pub source: reqwest::Error,
    /// How many attempts were made.
    pub attempts: u32,
}

impl TransportError {
    /// Whether the last attempt timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "request failed after {} attempt(s): {}",
            self.attempts, self.source
        )
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Sends a request, retrying per `policy`, and returns the final response whatever its status.
///
/// `make` builds a fresh request for every attempt (a multipart body cannot be replayed).
/// Connection errors, timeouts, 5xx and 429 are retried; 429 and 503 honour `Retry-After`.
/// Other statuses return at once. After the last retry the last response (or error) is returned,
/// so callers map status and body into their own error type.
pub async fn send_with_retry<F>(
    policy: &RetryPolicy,
    mut make: F,
) -> Result<RawResponse, TransportError>
where
    F: FnMut() -> reqwest::RequestBuilder,
{
    let mut attempts: u32 = 0;
    loop {
        attempts += 1;
        let retries_left = attempts <= policy.max_retries();
        match make().send().await {
            Ok(resp) => {
                let status = resp.status();
                let headers = resp.headers().clone();
                let body = match resp.bytes().await {
                    Ok(b) => b,
                    Err(e) if retries_left => {
                        tokio::time::sleep(policy.delay(attempts, None)).await;
                        drop(e);
                        continue;
                    }
                    Err(e) => {
                        return Err(TransportError {
                            source: e.without_url(),
                            attempts,
                        });
                    }
                };
                if retries_left && is_retryable_status(status) {
                    let after = headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(parse_retry_after);
                    tokio::time::sleep(policy.delay(attempts, after)).await;
                    continue;
                }
                return Ok(RawResponse {
                    status,
                    headers,
                    body,
                    attempts,
                });
            }
            Err(e) => {
                let retryable = e.is_connect() || e.is_timeout() || e.is_request();
                if retries_left && retryable {
                    tokio::time::sleep(policy.delay(attempts, None)).await;
                    continue;
                }
                return Err(TransportError {
                    source: e.without_url(),
                    attempts,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
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
