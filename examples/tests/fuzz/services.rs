//! Whole services under fuzz: the example CRM's router (over its in-process axum app) and the
//! three mock services over real HTTP (their handlers are private to the mock server).

use crate::dispatchers::check;
use crate::inputs;
use crate::runtime;
use proptest::prelude::*;
use std::sync::OnceLock;
use tower_service_shim::call_router;

const CRM_PATHS: &[&str] = &[
    "/pbx/v1",
    "/pbx/legacy",
    "/rop/checklist",
    "/rop/table",
    "/",
];

/// The example CRM with every outgoing call failing fast (nothing listens on port 1).
fn crm_router() -> &'static axum::Router {
    static R: OnceLock<axum::Router> = OnceLock::new();
    R.get_or_init(|| {
        let mut config = examples::BridgeConfig::new("http://127.0.0.1:1", "http://127.0.0.1:1")
            .with_secrets("k", "p", "fuzzSECRETkey42");
        config.client_retry = rop_api::RetryPolicy::none();
        config.upload_retry.max_attempts = 1;
        let _guard = runtime().enter();
        examples::router(examples::Crm::new(config).expect("the CRM builds"))
    })
}

mod tower_service_shim {
    use bytes::Bytes;

    /// Sends one request through an axum router in-process.
    pub(crate) async fn call_router(
        router: &axum::Router,
        req: http::Request<Bytes>,
    ) -> (u16, Bytes) {
        use tower_service::Service;
        let req = req.map(axum::body::Body::from);
        let mut svc = router.clone();
        type Req = http::Request<axum::body::Body>;
        if let Err(never) =
            std::future::poll_fn(|cx| <axum::Router as Service<Req>>::poll_ready(&mut svc, cx))
                .await
        {
            match never {}
        }
        match <axum::Router as Service<Req>>::call(&mut svc, req).await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .unwrap_or_default();
                (status, body)
            }
            Err(never) => match never {},
        }
    }
}

/// The three mock services, started once.
fn mocks() -> &'static mock_server::MockServers {
    static M: OnceLock<mock_server::MockServers> = OnceLock::new();
    M.get_or_init(|| {
        let mut config = mock_server::Config::ephemeral();
        // Generated audio URLs point nowhere: do not wait long for them.
        config.rop.probe_timeout_ms = 100;
        config.rop.fetch_timeout_ms = 500;
        runtime()
            .block_on(mock_server::MockServers::start(config))
            .expect("the mock server starts")
    })
}

const MOCK_PATHS: &[&str] = &[
    "/api/v1/calls/audio-upload",
    "/api/v1/calls",
    "/api/v1/settings/offices-update",
    "/api/v1/tables/call-ready",
    "/crmapi/v1/users",
    "/crmapi/v1/groups",
    "/crmapi/v1/telnums",
    "/crmapi/v1/sims",
    "/crmapi/v1/blacklist/telnums",
    "/crmapi/v1/history/csv",
    "/crmapi/v1/history/json",
    "/crmapi/v1/makecall",
    "/sys/api_login.wcgp",
    "/sys/crm_api.wcgp",
    "/analytics",
    "/hooks/rop/checklist",
    "/hooks/rop/table",
    "/hooks/vats/v1",
    "/hooks/vats/legacy",
    "/records/1755936870.mp3",
];

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_example_crm_router(req in inputs::request(CRM_PATHS)) {
        let router = crm_router();
        let r = if req.authed { inputs::with_field(&req.body, "crm_token", "fuzzSECRETkey42") } else { req.body.clone() };
        let req = inputs::Req { body: r, ..req };
        if let Some(http_req) = req.build(|_, _| {}) {
            let (status, body) = runtime().block_on(call_router(router, http_req));
            check(status, &body)?;
        }
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_mock_services_over_http(req in inputs::request(MOCK_PATHS), service in 0usize..3) {
        let m = mocks();
        let base = [m.rop_url(), m.pbx_url(), m.crm_url()][service].clone();
        let Some(http_req) = req.build(|q, b| {
            q.push(("apiKey".into(), "mock-rop-key".into()));
            *b = std::mem::take(b)
                .header("X-API-KEY", "mock-vats-key")
                .header("Authorization", "Basic bW9jazptb2Nr");
        }) else {
            return Ok(());
        };
        let Ok(url) = url::Url::parse(&format!("{base}{}", http_req.uri())) else { return Ok(()) };
        // The admin API can inject 500s on purpose: it is not under test here.
        prop_assume!(!url.path().starts_with("/__admin"));
        let (parts, body) = http_req.into_parts();
        static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
        // A hang is a finding too: give every answer five seconds.
        let client = CLIENT.get_or_init(|| {
            reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).build().unwrap()
        });
        let result = runtime().block_on(async {
            let mut rb = client.request(parts.method, url).body(body);
            for (k, v) in &parts.headers {
                // A made-up Content-Length only desynchronises the connection (the server
                // waits for bytes that never come): it tests the generator, not the service.
                if k != http::header::CONTENT_LENGTH {
                    rb = rb.header(k, v);
                }
            }
            let resp = rb.send().await?;
            let status = resp.status().as_u16();
            Ok::<_, reqwest::Error>((status, resp.bytes().await?))
        });
        let (status, body) = match result {
            Ok(x) => x,
            Err(e) => return Err(TestCaseError::fail(format!("no answer: {e}"))),
        };
        prop_assert!(status != 500, "HTTP 500 from {base}: {}", String::from_utf8_lossy(&body));
        // The service is still up.
        let health = runtime().block_on(async { client.get(format!("{base}/__admin/health")).send().await.map(|r| r.status().as_u16()) });
        prop_assert_eq!(health.ok(), Some(200));
    }
}
