//! The server contract every dispatcher of the workspace implements: [`Dispatch`], the one
//! `tower::Service` over it ([`DispatchService`]) and the one axum adapter ([`into_router`]).

#[cfg(feature = "axum")]
use crate::body::BodyError;
use crate::handler_error::HandlerError;
use bytes::Bytes;
use http::{Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The request body limit every dispatcher starts with: 1 MiB. Protocol requests carry ids,
/// URLs and settings, never files, so a larger body is answered 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A protocol's server side over `http::Request<Bytes>`: routing, authentication, decoding,
/// validation, a call into a handler trait, and the protocol's answers.
///
/// A dispatcher never fails and never panics: every problem is an HTTP answer. Dispatchers are
/// cheap to clone (an `Arc` inside). Implementors get the `tower` service
/// ([`DispatchService`]) and the axum router (`into_router`, feature `axum`) from this crate.
pub trait Dispatch: Clone + Send + Sync + 'static {
    /// Answers one request.
    fn dispatch(&self, req: Request<Bytes>) -> impl Future<Output = Response<Bytes>> + Send;

    /// The largest request body read, in bytes (default [`BODY_LIMIT`]); a larger one is
    /// answered 413 by [`error_response`](Self::error_response).
    fn body_limit(&self) -> usize {
        BODY_LIMIT
    }

    /// The protocol's error answer for `error` (also used by adapters, e.g. for a body over
    /// the limit).
    fn error_response(&self, error: &HandlerError) -> Response<Bytes>;
}

/// Any [`Dispatch`] as a `tower_service::Service<http::Request<Bytes>>`, for hyper, tower
/// stacks or any other host. `poll_ready` is always ready; the error type is `Infallible`.
///
/// ```
/// # #[derive(Clone)] struct Echo;
/// # impl http_plumbing::Dispatch for Echo {
/// #     async fn dispatch(&self, req: http::Request<bytes::Bytes>) -> http::Response<bytes::Bytes> {
/// #         http::Response::new(req.into_body())
/// #     }
/// #     fn error_response(&self, e: &http_plumbing::HandlerError) -> http::Response<bytes::Bytes> {
/// #         e.respond(e.message())
/// #     }
/// # }
/// use tower_service::Service;
///
/// let mut service = http_plumbing::DispatchService::new(Echo);
/// let req = http::Request::post("/").body(bytes::Bytes::from("hi"))?;
/// let resp = futures::executor::block_on(service.call(req))?;
/// assert_eq!(resp.body().as_ref(), b"hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct DispatchService<D>(D);

impl<D: Dispatch> DispatchService<D> {
    /// Wraps a dispatcher.
    pub fn new(dispatcher: D) -> Self {
        Self(dispatcher)
    }
}

impl<D: Dispatch> tower_service::Service<Request<Bytes>> for DispatchService<D> {
    type Response = Response<Bytes>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Bytes>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Bytes>) -> Self::Future {
        let this = self.0.clone();
        Box::pin(async move { Ok(this.dispatch(req).await) })
    }
}

/// Any [`Dispatch`] as an `axum::Router` that hands it every request (any path, any method),
/// reading the body up to the dispatcher's limit (413 in the protocol's form beyond it).
///
/// Routers compose: mount each under a prefix of your choice with `axum::Router::nest`; the
/// dispatcher then sees the path without the prefix.
///
/// ```
/// # #[derive(Clone)] struct Echo;
/// # impl http_plumbing::Dispatch for Echo {
/// #     async fn dispatch(&self, req: http::Request<bytes::Bytes>) -> http::Response<bytes::Bytes> {
/// #         http::Response::new(bytes::Bytes::from(req.uri().path().to_owned()))
/// #     }
/// #     fn error_response(&self, e: &http_plumbing::HandlerError) -> http::Response<bytes::Bytes> {
/// #         e.respond(e.message())
/// #     }
/// # }
/// let app = axum::Router::new()
///     .nest("/pbx", http_plumbing::into_router(Echo))
///     .nest("/rop", http_plumbing::into_router(Echo));
/// # let _ = app;
/// ```
#[cfg(feature = "axum")]
pub fn into_router<D: Dispatch>(dispatcher: D) -> axum::Router {
    axum::Router::new().fallback(move |req: axum::extract::Request| {
        let dispatcher = dispatcher.clone();
        async move {
            let (parts, body) = req.into_parts();
            let limit = dispatcher.body_limit();
            let resp = match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => dispatcher.dispatch(Request::from_parts(parts, bytes)).await,
                Err(_) => {
                    dispatcher.error_response(&HandlerError::from(BodyError::TooLarge { limit }))
                }
            };
            resp.map(axum::body::Body::from)
        }
    })
}

