//! The three services together: start, addresses, banner, shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::config::{
    Config, DEFAULT_CRM_TOKEN, DEFAULT_PASSWORD, DEFAULT_ROP_KEY, DEFAULT_VATS_KEY, PushFormat,
    banner_secret,
};
use crate::error::Result;
use crate::host::Host;
use crate::redact::Redactor;
use crate::{crm, pbx, rop};

/// Paths of the mock CRM's webhook sinks (append them to [`MockServers::crm_url`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SinkPaths;

impl SinkPaths {
    /// W1 checklist results (rop-api `WebhookDispatcher`).
    pub const ROP_CHECKLIST: &'static str = "/hooks/rop/checklist";
    /// W2 table results (rop-api `WebhookDispatcher`).
    pub const ROP_TABLE: &'static str = "/hooks/rop/table";
    /// `/crmapi/v1` pushes V1–V4 (vats-api v1 push dispatcher).
    pub const VATS_V1: &'static str = "/hooks/vats/v1";
    /// Legacy pushes L4–L7 (vats-api legacy push dispatcher).
    pub const VATS_LEGACY: &'static str = "/hooks/vats/legacy";
}

/// Request counters of the three services (admin requests excluded); see
/// [`MockServers::counters`].
#[derive(Debug, Clone)]
pub struct Counters([Arc<std::sync::atomic::AtomicU64>; 3]);

impl Counters {
    /// Requests served by (rop, pbx, crm) so far.
    pub fn get(&self) -> (u64, u64, u64) {
        let [a, b, c] = &self.0;
        let load = |x: &std::sync::atomic::AtomicU64| x.load(std::sync::atomic::Ordering::Relaxed);
        (load(a), load(b), load(c))
    }
}

/// The runtime of the services' background work (webhooks, pushes, audio fetches): owned by
/// the services, so they work whatever the caller's runtime is doing (a current-thread test
/// runtime, a runtime only driven by `block_on` now and then).
struct Background(Option<tokio::runtime::Runtime>);

impl Background {
    fn new() -> Result<Self> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mock-server-bg")
            .enable_all()
            .build()
            .map(|rt| Self(Some(rt)))
            .map_err(|source| crate::error::Error::Io {
                what: "starting the background runtime".into(),
                source,
            })
    }

    fn handle(&self) -> Option<tokio::runtime::Handle> {
        self.0.as_ref().map(|rt| rt.handle().clone())
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Never blocks, so dropping the services inside an async context is fine.
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The three running mock services. Dropping it (or [`MockServers::shutdown`]) stops them and
/// cancels their background work.
pub struct MockServers {
    config: Arc<Config>,
    rop: Host,
    pbx: Host,
    crm: Host,
    _background: Background,
}

impl std::fmt::Debug for MockServers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServers")
            .field("rop", &self.rop.uri())
            .field("pbx", &self.pbx.uri())
            .field("crm", &self.crm.uri())
            .finish_non_exhaustive()
    }
}

impl MockServers {
    /// Binds and starts the CRM, then the PBX and the ROP (whose default targets are the CRM's
    /// sinks). Must be called inside a Tokio runtime (any flavour); background work (webhooks,
    /// pushes, audio downloads) runs on a small runtime of the services' own.
    pub async fn start(config: Config) -> Result<Self> {
        let config = Arc::new(config);
        let background = Background::new()?;
        let runtime = background
            .handle()
            .unwrap_or_else(tokio::runtime::Handle::current);
        let addr = |port| SocketAddr::new(config.bind, port);
        let redactor = Redactor::from_config(&config);

        let crm_service = crm::CrmService::new(Arc::clone(&config))?;
        let crm = Host::start(
            addr(config.crm.port),
            crm_service,
            config.journal_capacity,
            config.journal_body_limit,
            redactor.clone(),
            config.rotate_every,
            crate::front::Limits::from_config(&config),
        )
        .await?;
        let crm_url = crm.uri();

        let push_url = config.pbx.crm_url.clone().unwrap_or_else(|| {
            let path = match config.pbx.push_format {
                PushFormat::V1 => SinkPaths::VATS_V1,
                PushFormat::Legacy => SinkPaths::VATS_LEGACY,
            };
            format!("{crm_url}{path}")
        });
        let pbx_service = pbx::PbxService::new(Arc::clone(&config), runtime.clone(), push_url)?;
        let pbx = Host::start(
            addr(config.pbx.port),
            pbx_service.clone(),
            config.journal_capacity,
            config.journal_body_limit,
            redactor.clone(),
            config.rotate_every,
            crate::front::Limits::from_config(&config),
        )
        .await?;
        pbx_service.set_base_url(pbx.uri());

        let checklist_url = format!("{crm_url}{}", SinkPaths::ROP_CHECKLIST);
        let table_url = format!("{crm_url}{}", SinkPaths::ROP_TABLE);
        let rop_service =
            rop::RopService::new(Arc::clone(&config), runtime, checklist_url, table_url)?;
        let rop = Host::start(
            addr(config.rop.port),
            rop_service.clone(),
            config.journal_capacity,
            config.journal_body_limit,
            redactor.clone(),
            config.rotate_every,
            crate::front::Limits::from_config(&config),
        )
        .await?;
        rop_service.set_own_address(rop.address());

        Ok(Self {
            config,
            rop,
            pbx,
            crm,
            _background: background,
        })
    }

