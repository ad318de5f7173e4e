//! W1/W2 webhooks: [`WebhookSender`] (ROP side, `client` feature) and [`WebhookHandler`] +
//! [`WebhookDispatcher`] (CRM side, `server` feature).

#[cfg(feature = "server")]
mod receiver;
#[cfg(feature = "client")]
mod sender;

#[cfg(feature = "server")]
pub use receiver::{WebhookDispatcher, WebhookHandler};
#[cfg(feature = "client")]
pub use sender::{DeliveryReport, WebhookSender, WebhookSenderBuilder};
