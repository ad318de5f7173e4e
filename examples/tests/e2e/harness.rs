//! The stack under test: the three mock services in-process, the example CRM served on its own
//! port, and helpers to drive the mocks' admin APIs.

use examples::{BridgeConfig, Crm, RunningServer, UploadRetry, router, router_with_webhooks};
use mock_server::{Config, MockServers};
use rop_api::{ChecklistResult, HandlerError, TableResult, WebhookHandler};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Credentials unique to one stack, so the leak test can look for every one of them.
#[derive(Debug, Clone)]
pub struct Secrets {
    pub rop_key: String,
    pub vats_key: String,
    pub crm_token: String,
    pub password: String,
}

impl Secrets {
    fn unique() -> Self {
        let tag = format!("{:08x}", fastrand::u32(..));
        let s = Self {
            rop_key: format!("ropKEY{tag}zq"),
            vats_key: format!("vatsKEY{tag}zq"),
            crm_token: format!("crmTOKEN{tag}zq"),
            password: format!("passWORD{tag}zq"),
        };
        crate::logs::remember(&[&s.rop_key, &s.vats_key, &s.crm_token, &s.password]);
        s
    }
}

/// A webhook receiver that fails (500) the first `failures` checklist results, then hands every
/// delivery to the CRM: an outage of the CRM's receiver.
pub struct Flaky {
    crm: Crm,
    failures_left: AtomicU32,
    /// W1 deliveries that reached the receiver (failed ones included).
    pub deliveries: Arc<AtomicU32>,
}

#[async_trait::async_trait]
impl WebhookHandler for Flaky {
    async fn on_checklist_result(&self, r: ChecklistResult) -> Result<(), HandlerError> {
        self.deliveries.fetch_add(1, Ordering::SeqCst);
        let left = self.failures_left.load(Ordering::SeqCst);
        if left > 0 {
            self.failures_left.store(left - 1, Ordering::SeqCst);
            return Err(HandlerError::internal("simulated outage of the CRM"));
        }
        self.crm.on_checklist_result(r).await
    }

    async fn on_table_result(&self, r: TableResult) -> Result<(), HandlerError> {
        self.crm.on_table_result(r).await
    }
}

/// How to start a stack.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    /// The CRM's W1 receiver fails this many times first.
    pub flaky_webhooks: u32,
}

/// Everything running for one test.
pub struct Stack {
    pub mocks: MockServers,
    pub crm: Crm,
    pub server: RunningServer,
    pub secrets: Secrets,
    pub http: reqwest::Client,
    /// W1 deliveries seen by the flaky receiver (with `flaky_webhooks`).
    pub webhook_deliveries: Arc<AtomicU32>,
}

/// A file of `examples/data/`.
pub fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Short waits everywhere: the tests stay fast and the retries still happen.
pub fn fast_client_retry() -> rop_api::RetryPolicy {
    rop_api::RetryPolicy::default()
        .with_max_retries(1)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(20))
}

impl Stack {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> Self {
        crate::logs::install();
        let secrets = Secrets::unique();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();

        let mut config = Config::ephemeral();
        config.rop.api_key = secrets.rop_key.clone().into();
        config.pbx.api_key = secrets.vats_key.clone().into();
        config.pbx.crm_token = secrets.crm_token.clone().into();
        config.crm.crm_token = secrets.crm_token.clone().into();
        config.crm.password = secrets.password.clone().into();
        config.pbx.legacy_password = secrets.password.clone().into();
        config.pbx.crm_url = Some(format!("http://{addr}{}", examples::PBX_V1_PATH));
        config.rop.checklist_webhook_url =
            Some(format!("http://{addr}{}", examples::ROP_CHECKLIST_PATH));
        config.rop.table_webhook_url = Some(format!("http://{addr}{}", examples::ROP_TABLE_PATH));
        config.rop.webhook_retries = 3;
        // The example's own checklist, table and transcript: the test knows what ROP must score.
        config.rop.checklists = vec![data("checklist.json")];
        config.rop.tables = vec![data("table.json")];
        config.rop.default_transcript = Some(data("transcript.txt"));
        let mocks = MockServers::start(config).await.unwrap();

        let mut bridge = BridgeConfig::new(mocks.rop_url(), mocks.crm_url()).with_secrets(
            secrets.rop_key.clone(),
            secrets.password.clone(),
            secrets.crm_token.clone(),
        );
        bridge.client_retry = fast_client_retry();
        bridge.upload_retry = UploadRetry {
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(100),
            max_attempts: 40,
        };
        let crm = Crm::connect(bridge).await.unwrap();
        let deliveries = Arc::new(AtomicU32::new(0));
        let app = if opts.flaky_webhooks > 0 {
            router_with_webhooks(
                crm.clone(),
                Flaky {
                    crm: crm.clone(),
                    failures_left: AtomicU32::new(opts.flaky_webhooks),
                    deliveries: Arc::clone(&deliveries),
                },
            )
        } else {
            router(crm.clone())
        };
        let server = RunningServer::spawn(listener, app).unwrap();
        Self {
            mocks,
            crm,
            server,
            secrets,
            http: reqwest::Client::new(),
            webhook_deliveries: deliveries,
        }
    }

