//! What the two CRM notifiers (v1 pushes V1–V4, legacy L4–L7) share: their builder settings,
//! and sending `cmd` + message + `crm_token` to the CRM's one URL.

use crate::common::wire::{self, Encoding, Sender};
use crate::v1::push::ContactAnswer;
use crate::{Delivery, Error, Result};
use http_plumbing::{HttpConfig, RawResponse};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// Builds a push notifier `N`: [`CrmNotifier`](crate::v1::push::CrmNotifier) (V1–V4, JSON) or
/// [`LegacyCrmNotifier`](crate::legacy::LegacyCrmNotifier) (L4–L7, form fields). `url` and
/// `crm_token` are required; `build` checks them.
#[must_use]
pub struct NotifierBuilder<N> {
    url: Option<String>,
    token: Option<SecretString>,
    http: HttpConfig,
    /// The body encoding chosen on the builder; none: the notifier's own default.
    pub(crate) encoding: Option<Encoding>,
    kind: PhantomData<fn() -> N>,
}

impl<N> Default for NotifierBuilder<N> {
    fn default() -> Self {
        Self {
            url: None,
            token: None,
            http: wire::send_settings(),
            encoding: None,
            kind: PhantomData,
        }
    }
}

impl<N> fmt::Debug for NotifierBuilder<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifierBuilder")
            .field("url", &self.url)
            .field(
                "crm_token",
                &self.token.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.http.retry)
            .field("timeout", &self.http.timeout)
            .finish()
    }
}

impl<N> NotifierBuilder<N> {
    http_plumbing::http_setters!(http);

    /// The CRM's one integration URL, as given at login
    /// (`https://crm.example/crm_integration.php`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The token the CRM issued; sent as `crm_token` with every push (a `&str`, `String` or
    /// `SecretString`).
    pub fn crm_token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Checks the settings (an `http(s)` URL and a non-blank token) and builds the sender;
    /// `encoding` is used unless the builder chose one.
    pub(crate) fn finish(self, encoding: Encoding) -> Result<Notifier> {
        let url = wire::parse_url("url", self.url.as_deref())?;
        let token = self
            .token
            .filter(|t| !t.expose_secret().trim().is_empty())
            .ok_or_else(|| Error::Config("crm_token is required".into()))?;
        Ok(Notifier {
            sender: wire::sender(&self.http)?,
            url,
            token,
            encoding: self.encoding.unwrap_or(encoding),
        })
    }
}

/// The sending half of a notifier: the CRM's URL, its token, and how bodies are encoded.
pub(crate) struct Notifier {
    sender: Sender,
    url: url::Url,
    token: SecretString,
    encoding: Encoding,
}

impl Notifier {
    /// The notifier's `Debug`, under the public type's `name`; no secret is shown.
    pub(crate) fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field(
                "url",
                &http_plumbing::redact_query(&self.url, &["crm_token", "token"]),
            )
            .field("crm_token", &http_plumbing::REDACTED)
            .field("retry", &self.sender.retry)
            .finish()
    }

    /// Sends `cmd` with the message's fields and `crm_token`; a non-2xx answer is an error.
    pub(crate) async fn send<T: Serialize>(&self, cmd: &str, message: &T) -> Result<RawResponse> {
        match self.encoding {
            Encoding::Form => {
                let mut form = vec![("cmd".to_owned(), cmd.to_owned())];
                form.extend(wire::form_pairs(message)?);
                form.push((
                    "crm_token".to_owned(),
                    self.token.expose_secret().to_owned(),
                ));
                self.sender.post(&self.url, Encoding::Form, &form).await
            }
            Encoding::Json => {
                let body = self.json_body(cmd, message)?;
                self.sender.post(&self.url, Encoding::Json, &body).await
            }
        }
    }

    /// Sends a command whose answer is only its status.
    pub(crate) async fn deliver<T: Serialize>(&self, cmd: &str, message: &T) -> Result<Delivery> {
        self.send(cmd, message)
            .await
            .map(|r| Delivery::new(r.status, r.attempts))
    }

    /// Sends `cmd=contact`: `None` for `{}` (or `[]`, `null`, an empty body).
    pub(crate) async fn contact<T: Serialize>(&self, request: &T) -> Result<Option<ContactAnswer>> {
        let raw = self.send("contact", request).await?;
        if matches!(raw.text().trim(), "" | "[]" | "null") {
            return Ok(None);
        }
        let answer: ContactAnswer = wire::decode(&raw)?;
        Ok((!answer.is_empty()).then_some(answer))
    }

    /// The JSON body: `cmd` first, the message's fields, `crm_token` last.
    fn json_body<T: Serialize>(&self, cmd: &str, message: &T) -> Result<Map<String, Value>> {
        let fields = match serde_json::to_value(message) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err(Error::invalid_input(cmd, "a push must encode to an object")),
            Err(e) => return Err(Error::invalid_input(cmd, e.to_string())),
        };
        let mut body = Map::new();
        body.insert("cmd".into(), Value::String(cmd.into()));
        body.extend(fields);
        body.insert(
            "crm_token".into(),
            Value::String(self.token.expose_secret().to_owned()),
        );
        Ok(body)
    }
}
