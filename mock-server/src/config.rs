//! The mock server's configuration: one TOML file, every key defaulted, secrets from env vars.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{Error, Result};

/// Default API key of the mock ROP (obviously fake).
pub const DEFAULT_ROP_KEY: &str = "mock-rop-key";
/// Default `X-API-KEY` of the mock PBX (obviously fake).
pub const DEFAULT_VATS_KEY: &str = "mock-vats-key";
/// Default `crm_token` the PBX sends and the CRM expects (obviously fake).
pub const DEFAULT_CRM_TOKEN: &str = "mock-crm-token";
/// Default HTTP Basic login of the mock CRM (and legacy PBX login).
pub const DEFAULT_LOGIN: &str = "mock";
/// Default HTTP Basic password of the mock CRM (and legacy PBX password).
pub const DEFAULT_PASSWORD: &str = "mock";

/// Environment variable overriding [`RopConfig::api_key`].
pub const ENV_ROP_KEY: &str = "MOCK_ROP_API_KEY";
/// Environment variable overriding [`PbxConfig::api_key`].
pub const ENV_VATS_KEY: &str = "MOCK_VATS_API_KEY";
/// Environment variable overriding [`PbxConfig::crm_token`] and [`CrmConfig::crm_token`].
pub const ENV_CRM_TOKEN: &str = "MOCK_CRM_TOKEN";
/// Environment variable overriding [`CrmConfig::password`] and [`PbxConfig::legacy_password`].
pub const ENV_CRM_PASSWORD: &str = "MOCK_CRM_PASSWORD";

/// The whole configuration. Every key has a default: an empty file is a valid configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address every service binds to (default `127.0.0.1`).
    pub bind: IpAddr,
    /// Entries kept in each service's request journal (bounded ring, default 1000).
    pub journal_capacity: usize,
    /// Re-mount wiremock's mocks every this many requests wiremock served on its private
    /// loopback port, so that its per-mock copies of matched requests never pile up (default
    /// 512; 0 never rotates, and memory grows). The public ports are the front's: their
    /// requests never reach wiremock and rotate nothing.
    pub rotate_every: u64,
    /// Largest request body prefix kept in a journal entry, in bytes (default 2048).
    pub journal_body_limit: usize,
    /// Largest request body read, in bytes (default 16 MiB): a larger declared
    /// `Content-Length` is a 413 before anything is read, a longer chunked body is cut at the
    /// limit (413); the connection is closed either way.
    pub request_body_limit: usize,
    /// Time a client has to send a request head, also between requests on a kept-alive
    /// connection, in milliseconds (default 10000); then the connection is dropped.
    pub header_read_timeout_ms: u64,
    /// Time a client has to send a whole request body, in milliseconds (default 30000); then
    /// 408 and the connection is closed.
    pub body_read_timeout_ms: u64,
    /// The mock ROP.
    pub rop: RopConfig,
    /// The mock PBX.
    pub pbx: PbxConfig,
    /// The mock CRM.
    pub crm: CrmConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            journal_capacity: 1000,
            rotate_every: 512,
            journal_body_limit: 2048,
            request_body_limit: crate::front::MAX_REQUEST_BODY,
            header_read_timeout_ms: 10_000,
            body_read_timeout_ms: 30_000,
            rop: RopConfig::default(),
            pbx: PbxConfig::default(),
            crm: CrmConfig::default(),
        }
    }
}

/// The mock «Цифровой РОП».
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RopConfig {
    /// TCP port (default 8710; 0 picks a free one).
    pub port: u16,
    /// The `apiKey` every request must carry (env `MOCK_ROP_API_KEY`).
    pub api_key: SecretString,
    /// Accept R5 (`tables/call-ready`) without `apiKey`, for legacy callers (default false).
    pub ready_without_key: bool,
    /// R1/R2 requests per minute per key; 0 turns the limit off (default 0: a mock for load
    /// tests; the real service's 60 is one setting away).
    pub rate_limit_per_minute: u32,
    /// Timeout of the upload-time probe of `audio_url`, in milliseconds (default 2000).
    pub probe_timeout_ms: u64,
    /// Timeout of the background download of the whole file, in milliseconds (default 60000).
    pub fetch_timeout_ms: u64,
    /// Largest audio file accepted, in bytes (default 100 MB).
    pub max_audio_bytes: u64,
    /// Longest call accepted, in seconds (default 2700).
    pub max_duration_secs: u64,
    /// Transcript used when none was registered for a call (a docs/formats.md transcript file); none: the built-in
    /// real-estate sales call.
    pub default_transcript: Option<PathBuf>,
    /// Checklists (docs/formats.md JSON files); empty: the built-in real-estate sales checklist.
    pub checklists: Vec<PathBuf>,
    /// Analytic tables (docs/formats.md JSON files); empty: the built-in real-estate table.
    pub tables: Vec<PathBuf>,
    /// W1 destination for every checklist; none: the checklist's own `webhook_url`, else the
    /// mock CRM's sink.
    pub checklist_webhook_url: Option<String>,
    /// W2 destination for every table; none: the table's own `webhook_url`, else the mock CRM's
    /// sink.
    pub table_webhook_url: Option<String>,
    /// Delivery retries of W1/W2 (default 3).
    pub webhook_retries: u32,
    /// Non-public hosts `audio_url` may point at (default `["loopback"]`): any of `loopback`,
    /// `private`, `link-local`, `any`, or CIDR networks (`10.1.0.0/16`). Public addresses are
    /// always fetched; others are refused with the same 400 as an unreachable file.
    pub audio_url_allow: Vec<String>,
}

