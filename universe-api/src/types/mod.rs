//! The protocol's messages, usable without any feature.

pub(crate) mod actions;
pub(crate) mod call_status;
pub(crate) mod export;
pub(crate) mod ids;
pub(crate) mod scheme;
pub(crate) mod time;
pub(crate) mod wire;
