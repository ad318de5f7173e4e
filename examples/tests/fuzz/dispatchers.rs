//! Every dispatcher of every crate — and the example CRM's router and the mock services over
//! HTTP — with arbitrary methods, paths, queries, headers and bodies: never a panic, never a 500,
//! never the configured secret in an answer.

use crate::inputs::{self, Req};
use crate::runtime;
use bytes::Bytes;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use secrecy::SecretString;
use std::sync::OnceLock;

const SECRET: &str = "fuzzSECRETkey42";

/// The checks every answer must pass.
pub fn check(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(body);
    prop_assert!(status != 500, "HTTP 500: {text}");
    prop_assert!((100..600).contains(&status), "status {status}");
    prop_assert!(
        !text.contains(SECRET),
        "the secret is in the answer: {text}"
    );
    Ok(())
}

fn run(
    req: Option<http::Request<Bytes>>,
    dispatch: impl AsyncFnOnce(http::Request<Bytes>) -> http::Response<Bytes>,
) -> Result<(), TestCaseError> {
    let Some(req) = req else { return Ok(()) };
    let resp = runtime().block_on(dispatch(req));
    check(resp.status().as_u16(), resp.body())
}

// ---- handlers that accept what they are given ----

struct Rop;
#[async_trait::async_trait]
impl rop_api::RopHandler for Rop {
    async fn upload_call(
        &self,
        call: rop_api::CallUpload,
    ) -> Result<rop_api::CallId, rop_api::HandlerError> {
        if call.call_id.as_str().len().is_multiple_of(3) {
            return Err(rop_api::duplicate_call());
        }
        Ok(call.call_id)
    }
    async fn call_ready(
        &self,
        q: rop_api::CallReadyQuery,
    ) -> Result<rop_api::CallReady, rop_api::HandlerError> {
        Ok(if q.call.as_str().is_empty() {
            rop_api::CallReady::NotReady
        } else {
            rop_api::CallReady::Ready([("k".to_owned(), q.tab.to_string())].into())
        })
    }
}

struct Sink;
#[async_trait::async_trait]
impl rop_api::WebhookHandler for Sink {}

struct Pbx;
#[async_trait::async_trait]
impl vats_api::v1::VatsHandler for Pbx {}

struct Crm;
#[async_trait::async_trait]
impl vats_api::v1::push::CrmHandler for Crm {}
#[async_trait::async_trait]
impl vats_api::legacy::LegacyCrmHandler for Crm {}

struct LegacyPbx;
#[async_trait::async_trait]
impl vats_api::legacy::PbxHandler for LegacyPbx {
    async fn login(
        &self,
        _r: vats_api::legacy::LoginRequest,
    ) -> Result<SecretString, vats_api::HandlerError> {
        Ok(SecretString::from("issued-token"))
    }
    async fn check_token(&self, token: &SecretString) -> bool {
        secrecy::ExposeSecret::expose_secret(token) == SECRET
    }
    async fn make_call(
        &self,
        _r: vats_api::legacy::MakeCallRequest,
    ) -> Result<vats_api::CallId, vats_api::HandlerError> {
        Ok(vats_api::CallId::from("fuzz-call"))
    }
    async fn accounts(&self) -> Result<Vec<vats_api::legacy::Account>, vats_api::HandlerError> {
        Ok(Vec::new())
    }
}

struct Universe;
#[async_trait::async_trait]
impl universe_api::UniverseHandler for Universe {}

fn api_key(q: &mut Vec<(String, String)>, _: &mut http::request::Builder) {
    q.push(("apiKey".into(), SECRET.into()));
}

fn header_key(_: &mut Vec<(String, String)>, b: &mut http::request::Builder) {
    *b = std::mem::take(b).header("X-API-KEY", SECRET);
}

fn basic(_: &mut Vec<(String, String)>, b: &mut http::request::Builder) {
    // base64("fuzz:fuzzSECRETkey42")
    *b = std::mem::take(b).header("Authorization", "Basic ZnV6ejpmdXp6U0VDUkVUa2V5NDI=");
}

