//! [`WebhookSender`]: POSTs W1/W2 JSON with retries and reports the delivery.

use crate::error::Result;
use crate::types::webhook::{ChecklistResult, TableResult};
use http::StatusCode;
use http_plumbing::{HttpConfig, SendPolicy, send};
use serde::Serialize;
use std::fmt;
use url::Url;

/// The outcome of one webhook delivery (after retries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryReport {
    /// How many requests were sent (1 + retries).
    pub attempts: u32,
    /// The last answer's status; `None` when no answer came (connection error, timeout).
    pub status: Option<StatusCode>,
    /// Whether the receiver answered 2xx.
    pub delivered: bool,
    /// Why it was not delivered: the start of the receiver's body, or the transport error
    /// (never the URL).
    pub error: Option<String>,
}

/// Sends W1/W2 webhooks: POST JSON; 2xx is delivered; connection errors, timeouts, 5xx and 429
/// (honouring `Retry-After`) are retried per the policy; other 4xx are permanent failures, not
/// retried. Cheap to clone.
///
/// ```no_run
/// # async fn run(result: rop_api::ChecklistResult) -> Result<(), Box<dyn std::error::Error>> {
/// let sender = rop_api::WebhookSender::builder().build()?;
/// let url = "https://crm.example/hooks/checklist".parse()?;
/// let report = sender.send_checklist_result(&url, &result).await;
/// if !report.delivered {
///     eprintln!("webhook failed after {} attempt(s): {:?}", report.attempts, report.error);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct WebhookSender {
    http: reqwest::Client,
    retry: SendPolicy,
}

/// Configures a [`WebhookSender`].
#[must_use]
pub struct WebhookSenderBuilder {
    config: HttpConfig,
}

impl fmt::Debug for WebhookSenderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSenderBuilder")
            .field("timeout", &self.config.timeout)
            .field("retry", &self.config.retry)
            .field("user_agent", &self.config.user_agent)
            .finish()
    }
}

impl Default for WebhookSenderBuilder {
    fn default() -> Self {
        Self {
            config: HttpConfig::for_sender(concat!("rop-api-webhook/", env!("CARGO_PKG_VERSION"))),
        }
    }
}

impl WebhookSenderBuilder {
    http_plumbing::http_setters!(config);

    /// Builds the sender.
    pub fn build(self) -> Result<WebhookSender> {
        let http = self.config.build_client()?;
        Ok(WebhookSender {
            http,
            retry: self.config.send_policy(),
        })
    }
}

impl WebhookSender {
    /// A builder with the defaults.
    pub fn builder() -> WebhookSenderBuilder {
        WebhookSenderBuilder::default()
    }

    /// POSTs W1 to `url`.
    pub async fn send_checklist_result(
        &self,
        url: &Url,
        result: &ChecklistResult,
    ) -> DeliveryReport {
        self.send(url, result).await
    }

    /// POSTs W2 to `url`.
    pub async fn send_table_result(&self, url: &Url, result: &TableResult) -> DeliveryReport {
        self.send(url, result).await
    }

    /// POSTs any JSON payload to `url` with the webhook delivery rules.
    pub async fn send<T: Serialize + Sync>(&self, url: &Url, payload: &T) -> DeliveryReport {
        let body = match serde_json::to_vec(payload) {
            Ok(b) => bytes::Bytes::from(b),
            Err(e) => {
                return DeliveryReport {
                    attempts: 0,
                    status: None,
                    delivered: false,
                    error: Some(format!("cannot serialise the payload: {e}")),
                };
            }
        };
        let result = send(&self.retry, || {
            self.http
                .post(url.clone())
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
        })
        .await;
        match result {
            Ok(raw) => {
                let delivered = raw.status.is_success();
                DeliveryReport {
                    attempts: raw.attempts,
                    status: Some(raw.status),
                    delivered,
                    error: (!delivered).then(|| {
                        let head = http_plumbing::snippet(&raw.text());
                        format!("HTTP {}: {head}", raw.status.as_u16())
                    }),
                }
            }
            Err(e) => DeliveryReport {
                attempts: e.attempts,
                status: None,
                delivered: false,
                error: Some(e.to_string()),
            },
        }
    }
}
