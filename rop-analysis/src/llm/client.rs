//! The OpenAI-compatible `/v1/chat/completions` client that asks for JSON-schema answers.

use crate::error::{Error, Result};
use http_plumbing::{RetryPolicy, send_with_retry};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default base URL (OpenAI's). Any OpenAI-compatible server works: vLLM, Ollama,
/// llama.cpp's server, LiteLLM… — point [`LlmClientBuilder::base_url`] at its `/v1`.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// A client of an OpenAI-compatible chat-completions API that returns structured answers.
///
/// Every request is `POST {base_url}/chat/completions` with `temperature: 0` and
/// `response_format: {"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}`;
/// the key travels as `Authorization: Bearer …` (a sensitive header) and never appears in
/// `Debug`, `Display` or errors. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> rop_analysis::Result<()> {
/// use rop_analysis::LlmClient;
/// use secrecy::SecretString;
///
/// let client = LlmClient::builder()
///     .base_url("http://127.0.0.1:8000/v1")
///     .model("qwen2.5-7b-instruct")
///     .api_key(SecretString::from("sk-local"))
///     .build()?;
/// let schema = serde_json::json!({"type": "object", "properties": {"ok": {"type": "boolean"}},
///                                 "required": ["ok"], "additionalProperties": false});
/// let answer: serde_json::Value = client.chat_json("You answer in JSON.", "Is 2 > 1?", "check", &schema).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LlmClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    model: String,
    api_key: Option<SecretString>,
    retry: RetryPolicy,
    max_tokens: Option<u32>,
}

impl fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClient")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("model", &self.inner.model)
            .field(
                "api_key",
                &self.inner.api_key.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Builds an [`LlmClient`]; [`build`](Self::build) validates the settings.
#[must_use]
pub struct LlmClientBuilder {
    base_url: String,
    model: Option<String>,
    api_key: Option<SecretString>,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: String,
    max_tokens: Option<u32>,
}

impl fmt::Debug for LlmClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClientBuilder")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field(
                "api_key",
                &self.api_key.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for LlmClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            model: None,
            api_key: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(120),
            user_agent: concat!("rop-analysis/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_tokens: None,
        }
    }
}

impl LlmClientBuilder {
    /// The API's base URL, up to and including `/v1` (default [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The model name sent in every request (required).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// The API key, sent as `Authorization: Bearer <key>`. Local servers may need none.
    pub fn api_key(mut self, key: SecretString) -> Self {
        self.api_key = Some(key);
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The timeout of one attempt (default 120 s: long answers take time).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// An upper bound on the answer's tokens (`max_tokens`); none by default.
    pub fn max_tokens(mut self, n: u32) -> Self {
        self.max_tokens = Some(n);
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// Fails with [`Error::Invalid`] naming `base_url` (not an absolute `http`/`https` URL),
    /// `model` (missing or blank) or `api_key` (not usable in a header).
    pub fn build(self) -> Result<LlmClient> {
        const WHAT: &str = "LLM client";
        let mut base =
            Url::parse(self.base_url.trim()).map_err(|e| Error::invalid(WHAT, "base_url", e))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::invalid(
                WHAT,
                "base_url",
                "must be an absolute http(s) URL",
            ));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let endpoint = base
            .join("chat/completions")
            .map_err(|e| Error::invalid(WHAT, "base_url", e))?;
        let model = self
            .model
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .ok_or_else(|| Error::invalid(WHAT, "model", "is required"))?;
        if let Some(key) = &self.api_key {
            // Checked once here so that sending cannot fail on it later.
            bearer(key).map_err(|()| {
                Error::invalid(
                    WHAT,
                    "api_key",
                    "contains characters not allowed in a header",
                )
            })?;
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| Error::invalid(WHAT, "http", e.without_url()))?;
        Ok(LlmClient {
            inner: Arc::new(Inner {
                http,
                endpoint,
                model,
                api_key: self.api_key,
                retry: self.retry,
                max_tokens: self.max_tokens,
            }),
        })
    }
}

fn bearer(key: &SecretString) -> std::result::Result<HeaderValue, ()> {
    let mut v =
        HeaderValue::from_str(&format!("Bearer {}", key.expose_secret())).map_err(|_| ())?;
    v.set_sensitive(true);
    Ok(v)
}

impl LlmClient {
    /// A builder with the defaults ([`DEFAULT_BASE_URL`], no key, default retries).
    pub fn builder() -> LlmClientBuilder {
        LlmClientBuilder::default()
    }

