//! The CRM-side client of `/crmapi/v1`: configuration, sending, answers and errors.

mod directory;
mod history;
mod users;

use crate::common::wire;
use crate::v1::types::list::{ListQuery, Page};
use crate::{Error, Result};
use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt, stream};
use http::{HeaderValue, Method};
use http_plumbing::{HttpConfig, RawResponse, SendPolicy, send};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use url::Url;

use crate::v1::API_KEY_HEADER;
/// A client of the PBX's `/crmapi/v1` (CRM → PBX, operations P1–P40 of docs/protocol.md §3).
///
/// Cheap to clone (an `Arc` inside). Every request carries the `X-API-KEY` header (marked
/// sensitive); the key never appears in `Debug`, `Display` or errors. Connection errors,
/// timeouts, 5xx and 429 are retried per the [`RetryPolicy`](http_plumbing::RetryPolicy).
///
/// ```no_run
/// use vats_api::v1::{Client, ListQuery};
/// # async fn run() -> vats_api::Result<()> {
/// let client = Client::builder()
///     .base_url("https://pbx.example.com/crmapi/v1/")
///     .api_key("key-from-the-pbx-settings")
///     .build()?;
/// let page = client.list_users(&ListQuery::new().limit(50)).await?;
/// println!("{} of {} users", page.items.len(), page.info.total);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    key: HeaderValue,
    retry: SendPolicy,
    /// The cap of a downloaded recording, in bytes.
    max_download: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &http_plumbing::REDACTED)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<SecretString>,
    http: HttpConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "api_key",
                &self.api_key.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("timeout", &self.http.timeout)
            .field("retry", &self.http.retry)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            api_key: None,
            http: HttpConfig::new(concat!("vats-api/", env!("CARGO_PKG_VERSION"))),
        }
    }
}

impl ClientBuilder {
    http_plumbing::http_setters!(http);

    /// The PBX's address: the host root (`https://pbx.example.com`, which gets `/crmapi/v1/`)
    /// or the full API root (`https://pbx.example.com/crmapi/v1/`); a missing trailing `/` is
    /// added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Shortcut for `base_url("https://{domain}/crmapi/v1/")`.
    pub fn domain(self, domain: &str) -> Self {
        self.base_url(format!("https://{domain}/crmapi/v1/"))
    }

    /// The key from the PBX's integration settings ("Ключ для авторизации в ATC"), sent as
    /// the `X-API-KEY` header (a `&str`, `String` or `SecretString`).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::Config("base_url is required".into()))?;
        let with_slash = if raw.ends_with('/') {
            raw
        } else {
            format!("{raw}/")
        };
        let mut base = Url::parse(with_slash.trim())
            .map_err(|e| Error::Config(format!("base_url is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Config("base_url must be an http(s) URL".into()));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(
                "base_url must not have a query or a fragment".into(),
            ));
        }
        if base.path() == "/" {
            base.set_path("/crmapi/v1/");
        }
        let key = self
            .api_key
            .ok_or_else(|| Error::Config("api_key is required".into()))?;
        if key.expose_secret().trim().is_empty() {
            return Err(Error::Config("api_key is empty".into()));
        }
        let mut key = HeaderValue::from_str(key.expose_secret()).map_err(|_| {
            Error::Config("api_key contains characters not allowed in a header".into())
        })?;
        key.set_sensitive(true);
        let http = self.http.build_client()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                key,
                retry: self.http.send_policy(),
                max_download: self.http.max_download_body,
            }),
        })
    }
}

