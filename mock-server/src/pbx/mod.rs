//! The mock virtual PBX: `/crmapi/v1` (P1–P40), legacy `/sys/*.wcgp` (L1–L3), recordings under
//! `/records/`, and call simulation (`POST /__admin/calls/simulate`).

mod history;
mod legacy;
mod numbers;
mod seed_dates;
mod simulate;
mod state;
mod v1;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::json_response;
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::host::{MockService, admin_error, run_sync};
use crate::journal::lock;
use crate::targets::{self, PushTarget};
use legacy::MockLegacyPbx;
use simulate::{Pushers, SimulateRequest};
use state::{DEFAULT_SEED, PbxData, PbxSeed};
use v1::MockPbx;

/// The mock PBX service.
pub(crate) struct PbxService {
    config: Arc<Config>,
    data: Arc<Mutex<PbxData>>,
    seed: PbxSeed,
    v1: vats_api::v1::Dispatcher<MockPbx>,
    legacy: vats_api::legacy::PbxDispatcher<MockLegacyPbx>,
    pushers: Pushers,
    /// The configured push target, restored by `POST /__admin/reset`.
    default_target: PushTarget,
}

impl PbxService {
    pub(crate) fn new(
        config: Arc<Config>,
        runtime: tokio::runtime::Handle,
        push_url: String,
    ) -> Result<Arc<Self>> {
        let seed: PbxSeed = serde_json::from_str(DEFAULT_SEED).map_err(|e| Error::Data {
            what: "built-in PBX seed".into(),
            message: e.to_string(),
        })?;
        let data = Arc::new(Mutex::new(PbxData::seeded(seed.clone(), "")));
        let v1 = vats_api::v1::Dispatcher::new(
            MockPbx {
                data: Arc::clone(&data),
            },
            config.pbx.api_key.clone(),
        );
        let legacy_target = Arc::new(Mutex::new(None));
        let legacy = vats_api::legacy::PbxDispatcher::new(MockLegacyPbx {
            data: Arc::clone(&data),
            config: config.pbx.clone(),
            target: Arc::clone(&legacy_target),
        });
        let default_target = PushTarget {
            url: push_url,
            format: config.pbx.push_format,
            encoding: config.pbx.push_encoding,
        };
        let pushers = Pushers {
            target: Arc::new(Mutex::new(default_target.clone())),
            crm_token: config.pbx.crm_token.clone(),
            legacy_target,
            log: Arc::new(Mutex::new(Vec::new())),
            runtime,
        };
        Ok(Arc::new(Self {
            config,
            data,
            seed,
            v1,
            legacy,
            pushers,
            default_target,
        }))
    }

    /// The runtime-changeable push settings, as `GET /__admin/config` shows them.
    fn push_config(&self) -> Value {
        let t = lock(&self.pushers.target).clone();
        json!({"crm_url": targets::shown_url(&t.url), "push_format": targets::push_format_name(t.format),
            "push_encoding": targets::push_encoding_name(t.encoding)})
    }

    /// Tells the service its base URL, so that recording links are absolute; re-seeds.
    pub(crate) fn set_base_url(&self, base: String) {
        *lock(&self.data) = PbxData::seeded(self.dated_seed(), &base);
    }

    fn recording(&self, req: &Request<Bytes>) -> Response<Bytes> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return json_response(
                StatusCode::METHOD_NOT_ALLOWED,
                &json!({"error": "Method Not Allowed"}),
            );
        }
        if self.config.pbx.recordings_require_key {
            let given = req
                .headers()
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !http_plumbing::constant_time_eq(given, self.config.pbx.api_key.expose_secret()) {
                return json_response(StatusCode::UNAUTHORIZED, &json!({"error": "Invalid token"}));
            }
        }
        let file = req.uri().path().trim_start_matches("/records/");
        let found = file.rsplit_once('.').and_then(|(uid, ext)| {
            let rec = *lock(&self.data).recordings.get(uid)?;
            (rec.format.extension() == ext.to_ascii_lowercase()
                || crate::audio::RecordingFormat::from_extension(ext) == Some(rec.format))
            .then_some(rec)
        });
        let Some(rec) = found else {
            return json_response(StatusCode::NOT_FOUND, &json!({"error": "Not found"}));
        };
        let file = rec.format.generate(rec.secs);
        let total = file.len();
        let range = req
            .headers()
            .get(http::header::RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| byte_range(v, total));
        let (status, body) = match range {
            Some((start, end)) => (
                StatusCode::PARTIAL_CONTENT,
                file.get(start..=end)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default(),
            ),
            None => (StatusCode::OK, file),
        };
        let mut resp = Response::builder()
            .status(status)
            .header(http::header::CONTENT_TYPE, rec.format.content_type())
            .header(http::header::ACCEPT_RANGES, "bytes");
        if let Some((start, end)) = range {
            resp = resp.header(
                http::header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{total}"),
            );
        }
        let body = if req.method() == Method::HEAD {
            Bytes::new()
        } else {
            Bytes::from(body)
        };
        resp.body(body)
            .unwrap_or_else(|_| Response::new(Bytes::new()))
    }
}

