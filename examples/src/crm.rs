//! [`Crm`]: the example CRM's logic — from a PBX `history` push to ROP and from ROP's results
//! back into the CRM (docs/protocol.md §5).

use crate::config::BridgeConfig;
use crate::directory::Directory;
use crate::error::{Error, Result};
use crate::record::{CallRecord, CallState, PbxCall, Stats};
use rop_api::{CallUpload, ChecklistResult, StageStatus, TableResult};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use universe_api::{CallRequest, LeadRequest, MessageRequest, Order, TaskRequest};

/// The example CRM: maps PBX calls to managers and deals, sends them to ROP, and writes ROP's
/// scores back as a comment, a task per failed stage and the call. Cheap to clone.
///
/// It is served over HTTP by [`crate::router`]; its trait implementations (the PBX push
/// handlers of both generations and ROP's webhook handler) are in the `handlers` module.
#[derive(Clone)]
pub struct Crm {
    inner: Arc<Inner>,
}

struct Inner {
    config: BridgeConfig,
    rop: rop_api::Client,
    universe: universe_api::Client,
    directory: Mutex<Directory>,
    calls: Mutex<BTreeMap<String, CallRecord>>,
    /// W1/W2 keys fully processed (deduplication of at-least-once deliveries).
    done: Mutex<BTreeSet<String>>,
    /// W1/W2 keys being processed right now (a concurrent redelivery is a duplicate).
    in_flight: Mutex<BTreeSet<String>>,
    stats: Mutex<Stats>,
}

impl std::fmt::Debug for Crm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crm")
            .field("config", &self.inner.config)
            .field("rop", &self.inner.rop)
            .finish_non_exhaustive()
    }
}