/// Gives a dispatcher type the workspace's one adapter surface: inherent `into_service()` (a
/// [`DispatchService`]) and, with the calling crate's `axum` feature, `into_router()` (an
/// `axum::Router` via `into_router`), plus its [`Dispatch`] implementation.
///
/// The type (one type parameter, bounded by the handler trait's name, optionally `+ ?Sized`)
/// must have an inherent `async fn dispatch(&self, http::Request<Bytes>) ->
/// http::Response<Bytes>`; the macro is told how to read its body limit and which function
/// writes a [`HandlerError`] in the protocol's form. The calling crate depends on `http`,
/// `bytes` and (with its `axum` feature) `axum`.
///
/// ```
/// use bytes::Bytes;
/// use http_plumbing::{HandlerError, impl_dispatch};
///
/// pub trait Greeter: Send + Sync + 'static {}
/// pub struct Echo<H: ?Sized> { limit: usize, handler: std::sync::Arc<H> }
/// impl<H: ?Sized> Clone for Echo<H> {
///     fn clone(&self) -> Self { Self { limit: self.limit, handler: self.handler.clone() } }
/// }
/// impl<H: Greeter + ?Sized> Echo<H> {
///     pub async fn dispatch(&self, req: http::Request<Bytes>) -> http::Response<Bytes> {
///         http::Response::new(req.into_body())
///     }
/// }
/// fn error_body(e: &HandlerError) -> http::Response<Bytes> {
///     e.respond(&serde_json::json!({ "error": e.to_string() }))
/// }
/// impl_dispatch!(Echo<H: Greeter + ?Sized>, |d| d.limit, error_body);
///
/// struct Hi;
/// impl Greeter for Hi {}
/// let service = Echo { limit: 10, handler: std::sync::Arc::new(Hi) }.into_service();
/// # let _ = service;
/// ```
#[macro_export]
macro_rules! impl_dispatch {
    ($ty:ident < $h:ident : $bound:ident $(+ ?$sized:ident)? >, |$d:ident| $limit:expr, $render:path) => {
        impl<$h: $bound $(+ ?$sized)?> $ty<$h> {
            /// This dispatcher as a `tower` service
            /// (`tower_service::Service<http::Request<Bytes>>`, never failing).
            pub fn into_service(self) -> $crate::DispatchService<Self> {
                $crate::DispatchService::new(self)
            }

            /// This dispatcher as an `axum::Router` that hands it every request (any path):
            /// mount it under any prefix with `axum::Router::nest`.
            #[cfg(feature = "axum")]
            pub fn into_router(self) -> ::axum::Router {
                $crate::into_router(self)
            }
        }

        impl<$h: $bound $(+ ?$sized)?> $crate::Dispatch for $ty<$h> {
            fn dispatch(
                &self,
                req: ::http::Request<::bytes::Bytes>,
            ) -> impl ::std::future::Future<Output = ::http::Response<::bytes::Bytes>> + Send {
                $ty::dispatch(self, req)
            }

            fn body_limit(&self) -> usize {
                let $d = self;
                $limit
            }

            fn error_response(&self, error: &$crate::HandlerError) -> ::http::Response<::bytes::Bytes> {
                $render(error)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_service::Service;

    /// Answers the path it saw and the body's length; errors as `{"oops": message}`.
    #[derive(Clone)]
    struct PathEcho {
        limit: usize,
    }

    impl Dispatch for PathEcho {
        async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
            let text = format!("{} {}", req.uri().path(), req.body().len());
            crate::text_response(http::StatusCode::OK, text)
        }
        fn body_limit(&self) -> usize {
            self.limit
        }
        fn error_response(&self, error: &HandlerError) -> Response<Bytes> {
            error.respond(&serde_json::json!({ "oops": error.to_string() }))
        }
    }

    #[tokio::test]
    async fn service_hands_every_request_to_the_dispatcher() {
        let mut service = DispatchService::new(PathEcho { limit: 10 });
        let req = Request::post("/a/b").body(Bytes::from("xyz")).unwrap();
        let resp = service.call(req).await.unwrap();
        assert_eq!(resp.body().as_ref(), b"/a/b 3");
    }

    #[cfg(feature = "axum")]
    #[tokio::test]
    async fn nested_routers_see_their_own_paths_and_reject_large_bodies() {
        let app = axum::Router::new()
            .nest("/one", into_router(PathEcho { limit: 10 }))
            .nest("/two/deep", into_router(PathEcho { limit: 1000 }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        let get = |path: &str, body: &'static str| {
            http.post(format!("http://{addr}{path}")).body(body).send()
        };
        let r = get("/one/x/y", "abc").await.unwrap();
        assert_eq!(r.text().await.unwrap(), "/x/y 3");
        let r = get("/two/deep/crmapi/v1/users", "").await.unwrap();
        assert_eq!(r.text().await.unwrap(), "/crmapi/v1/users 0");
        let r = get("/two/deep", "").await.unwrap();
        assert_eq!(r.status(), 200);
        let r = get("/one/x", "01234567890").await.unwrap();
        assert_eq!(r.status(), 413);
        assert_eq!(
            r.text().await.unwrap(),
            r#"{"oops":"body: request body is larger than 10 bytes"}"#
        );
        let r = get("/three", "").await.unwrap();
        assert_eq!(r.status(), 404, "paths outside every prefix are not served");
    }
}