impl Default for RopConfig {
    fn default() -> Self {
        Self {
            port: 8710,
            api_key: SecretString::from(DEFAULT_ROP_KEY),
            ready_without_key: false,
            rate_limit_per_minute: 0,
            probe_timeout_ms: 2000,
            audio_url_allow: vec!["loopback".to_owned()],
            fetch_timeout_ms: 60_000,
            max_audio_bytes: 100_000_000,
            max_duration_secs: 2700,
            default_transcript: None,
            checklists: Vec::new(),
            tables: Vec::new(),
            checklist_webhook_url: None,
            table_webhook_url: None,
            webhook_retries: 3,
        }
    }
}

/// Which form the mock PBX pushes to the CRM in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PushFormat {
    /// `/crmapi/v1` JSON pushes (V1–V4).
    #[default]
    V1,
    /// Legacy form pushes (L5–L7).
    Legacy,
}

/// How the mock PBX encodes its v1 pushes (legacy pushes are always form fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PushEncoding {
    /// `application/json` (default).
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, for receivers that read form fields (PHP's
    /// `$_POST`); pushes then carry only the keys such receivers accept (no `direction` in
    /// `event`, no `diversion` in `contact`, no `rating` in `history`, no V4 `rating` push).
    Form,
}

/// The mock virtual PBX.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PbxConfig {
    /// TCP port (default 8711; 0 picks a free one).
    pub port: u16,
    /// The `X-API-KEY` of `/crmapi/v1` (env `MOCK_VATS_API_KEY`).
    pub api_key: SecretString,
    /// The `crm_token` the PBX puts into its pushes (env `MOCK_CRM_TOKEN`).
    pub crm_token: SecretString,
    /// Where pushes go; none: the mock CRM's sink for [`PbxConfig::push_format`].
    pub crm_url: Option<String>,
    /// Push form (default `v1`).
    pub push_format: PushFormat,
    /// Body encoding of v1 pushes (default `json`; `form` for `$_POST` receivers).
    pub push_encoding: PushEncoding,
    /// Recording downloads require `X-API-KEY` (default false, so a link can go to ROP as is).
    pub recordings_require_key: bool,
    /// Legacy `api_login.wcgp` login (default `mock`).
    pub legacy_login: String,
    /// Legacy `api_login.wcgp` password (env `MOCK_CRM_PASSWORD`, default `mock`).
    pub legacy_password: SecretString,
    /// The legacy `crm_code` accepted by L1 (default `mock`).
    pub legacy_crm_code: String,
    /// Length of a simulated call's recording in seconds when not given (default 20).
    pub default_call_secs: u32,
    /// Dates of the seeded call history (default `relative`: calls today, yesterday and on
    /// earlier days, dated from the moment the mock starts or is reset).
    pub history_seed: HistorySeed,
}

/// How the mock PBX dates its seeded call history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HistorySeed {
    /// The PBX v1 vendor document's calls moved to minutes before the start (or reset), plus
    /// about thirty more over the two months before: answered and missed, in and out, with
    /// recordings for answered ones, so that `history/json` with no parameters, `today`,
    /// `yesterday`, `this_week`, `this_month` and `last_month` all return calls on any day.
    #[default]
    Relative,
    /// Only the vendor document's own calls, on their fixed dates (20 Jan 2022).
    Document,
}

