//! The `axum` adapters of the push and legacy dispatchers (feature `axum`).
#![cfg(feature = "axum")]

use crate::common_support::*;
use async_trait::async_trait;
use axum::body::Body;
use secrecy::{ExposeSecret, SecretString};
use tower_service::Service;
use vats_api::HandlerError;
use vats_api::legacy::{LegacyCrmDispatcher, LegacyCrmHandler, PbxDispatcher, PbxHandler};
use vats_api::v1::push::{CrmDispatcher, CrmHandler};

async fn call(router: &mut axum::Router, req: http::Request<Body>) -> (u16, String) {
    std::future::poll_fn(|cx| Service::<http::Request<Body>>::poll_ready(router, cx))
        .await
        .unwrap();
    let resp = router.call(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn form(path: &str, body: String) -> http::Request<Body> {
    http::Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

struct Ignore;
impl CrmHandler for Ignore {}
impl LegacyCrmHandler for Ignore {}

#[tokio::test]
async fn crm_dispatcher_router_serves_pushes_at_any_path() {
    let mut router = CrmDispatcher::new(Ignore, SEED_CRM_TOKEN).into_router();
    let body = format!("cmd=contact&phone=79101234567&callid=c&crm_token={SEED_CRM_TOKEN}");
    assert_eq!(
        call(&mut router, form("/any/path", body)).await,
        (200, "{}".to_owned())
    );
    let (status, body) = call(&mut router, form("/", "cmd=contact".into())).await;
    assert_eq!(
        (status, body.as_str()),
        (401, r#"{"error":"Invalid token"}"#)
    );
}

#[tokio::test]
async fn legacy_crm_dispatcher_router_answers_users() {
    let mut router = LegacyCrmDispatcher::new(Ignore, SEED_CRM_TOKEN).into_router();
    let (status, body) = call(
        &mut router,
        form("/crm", format!("cmd=user&crm_token={SEED_CRM_TOKEN}")),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, r#"{"users":[]}"#));
}

struct Pbx;
#[async_trait]
impl PbxHandler for Pbx {
    async fn login(
        &self,
        _req: vats_api::legacy::LoginRequest,
    ) -> Result<SecretString, HandlerError> {
        Ok(SEED_PBX_TOKEN.into())
    }
    async fn check_token(&self, token: &SecretString) -> bool {
        token.expose_secret() == SEED_PBX_TOKEN
    }
}

#[tokio::test]
async fn pbx_dispatcher_router_routes_by_path() {
    let mut router = PbxDispatcher::new(Pbx).into_router();
    let login = "crm_code=c&login=l&password=p&crm_token=t&url=u".to_owned();
    let (status, body) = call(&mut router, form("/sys/api_login.wcgp", login)).await;
    assert_eq!(
        (status, body),
        (200, format!(r#"{{"token":"{SEED_PBX_TOKEN}"}}"#))
    );
    let (status, body) = call(
        &mut router,
        form(
            "/sys/crm_api.wcgp",
            format!("cmd=accounts&token={SEED_PBX_TOKEN}"),
        ),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "[]"));
    let (status, _) = call(&mut router, form("/nowhere", String::new())).await;
    assert_eq!(status, 404);
}
