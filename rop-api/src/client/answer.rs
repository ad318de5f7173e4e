//! Turning raw answers into typed results or [`Error`]s.

use super::CallAccepted;
use crate::error::{Error, Result};
use crate::types::calls::{CallReady, Envelope};
use crate::types::ids::CallId;
use http_plumbing::RawResponse;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub(super) fn accepted(raw: RawResponse) -> Result<CallAccepted> {
    let env: Envelope<Value> = success(raw.clone()).and_then(|r| decode(&r))?;
    let (call_id, message) = ok_data(env, &raw)?;
    let call_id = match call_id {
        Value::String(s) => CallId::from(s),
        Value::Number(n) => CallId::from(n.to_string()),
        other => {
            return Err(decode_error(
                &raw,
                "data",
                format!("expected the call id, got {other}"),
            ));
        }
    };
    Ok(CallAccepted { call_id, message })
}

/// R3/R4's count; a server that answers `"data": true` stored everything sent (`sent`).
pub(super) fn count(raw: RawResponse, sent: usize) -> Result<u64> {
    let env: Envelope<Value> = success(raw.clone()).and_then(|r| decode(&r))?;
    let (data, _) = ok_data(env, &raw)?;
    let n = match &data {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        Value::Bool(true) => u64::try_from(sent).ok(),
        _ => None,
    };
    n.ok_or_else(|| decode_error(&raw, "data", format!("expected a count, got {data}")))
}

pub(super) fn call_ready(raw: RawResponse) -> Result<CallReady> {
    let raw = success(raw)?;
    decode(&raw)
}

/// The envelope's `data`, or an error when the envelope says `"error": true`.
fn ok_data(env: Envelope<Value>, raw: &RawResponse) -> Result<(Value, String)> {
    match env.data {
        Some(d) if !env.error => Ok((d, env.message)),
        _ => Err(Error::Api {
            status: raw.status,
            message: env.message,
            body: raw.text(),
        }),
    }
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode_error(raw, &path, e.into_inner().to_string())
    })
}

fn decode_error(raw: &RawResponse, path: &str, message: String) -> Error {
    Error::decode(Some(raw.status), path, message, &raw.body)
}

/// Passes a 2xx answer through; turns anything else into the matching [`Error`].
fn success(raw: RawResponse) -> Result<RawResponse> {
    if raw.status.is_success() {
        return Ok(raw);
    }
    let retry_after = raw
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(http_plumbing::parse_retry_after);
    Err(Error::from_answer(
        raw.status,
        retry_after,
        error_message(&raw.body),
        &raw.body,
    ))
}

/// The envelope's `message` (or an `error` / `detail` text) when the body is JSON.
fn error_message(body: &[u8]) -> Option<String> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    ["message", "error", "detail"]
        .iter()
        .find_map(|key| map.get(*key).and_then(Value::as_str).map(str::to_owned))
}
