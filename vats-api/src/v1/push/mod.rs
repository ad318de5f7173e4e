//! PBX → CRM pushes of the REST generation (the PBX v1 vendor document §2; docs/protocol.md §3 (V1–V4)).
//!
//! The PBX POSTs every push to the CRM's one URL, `cmd` naming the operation and `crm_token`
//! authenticating it:
//!
//! | # | `cmd` | message | sender | receiver | answer |
//! |---|---|---|---|---|---|
//! | V1 | `history` | [`HistoryPush`] | [`CrmNotifier::history`] | [`CrmHandler::history`] | 200, empty |
//! | V2 | `event` | [`EventPush`] | [`CrmNotifier::event`] | [`CrmHandler::event`] | 200, empty |
//! | V3 | `contact` | [`ContactRequest`] | [`CrmNotifier::contact`] | [`CrmHandler::contact`] | [`ContactAnswer`], `{}` if unknown |
//! | V4 | `rating` | [`RatingPush`] | [`CrmNotifier::rating`] | [`CrmHandler::rating`] | 200 `{}` |
//!
//! [`CrmDispatcher`] is the receiving side (framework-agnostic, a `tower` service, and with the
//! `axum` feature a router); a receiver should answer within a second and do slow work in a
//! background task.
//!
//! Decisions beyond docs/protocol.md:
//! - `diversion` (history) and `direction` (event) are optional on read: the PBX v1 vendor document's own examples
//!   omit them although its tables mark them required. Writers send them when set.
//! - A missing `crm_token` is answered like a wrong one (401 `Invalid token`), before any
//!   field is validated, so an unauthenticated caller learns nothing about the schema.
//! - `rating` is answered `{}` (the vendor document says "JSON" and shows none); the notifier returns
//!   whatever JSON the CRM answered.
//! - `cmd` is matched in any case; the dispatcher serves every path (the CRM has one URL) and
//!   only `POST`.
//! - A form field `payload` holding a JSON object is unwrapped; fields outside it (e.g.
//!   `crm_token`) are kept, the payload's win on a clash.
//! - Handler refusals: [`HandlerError`](crate::HandlerError) → 400 / 401 / 404 / 409 / 501 / 503
//!   (a 503's internal detail is never sent).

#[cfg(feature = "client")]
mod notifier;
#[cfg(feature = "server")]
mod server;
mod types;

#[cfg(feature = "client")]
pub use notifier::{CrmNotifier, CrmNotifierBuilder, PushEncoding};
#[cfg(feature = "server")]
pub use server::{CrmDispatcher, CrmHandler};
pub use types::{ContactAnswer, ContactRequest, EventPush, HistoryPush, RatingPush};