    /// The model this client asks.
    pub fn model(&self) -> &str {
        &self.inner.model
    }

    /// The full URL requests go to (`…/chat/completions`).
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// The request body [`chat_json`](Self::chat_json) sends (useful for logs and tests).
    pub fn request_body(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> Value {
        let mut body = json!({
            "model": self.inner.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "strict": true, "schema": schema},
            },
        });
        if let (Some(n), Some(obj)) = (self.inner.max_tokens, body.as_object_mut()) {
            obj.insert("max_tokens".to_owned(), json!(n));
        }
        body
    }

    /// Asks the model and decodes its JSON answer (the first choice's `message.content`) as `T`.
    ///
    /// Retries per the client's [`RetryPolicy`] (connection errors, timeouts, 5xx, 429 with
    /// `Retry-After`). Errors: [`Error::LlmTransport`] (no answer), [`Error::LlmStatus`] (a non-2xx
    /// status, raw body kept), [`Error::LlmAnswer`] (the envelope or the content does not decode,
    /// the model refused, or the answer was cut at `max_tokens`; the path and raw body are kept).
    pub async fn chat_json<T: DeserializeOwned>(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> Result<T> {
        let body = self.request_body(system, user, schema_name, schema);
        let inner = &self.inner;
        let auth = inner.api_key.as_ref().and_then(|k| bearer(k).ok());
        let raw = send_with_retry(&inner.retry, || {
            let req = inner.http.post(inner.endpoint.clone()).json(&body);
            match &auth {
                Some(h) => req.header(AUTHORIZATION, h.clone()),
                None => req,
            }
        })
        .await
        .map_err(Error::LlmTransport)?;
        let text = raw.text();
        if !raw.status.is_success() {
            return Err(Error::LlmStatus {
                status: raw.status.as_u16(),
                body: text,
            });
        }
        let content = message_content(&text)?;
        let de = &mut serde_json::Deserializer::from_str(&content);
        serde_path_to_error::deserialize(de).map_err(|e| Error::LlmAnswer {
            path: format!(
                "choices[0].message.content{}",
                json_path(&e.path().to_string())
            ),
            message: e.into_inner().to_string(),
            body: text.clone(),
        })
    }
}

/// `.` (the root) becomes nothing; `a.b` becomes `.a.b`.
fn json_path(p: &str) -> String {
    if p == "." {
        String::new()
    } else {
        format!(".{p}")
    }
}

/// The first choice's `message.content` out of a chat-completion body.
fn message_content(body: &str) -> Result<String> {
    let answer_err = |path: &str, message: String| Error::LlmAnswer {
        path: path.to_owned(),
        message,
        body: body.to_owned(),
    };
    let v: Value = serde_json::from_str(body).map_err(|e| answer_err(".", e.to_string()))?;
    let choice = v
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or_else(|| answer_err("choices[0]", "missing".to_owned()))?;
    let message = choice.get("message");
    if let Some(refusal) = message
        .and_then(|m| m.get("refusal"))
        .and_then(Value::as_str)
    {
        return Err(answer_err(
            "choices[0].message.refusal",
            format!("the model refused: {refusal}"),
        ));
    }
    if choice.get("finish_reason").and_then(Value::as_str) == Some("length") {
        return Err(answer_err(
            "choices[0].finish_reason",
            "the answer was cut at max_tokens".to_owned(),
        ));
    }
    message
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .map(strip_code_fence)
        .ok_or_else(|| {
            answer_err(
                "choices[0].message.content",
                "missing or not a string".to_owned(),
            )
        })
}

/// Some servers wrap JSON in a Markdown code fence even in JSON mode; take what is inside.
fn strip_code_fence(s: &str) -> String {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix("```") {
        let rest = rest.strip_prefix("json").unwrap_or(rest);
        if let Some(inner) = rest.strip_suffix("```") {
            return inner.trim().to_owned();
        }
    }
    t.to_owned()
}

#[cfg(test)]
mod tests;
