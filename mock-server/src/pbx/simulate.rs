//! `POST /__admin/calls/simulate`: a call through the mock PBX, with its pushes to the CRM.
//!
//! The history record and the recording exist as soon as the admin request is answered; the
//! pushes (events, `contact`, `history`) run in a background task, and each step's outcome is
//! kept for `GET /__admin/calls`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use vats_api::v1::{Destination, HistoryRecord};
use vats_api::{CallId, CallStatus, Direction, EventType, Phone};

use super::legacy::LegacyTarget;
use super::state::PbxData;
use crate::audio::RecordingFormat;
use crate::config::{PushEncoding, PushFormat};
use crate::journal::lock;
use crate::targets::PushTarget;

/// The body of `POST /__admin/calls/simulate`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SimulateRequest {
    /// The client's number (default `79234102993`, a client the mock CRM knows).
    pub(crate) phone: Option<String>,
    /// The PBX user (login or extension) who takes or makes the call (default `user1`).
    pub(crate) user: Option<String>,
    /// `in` (default) or `out`.
    pub(crate) direction: Option<String>,
    /// `answered` (default), `missed`, `cancelled` or `busy`.
    pub(crate) outcome: Option<String>,
    /// Talk time in seconds (default: the configured `default_call_secs`).
    pub(crate) duration: Option<u32>,
    /// Recording format: `wav` (default), `mp3` or `ogg`.
    pub(crate) format: Option<String>,
    /// The company number called (default the first configured number).
    pub(crate) diversion: Option<String>,
    /// Push form for this call: `v1` or `legacy` (default: the configured one).
    pub(crate) push_format: Option<PushFormat>,
    /// Body encoding of v1 pushes for this call: `json` or `form` (default: the configured
    /// one).
    pub(crate) push_encoding: Option<PushEncoding>,
    /// The client's rating (1–5) of an answered call: kept in the history and, in v1 form,
    /// pushed as `rating` (V4) after `history`.
    pub(crate) rating: Option<u32>,
}

/// One push of a simulated call and how it went.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    pub(crate) cmd: String,
    pub(crate) ok: bool,
    pub(crate) detail: Value,
}

/// A simulated call as the admin API shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Simulation {
    pub(crate) callid: String,
    pub(crate) push_format: &'static str,
    pub(crate) done: bool,
    pub(crate) steps: Vec<Step>,
}

/// Everything a simulation needs, cheap to clone into the task.
#[derive(Clone)]
pub(crate) struct Pushers {
    /// Where and in which form pushes go now (`PUT /__admin/config` changes it).
    pub(crate) target: Arc<Mutex<PushTarget>>,
    pub(crate) crm_token: SecretString,
    pub(crate) legacy_target: Arc<Mutex<Option<LegacyTarget>>>,
    pub(crate) log: Arc<Mutex<Vec<Simulation>>>,
    pub(crate) runtime: tokio::runtime::Handle,
}

enum Outcome {
    Answered,
    Missed,
    Cancelled,
    Busy,
}