    /// Base URL of the mock ROP (`http://127.0.0.1:8710`); the API is under `/api/v1/`.
    pub fn rop_url(&self) -> String {
        self.rop.uri()
    }

    /// Base URL of the mock PBX; `/crmapi/v1/` and `/sys/*.wcgp` are under it.
    pub fn pbx_url(&self) -> String {
        self.pbx.uri()
    }

    /// Base URL of the mock CRM; Universe is `GET /analytics`, sinks are at [`SinkPaths`].
    pub fn crm_url(&self) -> String {
        self.crm.uri()
    }

    /// The ROP API base a `rop_api::Client` takes: `http://ip:port/api/v1/`.
    pub fn rop_api_url(&self) -> String {
        format!("{}/api/v1/", self.rop_url())
    }

    /// The `/crmapi/v1` base a `vats_api::v1::Client` takes: `http://ip:port/crmapi/v1/`.
    pub fn pbx_api_url(&self) -> String {
        format!("{}/crmapi/v1/", self.pbx_url())
    }

    /// A sink of the mock CRM as an absolute URL, e.g. `sink_url(SinkPaths::ROP_CHECKLIST)`.
    pub fn sink_url(&self, path: &str) -> String {
        format!("{}{path}", self.crm_url())
    }

    /// The configuration the services run with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Journal entries kept right now by (rop, pbx, crm): never more than `journal_capacity`.
    pub fn journal_sizes(&self) -> (usize, usize, usize) {
        (
            self.rop.journal_len(),
            self.pbx.journal_len(),
            self.crm.journal_len(),
        )
    }

    /// Requests served by (rop, pbx, crm), admin requests excluded.
    pub fn request_counts(&self) -> (u64, u64, u64) {
        (
            self.rop.requests(),
            self.pbx.requests(),
            self.crm.requests(),
        )
    }

    /// A cheap handle on the request counters of (rop, pbx, crm), e.g. for a periodic log line.
    pub fn counters(&self) -> Counters {
        Counters([self.rop.counter(), self.pbx.counter(), self.crm.counter()])
    }

