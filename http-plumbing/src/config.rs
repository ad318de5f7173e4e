//! The transport settings every client builder of the workspace takes, in one place.

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
/// # Ok::<(), reqwest::Error>(())
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
}

impl HttpConfig {
    /// The defaults: 30 s per attempt, 10 s to connect, the default retry policy.
    pub fn new(user_agent: impl Into<String>) -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: user_agent.into(),
            retry: RetryPolicy::default(),
        }
    }

    /// A `reqwest::Client` with these timeouts and this user agent. The error carries no URL.
    pub fn build_client(&self) -> Result<reqwest::Client, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent.as_str());
        if let Some(connect) = self.connect_timeout {
            builder = builder.connect_timeout(connect);
        }
        builder.build().map_err(reqwest::Error::without_url)
    }
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
