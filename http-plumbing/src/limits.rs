//! What bounds a client call against a hostile or broken peer: the redirect policy, the
//! response body cap and the total deadline across retries (docs/protocol.md §0).

use crate::retry::RetryPolicy;
use bytes::{Bytes, BytesMut};
use std::time::Duration;

/// Default cap of a JSON (or form, CSV…) answer body: 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 8 * 1024 * 1024;

/// Default cap of a downloaded recording: 256 MiB (an hour of 8 kHz 16-bit mono WAV is 58 MiB).
pub const DEFAULT_MAX_DOWNLOAD_BODY: u64 = 256 * 1024 * 1024;

/// How many same-origin redirects a call follows before it stops and returns the 3xx answer.
pub const MAX_REDIRECTS: usize = 5;

/// Everything [`send`](crate::send) needs to bound one call: the retry policy, the deadline of
/// the whole call across its attempts and backoffs, and the largest answer body it reads.
///
/// Built from a builder's settings with [`HttpConfig::send_policy`](crate::HttpConfig::send_policy);
/// a bare [`RetryPolicy`] converts into one with the default 8 MiB cap and no total deadline.
///
/// ```
/// use http_plumbing::{RetryPolicy, SendPolicy};
/// use std::time::Duration;
///
/// let p = SendPolicy::from(RetryPolicy::none())
///     .with_total_timeout(Some(Duration::from_secs(5)))
///     .with_max_body(1024);
/// assert_eq!((p.max_body, p.total_timeout), (1024, Some(Duration::from_secs(5))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendPolicy {
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
    /// The deadline of the whole call: every attempt, every backoff and every body read. When it
    /// passes, the call fails with a timeout ([`TransportError::is_timeout`](crate::TransportError::is_timeout))
    /// — or returns the last retryable answer if one came and the next backoff would cross it.
    /// `None`: bounded only by attempts × per-attempt timeout + backoffs.
    pub total_timeout: Option<Duration>,
    /// The largest answer body read, in bytes; a larger one (declared by `Content-Length` or
    /// counted while streaming) stops the read and fails with
    /// [`Error::BodyTooLarge`](crate::Error::BodyTooLarge). Never retried.
    pub max_body: u64,
}

impl From<RetryPolicy> for SendPolicy {
    fn from(retry: RetryPolicy) -> Self {
        Self {
            retry,
            total_timeout: None,
            max_body: DEFAULT_MAX_RESPONSE_BODY,
        }
    }
}

impl SendPolicy {
    /// The same policy with another total deadline (`None`: none).
    #[must_use]
    pub fn with_total_timeout(mut self, total: Option<Duration>) -> Self {
        self.total_timeout = total;
        self
    }

    /// The same policy with another body cap, in bytes.
    #[must_use]
    pub fn with_max_body(mut self, limit: u64) -> Self {
        self.max_body = limit;
        self
    }
}

/// The redirect policy of every client the workspace builds: follow a redirect only to the
/// **same origin** (scheme, host and port) as the request that started the chain, at most
/// [`MAX_REDIRECTS`] times; any other redirect is not followed and its 3xx answer is returned
/// as it is. So a key in the query or a header, a Basic login, a form password or token in a
/// replayed 307/308 body never reach another host. Used with `referer(false)`: no `Referer`.
pub(crate) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Why [`read_capped`] stopped.
pub(crate) enum ReadError {
    /// The body is longer than the cap.
    TooLarge,
    /// The connection failed while reading.
    Http(reqwest::Error),
}

/// Reads an answer body, refusing it as soon as it is known to pass `limit` bytes: at once by
/// its `Content-Length`, else while streaming (nothing past the limit is buffered).
pub(crate) async fn read_capped(
    mut resp: reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadError> {
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge);
    }
    let mut buf = BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Http)? {
        let len = u64::try_from(buf.len() + chunk.len()).unwrap_or(u64::MAX);
        if len > limit {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
