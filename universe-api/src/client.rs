//! The analytics side: a typed client that calls the CRM's `<endpoint>/analytics`.

mod paging;

use crate::error::{Error, Result};
use crate::types::actions::{
    CallAdded, CallRequest, LeadCreated, LeadRequest, MessageAdded, MessageRequest, TaskAdded,
    TaskRequest,
};
use crate::types::export::{ClientsPage, Customer, Order, OrdersPage, PageRequest};
use crate::types::scheme::Scheme;
use crate::types::time::unix_text;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::stream::BoxStream;
use http_plumbing::{HttpConfig, RawResponse, SendPolicy, send};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// A client of one CRM's Universe endpoint. Cheap to clone (an `Arc` inside).
///
/// Every operation is a `GET <endpoint>/analytics?action=…` with HTTP Basic auth. Answers with
/// `"status":"error"` are errors whatever their HTTP status ([`Error::Api`] for a 200; by
/// status otherwise, e.g. [`Error::Unauthorized`] for a 401).
///
/// ```no_run
/// # async fn run() -> universe_api::Result<()> {
/// let crm = universe_api::Client::builder()
///     .base_url("https://mycrm.example/crm")
///     .credentials("analytics", "s3cr3t")
///     .build()?;
/// let scheme = crm.import_scheme().await?;
/// println!("{} statuses", scheme.statuses.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    login: String,
    password: SecretString,
    retry: SendPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("login", &self.inner.login)
            .field("password", &http_plumbing::REDACTED)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Builds a [`Client`]; [`build`](ClientBuilder::build) checks the configuration.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    login: Option<String>,
    password: Option<SecretString>,
    config: HttpConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().map(strip_userinfo_text),
            )
            .field("login", &self.login)
            .field(
                "password",
                &self.password.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("timeout", &self.config.timeout)
            .field("retry", &self.config.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            login: None,
            password: None,
            config: HttpConfig::new(concat!("universe-api/", env!("CARGO_PKG_VERSION"))),
        }
    }
}

impl ClientBuilder {
    http_plumbing::http_setters!(config);

    /// The CRM's `<endpoint>`: any base URL, with or without a path prefix
    /// (`https://crm.example`, `https://host/crm/`). `/analytics` is appended unless the path
    /// already ends with it; a query or fragment is dropped. Credentials in the URL (`https://user:pass@host`) are taken as the
    /// Basic-auth credentials when none are set, and removed from the URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The Basic-auth login and password.
    pub fn credentials(
        mut self,
        login: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.login = Some(login.into());
        self.password = Some(password.into());
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails when the base URL is missing or not an absolute `http`/`https` URL, or when no
    /// login is given (neither by [`credentials`](Self::credentials) nor in the URL).
    pub fn build(self) -> Result<Client> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::Config("base_url is required".into()))?;
        let mut url = Url::parse(raw.trim()).map_err(|e| {
            Error::Config(format!(
                "base_url {:?} is not a URL: {e}",
                strip_userinfo_text(&raw)
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base_url must be http or https, not {:?}",
                url.scheme()
            )));
        }
        let url_login = (!url.username().is_empty()).then(|| decode(url.username()));
        let url_password = url.password().map(decode);
        // Removing userinfo from an http(s) URL cannot fail; ignore the unit errors.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.set_query(None);
        url.set_fragment(None);
        let path = url.path().trim_end_matches('/').to_owned();
        if !path.ends_with("/analytics") {
            url.set_path(&format!("{path}/analytics"));
        } else {
            url.set_path(&path);
        }
        let (login, password) = match (self.login, self.password) {
            (Some(l), Some(p)) => (l, p),
            _ => match (url_login, url_password) {
                (Some(l), p) => (l, SecretString::from(p.unwrap_or_default())),
                _ => {
                    return Err(Error::Config(
                        "credentials (login and password) are required".into(),
                    ));
                }
            },
        };
        if login.is_empty() {
            return Err(Error::Config("the login must not be empty".into()));
        }
        let http = self.config.build_client()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint: url,
                login,
                password,
                retry: self.config.send_policy(),
            }),
        })
    }
}

/// Percent-decodes a URL's user or password (a `+` there is a plus, not a space).
fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A base URL as text with any `user:password@` removed, for messages.
fn strip_userinfo_text(raw: &str) -> String {
    match Url::parse(raw.trim()) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => match raw.rsplit_once('@') {
            Some((_, rest)) => format!("…@{rest}"),
            None => raw.to_owned(),
        },
    }
}