/// Validates the request, records the call and spawns its pushes. Answers the admin JSON.
pub(crate) fn simulate(
    data: &Mutex<PbxData>,
    pushers: &Pushers,
    default_secs: u32,
    req: SimulateRequest,
) -> Result<Value, String> {
    let direction = match req
        .direction
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("in") => Direction::In,
        Some("out") => Direction::Out,
        Some(other) => return Err(format!("direction: {other:?} is not in or out")),
    };
    let outcome = match req
        .outcome
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("answered") | Some("success") => Outcome::Answered,
        Some("missed") | Some("noanswer") => Outcome::Missed,
        Some("cancelled") | Some("canceled") | Some("cancel") => Outcome::Cancelled,
        Some("busy") => Outcome::Busy,
        Some(other) => {
            return Err(format!(
                "outcome: {other:?} is not answered, missed, cancelled or busy"
            ));
        }
    };
    let format = match req.format.as_deref() {
        None => RecordingFormat::Wav,
        Some(ext) => RecordingFormat::from_extension(ext)
            .ok_or_else(|| format!("format: {ext:?} is not wav, mp3 or ogg"))?,
    };
    let phone = req.phone.unwrap_or_else(|| "79234102993".to_owned());
    if phone.is_empty() || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err("phone: digits only".into());
    }
    let secs = req.duration.unwrap_or(default_secs).min(2700);
    if let Some(r) = req.rating
        && !(1..=5).contains(&r)
    {
        return Err(format!("rating: {r} is not 1 to 5"));
    }
    let current = lock(&pushers.target).clone();
    let push_format = req.push_format.unwrap_or(current.format);
    let push_encoding = req.push_encoding.unwrap_or(current.encoding);

    let (record, history, user_name, ext, diversion) = {
        let mut d = lock(data);
        let who = req.user.unwrap_or_else(|| "user1".to_owned());
        let user = d
            .user_by_login_or_ext(&who)
            .cloned()
            .ok_or_else(|| format!("user: unknown user {who}"))?;
        let diversion = req
            .diversion
            .or_else(|| d.telnums.first().map(|t| t.telnum.as_str().to_owned()))
            .unwrap_or_default();
        let uid = d.next_uid();
        let answered = matches!(outcome, Outcome::Answered);
        let record = answered.then(|| d.add_recording(&uid, format, secs.max(1)));
        let history = HistoryRecord {
            uid: CallId::from(uid.as_str()),
            direction: direction.clone(),
            status: match outcome {
                Outcome::Answered => CallStatus::Success,
                Outcome::Missed => CallStatus::Missed,
                Outcome::Cancelled => CallStatus::Cancel,
                Outcome::Busy => CallStatus::Busy,
            },
            client: phone.clone(),
            account: None,
            diversion: diversion.clone(),
            destination: Some(Destination::User),
            user: Some(user.login.as_str().to_owned()),
            user_name: user.name.clone(),
            group_name: String::new(),
            start: Utc::now(),
            wait: 5,
            duration: if answered { u64::from(secs) } else { 0 },
            record: record.clone(),
            rating: if answered { req.rating } else { None },
            missed_status: None,
        };
        d.push_history(history.clone());
        (
            record,
            history,
            user.login.as_str().to_owned(),
            user.ext.clone(),
            diversion,
        )
    };
    let callid = history.uid.as_str().to_owned();
    lock(&pushers.log).push(Simulation {
        callid: callid.clone(),
        push_format: match push_format {
            PushFormat::V1 => "v1",
            PushFormat::Legacy => "legacy",
        },
        done: false,
        steps: Vec::new(),
    });
    let task = Task {
        pushers: pushers.clone(),
        url: current.url,
        push_format,
        push_encoding,
        history: history.clone(),
        user: user_name,
        ext,
        diversion,
    };
    pushers.runtime.spawn(task.run());
    Ok(json!({
        "status": "ok",
        "callid": callid,
        "record": record,
        "history": history,
        "push_format": match push_format { PushFormat::V1 => "v1", PushFormat::Legacy => "legacy" },
        "push_encoding": crate::targets::push_encoding_name(push_encoding),
    }))
}

struct Task {
    pushers: Pushers,
    /// The push URL when the call was simulated.
    url: String,
    push_format: PushFormat,
    push_encoding: PushEncoding,
    history: HistoryRecord,
    user: String,
    ext: String,
    diversion: String,
}

impl Task {
    /// Records a push that answered only its status.
    fn step_delivery(&self, cmd: &str, result: vats_api::Result<vats_api::Delivery>) {
        self.step(
            cmd,
            result
                .map(|d| json!({"status": d.status.as_u16(), "attempts": d.attempts}))
                .map_err(|e| e.to_string()),
        );
    }

    /// Records a push whose answer is data.
    fn step_json<T: serde::Serialize>(&self, cmd: &str, result: vats_api::Result<T>) {
        self.step(
            cmd,
            result
                .map(|a| serde_json::to_value(a).unwrap_or(Value::Null))
                .map_err(|e| e.to_string()),
        );
    }

    fn step(&self, cmd: &str, result: Result<Value, String>) {
        let (ok, detail) = match result {
            Ok(v) => (true, v),
            Err(e) => {
                tracing::warn!(callid = self.history.uid.as_str(), cmd, error = %e, "mock PBX: push failed");
                (false, Value::String(e))
            }
        };
        let mut log = lock(&self.pushers.log);
        if let Some(sim) = log
            .iter_mut()
            .rev()
            .find(|s| s.callid == self.history.uid.as_str())
        {
            sim.steps.push(Step {
                cmd: cmd.to_owned(),
                ok,
                detail,
            });
        }
    }

    fn finish(&self) {
        let mut log = lock(&self.pushers.log);
        if let Some(sim) = log
            .iter_mut()
            .rev()
            .find(|s| s.callid == self.history.uid.as_str())
        {
            sim.done = true;
        }
        let excess = log.len().saturating_sub(1000);
        log.drain(..excess);
    }

    fn events(&self) -> Vec<EventType> {
        let first = if self.history.direction == Direction::Out {
            EventType::Outgoing
        } else {
            EventType::Incoming
        };
        if matches!(self.history.status, CallStatus::Success) {
            vec![first, EventType::Accepted, EventType::Completed]
        } else {
            vec![first, EventType::Cancelled]
        }
    }

    async fn run(self) {
        match self.push_format {
            PushFormat::V1 => self.run_v1().await,
            PushFormat::Legacy => self.run_legacy().await,
        }
        self.finish();
    }