/// A request body.
pub(crate) enum Body {
    None,
    Json(serde_json::Value),
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.inner.base.clone();
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| Error::Config("base_url cannot be a base".into()))?;
            path.pop_if_empty();
            path.extend(segments);
        }
        Ok(url)
    }

    /// Sends one request with retries; non-success statuses become errors that keep the body.
    pub(crate) async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Body,
    ) -> Result<RawResponse> {
        for s in segments {
            if s.is_empty() {
                return Err(Error::invalid_input("path", "an id in the path is empty"));
            }
            // URL normalisation would drop these and address another resource.
            if matches!(*s, "." | "..") {
                return Err(Error::invalid_input(
                    "path",
                    format!("{s:?} cannot be an id in the path"),
                ));
            }
        }
        let url = self.url(segments)?;
        let raw = send(&self.inner.retry, || {
            let mut rb = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .header(API_KEY_HEADER, self.inner.key.clone());
            if !query.is_empty() {
                rb = rb.query(query);
            }
            match &body {
                Body::None => rb,
                Body::Json(v) => rb.json(v),
            }
        })
        .await?;
        wire::check(raw)
    }

    /// Sends and decodes a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Body,
    ) -> Result<T> {
        let raw = self.send(method, segments, query, body).await?;
        wire::decode(&raw)
    }

    /// Sends a request whose answer is `204 No Content` (or any success).
    pub(crate) async fn no_content(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Body,
    ) -> Result<()> {
        self.send(method, segments, query, body).await.map(drop)
    }

    /// Reads `{"state": bool}`.
    pub(crate) async fn state(&self, segments: &[&str], query: &[(&str, String)]) -> Result<bool> {
        let s: crate::v1::types::users::State =
            self.json(Method::GET, segments, query, Body::None).await?;
        Ok(s.state)
    }

    /// All pages of a list as one stream of items, following `info.next`.
    pub(crate) fn pages<T>(
        &self,
        segments: Vec<String>,
        query: ListQuery,
        extra: Vec<(&'static str, String)>,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        stream::try_unfold(Some(query), move |state| {
            let client = client.clone();
            let segments = segments.clone();
            let extra = extra.clone();
            async move {
                let Some(query) = state else {
                    return Ok::<_, Error>(None);
                };
                let mut pairs = query.pairs();
                pairs.extend(extra);
                let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
                let page: Page<T> = client.json(Method::GET, &segs, &pairs, Body::None).await?;
                let next = page
                    .info
                    .next_start(page.items.len())
                    .map(|start| ListQuery {
                        start: Some(start),
                        ..query
                    });
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
        .boxed()
    }

    /// Downloads a call recording (`record` / `link` of the history).
    ///
    /// Recording links may require the `X-API-KEY` header (docs/protocol.md §3): the header is sent
    /// when the link points at the same origin (scheme, host, port) as the base URL, and never
    /// to another host, so the key cannot leak to a third party. A redirect to another origin
    /// (a storage host) is followed, at most 5 hops, with a fresh request that carries no key
    /// and no `Referer`. The recording is read up to `max_download_body` (default 256 MiB;
    /// more is [`Error::BodyTooLarge`]). Answers other than 2xx are errors that keep the status
    /// and body.
    pub async fn download_record(&self, url: &str) -> Result<Bytes> {
        let mut target = Url::parse(url)
            .map_err(|e| Error::invalid_input("url", format!("not an absolute URL: {e}")))?;
        let policy = self
            .inner
            .retry
            .clone()
            .with_max_body(self.inner.max_download);
        let mut hops = 0;
        loop {
            if !matches!(target.scheme(), "http" | "https") {
                return Err(Error::invalid_input("url", "must be an http(s) URL"));
            }
            let same_origin = target.origin() == self.inner.base.origin();
            let raw = send(&policy, || {
                let rb = self.inner.http.get(target.clone());
                if same_origin {
                    rb.header(API_KEY_HEADER, self.inner.key.clone())
                } else {
                    rb
                }
            })
            .await?;
            let next = raw
                .status
                .is_redirection()
                .then(|| raw.headers.get(http::header::LOCATION))
                .flatten()
                .and_then(|l| l.to_str().ok())
                .and_then(|l| target.join(l).ok());
            match next {
                Some(next) if hops < http_plumbing::MAX_REDIRECTS => {
                    hops += 1;
                    target = next;
                }
                _ => return Ok(wire::check(raw)?.body),
            }
        }
    }
}

/// Serialises a request body (our own types cannot fail; should one, it is an input error).
pub(crate) fn to_body<T: Serialize>(value: &T) -> Result<Body> {
    serde_json::to_value(value)
        .map(Body::Json)
        .map_err(|e| Error::invalid_input("body", e.to_string()))
}
