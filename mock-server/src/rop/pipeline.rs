//! What happens after R1's 200, on the runtime: download, audio checks, transcript, scoring,
//! tables, W1/W2 delivery.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rop_analysis::{CallInfo, Transcript};
use rop_api::CallUpload;
use serde_json::Value;
use url::Url;

use super::state::{AudioSummary, Delivery, RopShared, Stage};
use crate::journal::lock;

/// Runs the whole pipeline of one call; every failure is recorded on the call.
pub(crate) async fn process(shared: Arc<RopShared>, call: CallUpload) {
    let started = Instant::now();
    let id = call.call_id.as_str().to_owned();
    shared.set_stage(&id, Stage::Downloading);
    let limit = shared.config.rop.max_audio_bytes;
    let timeout = Duration::from_millis(shared.config.rop.fetch_timeout_ms.max(1));
    if super::audio_targets::refuses_literal(&shared.audio_targets, &call.audio_url) {
        return shared.fail(&id, "download: host refused by rop.audio_url_allow".into());
    }
    let bytes = match tokio::time::timeout(
        timeout,
        download(&shared.http, call.audio_url.clone(), limit),
    )
    .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(reason)) => return shared.fail(&id, reason),
        Err(_) => {
            return shared.fail(
                &id,
                format!(
                    "download: no complete answer within {} ms",
                    timeout.as_millis()
                ),
            );
        }
    };
    let max_duration = Duration::from_secs(shared.config.rop.max_duration_secs);
    let info = match rop_api::audio::check_with_limits(&bytes, limit, max_duration) {
        Ok(info) => info,
        Err(e) => return shared.fail(&id, format!("audio: {e}")),
    };
    let size = bytes.len() as u64;
    drop(bytes);
    shared.set_stage(&id, Stage::Analysing);

    let (transcript, source) = match pick_transcript(&shared, &call) {
        Ok(t) => t,
        Err(reason) => return shared.fail(&id, reason),
    };
    let now = chrono::Utc::now();
    let checklists: Vec<_> = shared
        .analysis
        .checklists
        .iter()
        .map(|c| {
            c.score_call(
                &transcript,
                CallInfo::new(call.call_id.clone(), call.manager_id.clone()).at(now),
            )
        })
        .collect();
    let tables: Vec<_> = shared
        .analysis
        .tables
        .iter()
        .map(|t| {
            let mut r = t.extract_call(&transcript, Some(call.call_id.clone()), Some(now));
            r.processing_time = Some(started.elapsed());
            r
        })
        .collect();
    {
        let mut st = lock(&shared.state);
        if let Some(rec) = st.calls.get_mut(&id) {
            rec.audio = Some(AudioSummary {
                format: info.format.as_str().to_owned(),
                duration_secs: info.duration.as_secs_f64(),
                bytes: size,
            });
            rec.transcript_source = Some(source);
            rec.checklists = checklists.clone();
            rec.tables = tables
                .iter()
                .map(|t| (t.table_id.as_str().to_owned(), t.clone()))
                .collect();
            rec.stage = Stage::Ready;
        }
    }

    let webhooks = lock(&shared.webhooks).clone();
    for (compiled, result) in shared.analysis.checklists.iter().zip(&checklists) {
        let c = compiled.checklist();
        let url = webhooks
            .checklist
            .clone()
            .or_else(|| c.webhook_url.clone())
            .unwrap_or_else(|| shared.checklist_url.clone());
        let delivery = match Url::parse(&url) {
            Ok(u) => {
                let report = shared.sender.send_checklist_result(&u, result).await;
                to_delivery("checklist", &c.id, &url, report)
            }
            Err(e) => bad_url("checklist", &c.id, &url, e),
        };
        record(&shared, &id, delivery);
    }
    for (compiled, result) in shared.analysis.tables.iter().zip(&tables) {
        let t = compiled.table();
        let url = webhooks
            .table
            .clone()
            .or_else(|| t.webhook_url.clone())
            .unwrap_or_else(|| shared.table_url.clone());
        let delivery = match Url::parse(&url) {
            Ok(u) => {
                let report = shared.sender.send_table_result(&u, result).await;
                to_delivery("table", t.id.as_str(), &url, report)
            }
            Err(e) => bad_url("table", t.id.as_str(), &url, e),
        };
        record(&shared, &id, delivery);
    }
}

fn to_delivery(kind: &'static str, id: &str, url: &str, r: rop_api::DeliveryReport) -> Delivery {
    Delivery {
        kind,
        id: id.to_owned(),
        url: url.to_owned(),
        delivered: r.delivered,
        attempts: r.attempts,
        status: r.status.map(|s| s.as_u16()),
        error: r.error,
    }
}

fn bad_url(kind: &'static str, id: &str, url: &str, e: url::ParseError) -> Delivery {
    Delivery {
        kind,
        id: id.to_owned(),
        url: url.to_owned(),
        delivered: false,
        attempts: 0,
        status: None,
        error: Some(format!("webhook URL: {e}")),
    }
}

fn record(shared: &RopShared, call_id: &str, d: Delivery) {
    if !d.delivered {
        tracing::warn!(call_id, kind = d.kind, id = %d.id, error = ?d.error, "mock ROP: webhook not delivered");
    }
    if let Some(rec) = lock(&shared.state).calls.get_mut(call_id) {
        rec.deliveries.push(d);
    }
}

/// The transcript registered for the call id, else for the audio URL, else the default.
fn pick_transcript(shared: &RopShared, call: &CallUpload) -> Result<(Transcript, String), String> {
    let registered = {
        let st = lock(&shared.state);
        st.transcripts
            .get(call.call_id.as_str())
            .map(|v| (v.clone(), "registered for call_id"))
            .or_else(|| {
                st.transcripts
                    .get(call.audio_url.as_str())
                    .map(|v| (v.clone(), "registered for audio_url"))
            })
    };
    match registered {
        Some((value, source)) => parse_transcript(value)
            .map(|t| (t, source.to_owned()))
            .map_err(|e| format!("registered transcript: {e}")),
        None => Ok((
            shared.analysis.default_transcript.clone(),
            "default".to_owned(),
        )),
    }
}

/// A transcript given as a JSON document (any transcript form of docs/formats.md) or as plain text.
pub(crate) fn parse_transcript(value: Value) -> Result<Transcript, String> {
    match value {
        Value::String(text) => Transcript::parse(&text).map_err(|e| e.to_string()),
        other => Transcript::from_value(other).map_err(|e| e.to_string()),
    }
}

/// Streams the whole file into one buffer, refusing more than `limit` bytes.
async fn download(http: &reqwest::Client, url: Url, limit: u64) -> Result<Vec<u8>, String> {
    let mut resp = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("download: {}", e.without_url()))?;
    if !resp.status().is_success() {
        return Err(format!("download: HTTP {}", resp.status().as_u16()));
    }
    let too_large = || format!("audio: file larger than {limit} bytes");
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let hint = resp.content_length().unwrap_or(0).min(limit);
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| format!("download: {}", e.without_url()))?
    {
        if buf.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}
