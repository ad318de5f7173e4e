//! The crate's one error type.

use http::StatusCode;

/// What can go wrong talking to a Universe CRM.
///
/// HTTP failures keep the status and the raw body; decode failures say where (the JSON path)
/// and keep the body. No variant ever carries the password or an `Authorization` header.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The CRM answered `{"status":"error","message":…}`, whatever the HTTP status
    /// (the seed's CRMs answer errors with 200).
    #[error("the CRM answered an error (HTTP {status}): {message}")]
    Api {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The CRM's `message`.
        message: String,
        /// The raw body.
        body: String,
    },
    /// A non-2xx answer without the error envelope (an HTML 502 page, a bare 401…).
    #[error("the CRM answered HTTP {status}: {}", snippet(body))]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The raw body.
        body: String,
    },
    /// A 2xx answer that is not the documented JSON.
    #[error("cannot decode the CRM's answer at `{path}`: {message}")]
    Decode {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// Where decoding failed (`orders[3].date_create`, or `.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
        /// The raw body.
        body: String,
    },
    /// The request never got an answer (connection refused, timeout…), after retries.
    /// The URL is stripped from the inner error.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Transport(#[from] http_plumbing::TransportError),
    /// The client's configuration is unusable (missing or bad base URL, missing login…).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } | Self::Http { status, .. } | Self::Decode { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The raw body of the answer, when there was one.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Api { body, .. } | Self::Http { body, .. } | Self::Decode { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }
}

/// The start of a body, for messages (the whole body stays in the error's field).
fn snippet(body: &str) -> String {
    const MAX: usize = 200;
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "(empty body)".to_owned();
    }
    match trimmed.char_indices().nth(MAX) {
        // `cut` comes from `char_indices`, so it is a char boundary: the slice cannot panic.
        Some((cut, _)) => format!("{}…", trimmed.get(..cut).unwrap_or(trimmed)),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_stable() {
        let e = Error::Api {
            status: StatusCode::OK,
            message: "unknown leadId".into(),
            body: r#"{"status":"error","message":"unknown leadId"}"#.into(),
        };
        insta::assert_snapshot!(e.to_string(), @"the CRM answered an error (HTTP 200 OK): unknown leadId");
        let e = Error::Http {
            status: StatusCode::BAD_GATEWAY,
            body: "<html>bad gateway</html>".into(),
        };
        insta::assert_snapshot!(e.to_string(), @"the CRM answered HTTP 502 Bad Gateway: <html>bad gateway</html>");
        assert_eq!(e.body(), Some("<html>bad gateway</html>"));
        let e = Error::Decode {
            status: StatusCode::OK,
            path: "orders[0].date_create".into(),
            message: "invalid date".into(),
            body: "{}".into(),
        };
        insta::assert_snapshot!(e.to_string(), @"cannot decode the CRM's answer at `orders[0].date_create`: invalid date");
    }
}