impl Default for PbxConfig {
    fn default() -> Self {
        Self {
            port: 8711,
            api_key: SecretString::from(DEFAULT_VATS_KEY),
            crm_token: SecretString::from(DEFAULT_CRM_TOKEN),
            crm_url: None,
            push_format: PushFormat::V1,
            push_encoding: PushEncoding::Json,
            recordings_require_key: false,
            legacy_login: DEFAULT_LOGIN.to_owned(),
            legacy_password: SecretString::from(DEFAULT_PASSWORD),
            legacy_crm_code: DEFAULT_LOGIN.to_owned(),
            default_call_secs: 20,
            history_seed: HistorySeed::Relative,
        }
    }
}

/// The mock CRM (Universe analytics endpoint + webhook sinks).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrmConfig {
    /// TCP port (default 8712; 0 picks a free one).
    pub port: u16,
    /// HTTP Basic login (default `mock`).
    pub login: String,
    /// HTTP Basic password (env `MOCK_CRM_PASSWORD`, default `mock`).
    pub password: SecretString,
    /// The `crm_token` PBX pushes must carry (env `MOCK_CRM_TOKEN`).
    pub crm_token: SecretString,
    /// Also accept `user=&token=md5(login+password)` query auth (default false).
    pub query_auth: bool,
    /// Page size of `export` when the caller sends no `limit` (default 100).
    pub default_page_size: u32,
}

impl Default for CrmConfig {
    fn default() -> Self {
        Self {
            port: 8712,
            login: DEFAULT_LOGIN.to_owned(),
            password: SecretString::from(DEFAULT_PASSWORD),
            crm_token: SecretString::from(DEFAULT_CRM_TOKEN),
            query_auth: false,
            default_page_size: 100,
        }
    }
}

impl Config {
    /// Reads a TOML file; every missing key keeps its default.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            what: format!("reading config {}", path.display()),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// Parses TOML text; every missing key keeps its default.
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::Config(e.to_string()))
    }

    /// Overrides the secrets from the `MOCK_*` environment variables that are set.
    #[must_use]
    pub fn with_env_secrets(mut self) -> Self {
        self.apply_secrets(|name| std::env::var(name).ok());
        self
    }

    fn apply_secrets(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(v) = get(ENV_ROP_KEY) {
            self.rop.api_key = SecretString::from(v);
        }
        if let Some(v) = get(ENV_VATS_KEY) {
            self.pbx.api_key = SecretString::from(v);
        }
        if let Some(v) = get(ENV_CRM_TOKEN) {
            self.pbx.crm_token = SecretString::from(v.clone());
            self.crm.crm_token = SecretString::from(v);
        }
        if let Some(v) = get(ENV_CRM_PASSWORD) {
            self.pbx.legacy_password = SecretString::from(v.clone());
            self.crm.password = SecretString::from(v);
        }
    }

    /// All three services on port 0 (free ports), for in-process tests.
    #[must_use]
    pub fn ephemeral() -> Self {
        let mut config = Self::default();
        config.rop.port = 0;
        config.pbx.port = 0;
        config.crm.port = 0;
        config
    }
}

/// Shows a secret in the start-up banner only when it is one of the built-in fake defaults.
pub(crate) fn banner_secret(secret: &SecretString, default: &str) -> String {
    if secret.expose_secret() == default {
        default.to_owned()
    } else {
        "(set, hidden)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_all_defaults() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c.rop.port, 8710);
        assert_eq!(c.pbx.port, 8711);
        assert_eq!(c.crm.port, 8712);
        assert_eq!(c.rop.api_key.expose_secret(), DEFAULT_ROP_KEY);
    }

    #[test]
    fn partial_file_keeps_other_defaults() {
        let c =
            Config::from_toml("bind = \"0.0.0.0\"\n[pbx]\nport = 9000\npush_format = \"legacy\"\n")
                .unwrap();
        assert_eq!(c.pbx.port, 9000);
        assert_eq!(c.pbx.push_format, PushFormat::Legacy);
        assert_eq!(c.crm.port, 8712);
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let e = Config::from_toml("[rop]\nprot = 1\n").unwrap_err();
        assert!(e.to_string().contains("prot"), "{e}");
    }

    #[test]
    fn env_secrets_override_and_never_print() {
        let mut c = Config::default();
        c.apply_secrets(|name| match name {
            ENV_ROP_KEY => Some("s3cr3t-rop".into()),
            ENV_CRM_PASSWORD => Some("s3cr3t-pw".into()),
            _ => None,
        });
        assert_eq!(c.rop.api_key.expose_secret(), "s3cr3t-rop");
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert_eq!(
            banner_secret(&c.rop.api_key, DEFAULT_ROP_KEY),
            "(set, hidden)"
        );
        assert_eq!(
            banner_secret(&c.pbx.api_key, DEFAULT_VATS_KEY),
            DEFAULT_VATS_KEY
        );
    }
}