fn with_token(req: &Req, field: &str) -> Req {
    let mut r = req.clone();
    if r.authed {
        r.body = inputs::with_field(&r.body, field, SECRET);
    }
    r
}

const ROP_PATHS: &[&str] = &[
    "/api/v1/calls/audio-upload",
    "/api/v1/calls",
    "/api/v1/settings/offices-update",
    "/api/v1/settings/managers-update",
    "/api/v1/tables/call-ready",
    "/api/v1/",
    "/",
];
const PBX_PATHS: &[&str] = &[
    "/crmapi/v1/users",
    "/crmapi/v1/groups",
    "/crmapi/v1/telnums",
    "/crmapi/v1/sims",
    "/crmapi/v1/blacklist/telnums",
    "/crmapi/v1/blacklist/block-anonymous",
    "/crmapi/v1/history/csv",
    "/crmapi/v1/history/json",
    "/crmapi/v1/history/inner/csv",
    "/crmapi/v1/history/inner/json",
    "/crmapi/v1/makecall",
    "/crmapi/v1/",
    "/",
];
const ANY_PATHS: &[&str] = &["/", "/hooks", "/crm_integration.php"];
const LEGACY_PATHS: &[&str] = &["/sys/api_login.wcgp", "/sys/crm_api.wcgp", "/sys/"];
const UNIVERSE_PATHS: &[&str] = &["/analytics", "/crm/analytics", "/"];

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_rop_dispatcher(req in inputs::request(ROP_PATHS)) {
        static D: OnceLock<rop_api::Dispatcher<Rop>> = OnceLock::new();
        let d = D.get_or_init(|| rop_api::Dispatcher::new(Rop, SECRET));
        run(req.build(api_key), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_rop_webhook_dispatcher(req in inputs::request(ANY_PATHS)) {
        static D: OnceLock<rop_api::WebhookDispatcher<Sink>> = OnceLock::new();
        let d = D.get_or_init(|| rop_api::WebhookDispatcher::new(Sink));
        run(req.build(|_, _| {}), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_vats_v1_pbx_dispatcher(req in inputs::request(PBX_PATHS)) {
        static D: OnceLock<vats_api::v1::Dispatcher<Pbx>> = OnceLock::new();
        let d = D.get_or_init(|| vats_api::v1::Dispatcher::new(Pbx, SECRET));
        run(req.build(header_key), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_vats_v1_push_dispatcher(req in inputs::request(ANY_PATHS)) {
        static D: OnceLock<vats_api::v1::push::CrmDispatcher<Crm>> = OnceLock::new();
        let d = D.get_or_init(|| vats_api::v1::push::CrmDispatcher::new(Crm, SECRET));
        run(with_token(&req, "crm_token").build(|_, _| {}), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_vats_legacy_crm_dispatcher(req in inputs::request(ANY_PATHS)) {
        static D: OnceLock<vats_api::legacy::LegacyCrmDispatcher<Crm>> = OnceLock::new();
        let d = D.get_or_init(|| vats_api::legacy::LegacyCrmDispatcher::new(Crm, SECRET));
        run(with_token(&req, "crm_token").build(|_, _| {}), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_vats_legacy_pbx_dispatcher(req in inputs::request(LEGACY_PATHS)) {
        static D: OnceLock<vats_api::legacy::PbxDispatcher<LegacyPbx>> = OnceLock::new();
        let d = D.get_or_init(|| vats_api::legacy::PbxDispatcher::new(LegacyPbx));
        run(with_token(&req, "token").build(|_, _| {}), async |r| d.dispatch(r).await)?;
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_universe_dispatcher(req in inputs::request(UNIVERSE_PATHS)) {
        static D: OnceLock<universe_api::Dispatcher<Universe>> = OnceLock::new();
        let d = D.get_or_init(|| {
            // Basic auth, and the Roistat-style `user=&token=md5(login+password)` query form.
            let auth = universe_api::ServerAuth::basic("fuzz", SECRET).with_token_auth(true);
            universe_api::Dispatcher::new(Universe, auth)
        });
        run(req.build(basic), async |r| d.dispatch(r).await)?;
    }
}
