//! The async client for R1–R5 (`client` feature).

mod answer;
mod builder;

pub use builder::ClientBuilder;

use crate::error::{Error, Result};
use crate::types::calls::{CallReady, CallReadyQuery, CallUpload};
use crate::types::ids::CallId;
use crate::types::settings::{Manager, Office};
use http_plumbing::{RawResponse, SendPolicy, send};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use url::Url;

/// How [`Client::upload_call`] encodes its body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadFormat {
    /// `application/json` (the older ROP vendor document, the ROP vendor document's Python and PHP examples). The default.
    #[default]
    Json,
    /// `multipart/form-data`, as the ROP vendor document's `curl --form` example sends it.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// The answer to R1/R2: the call is queued for analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallAccepted {
    /// The call id ROP echoed back (`data`).
    pub call_id: CallId,
    /// ROP's message (`Звонок успешно получен и поставлен в очередь на анализ`).
    pub message: String,
}

/// A client for the «Цифровой РОП» API. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use rop_api::{CallReady, CallUpload, Client, TableId};
///
/// let client = Client::builder()
///     .base_url("http://10.28.32.81/api/v1/")
///     .api_key("my-key")
///     .build()?;
/// let call = CallUpload::new("call_1", "mgr_001", "https://crm.example/a.mp3".parse()?);
/// let accepted = client.upload_call(&call).await?;
/// match client.call_ready(&TableId::from("TBL_1"), &accepted.call_id).await? {
///     CallReady::Ready(data) => println!("{data:?}"),
///     CallReady::NotReady => println!("not yet"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    api_key: SecretString,
    retry: SendPolicy,
    upload_format: UploadFormat,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &http_plumbing::REDACTED)
            .field("retry", &self.inner.retry)
            .field("upload_format", &self.inner.upload_format)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; `base_url` and `api_key` are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are resolved against (ends with `/`, e.g. `…/api/v1/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// R1: `POST calls/audio-upload` — send a call recording for analysis, in the configured
    /// [`UploadFormat`] (JSON by default).
    ///
    /// Validates the call first ([`CallUpload::validate`]). A repeated `call_id` is
    /// [`Error::Conflict`].
    pub async fn upload_call(&self, call: &CallUpload) -> Result<CallAccepted> {
        self.post_call("calls/audio-upload", call, self.inner.upload_format)
            .await
    }

    /// R1 with an explicit body format, whatever the client's default.
    pub async fn upload_call_as(
        &self,
        call: &CallUpload,
        format: UploadFormat,
    ) -> Result<CallAccepted> {
        self.post_call("calls/audio-upload", call, format).await
    }

    /// R2: `POST calls` — the vendor document's "alternative JSON format" of R1; always JSON.
    pub async fn submit_call(&self, call: &CallUpload) -> Result<CallAccepted> {
        self.post_call("calls", call, UploadFormat::Json).await
    }

    /// R3: `POST settings/offices-update` — upsert offices; answers how many were stored (all
    /// that were sent when the server answers `"data": true`).
    ///
    /// ```no_run
    /// # async fn run(client: rop_api::Client) -> rop_api::Result<()> {
    /// use rop_api::{ManagerId, Office, OfficeId};
    /// let office = Office {
    ///     office_title: "Офис продаж Центр".into(),
    ///     office_id: OfficeId::from("office_001"),
    ///     leader_ids: vec![ManagerId::from("leader_123")],
    ///     managers_ids: vec![ManagerId::from("manager_789")],
    /// };
    /// assert_eq!(client.update_offices(&[office]).await?, 1);
    /// # Ok(()) }
    /// ```
    pub async fn update_offices(&self, offices: &[Office]) -> Result<u64> {
        let body = OfficesBody { offices };
        let url = self.url("settings/offices-update", &[])?;
        let raw = self.send(|http| http.post(url.clone()).json(&body)).await?;
        answer::count(raw, offices.len())
    }

    /// R4: `POST settings/managers-update` — upsert managers; answers how many were stored (all
    /// that were sent when the server answers `"data": true`).
    ///
    /// ```no_run
    /// # async fn run(client: rop_api::Client) -> rop_api::Result<()> {
    /// use rop_api::{Manager, ManagerId};
    /// let manager = Manager {
    ///     manager_id: ManagerId::from("manager_789"),
    ///     name: "Иван".into(),
    ///     surname: "Иванов".into(),
    ///     middlename: Some("Иванович".into()),
    /// };
    /// client.update_managers(&[manager]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_managers(&self, managers: &[Manager]) -> Result<u64> {
        let body = ManagersBody { managers };
        let url = self.url("settings/managers-update", &[])?;
        let raw = self.send(|http| http.post(url.clone()).json(&body)).await?;
        answer::count(raw, managers.len())
    }

    /// R5: `GET tables/call-ready?tab=&call=` — is the table's result for the call ready?
    ///
    /// An unknown table or call is [`Error::Api`] with status 404; "queued or being analysed" is
    /// [`CallReady::NotReady`].
    pub async fn call_ready(
        &self,
        table: &crate::types::ids::TableId,
        call: &CallId,
    ) -> Result<CallReady> {
        self.call_ready_query(&CallReadyQuery::new(table.clone(), call.clone()))
            .await
    }

    /// R5 with a ready-made query.
    pub async fn call_ready_query(&self, query: &CallReadyQuery) -> Result<CallReady> {
        let url = self.url(
            "tables/call-ready",
            &[("tab", query.tab.as_str()), ("call", query.call.as_str())],
        )?;
        let raw = self.send(|http| http.get(url.clone())).await?;
        answer::call_ready(raw)
    }

    async fn post_call(
        &self,
        path: &str,
        call: &CallUpload,
        format: UploadFormat,
    ) -> Result<CallAccepted> {
        call.validate()?;
        let url = self.url(path, &[])?;
        let raw = match format {
            UploadFormat::Json => self.send(|http| http.post(url.clone()).json(call)).await?,
            UploadFormat::Form => {
                let fields = call_fields(call);
                self.send(|http| http.post(url.clone()).form(&fields))
                    .await?
            }
            UploadFormat::Multipart => {
                let fields = call_fields(call);
                self.send(|http| {
                    let form = fields
                        .iter()
                        .fold(reqwest::multipart::Form::new(), |form, (k, v)| {
                            form.text(*k, v.clone())
                        });
                    http.post(url.clone()).multipart(form)
                })
                .await?
            }
        };
        answer::accepted(raw)
    }

    /// `base + path`, with the extra query pairs and `apiKey` last.
    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let mut url = self
            .inner
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("cannot join {path:?} to the base URL: {e}")))?;
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("apiKey", self.inner.api_key.expose_secret());
        }
        Ok(url)
    }

    async fn send<F>(&self, make: F) -> Result<RawResponse>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let http = &self.inner.http;
        Ok(send(&self.inner.retry, || make(http)).await?)
    }
}

/// R3's body, borrowed ([`crate::OfficesUpdate`]'s wire form).
#[derive(serde::Serialize)]
struct OfficesBody<'a> {
    offices: &'a [Office],
}

/// R4's body, borrowed ([`crate::ManagersUpdate`]'s wire form).
#[derive(serde::Serialize)]
struct ManagersBody<'a> {
    managers: &'a [Manager],
}

/// R1's fields in the vendor document's order, as text (for form and multipart bodies).
fn call_fields(call: &CallUpload) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("manager_id", call.manager_id.to_string()),
        ("call_id", call.call_id.to_string()),
    ];
    if let Some(d) = &call.deal_id {
        fields.push(("deal_id", d.to_string()));
    }
    if let Some(s) = &call.deal_stage_id {
        fields.push(("deal_stage_id", s.to_string()));
    }
    fields.push(("audio_url", call.audio_url.to_string()));
    if let Some(d) = call.duration {
        fields.push(("duration", d.to_string()));
    }
    fields
}
