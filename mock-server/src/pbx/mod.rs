//! The mock PBX.

use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::config::Config;
use crate::error::Result;
use crate::host::MockService;

/// The mock CRM service.
pub(crate) struct PbxService {
    _config: Arc<Config>,
}

impl PbxService {
    pub(crate) fn new(config: Arc<Config>, _rt: tokio::runtime::Handle, _push: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Self { _config: config }))
    }
    pub(crate) fn set_base_url(&self, _u: String) {}
}

impl MockService for PbxService {
    fn name(&self) -> &'static str {
        "pbx"
    }
    fn handle(&self, _req: Request<Bytes>) -> Response<Bytes> {
        http_plumbing::json_response(StatusCode::NOT_FOUND, &json!({"status":"error"}))
    }
    fn admin(&self, _sub: &str, _req: &Request<Bytes>) -> Option<Response<Bytes>> {
        None
    }
    fn state(&self) -> Value {
        json!({})
    }
    fn reset(&self) {}
    fn seed(&self, _data: Value) -> std::result::Result<Value, String> {
        Ok(json!({}))
    }
}