    /// The start-up banner: each service's base URL and credentials (fake defaults shown,
    /// configured secrets hidden).
    pub fn banner(&self) -> String {
        let c = &self.config;
        let crm = self.crm_url();
        format!(
            "mock-server is up\n\
             \x20 ROP  {rop}/api/v1/   apiKey={rop_key}\n\
             \x20 PBX  {pbx}/crmapi/v1/   X-API-KEY: {vats_key}   legacy: {pbx}/sys/api_login.wcgp (login {login}, crm_code {code})\n\
             \x20      recordings {pbx}/records/<uid>.wav|mp3|ogg{rec}   pushes -> {push}   crm_token={token}\n\
             \x20 CRM  {crm}/analytics   Basic {crm_login}:{crm_pw}\n\
             \x20      sinks {crm}{w1}  {crm}{w2}  {crm}{v1}  {crm}{lg}\n\
             \x20 admin: <service>/__admin/health | requests | requests/wait | requests/count | state | reset | seed | faults | config\n\
             \x20 dashboard: {rop}/__admin/  {pbx}/__admin/  {crm}/__admin/\n",
            rop = self.rop_url(),
            rop_key = banner_secret(&c.rop.api_key, DEFAULT_ROP_KEY),
            pbx = self.pbx_url(),
            vats_key = banner_secret(&c.pbx.api_key, DEFAULT_VATS_KEY),
            login = c.pbx.legacy_login,
            code = c.pbx.legacy_crm_code,
            rec = if c.pbx.recordings_require_key {
                " (X-API-KEY required)"
            } else {
                ""
            },
            push = match (c.pbx.push_format, c.pbx.push_encoding) {
                (PushFormat::V1, crate::config::PushEncoding::Json) => "v1 JSON",
                (PushFormat::V1, crate::config::PushEncoding::Form) => "v1 form fields",
                (PushFormat::Legacy, _) => "legacy form",
            },
            token = banner_secret(&c.pbx.crm_token, DEFAULT_CRM_TOKEN),
            crm_login = c.crm.login,
            crm_pw = banner_secret(&c.crm.password, DEFAULT_PASSWORD),
            w1 = SinkPaths::ROP_CHECKLIST,
            w2 = SinkPaths::ROP_TABLE,
            v1 = SinkPaths::VATS_V1,
            lg = SinkPaths::VATS_LEGACY,
        )
    }

    /// Stops the three services (their listeners close; background tasks of the runtime that
    /// are still delivering webhooks finish or fail on their own).
    pub async fn shutdown(self) {
        drop(self);
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What wiremock matched on its private port is copied by wiremock: every `rotate_every`
    /// requests the mocks are re-mounted, and no request in between is answered wrongly.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn wiremocks_private_port_rotates_and_never_answers_wrongly() {
        let mut config = Config::ephemeral();
        config.rotate_every = 7;
        let m = MockServers::start(config).await.unwrap();
        let http = reqwest::Client::new();
        // The admin user, read through `base`: every answer right.
        let read_admin = |base: String| {
            let http = http.clone();
            async move {
                let resp = http
                    .get(format!("{base}/crmapi/v1/users/admin"))
                    .header("X-API-KEY", DEFAULT_VATS_KEY)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
                let user: serde_json::Value = resp.json().await.unwrap();
                assert_eq!(user["ext"], "701");
            }
        };
        for _ in 0..120 {
            read_admin(m.pbx.private_uri()).await;
        }
        // Rotations run on wiremock's runtime, spawned by the responder: give the last a moment.
        for _ in 0..50 {
            if m.pbx.rotations() >= 10 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(m.pbx.rotations() >= 10, "{}", m.pbx.rotations());
        assert_eq!(m.request_counts().1, 120);
        // The public port's requests never reach wiremock and rotate nothing.
        let before = m.pbx.rotations();
        for _ in 0..30 {
            read_admin(m.pbx_url()).await;
        }
        assert_eq!(m.pbx.rotations(), before);
    }

    /// wiremock's responders must answer at once: a `requests/wait` that must wait is sent on
    /// to the public port, whose front long-polls.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_wait_on_wiremocks_private_port_is_redirected_to_the_public_one() {
        let m = MockServers::start(Config::ephemeral()).await.unwrap();
        let no_redirect = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let private = m.pbx.private_uri();
        let resp = no_redirect
            .get(format!(
                "{private}/__admin/requests/wait?path=/users&timeout_ms=300"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 307);
        let location = resp.headers()[http::header::LOCATION].to_str().unwrap();
        let public_port = m.pbx.address().port();
        assert!(
            location.ends_with(&format!(
                ":{public_port}/__admin/requests/wait?path=/users&timeout_ms=300"
            )),
            "{location}"
        );
        // Followed, the long-poll times out on the public port with what it saw.
        let resp = reqwest::get(format!(
            "{private}/__admin/requests/wait?path=/users&timeout_ms=300"
        ))
        .await
        .unwrap();
        assert_eq!(resp.status(), 408);
        // Nothing to wait for: answered at once, on the private port too.
        let resp = no_redirect
            .get(format!("{private}/__admin/requests/wait?timeout_ms=0"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 408);
    }
}
