//! Where the checks run: base URLs and credentials from `CONTRACT_*` env vars, or — for every
//! protocol whose URL is unset — the mock server started in-process.
//!
//! | env var | meaning | mock default |
//! |---|---|---|
//! | `CONTRACT_ROP_URL`, `CONTRACT_ROP_KEY` | «Цифровой РОП» base URL (`…/api/v1/` is added when the path is empty) and `apiKey` | mock ROP, `mock-rop-key` |
//! | `CONTRACT_AUDIO_URL` | a recording the ROP under test can download (upload checks are skipped without it) | a mock PBX recording |
//! | `CONTRACT_NOT_AUDIO_URL` | a URL answering 200 with something that is not audio | the ROP's own base URL |
//! | `CONTRACT_TABLE_ID` | an analytic table the ROP has | `TBL_REALTY_CALL` |
//! | `CONTRACT_PBX_URL`, `CONTRACT_PBX_KEY` | PBX base URL (`/crmapi/v1/`, `/sys/*.wcgp` under it) and `X-API-KEY` | mock PBX, `mock-vats-key` |
//! | `CONTRACT_PBX_LOGIN`, `CONTRACT_PBX_PASSWORD`, `CONTRACT_PBX_CRM_CODE` | legacy login | `mock` ×3 |
//! | `CONTRACT_CRM_URL`, `CONTRACT_CRM_LOGIN`, `CONTRACT_CRM_PASSWORD` | Universe endpoint and Basic auth | mock CRM, `mock`/`mock` |
//! | `CONTRACT_HOOKS_URL`, `CONTRACT_CRM_TOKEN` | a CRM's receiver base: W1 at `/hooks/rop/checklist`, W2 at `/hooks/rop/table`, v1 pushes at `/hooks/vats/v1`, legacy at `/hooks/vats/legacy`; the `crm_token` it expects | mock CRM's sinks, `mock-crm-token` |
//! | `CONTRACT_WRITE=1` | also run the checks that create records on an external target | always on for the mock |

use mock_server::{Config, MockServers};

/// One protocol's endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base URL without a trailing `/`.
    pub url: String,
    /// Whether it is the in-process mock.
    pub mock: bool,
}

/// Everything a check needs.
pub struct Target {
    pub rop: Endpoint,
    pub rop_key: String,
    pub audio_url: Option<String>,
    pub not_audio_url: String,
    pub table_id: String,
    pub pbx: Endpoint,
    pub pbx_key: String,
    pub pbx_login: String,
    pub pbx_password: String,
    pub pbx_crm_code: String,
    pub crm: Endpoint,
    pub crm_login: String,
    pub crm_password: String,
    pub hooks: Endpoint,
    pub crm_token: String,
    pub write: bool,
    pub http: reqwest::Client,
    /// Keeps the in-process mock running.
    pub _mocks: Option<MockServers>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn endpoint(name: &str, mock: Option<String>) -> Endpoint {
    match var(name) {
        Some(url) => Endpoint {
            url: url.trim_end_matches('/').to_owned(),
            mock: false,
        },
        None => Endpoint {
            url: mock.unwrap_or_default(),
            mock: true,
        },
    }
}

impl Target {
    /// The target from the environment; the mock (default configuration) for what is unset.
    pub async fn from_env() -> Self {
        Self::with_mock_config(Config::ephemeral()).await
    }

    /// As [`from_env`](Self::from_env), with this configuration for the mock.
    pub async fn with_mock_config(config: Config) -> Self {
        let need_mock = [
            "CONTRACT_ROP_URL",
            "CONTRACT_PBX_URL",
            "CONTRACT_CRM_URL",
            "CONTRACT_HOOKS_URL",
        ]
        .iter()
        .any(|v| var(v).is_none());
        let mocks = if need_mock {
            Some(
                MockServers::start(config)
                    .await
                    .expect("the mock server starts"),
            )
        } else {
            None
        };
        let m = |f: fn(&MockServers) -> String| mocks.as_ref().map(f);
        let rop = endpoint("CONTRACT_ROP_URL", m(MockServers::rop_url));
        let pbx = endpoint("CONTRACT_PBX_URL", m(MockServers::pbx_url));
        let crm = endpoint("CONTRACT_CRM_URL", m(MockServers::crm_url));
        let hooks = endpoint("CONTRACT_HOOKS_URL", m(MockServers::crm_url));
        let audio_url = var("CONTRACT_AUDIO_URL").or_else(|| {
            rop.mock
                .then(|| format!("{}/records/4000000001.wav", pbx.url))
        });
        let not_audio_url =
            var("CONTRACT_NOT_AUDIO_URL").unwrap_or_else(|| format!("{}/", rop.url));
        Self {
            rop_key: var("CONTRACT_ROP_KEY").unwrap_or_else(|| "mock-rop-key".into()),
            audio_url,
            not_audio_url,
            table_id: var("CONTRACT_TABLE_ID").unwrap_or_else(|| "TBL_REALTY_CALL".into()),
            pbx_key: var("CONTRACT_PBX_KEY").unwrap_or_else(|| "mock-vats-key".into()),
            pbx_login: var("CONTRACT_PBX_LOGIN").unwrap_or_else(|| "mock".into()),
            pbx_password: var("CONTRACT_PBX_PASSWORD").unwrap_or_else(|| "mock".into()),
            pbx_crm_code: var("CONTRACT_PBX_CRM_CODE").unwrap_or_else(|| "mock".into()),
            crm_login: var("CONTRACT_CRM_LOGIN").unwrap_or_else(|| "mock".into()),
            crm_password: var("CONTRACT_CRM_PASSWORD").unwrap_or_else(|| "mock".into()),
            crm_token: var("CONTRACT_CRM_TOKEN").unwrap_or_else(|| "mock-crm-token".into()),
            write: var("CONTRACT_WRITE").is_some_and(|v| v == "1"),
            rop,
            pbx,
            crm,
            hooks,
            http: reqwest::Client::new(),
            _mocks: mocks,
        }
    }

    /// The ROP API root (`…/api/v1`).
    pub fn rop_api(&self) -> String {
        if self.rop.mock || !self.rop.url.contains("/api/") {
            format!("{}/api/v1", self.rop.url)
        } else {
            self.rop.url.clone()
        }
    }

    /// `…/api/v1/<path>?apiKey=<key>` (plus `&extra` when given).
    pub fn rop_url(&self, path: &str, extra: &str) -> String {
        let sep = if extra.is_empty() { "" } else { "&" };
        format!(
            "{}/{path}?{extra}{sep}apiKey={}",
            self.rop_api(),
            self.rop_key
        )
    }

    /// Whether checks that create records may run on `e`.
    pub fn may_write(&self, e: &Endpoint) -> bool {
        e.mock || self.write
    }

    /// A fresh id, so repeated runs against a real service do not collide.
    pub fn fresh_id(prefix: &str) -> String {
        format!(
            "{prefix}_{}_{:06x}",
            chrono::Utc::now().timestamp_millis(),
            fastrand::u32(..0xff_ffff)
        )
    }
}

/// Says why a check did not run (shown with `--nocapture`).
pub fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

/// Status and JSON body of an answer (`Value::Null` when the body is not JSON).
pub async fn answer(resp: reqwest::Response) -> (u16, serde_json::Value) {
    let status = resp.status().as_u16();
    let body = resp.bytes().await.unwrap_or_default();
    (
        status,
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    )
}
