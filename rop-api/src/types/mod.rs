//! The protocol's messages: requests, answers, webhooks and ids. Compiled with no features.

pub(crate) mod calls;
pub(crate) mod ids;
pub(crate) mod settings;
pub(crate) mod time;
pub(crate) mod webhook;
mod wire;