    async fn run_v1(&self) {
        use vats_api::v1::push::{
            ContactRequest, CrmNotifier, EventPush, HistoryPush, PushEncoding as Wire, RatingPush,
        };
        // Form receivers written for the live PBX (PHP's `$_POST`) refuse keys beyond the
        // form-era set: no `direction` in `event`, no `diversion` in `contact`, no `rating`
        // anywhere (docs/protocol.md §3).
        let form = self.push_encoding == PushEncoding::Form;
        let notifier = match CrmNotifier::builder()
            .encoding(if form { Wire::Form } else { Wire::Json })
            .url(self.url.clone())
            .crm_token(self.pushers.crm_token.clone())
            .retry_policy(
                http_plumbing::RetryPolicy::default()
                    .with_initial_backoff(Duration::from_millis(100)),
            )
            .build()
        {
            Ok(n) => n,
            Err(e) => return self.step("setup", Err(e.to_string())),
        };
        let h = &self.history;
        let phone = Phone::from(h.client.as_str());
        let diversion = (!self.diversion.is_empty()).then(|| Phone::from(self.diversion.as_str()));
        let events = self.events();
        for (i, ev) in events.into_iter().enumerate() {
            let push = EventPush {
                event_type: ev.clone(),
                phone: phone.clone(),
                diversion: diversion.clone(),
                user: self.user.clone(),
                group_real_name: None,
                ext: Some(self.ext.clone()),
                telnum: diversion.clone(),
                direction: (!form).then(|| h.direction.clone()),
                callid: h.uid.clone(),
            };
            let r = notifier.event(&push).await;
            self.step_delivery(&format!("event {ev}"), r);
            if i == 0 && h.direction == Direction::In {
                let req = ContactRequest {
                    phone: phone.clone(),
                    diversion: diversion.clone().filter(|_| !form),
                    callid: h.uid.clone(),
                };
                let r = notifier.contact(&req).await;
                self.step_json("contact", r);
            }
        }
        let push = HistoryPush {
            direction: h.direction.clone(),
            user: self.user.clone(),
            ext: Some(self.ext.clone()),
            group_real_name: None,
            telnum: diversion.clone(),
            phone,
            diversion,
            start: h.start,
            duration: u32::try_from(h.duration).unwrap_or(u32::MAX),
            callid: h.uid.clone(),
            link: h.record.clone(),
            rating: h.rating.filter(|_| !form),
            status: h.status.clone(),
        };
        let r = notifier.history(&push).await;
        self.step(
            "history",
            r.map(
                |d| json!({"status": d.status.as_u16(), "attempts": d.attempts, "link": push.link}),
            )
            .map_err(|e| e.to_string()),
        );
        if let Some(rating) = h.rating.filter(|_| !form) {
            let push = RatingPush {
                phone: Phone::from(h.client.as_str()),
                rating,
                user: self.user.clone(),
                ext: Some(self.ext.clone()),
                callid: h.uid.clone(),
            };
            let r = notifier.rating(&push).await;
            self.step("rating", r.map_err(|e| e.to_string()));
        }
    }

    async fn run_legacy(&self) {
        use vats_api::legacy::{ContactRequest, EventPush, HistoryPush, LegacyCrmNotifier};
        let target = lock(&self.pushers.legacy_target).clone();
        let (url, token) = match target {
            Some(t) => (t.url, t.crm_token),
            None => (self.url.clone(), self.pushers.crm_token.clone()),
        };
        let notifier = match LegacyCrmNotifier::builder()
            .url(url)
            .crm_token(token)
            .retry_policy(
                http_plumbing::RetryPolicy::default()
                    .with_initial_backoff(Duration::from_millis(100)),
            )
            .build()
        {
            Ok(n) => n,
            Err(e) => return self.step("setup", Err(e.to_string())),
        };
        let r = notifier.users().await;
        self.step_json("users", r);
        let h = &self.history;
        let phone = Phone::from(h.client.as_str());
        let diversion = (!self.diversion.is_empty()).then(|| Phone::from(self.diversion.as_str()));
        for (i, ev) in self.events().into_iter().enumerate() {
            let push = EventPush {
                event_type: ev.clone(),
                phone: phone.clone(),
                diversion: diversion.clone(),
                user: self.user.clone(),
                callid: h.uid.clone(),
            };
            let r = notifier.event(&push).await;
            self.step_delivery(&format!("event {ev}"), r);
            if i == 0 && h.direction == Direction::In {
                let req = ContactRequest {
                    phone: phone.clone(),
                    callid: h.uid.clone(),
                };
                let r = notifier.contact(&req).await;
                self.step_json("contact", r);
            }
        }
        let push = HistoryPush {
            direction: h.direction.clone(),
            user: self.user.clone(),
            phone,
            diversion,
            duration: u32::try_from(h.duration).unwrap_or(u32::MAX),
            callid: h.uid.clone(),
            links: h.record.iter().cloned().collect(),
        };
        let r = notifier.history(&push).await;
        self.step("history", r.map(|d| json!({"status": d.status.as_u16(), "attempts": d.attempts, "links": push.links})).map_err(|e| e.to_string()));
    }
}
