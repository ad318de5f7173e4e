//! [`RopHandler`], the trait a ROP server implements, and its error type.

use crate::audio::AudioError;
use crate::types::calls::{CallReady, CallReadyQuery, CallUpload, InvalidField};
use crate::types::ids::CallId;
use crate::types::settings::{Manager, Office};
use async_trait::async_trait;
use std::time::Duration;

/// What a ROP server does with each request, after the [`Dispatcher`](crate::Dispatcher) has
/// routed, authenticated, decoded and validated it.
///
/// Only [`upload_call`](Self::upload_call) is required: R2 defaults to R1, R3/R4 default to
/// "accepted, nothing stored" (answering the count sent), R5 defaults to 404.
///
/// ```
/// use rop_api::{CallId, CallUpload, HandlerError, RopHandler};
/// use std::collections::HashSet;
/// use std::sync::Mutex;
///
/// #[derive(Default)]
/// struct Queue(Mutex<HashSet<CallId>>);
///
/// #[async_trait::async_trait]
/// impl RopHandler for Queue {
///     async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
///         let mut seen = self.0.lock().map_err(|_| HandlerError::internal("lock poisoned"))?;
///         if !seen.insert(call.call_id.clone()) {
///             return Err(HandlerError::Duplicate);
///         }
///         Ok(call.call_id)
///     }
/// }
/// ```
#[async_trait]
pub trait RopHandler: Send + Sync + 'static {
    /// R1 `POST calls/audio-upload`: queue the call for analysis and answer its id.
    ///
    /// Fetching `audio_url` and checking it with [`crate::audio::check`] is the handler's job
    /// (return [`HandlerError::NotAudio`] or `HandlerError::from(AudioError)`).
    async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError>;

    /// R2 `POST calls`: the seed's alternative JSON form of R1; by default the same as R1.
    async fn submit_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
        self.upload_call(call).await
    }

    /// R3 `POST settings/offices-update`: upsert offices by `office_id`; answer how many were stored.
    async fn update_offices(&self, offices: Vec<Office>) -> Result<u64, HandlerError> {
        Ok(offices.len() as u64)
    }

    /// R4 `POST settings/managers-update`: upsert managers by `manager_id`; answer how many were stored.
    async fn update_managers(&self, managers: Vec<Manager>) -> Result<u64, HandlerError> {
        Ok(managers.len() as u64)
    }

    /// R5 `GET tables/call-ready`: [`CallReady::NotReady`] while queued or being analysed;
    /// [`HandlerError::NotFound`] for an unknown table or call.
    async fn call_ready(&self, query: CallReadyQuery) -> Result<CallReady, HandlerError> {
        Err(HandlerError::NotFound(format!(
            "Таблица {} или звонок {} не найдены",
            query.tab, query.call
        )))
    }
}

/// A handler's failure; the dispatcher turns each into the documented status and envelope.
///
/// | variant | status | `message` |
/// |---|---|---|
/// | `Duplicate` | 409 | `Звонок с данным call_id уже обработан` |
/// | `NotFound(m)` | 404 | `m` |
/// | `NotAudio` | 400 | `Файл не является аудио` |
/// | `Invalid { field, message }` | 400 | `Некорректный параметр <field>: <message>` |
/// | `Unauthorized` | 401 | `apiKey не валиден` |
/// | `RateLimited { .. }` | 429 | `Превышен лимит запросов` (+ `Retry-After`) |
/// | `Internal(_)` | 500 | `Внутренняя ошибка сервера` (the detail is not sent) |
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandlerError {
    /// The call id was already received (409).
    #[error("Звонок с данным call_id уже обработан")]
    Duplicate,
    /// Unknown table, call or resource (404), with the message to send.
    #[error("{0}")]
    NotFound(String),
    /// The file at `audio_url` is not MP3/WAV/OGG (400).
    #[error("Файл не является аудио")]
    NotAudio,
    /// A field is wrong (400): which one and why.
    #[error("Некорректный параметр {field}: {message}")]
    Invalid {
        /// The field's name.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The API key is not valid (401).
    #[error("apiKey не валиден")]
    Unauthorized,
    /// Too many requests (429).
    #[error("Превышен лимит запросов")]
    RateLimited {
        /// Sent as `Retry-After` (whole seconds, rounded up).
        retry_after: Option<Duration>,
    },
    /// Anything else (500). The text is for logs only; the client gets a generic message.
    #[error("Внутренняя ошибка сервера")]
    Internal(String),
}

impl HandlerError {
    /// A 400 naming `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 500 whose `detail` is kept for logs ([`HandlerError::internal_detail`]) and never sent.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::Internal(detail.into())
    }

    /// The internal detail of an `Internal` error, for logging.
    pub fn internal_detail(&self) -> Option<&str> {
        match self {
            Self::Internal(d) => Some(d),
            _ => None,
        }
    }

    /// The HTTP status the dispatcher answers with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            Self::Duplicate => S::CONFLICT,
            Self::NotFound(_) => S::NOT_FOUND,
            Self::NotAudio | Self::Invalid { .. } => S::BAD_REQUEST,
            Self::Unauthorized => S::UNAUTHORIZED,
            Self::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            Self::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<InvalidField> for HandlerError {
    fn from(e: InvalidField) -> Self {
        Self::Invalid {
            field: e.field,
            message: e.message,
        }
    }
}

/// `NotAudio` stays `NotAudio`; every other audio problem is a 400 naming `audio_url`.
impl From<AudioError> for HandlerError {
    fn from(e: AudioError) -> Self {
        match e {
            AudioError::NotAudio => Self::NotAudio,
            other => Self::Invalid {
                field: "audio_url".into(),
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_statuses_are_pinned() {
        insta::assert_snapshot!(HandlerError::Duplicate, @"Звонок с данным call_id уже обработан");
        insta::assert_snapshot!(HandlerError::NotAudio, @"Файл не является аудио");
        insta::assert_snapshot!(HandlerError::Unauthorized, @"apiKey не валиден");
        insta::assert_snapshot!(HandlerError::invalid("audio_url", "bad"), @"Некорректный параметр audio_url: bad");
        let internal = HandlerError::internal("db down");
        insta::assert_snapshot!(internal, @"Внутренняя ошибка сервера");
        assert_eq!(internal.internal_detail(), Some("db down"));
        assert_eq!(internal.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            HandlerError::from(AudioError::NotAudio),
            HandlerError::NotAudio
        );
        let long = HandlerError::from(AudioError::TooLong {
            duration: Duration::from_secs(3000),
            limit: Duration::from_secs(2700),
        });
        insta::assert_snapshot!(long, @"Некорректный параметр audio_url: Длительность записи 3000 с превышает допустимые 2700 с");
    }
}