/// Locks a mutex; a poisoned lock still holds consistent data here (every critical section is
/// a plain insert or copy), so it is used as is.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Crm {
    /// Builds the ROP and Universe clients. The directory starts empty: call
    /// [`refresh_directory`](Self::refresh_directory) (or use [`connect`](Self::connect)).
    ///
    /// # Errors
    /// [`Error::Rop`] / [`Error::Universe`] for a bad URL or an empty key.
    pub fn new(config: BridgeConfig) -> Result<Self> {
        let rop = rop_api::Client::builder()
            .base_url(config.rop_url.clone())
            .api_key(config.rop_api_key.clone())
            .retry_policy(config.client_retry.clone())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(Error::Rop)?;
        let universe = universe_api::Client::builder()
            .base_url(config.universe_url.clone())
            .credentials(
                config.universe_login.clone(),
                config.universe_password.clone(),
            )
            .retry_policy(config.client_retry.clone())
            .build()
            .map_err(Error::Universe)?;
        let directory = Directory {
            pbx_logins: config.pbx_logins.clone(),
            ..Directory::default()
        };
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                rop,
                universe,
                directory: Mutex::new(directory),
                calls: Mutex::new(BTreeMap::new()),
                done: Mutex::new(BTreeSet::new()),
                in_flight: Mutex::new(BTreeSet::new()),
                stats: Mutex::new(Stats::default()),
            }),
        })
    }

    /// [`new`](Self::new), then [`refresh_directory`](Self::refresh_directory).
    ///
    /// # Errors
    /// As both.
    pub async fn connect(config: BridgeConfig) -> Result<Self> {
        let crm = Self::new(config)?;
        crm.refresh_directory().await?;
        Ok(crm)
    }

    /// Reloads managers (U1), clients (U2) and deals (U3) from the CRM.
    ///
    /// # Errors
    /// [`Error::Universe`].
    pub async fn refresh_directory(&self) -> Result<()> {
        let dir = Directory::load(&self.inner.universe, self.inner.config.pbx_logins.clone())
            .await
            .map_err(Error::Universe)?;
        tracing::info!(
            managers = dir.managers.len(),
            clients = dir.phones.len(),
            deals = dir.orders.len(),
            "CRM directory loaded"
        );
        *lock(&self.inner.directory) = dir;
        Ok(())
    }

    /// The configuration.
    pub fn config(&self) -> &BridgeConfig {
        &self.inner.config
    }

    /// The ROP client the CRM uses.
    pub fn rop(&self) -> &rop_api::Client {
        &self.inner.rop
    }

    /// The Universe client the CRM uses.
    pub fn universe(&self) -> &universe_api::Client {
        &self.inner.universe
    }

    /// A copy of the directory.
    pub fn directory(&self) -> Directory {
        lock(&self.inner.directory).clone()
    }

    /// V3/L5 `contact`: the client's name and responsible PBX login for a phone.
    pub fn contact_for(&self, phone: &str) -> Option<(String, Option<String>)> {
        lock(&self.inner.directory).contact_for(phone)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        *lock(&self.inner.stats)
    }

    /// Every call, by call id.
    pub fn calls(&self) -> BTreeMap<String, CallRecord> {
        lock(&self.inner.calls).clone()
    }

    /// One call.
    pub fn call(&self, call_id: &str) -> Option<CallRecord> {
        lock(&self.inner.calls).get(call_id).cloned()
    }

    /// Waits (polling every 20 ms) until the call exists and `done` holds for it, at most
    /// `timeout`; answers the last record seen.
    pub async fn wait_for(
        &self,
        call_id: &str,
        timeout: Duration,
        done: impl Fn(&CallRecord) -> bool,
    ) -> Option<CallRecord> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let record = self.call(call_id);
            if record.as_ref().is_some_and(&done) || tokio::time::Instant::now() >= deadline {
                return record;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn bump(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut lock(&self.inner.stats));
    }

    fn update(&self, call_id: &str, f: impl FnOnce(&mut CallRecord)) {
        if let Some(r) = lock(&self.inner.calls).get_mut(call_id) {
            f(r);
        }
    }

    fn set_state(&self, call_id: &str, state: CallState) {
        tracing::info!(call_id, state = ?state, "call state");
        self.update(call_id, |r| r.state = state);
    }

    /// The outcome of R1, unless ROP's webhook already overtook the answer (ROP may score a
    /// short call and post W1 before the upload's answer is read): a result is never undone.
    fn set_upload_outcome(&self, call_id: &str, state: CallState) {
        tracing::info!(call_id, state = ?state, "upload outcome");
        self.update(call_id, |r| {
            if r.state == CallState::Uploading {
                r.state = state;
            }
        });
    }

    /// A `history` push (either generation): records the call and starts its background work.
    /// Answers at once; a redelivered push of a known call id is acknowledged and ignored.
    ///
    /// Must be called inside a Tokio runtime.
    ///
    /// # Errors
    /// A [`vats_api::HandlerError`] (400) for an empty call id.
    pub fn accept_history(&self, call: PbxCall) -> Result<(), vats_api::HandlerError> {
        if call.call_id.trim().is_empty() {
            return Err(vats_api::HandlerError::invalid(
                "callid",
                "must not be empty",
            ));
        }
        let id = call.call_id.clone();
        {
            let mut calls = lock(&self.inner.calls);
            if calls.contains_key(&id) {
                drop(calls);
                self.bump(|s| s.duplicate_pushes += 1);
                tracing::info!(call_id = %id, "history push for a known call: ignored");
                return Ok(());
            }
            calls.insert(id.clone(), CallRecord::new(call));
        }
        self.bump(|s| s.history_pushes += 1);
        let this = self.clone();
        tokio::spawn(async move { this.process_call(&id).await });
        Ok(())
    }

    /// Counts an `event` push.
    pub(crate) fn note_event(&self) {
        self.bump(|s| s.events += 1);
    }

    /// The background work of one call: map, upload (retrying transient failures), or write the
    /// call back without analysis.
    async fn process_call(&self, id: &str) {
        let Some(call) = self.call(id).map(|r| r.call) else {
            return;
        };
        let manager = lock(&self.inner.directory).manager_for(&call.user, call.ext.as_deref());
        let deal = match &manager {
            Some(m) => self.deal_for(id, &call, m).await,
            None => None,
        };
        self.update(id, |r| {
            r.manager_id.clone_from(&manager);
            r.deal_id = deal.as_ref().map(ToString::to_string);
        });
        let Some(manager) = manager else {
            let why = format!("PBX user {} is not mapped to a CRM manager", call.user);
            return self
                .settle_without_analysis(id, CallState::NotAnalysed(why))
                .await;
        };
        if !call.answered() {
            let why = format!(
                "the call was not answered ({})",
                call.status.as_ref().map_or("?", |s| s.as_str())
            );
            return self
                .settle_without_analysis(id, CallState::NotAnalysed(why))
                .await;
        }
        let Some(link) = call.recording.clone() else {
            let why = "the PBX sent no recording".to_owned();
            return self
                .settle_without_analysis(id, CallState::NotAnalysed(why))
                .await;
        };
        let audio_url = match url::Url::parse(&link) {
            Ok(u) => u,
            Err(e) => {
                let why = format!("the recording link is not a URL: {e}");
                return self
                    .settle_without_analysis(id, CallState::Rejected(why))
                    .await;
            }
        };
        let mut upload = CallUpload::new(id, manager.as_str(), audio_url);
        if call.duration > 0 {
            upload = upload.with_duration(call.duration);
        }
        if let Some(d) = &deal {
            upload = upload.with_deal(d.as_str(), None);
        }
        self.upload(id, &upload).await;
    }

    /// R1 in rounds: each round is one client call (with its own short retries); transient
    /// failures (transport, 5xx, 429) wait and try again, nothing is dropped before
    /// `max_attempts` rounds.
    async fn upload(&self, id: &str, upload: &CallUpload) {
        let retry = self.inner.config.upload_retry;
        let mut round = 0;
        loop {
            round += 1;
            self.update(id, |r| {
                if matches!(r.state, CallState::Received | CallState::Uploading) {
                    r.state = CallState::Uploading;
                }
                r.upload_attempts = round;
            });
            self.bump(|s| s.upload_rounds += 1);
            match self.inner.rop.upload_call(upload).await {
                Ok(accepted) => {
                    self.bump(|s| s.uploads_accepted += 1);
                    tracing::info!(call_id = %accepted.call_id, round, "ROP queued the call");
                    return self.set_upload_outcome(id, CallState::Queued);
                }
                Err(e) if e.is_conflict() => {
                    tracing::info!(call_id = id, "ROP already has this call");
                    return self.set_upload_outcome(id, CallState::AlreadyQueued);
                }
                Err(e) if is_permanent(&e) => {
                    tracing::warn!(call_id = id, error = %e, "ROP refused the call");
                    let why = rop_reason(&e);
                    return self
                        .settle_without_analysis(id, CallState::Rejected(why))
                        .await;
                }
                Err(e) if round >= retry.max_attempts => {
                    tracing::warn!(call_id = id, error = %e, round, "ROP upload gave up");
                    return self.set_upload_outcome(id, CallState::Failed(e.to_string()));
                }
                Err(e) => {
                    let wait = retry.backoff(round);
                    tracing::info!(call_id = id, error = %e, round, ?wait, "ROP upload will retry");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// The deal of the call's phone; for an unknown phone a new deal (U4 lead) is created.
    async fn deal_for(&self, id: &str, call: &PbxCall, manager: &str) -> Option<String> {
        let known = lock(&self.inner.directory).deal_for(&call.phone, Some(manager));
        if let Some(deal) = known {
            return Some(deal.into_string());
        }
        let mut lead = LeadRequest::new(format!("Звонок {}", call.phone));
        lead.phone = Some(call.phone.clone());
        lead.manager_id = Some(manager.into());
        lead.created_date = call.start.or_else(|| Some(chrono::Utc::now()));
        lead.text = Some(format!("Новый клиент из звонка {id}"));
        match self.inner.universe.create_lead(&lead).await {
            Ok(created) => {
                self.bump(|s| s.leads += 1);
                let order_id = created.order_id.to_string();
                self.update(id, |r| r.written.lead = Some(order_id.clone()));
                let order = Order {
                    id: created.order_id,
                    name: lead.title,
                    date_create: lead.created_date.unwrap_or_default(),
                    manager_id: lead.manager_id,
                    ..Order::default()
                };
                lock(&self.inner.directory).add_deal(&call.phone, order);
                Some(order_id)
            }
            Err(e) => {
                tracing::warn!(call_id = id, error = %e, "cannot create a deal for the call");
                None
            }
        }
    }

    /// Writes the call (U7) and, for a refused recording, a comment (U5) saying why; then sets
    /// the final state.
    async fn settle_without_analysis(&self, id: &str, state: CallState) {
        if let Err(e) = self.write_call(id).await {
            tracing::warn!(call_id = id, error = %e, "cannot write the call to the CRM");
        }
        if let CallState::Rejected(why) = &state {
            let note = format!("Звонок {id} не проанализирован: {why}");
            if let Err(e) = self.write_message(id, "rejected", &note).await {
                tracing::warn!(call_id = id, error = %e, "cannot write the comment");
            }
        }
        self.set_state(id, state);
    }

    /// W1: deduplicated on (`call_id`, `checklist_name`); writes the comment, the tasks and the
    /// call. A failed write answers 500 so ROP retries; what was written is not written again.
    pub(crate) async fn on_checklist(
        &self,
        result: ChecklistResult,
    ) -> Result<(), rop_api::HandlerError> {
        let checklist = result.checklist_name.clone().unwrap_or_default();
        let key = format!("w1\u{1f}{}\u{1f}{checklist}", result.call_id);
        let id = result.call_id.as_str().to_owned();
        let _guard = self.claim(&key)?;
        if self.call(&id).is_none() {
            return Err(rop_api::HandlerError::not_found(format!(
                "Звонок {id} неизвестен CRM"
            )));
        }
        self.bump(|s| s.checklist_results += 1);
        self.update(&id, |r| {
            r.state = CallState::Scored;
            r.checklists
                .retain(|c| c.checklist_name != result.checklist_name);
            r.checklists.push(result.clone());
        });
        match self.write_back(&id, &checklist, &result).await {
            Ok(()) => {
                lock(&self.inner.done).insert(key);
                self.set_state(&id, CallState::WrittenBack);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(call_id = %id, error = %e, "write-back failed; ROP will retry");
                Err(rop_api::HandlerError::internal(e.to_string()))
            }
        }
    }

    /// W2: deduplicated on (`call_id`, `table_id`); the extracted data is kept on the call.
    pub(crate) fn on_table(&self, result: TableResult) -> Result<(), rop_api::HandlerError> {
        let key = format!("w2\u{1f}{}\u{1f}{}", result.call_id, result.table_id);
        let id = result.call_id.as_str().to_owned();
        let _guard = self.claim(&key)?;
        if self.call(&id).is_none() {
            return Err(rop_api::HandlerError::not_found(format!(
                "Звонок {id} неизвестен CRM"
            )));
        }
        self.bump(|s| s.table_results += 1);
        let table = result.table_id.as_str().to_owned();
        self.update(&id, |r| {
            r.tables.insert(table, result.extracted_data);
        });
        lock(&self.inner.done).insert(key);
        Ok(())
    }

    /// Marks `key` in flight, or answers `Duplicate` when it is done or in flight already.
    fn claim(&self, key: &str) -> Result<InFlight<'_>, rop_api::HandlerError> {
        let duplicate = lock(&self.inner.done).contains(key)
            || !lock(&self.inner.in_flight).insert(key.to_owned());
        if duplicate {
            self.bump(|s| s.duplicate_results += 1);
            return Err(rop_api::duplicate_call());
        }
        Ok(InFlight {
            set: &self.inner.in_flight,
            key: key.to_owned(),
        })
    }

    async fn write_back(&self, id: &str, checklist: &str, result: &ChecklistResult) -> Result<()> {
        let title = if checklist.is_empty() {
            "чек-лист"
        } else {
            checklist
        };
        let failed: Vec<_> = result
            .stages
            .iter()
            .filter(|s| s.score < 0 || matches!(s.status, Some(StageStatus::Failed)))
            .collect();
        let mut note = format!(
            "Оценка звонка {id} по «{title}»: {} из {} ({}%).",
            result.total_score, result.max_score, result.completion_percentage
        );
        if !failed.is_empty() {
            let names: Vec<&str> = failed.iter().map(|s| s.stage_name.as_str()).collect();
            note.push_str(&format!(" Не выполнено: {}.", names.join("; ")));
        }
        self.write_message(id, checklist, &note).await?;
        for stage in failed {
            let stage_key = stage
                .stage_id
                .as_ref()
                .map_or_else(|| stage.stage_name.clone(), ToString::to_string);
            let mut text = format!("Звонок {id}: этап «{}» не выполнен.", stage.stage_name);
            if !stage.comment.is_empty() {
                text.push(' ');
                text.push_str(&stage.comment);
            }
            self.write_task(id, &format!("{checklist}/{stage_key}"), text)
                .await?;
        }
        self.write_call(id).await
    }

    /// U5 on the call's deal, once per `key`. Without a deal there is nowhere to write: skipped.
    async fn write_message(&self, id: &str, key: &str, text: &str) -> Result<()> {
        let Some(record) = self.call(id) else {
            return Ok(());
        };
        let Some(deal) = record.deal_id else {
            return Ok(());
        };
        if record.written.messages.contains_key(key) {
            return Ok(());
        }
        let mut message = MessageRequest::new(deal.as_str(), text);
        message.title = Some("Цифровой РОП".to_owned());
        let added = self
            .inner
            .universe
            .add_message(&message)
            .await
            .map_err(Error::Universe)?;
        self.bump(|s| s.messages += 1);
        let mid = added.message_id.to_string();
        self.update(id, |r| {
            r.written.messages.insert(key.to_owned(), mid);
        });
        Ok(())
    }

    /// U6 on the call's deal, once per `key`, due after the configured delay.
    async fn write_task(&self, id: &str, key: &str, text: String) -> Result<()> {
        let Some(record) = self.call(id) else {
            return Ok(());
        };
        let Some(deal) = record.deal_id else {
            return Ok(());
        };
        if record.written.tasks.contains_key(key) {
            return Ok(());
        }
        let mut task = TaskRequest::new(deal.as_str(), text);
        let delay = chrono::Duration::from_std(self.inner.config.task_deadline)
            .map_err(|e| Error::Config(format!("task_deadline: {e}")))?;
        task.deadline = Some(chrono::Utc::now() + delay);
        let added = self
            .inner
            .universe
            .add_task(&task)
            .await
            .map_err(Error::Universe)?;
        self.bump(|s| s.tasks += 1);
        let tid = added.task_id.to_string();
        self.update(id, |r| {
            r.written.tasks.insert(key.to_owned(), tid);
        });
        Ok(())
    }

    /// U7, once per call.
    async fn write_call(&self, id: &str) -> Result<()> {
        let Some(record) = self.call(id) else {
            return Ok(());
        };
        if record.written.call.is_some() {
            return Ok(());
        }
        let c = &record.call;
        let user = c.ext.clone().unwrap_or_else(|| c.user.clone());
        let (caller, callee) = match c.direction {
            vats_api::Direction::Out => (user, c.phone.clone()),
            _ => (c.phone.clone(), user),
        };
        let mut call = CallRequest::new(id);
        call.caller = Some(caller);
        call.callee = Some(callee);
        call.date = c.start;
        call.status = Some(c.universe_status());
        call.order_id = record.deal_id.as_deref().map(Into::into);
        call.duration = Some(u64::from(c.duration));
        call.file_url.clone_from(&c.recording);
        let added = self
            .inner
            .universe
            .add_call(&call)
            .await
            .map_err(Error::Universe)?;
        self.bump(|s| s.calls_written += 1);
        let cid = added.call_id.to_string();
        self.update(id, |r| r.written.call = Some(cid));
        Ok(())
    }
}

/// Removes its key from the in-flight set when dropped.
struct InFlight<'a> {
    set: &'a Mutex<BTreeSet<String>>,
    key: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        lock(self.set).remove(&self.key);
    }
}

/// A refusal that retrying cannot fix: a 4xx other than 408/429, or a request the client
/// refused to send.
fn is_permanent(e: &rop_api::Error) -> bool {
    match e.status() {
        Some(s) => s.is_client_error() && s.as_u16() != 408 && s.as_u16() != 429,
        None => matches!(
            e,
            rop_api::Error::InvalidInput(_) | rop_api::Error::Config(_)
        ),
    }
}

/// ROP's own message for a refusal (`Файл не является аудио`), else the error text.
fn rop_reason(e: &rop_api::Error) -> String {
    match e.message() {
        Some(message) if !message.is_empty() => message.to_owned(),
        _ => e.to_string(),
    }
}