/// One `bytes=start-end` (or `start-`) range within a file of `total` bytes, clamped; `None` for
/// anything else (the whole file is served).
fn byte_range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || total == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let start: usize = a.trim().parse().ok()?;
    let end = match b.trim() {
        "" => total - 1,
        e => e.parse::<usize>().ok()?.min(total - 1),
    };
    (start <= end).then_some((start, end))
}

impl MockService for PbxService {
    fn routes(&self) -> &'static [crate::near_miss::Route] {
        crate::near_miss::PBX
    }

    fn name(&self) -> &'static str {
        "pbx"
    }

    fn handle(&self, req: Request<Bytes>) -> Response<Bytes> {
        let path = req.uri().path();
        if path.starts_with("/crmapi/v1") {
            run_sync(self.v1.dispatch(req))
        } else if path.starts_with("/sys/") {
            run_sync(self.legacy.dispatch(req))
        } else if path.starts_with("/records/") {
            self.recording(&req)
        } else {
            json_response(StatusCode::NOT_FOUND, &json!({"error": "Not found"}))
        }
    }

    fn admin(&self, sub: &str, req: &Request<Bytes>) -> Option<Response<Bytes>> {
        Some(match (req.method(), sub) {
            (&Method::POST, "calls/simulate") => {
                let parsed = if req.body().iter().all(u8::is_ascii_whitespace) {
                    Ok(SimulateRequest::default())
                } else {
                    serde_json::from_slice::<SimulateRequest>(req.body())
                };
                match parsed {
                    Ok(r) => match simulate::simulate(
                        &self.data,
                        &self.pushers,
                        self.config.pbx.default_call_secs,
                        r,
                    ) {
                        Ok(v) => json_response(StatusCode::ACCEPTED, &v),
                        Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
                    },
                    Err(e) => admin_error(StatusCode::BAD_REQUEST, &format!("body: {e}")),
                }
            }
            (&Method::GET, "calls") => {
                json_response(StatusCode::OK, &json!({"items": *lock(&self.pushers.log)}))
            }
            (_, "calls/simulate") => admin_error(StatusCode::METHOD_NOT_ALLOWED, "POST"),
            _ => {
                return targets::route(
                    sub,
                    req,
                    |u| targets::apply_pbx(&self.pushers.target, &self.default_target, u),
                    || self.push_config(),
                );
            }
        })
    }

    fn state(&self) -> Value {
        let data = lock(&self.data).clone();
        let t = lock(&self.pushers.target).clone();
        json!({"pbx": data, "push_url": targets::shown_url(&t.url),
            "push_format": targets::push_format_name(t.format), "config": self.push_config()})
    }

    fn reset(&self) {
        let base = lock(&self.data).base_url.clone();
        *lock(&self.data) = PbxData::seeded(self.dated_seed(), &base);
        lock(&self.pushers.log).clear();
        *lock(&self.pushers.legacy_target) = None;
        *lock(&self.pushers.target) = self.default_target.clone();
    }

    fn seed(&self, data: Value) -> std::result::Result<Value, String> {
        let seed: PbxSeed = serde_path_to_error::deserialize(data)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
        let counts = json!({
            "users": seed.users.len(), "groups": seed.groups.len(), "telnums": seed.telnums.len(),
            "sims": seed.sims.len(), "blacklist": seed.blacklist.len(), "history": seed.history.len(),
            "inner_history": seed.inner_history.len(),
        });
        lock(&self.data).merge(seed);
        Ok(json!({"status": "ok", "loaded": counts}))
    }
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_are_parsed_and_clamped() {
        assert_eq!(byte_range("bytes=0-8191", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=10-", 100), Some((10, 99)));
        assert_eq!(byte_range("bytes=50-20", 100), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(byte_range("bytes=0-1", 0), None);
    }
}
