//! The receiving side of R1–R5 (`server` feature): [`RopHandler`] and [`Dispatcher`].

mod dispatcher;
mod handler;
mod rate_limit;
mod respond;

pub use dispatcher::Dispatcher;
pub use handler::{RopHandler, duplicate_call, not_audio};
pub use rate_limit::RateLimit;

pub(crate) use respond::{
    handler_error as respond_handler_error, method_not_allowed as respond_method_not_allowed,
};