    /// `GET <base>/__admin/<path>` as JSON.
    pub async fn admin(&self, base: &str, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{base}/__admin/{path}"))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(status.is_success(), "GET /__admin/{path}: {status} {body}");
        body
    }

    /// `POST <base>/__admin/<path>` with a JSON body.
    pub async fn admin_post(&self, base: &str, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{base}/__admin/{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(status.is_success(), "POST /__admin/{path}: {status} {body}");
        body
    }

    /// Simulates a call on the mock PBX; answers its call id and recording link.
    pub async fn simulate(&self, body: Value) -> (String, String) {
        let answer = self
            .admin_post(&self.mocks.pbx_url(), "calls/simulate", body)
            .await;
        let id = answer["callid"].as_str().unwrap().to_owned();
        let record = answer["record"].as_str().unwrap_or_default().to_owned();
        (id, record)
    }

    /// Registers the CRM with the legacy PBX (L1), so legacy pushes come to it.
    pub async fn legacy_login(&self) {
        let pbx = vats_api::legacy::Client::builder()
            .base_url(self.mocks.pbx_url())
            .build()
            .unwrap();
        pbx.login(&vats_api::legacy::LoginRequest {
            crm_code: "mock".into(),
            login: "mock".into(),
            password: self.secrets.password.clone().into(),
            crm_token: self.secrets.crm_token.clone().into(),
            url: self.server.url(examples::PBX_LEGACY_PATH),
            redirect_url: None,
            self_map: false,
        })
        .await
        .unwrap();
    }

    /// The test playing the PBX: a v1 push client aimed at the CRM.
    pub fn v1_notifier(&self) -> vats_api::v1::push::CrmNotifier {
        vats_api::v1::push::CrmNotifier::builder()
            .url(self.server.url(examples::PBX_V1_PATH))
            .crm_token(self.secrets.crm_token.clone())
            .build()
            .unwrap()
    }

    /// A ROP client with this stack's key.
    pub fn rop(&self) -> rop_api::Client {
        rop_api::Client::builder()
            .base_url(self.mocks.rop_url())
            .api_key(self.secrets.rop_key.clone())
            .retry_policy(fast_client_retry())
            .build()
            .unwrap()
    }

    /// Waits until the call is settled in the CRM (or 20 s pass) and answers its record.
    pub async fn settled(&self, call_id: &str) -> examples::CallRecord {
        let record = self
            .crm
            .wait_for(call_id, Duration::from_secs(20), |r| r.is_settled())
            .await
            .unwrap_or_else(|| panic!("call {call_id} never reached the CRM"));
        assert!(record.is_settled(), "call {call_id} stuck: {record:#?}");
        record
    }

    /// Waits until the call is fully analysed: written back in the CRM, its table result
    /// (W2, which ROP sends after W1) stored, and both deliveries recorded by the mock ROP.
    pub async fn analysed(&self, call_id: &str) -> examples::CallRecord {
        let record = self
            .crm
            .wait_for(call_id, Duration::from_secs(20), |r| {
                r.state == examples::CallState::WrittenBack && !r.tables.is_empty()
            })
            .await
            .unwrap_or_else(|| panic!("call {call_id} never reached the CRM"));
        assert_eq!(
            record.state,
            examples::CallState::WrittenBack,
            "{record:#?}"
        );
        assert!(!record.tables.is_empty(), "no W2: {record:#?}");
        for _ in 0..1000 {
            let rop = self.rop_call(call_id).await;
            if rop["deliveries"].as_array().is_some_and(|d| d.len() >= 2) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        record
    }

    /// The mock CRM's U5/U6/U7 records (and U4 leads).
    pub async fn crm_state(&self) -> Value {
        self.admin(&self.mocks.crm_url(), "state").await["crm"].clone()
    }

    /// The mock ROP's record of one call.
    pub async fn rop_call(&self, call_id: &str) -> Value {
        self.admin(&self.mocks.rop_url(), &format!("calls/{call_id}"))
            .await
    }

    /// Adds a fault rule to a mock service.
    pub async fn fault(&self, base: &str, rule: Value) {
        self.admin_post(base, "faults", rule).await;
    }
}

/// Items of a mock CRM list (`messages`, `tasks`, `calls`, `leads`) that match `pred`: each the
/// request as the CRM received it, plus the `id` the CRM gave it.
pub fn items(state: &Value, list: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    state[list]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|stored| {
                    let mut v = stored["request"].clone();
                    v["id_in_crm"] = stored["id"].clone();
                    v
                })
                .filter(|v| pred(v))
                .collect()
        })
        .unwrap_or_default()
}
