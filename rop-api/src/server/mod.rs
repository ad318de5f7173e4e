//! The receiving side of R1–R5 (`server` feature): [`RopHandler`] and [`Dispatcher`].

mod dispatcher;
mod handler;
mod rate_limit;
mod respond;

#[cfg(feature = "axum")]
mod axum_router;

pub use dispatcher::{DEFAULT_BODY_LIMIT, Dispatcher};
pub use handler::{HandlerError, RopHandler};
pub use rate_limit::RateLimit;

#[cfg(feature = "axum")]
pub use axum_router::{router, webhook_router};

pub(crate) use dispatcher::body_error as respond_body_error;
pub(crate) use respond::{
    handler_error as respond_handler_error, method_not_allowed as respond_method_not_allowed,
};
