//! The transport settings every client builder of the workspace takes, in one place.

use crate::error::Error;
use crate::limits::{
    DEFAULT_MAX_DOWNLOAD_BODY, DEFAULT_MAX_RESPONSE_BODY, SendPolicy, same_origin_redirects,
};
use crate::retry::RetryPolicy;
use std::time::Duration;

/// Per-attempt timeout, connect timeout, `User-Agent` and retry policy: what every client and
/// sender builder of the workspace configures, with the one way to turn it into a
/// `reqwest::Client`.
///
/// ```
/// use http_plumbing::HttpConfig;
/// use std::time::Duration;
///
/// let mut config = HttpConfig::new("my-crate/1.0");
/// config.timeout = Duration::from_secs(5);
/// let http = config.build_client()?;
/// # let _ = http;
/// # Ok::<(), http_plumbing::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpConfig {
    /// Timeout of one whole attempt (default 30 s).
    pub timeout: Duration,
    /// Timeout of establishing a connection (default 10 s; `None`: only `timeout` applies).
    pub connect_timeout: Option<Duration>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// How failed attempts are retried (default [`RetryPolicy::default`]).
    pub retry: RetryPolicy,
    /// The deadline of a whole call, all attempts and backoffs included (default 60 s for
    /// clients, 30 s for senders and notifiers; `None`: bounded only by
    /// `(max_retries + 1) × timeout` plus the backoffs — 121.4 s with the client defaults).
    pub total_timeout: Option<Duration>,
    /// The largest answer body read, in bytes (default 8 MiB); more fails with
    /// [`Error::BodyTooLarge`].
    pub max_response_body: u64,
    /// The largest downloaded recording, in bytes (default 256 MiB); more fails with
    /// [`Error::BodyTooLarge`].
    pub max_download_body: u64,
    /// A preconfigured `reqwest::Client` to use instead of building one (the timeouts, user
    /// agent and the same-origin redirect policy are then the client's own; the retry policy,
    /// total timeout and body caps still apply).
    pub client: Option<reqwest::Client>,
}

impl HttpConfig {
    /// The defaults: 30 s per attempt, 10 s to connect, 60 s for the whole call, 8 MiB per
    /// answer, 256 MiB per recording, the default retry policy.
    pub fn new(user_agent: impl Into<String>) -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: user_agent.into(),
            retry: RetryPolicy::default(),
            total_timeout: Some(Duration::from_secs(60)),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_download_body: DEFAULT_MAX_DOWNLOAD_BODY,
            client: None,
        }
    }

    /// The bounds of one call ([`send`](crate::send)): the retry policy, the total timeout and
    /// the answer body cap.
    pub fn send_policy(&self) -> SendPolicy {
        SendPolicy::from(self.retry.clone())
            .with_total_timeout(self.total_timeout)
            .with_max_body(self.max_response_body)
    }

    /// The settings of senders that must answer fast (webhook senders, PBX push notifiers):
    /// 10 s per attempt, no separate connect timeout, 30 s for the whole call, the default
    /// retry policy.
    pub fn for_sender(user_agent: impl Into<String>) -> Self {
        Self {
            timeout: Duration::from_secs(10),
            connect_timeout: None,
            total_timeout: Some(Duration::from_secs(30)),
            ..Self::new(user_agent)
        }
    }

    /// A `reqwest::Client` with these timeouts and this user agent, following redirects only
    /// to the same origin and sending no `Referer` (or the preconfigured [`client`](Self::client));
    /// a failure (no TLS backend…) is [`Error::Config`].
    pub fn build_client(&self) -> Result<reqwest::Client, Error> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .redirect(same_origin_redirects())
            .referer(false)
            .user_agent(self.user_agent.as_str());
        if let Some(connect) = self.connect_timeout {
            builder = builder.connect_timeout(connect);
        }
        builder.build().map_err(|e| {
            Error::Config(format!("cannot build the HTTP client: {}", e.without_url()))
        })
    }
}

/// The transport setters every client and sender builder of the workspace has, written once:
/// `timeout`, `connect_timeout`, `retry_policy`, `user_agent` and `http_client`, each setting
/// the builder's [`HttpConfig`] field named in the call. Use it inside the builder's `impl`
/// block (a macro because inherent methods cannot come from a trait without the caller
/// importing it).
///
/// ```
/// use http_plumbing::HttpConfig;
///
/// pub struct SenderBuilder { http: HttpConfig }
/// impl SenderBuilder {
///     http_plumbing::http_setters!(http);
/// }
///
/// let b = SenderBuilder { http: HttpConfig::new("demo/1") }
///     .timeout(std::time::Duration::from_secs(3))
///     .user_agent("demo/2");
/// assert_eq!((b.http.timeout.as_secs(), b.http.user_agent.as_str()), (3, "demo/2"));
/// ```
#[macro_export]
macro_rules! http_setters {
    ($field:ident) => {
        /// The timeout of one whole attempt (default 30 s for clients, 10 s for webhook senders
        /// and push notifiers).
        #[must_use]
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field.timeout = timeout;
            self
        }

        /// The timeout of establishing a connection (default 10 s for clients; senders and
        /// notifiers have only the per-attempt timeout).
        #[must_use]
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field.connect_timeout = Some(timeout);
            self
        }

        /// How failed attempts are retried (default: 3 retries, exponential backoff with
        /// jitter; connection errors, timeouts, 5xx and 429 are retried, `Retry-After`
        /// honoured; `RetryPolicy::none()` disables retries).
        #[must_use]
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.$field.retry = policy;
            self
        }

        /// The `User-Agent` header (default `<crate>/<version>`).
        #[must_use]
        pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
            self.$field.user_agent = agent.into();
            self
        }

        /// The deadline of a whole call, all attempts and backoffs included (default 60 s for
        /// clients, 30 s for webhook senders and push notifiers; `None`: only
        /// `(retries + 1) × timeout` plus backoffs bound it).
        #[must_use]
        pub fn total_timeout(
            mut self,
            total: ::std::option::Option<::std::time::Duration>,
        ) -> Self {
            self.$field.total_timeout = total;
            self
        }

        /// The largest answer body read, in bytes (default 8 MiB); a larger one fails with
        /// `Error::BodyTooLarge` without being read further.
        #[must_use]
        pub fn max_response_body(mut self, bytes: u64) -> Self {
            self.$field.max_response_body = bytes;
            self
        }

        /// The largest downloaded recording, in bytes (default 256 MiB; only clients that
        /// download recordings use it).
        #[must_use]
        pub fn max_download_body(mut self, bytes: u64) -> Self {
            self.$field.max_download_body = bytes;
            self
        }

        /// Use this `reqwest::Client` instead of building one (the timeouts, user agent and
        /// same-origin redirect policy set here are then ignored — give it
        /// `redirect::Policy::none()`; the retry policy, total timeout and body caps still
        /// apply).
        #[must_use]
        pub fn http_client(mut self, client: ::reqwest::Client) -> Self {
            self.$field.client = Some(client);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_thirty_and_ten_seconds() {
        let c = HttpConfig::new("ua/1");
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(10)));
        assert_eq!(c.user_agent, "ua/1");
        assert!(c.build_client().is_ok());
    }

    #[test]
    fn builds_without_a_connect_timeout() {
        let mut c = HttpConfig::new("ua/1");
        c.connect_timeout = None;
        assert!(c.build_client().is_ok());
    }
}
