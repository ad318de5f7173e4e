//! [`BridgeConfig`]: where the three systems are and how to authenticate, from env vars with the
//! mock server's defaults.

use crate::error::{Error, Result};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Default base URL of the mock ROP (`cargo run -p mock-server`).
pub const DEFAULT_ROP_URL: &str = "http://127.0.0.1:8710";
/// Default base URL of the mock PBX.
pub const DEFAULT_PBX_URL: &str = "http://127.0.0.1:8711";
/// Default base URL of the mock CRM (its Universe endpoint is `<url>/analytics`).
pub const DEFAULT_CRM_URL: &str = "http://127.0.0.1:8712";
/// Default address the example CRM (the bridge) listens on.
pub const DEFAULT_BRIDGE_ADDR: &str = "127.0.0.1:8720";
/// Default PBX login → CRM manager id map (the mock data's: `admin`, `director`, `user1`).
pub const DEFAULT_PBX_LOGINS: &str = "admin=72,director=73,user1=74";

/// How the bridge retries an R1 upload that failed for a transient reason (ROP down,
/// 5xx, 429), on top of the client's own short retries: nothing is dropped until
/// `max_attempts` rounds have failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadRetry {
    /// Wait before the second round.
    pub initial_backoff: Duration,
    /// The longest wait between rounds (the wait doubles up to it).
    pub max_backoff: Duration,
    /// Rounds before the call is marked failed.
    pub max_attempts: u32,
}

impl Default for UploadRetry {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            max_attempts: 30,
        }
    }
}

impl UploadRetry {
    /// The wait after failed round `round` (1-based): `initial × 2^(round-1)`, capped.
    pub fn backoff(&self, round: u32) -> Duration {
        let factor = 2u32.saturating_pow(round.saturating_sub(1).min(16));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Everything the example CRM needs. Secrets are [`SecretString`]s: `Debug` never shows them.
///
/// ```
/// let config = examples::BridgeConfig::from_env_or_defaults();
/// assert!(!format!("{config:?}").contains("mock-rop-key"));
/// ```
#[derive(Clone)]
pub struct BridgeConfig {
    /// Base URL of «Цифровой РОП» (`ROP_URL`).
    pub rop_url: String,
    /// Its `apiKey` (`ROP_API_KEY`).
    pub rop_api_key: SecretString,
    /// The CRM's Universe endpoint (`CRM_URL`; `/analytics` is appended).
    pub universe_url: String,
    /// Universe Basic-auth login (`CRM_LOGIN`).
    pub universe_login: String,
    /// Universe Basic-auth password (`CRM_PASSWORD`).
    pub universe_password: SecretString,
    /// The `crm_token` the PBX must put into its pushes (`CRM_TOKEN`).
    pub crm_token: SecretString,
    /// PBX login (or extension) → CRM manager id (`PBX_LOGINS`, `login=id,login=id`).
    pub pbx_logins: BTreeMap<String, String>,
    /// Retries of R1 uploads.
    pub upload_retry: UploadRetry,
    /// Retry policy of each single API call (the clients' own retries).
    pub client_retry: rop_api::RetryPolicy,
    /// How long after the call a follow-up task (U6) is due.
    pub task_deadline: Duration,
}

impl fmt::Debug for BridgeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BridgeConfig")
            .field("rop_url", &self.rop_url)
            .field("rop_api_key", &"REDACTED")
            .field("universe_url", &self.universe_url)
            .field("universe_login", &self.universe_login)
            .field("universe_password", &"REDACTED")
            .field("crm_token", &"REDACTED")
            .field("pbx_logins", &self.pbx_logins)
            .field("upload_retry", &self.upload_retry)
            .field("client_retry", &self.client_retry)
            .field("task_deadline", &self.task_deadline)
            .finish()
    }
}