impl Client {
    /// A builder; `base_url` and `credentials` are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The full URL the client calls (`<endpoint>/analytics`, no query).
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The URL of one request: the endpoint with `pairs` form-encoded into the query
    /// (UTF-8 percent-encoding, spaces as `+`, a literal `+` as `%2B`).
    fn request_url(&self, pairs: &[(&str, String)]) -> Url {
        let mut url = self.inner.endpoint.clone();
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    async fn get<T: DeserializeOwned>(&self, pairs: &[(&str, String)]) -> Result<T> {
        let url = self.request_url(pairs);
        let inner = &self.inner;
        let raw = send(&inner.retry, || {
            inner
                .http
                .get(url.clone())
                .basic_auth(&inner.login, Some(inner.password.expose_secret()))
                .header(http::header::ACCEPT, "application/json")
        })
        .await?;
        decode_answer(raw)
    }

    /// U1 `import_scheme`: the CRM's statuses, additional fields and managers.
    pub async fn import_scheme(&self) -> Result<Scheme> {
        self.get(&[("action", "import_scheme".to_owned())]).await
    }

    /// U2 `export_clients`: one page of clients.
    pub async fn export_clients(&self, page: PageRequest) -> Result<ClientsPage> {
        let mut q = vec![("action", "export_clients".to_owned())];
        push_page(&mut q, page);
        self.get(&q).await
    }

    /// U2 over all pages (an `Unpin` stream: `.next().await` works as is): every page of
    /// clients, fetched lazily (`offset` += `limit` until
    /// `total_count`). `limit` `None` lets the CRM pick the page size; the first page's
    /// `pagination.limit` then drives the following requests.
    pub fn export_clients_pages(
        &self,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<ClientsPage>> {
        let client = self.clone();
        paging::pages(limit, move |page| {
            let client = client.clone();
            async move { client.export_clients(page).await }
        })
        .boxed()
    }

    /// U2 over all pages, one client at a time.
    pub fn export_clients_stream(
        &self,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<Customer>> {
        paging::items(self.export_clients_pages(limit), |p: ClientsPage| p.clients).boxed()
    }

    /// U3 `export`: one page of deals created or changed at or after `since`, with the scheme.
    pub async fn export_orders(
        &self,
        since: DateTime<Utc>,
        page: PageRequest,
    ) -> Result<OrdersPage> {
        let mut q = vec![("action", "export".to_owned()), ("date", unix_text(&since))];
        push_page(&mut q, page);
        self.get(&q).await
    }

    /// U3 over all pages, fetched lazily; see [`export_clients_pages`](Self::export_clients_pages)
    /// for the paging rules.
    pub fn export_orders_pages(
        &self,
        since: DateTime<Utc>,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<OrdersPage>> {
        let client = self.clone();
        paging::pages(limit, move |page| {
            let client = client.clone();
            async move { client.export_orders(since, page).await }
        })
        .boxed()
    }

    /// U3 over all pages, one deal at a time.
    pub fn export_orders_stream(
        &self,
        since: DateTime<Utc>,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<Order>> {
        paging::items(self.export_orders_pages(since, limit), |p: OrdersPage| {
            p.orders
        })
        .boxed()
    }

    /// U4 `lead`: creates a deal; answers the CRM's id for it.
    pub async fn create_lead(&self, lead: &LeadRequest) -> Result<LeadCreated> {
        self.get(&lead.query_pairs()).await
    }

    /// U5 `message`: adds a comment to a deal.
    pub async fn add_message(&self, message: &MessageRequest) -> Result<MessageAdded> {
        self.get(&message.query_pairs()).await
    }

    /// U6 `task`: adds a task to a deal.
    pub async fn add_task(&self, task: &TaskRequest) -> Result<TaskAdded> {
        self.get(&task.query_pairs()).await
    }

    /// U7 `call`: records a call on a deal.
    pub async fn add_call(&self, call: &CallRequest) -> Result<CallAdded> {
        self.get(&call.query_pairs()).await
    }
}

fn push_page(q: &mut Vec<(&'static str, String)>, page: PageRequest) {
    if let Some(limit) = page.limit {
        q.push(("limit", limit.to_string()));
    }
    q.push(("offset", page.offset.to_string()));
}

/// Maps a raw answer to the typed value or to the right error.
pub(crate) fn decode_answer<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    let status = raw.status;
    let body = raw.text();
    let value: Option<serde_json::Value> =
        serde_json::from_str(body.trim_start_matches('\u{feff}')).ok();
    if let Some(message) = value.as_ref().and_then(error_message) {
        // An error body with a success status (the vendor document's CRMs answer errors
        // with 200) is still a failure answer.
        if status.is_success() {
            return Err(Error::Api {
                status,
                message,
                body,
            });
        }
        return Err(Error::from_answer(
            status,
            retry_after(&raw),
            Some(message),
            &raw.body,
        ));
    }
    if !status.is_success() {
        return Err(Error::from_answer(
            status,
            retry_after(&raw),
            None,
            &raw.body,
        ));
    }
    let Some(value) = value else {
        let message = match serde_json::from_str::<serde_json::Value>(&body) {
            Err(e) => e.to_string(),
            Ok(_) => "not JSON".to_owned(),
        };
        return Err(Error::decode(Some(status), ".", message, &raw.body));
    };
    serde_path_to_error::deserialize(value).map_err(|e| {
        Error::decode(
            Some(status),
            e.path().to_string(),
            e.into_inner().to_string(),
            &raw.body,
        )
    })
}

fn retry_after(raw: &RawResponse) -> Option<Duration> {
    raw.headers
        .get(http::header::RETRY_AFTER)
        .and_then(http_plumbing::parse_retry_after)
}

/// The message of a `{"status":"error", …}` answer (`status` compared case-insensitively).
fn error_message(v: &serde_json::Value) -> Option<String> {
    let status = v.get("status")?.as_str()?;
    if !status.trim().eq_ignore_ascii_case("error") {
        return None;
    }
    let message = match v.get("message").or_else(|| v.get("error")) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    Some(message)
}
