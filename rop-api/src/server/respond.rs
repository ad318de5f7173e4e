//! The answers the dispatchers send: the envelope with the documented statuses.

use crate::types::calls::Envelope;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_plumbing::{HandlerError, json_response};
use serde::Serialize;

/// 401's message.
pub(crate) const UNAUTHORIZED: &str = "apiKey не валиден";
/// 429's message.
pub(crate) const RATE_LIMITED: &str = "Превышен лимит запросов";

/// `{"data": data, "error": false, "message": message}` with 200.
pub(crate) fn ok<T: Serialize>(data: T, message: &str) -> Response<Bytes> {
    json_response(StatusCode::OK, &Envelope::ok(data, message))
}

/// The envelope `{"data": false, "error": true, "message": …}` for a handler error:
///
/// | error | `message` |
/// |---|---|
/// | 400 naming a field | `Некорректный параметр <field>: <message>` |
/// | 400 naming the body (also 413, 415) | `Некорректное тело запроса: <message>` |
/// | 500 | `Внутренняя ошибка сервера` (the detail is logged, not sent) |
/// | any other | the error's message |
pub(crate) fn handler_error(e: &HandlerError) -> Response<Bytes> {
    let message = match (e.field(), e.status()) {
        (_, StatusCode::INTERNAL_SERVER_ERROR) => "Внутренняя ошибка сервера".to_owned(),
        (Some("body"), _) => format!("Некорректное тело запроса: {}", e.message()),
        (Some(field), _) => format!("Некорректный параметр {field}: {}", e.message()),
        (None, _) => e.message().to_owned(),
    };
    e.respond(&Envelope::<()>::error(message))
}

/// 405 with `Allow`.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response<Bytes> {
    let mut resp = json_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &Envelope::<()>::error(format!("Метод не поддерживается: используйте {allow}")),
    );
    resp.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    resp
}