impl BridgeConfig {
    /// A configuration for the given endpoints, with the mock server's credentials and
    /// [`DEFAULT_PBX_LOGINS`].
    pub fn new(rop_url: impl Into<String>, universe_url: impl Into<String>) -> Self {
        Self {
            rop_url: rop_url.into(),
            rop_api_key: SecretString::from("mock-rop-key"),
            universe_url: universe_url.into(),
            universe_login: "mock".to_owned(),
            universe_password: SecretString::from("mock"),
            crm_token: SecretString::from("mock-crm-token"),
            pbx_logins: parse_logins(DEFAULT_PBX_LOGINS).unwrap_or_default(),
            upload_retry: UploadRetry::default(),
            client_retry: rop_api::RetryPolicy::default(),
            task_deadline: Duration::from_secs(24 * 3600),
        }
    }

    /// Reads `ROP_URL`, `ROP_API_KEY`, `CRM_URL`, `CRM_LOGIN`, `CRM_PASSWORD`, `CRM_TOKEN` and
    /// `PBX_LOGINS`; each unset one keeps the mock server's default.
    ///
    /// # Errors
    /// [`Error::Config`] when `PBX_LOGINS` is not `login=id[,login=id…]`.
    pub fn from_env() -> Result<Self> {
        let mut c = Self::new(
            env_or("ROP_URL", DEFAULT_ROP_URL),
            env_or("CRM_URL", DEFAULT_CRM_URL),
        );
        if let Ok(v) = std::env::var("ROP_API_KEY") {
            c.rop_api_key = SecretString::from(v);
        }
        if let Ok(v) = std::env::var("CRM_LOGIN") {
            c.universe_login = v;
        }
        if let Ok(v) = std::env::var("CRM_PASSWORD") {
            c.universe_password = SecretString::from(v);
        }
        if let Ok(v) = std::env::var("CRM_TOKEN") {
            c.crm_token = SecretString::from(v);
        }
        if let Ok(v) = std::env::var("PBX_LOGINS") {
            c.pbx_logins = parse_logins(&v)?;
        }
        Ok(c)
    }

    /// [`from_env`](Self::from_env), falling back to the defaults when `PBX_LOGINS` is bad.
    pub fn from_env_or_defaults() -> Self {
        Self::from_env()
            .unwrap_or_else(|_| Self::new(env_or("ROP_URL", DEFAULT_ROP_URL), DEFAULT_CRM_URL))
    }

    /// Replaces the secrets (builder style, for tests and programs that read them elsewhere).
    #[must_use]
    pub fn with_secrets(
        mut self,
        rop_api_key: impl Into<String>,
        universe_password: impl Into<String>,
        crm_token: impl Into<String>,
    ) -> Self {
        self.rop_api_key = SecretString::from(rop_api_key.into());
        self.universe_password = SecretString::from(universe_password.into());
        self.crm_token = SecretString::from(crm_token.into());
        self
    }
}

/// The value of env var `name`, or `default`.
pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// Parses `login=id,login=id` (spaces ignored).
///
/// # Errors
/// [`Error::Config`] naming the bad entry.
pub fn parse_logins(text: &str) -> Result<BTreeMap<String, String>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((login, id)) if !login.trim().is_empty() && !id.trim().is_empty() => {
                Ok((login.trim().to_owned(), id.trim().to_owned()))
            }
            _ => Err(Error::Config(format!(
                "PBX_LOGINS: `{pair}` is not `login=manager_id`"
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_login_map_and_names_bad_entries() {
        let m = parse_logins(" admin=72, user1 = 74 ,").unwrap();
        assert_eq!(m["admin"], "72");
        assert_eq!(m["user1"], "74");
        let e = parse_logins("admin").unwrap_err();
        assert!(e.to_string().contains("PBX_LOGINS: `admin`"), "{e}");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let r = UploadRetry {
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(35),
            max_attempts: 5,
        };
        assert_eq!(r.backoff(1), Duration::from_millis(10));
        assert_eq!(r.backoff(2), Duration::from_millis(20));
        assert_eq!(r.backoff(3), Duration::from_millis(35));
        assert_eq!(r.backoff(99), Duration::from_millis(35));
    }

    #[test]
    fn debug_hides_every_secret() {
        let c = BridgeConfig::new("http://r", "http://c").with_secrets("k-1", "p-2", "t-3");
        let shown = format!("{c:?}");
        for s in ["k-1", "p-2", "t-3"] {
            assert!(!shown.contains(s), "{shown}");
        }
    }
}
