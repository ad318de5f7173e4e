//! [`RopHandler`], the trait a ROP server implements, and its error type.

use crate::audio::AudioError;
use crate::types::calls::{CallReady, CallReadyQuery, CallUpload};
use crate::types::ids::CallId;
use crate::types::settings::{Manager, Office};
use async_trait::async_trait;
use http_plumbing::HandlerError;

/// What a ROP server does with each request, after the [`Dispatcher`](crate::Dispatcher) has
/// routed, authenticated, decoded and validated it.
///
/// Only [`upload_call`](Self::upload_call) is required: R2 defaults to R1, R3/R4 default to
/// "accepted, nothing stored" (answering the count sent), R5 defaults to 501 (not implemented).
///
/// ```
/// use rop_api::{CallId, CallUpload, HandlerError, RopHandler, duplicate_call};
/// use std::collections::HashSet;
/// use std::sync::Mutex;
///
/// #[derive(Default)]
/// struct Queue(Mutex<HashSet<CallId>>);
///
/// #[rop_api::async_trait]
/// impl RopHandler for Queue {
///     async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
///         let mut seen = self.0.lock().map_err(|_| HandlerError::internal("lock poisoned"))?;
///         if !seen.insert(call.call_id.clone()) {
///             return Err(duplicate_call());
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
    /// (return [`not_audio`] or `HandlerError::from(AudioError)`); a repeated call id is
    /// [`duplicate_call`].
    async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError>;

    /// R2 `POST calls`: the vendor document's alternative JSON form of R1; by default the same as R1.
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
    /// [`HandlerError::not_found`] for an unknown table or call.
    async fn call_ready(&self, query: CallReadyQuery) -> Result<CallReady, HandlerError> {
        let _ = query;
        Err(HandlerError::not_implemented("R5 tables/call-ready"))
    }
}

/// The 409 a handler answers for a call id it has already received (W1/W2 receivers: a repeated
/// delivery, answered 200 so the sender stops): `Звонок с данным call_id уже обработан`.
pub fn duplicate_call() -> HandlerError {
    HandlerError::conflict("Звонок с данным call_id уже обработан")
}

/// The 400 for a file at `audio_url` that is not MP3, WAV or OGG: `Файл не является аудио`.
pub fn not_audio() -> HandlerError {
    HandlerError::bad_request("Файл не является аудио")
}

/// `NotAudio` is [`not_audio`]; every other audio problem is a 400 naming `audio_url`.
impl From<AudioError> for HandlerError {
    fn from(e: AudioError) -> Self {
        match e {
            AudioError::NotAudio => not_audio(),
            other => HandlerError::invalid("audio_url", other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn audio_errors_become_400s() {
        assert_eq!(HandlerError::from(AudioError::NotAudio), not_audio());
        let long = HandlerError::from(AudioError::TooLong {
            duration: Duration::from_secs(3000),
            limit: Duration::from_secs(2700),
        });
        insta::assert_snapshot!(long, @"audio_url: Длительность записи 3000 с превышает допустимые 2700 с");
        assert_eq!(duplicate_call().status(), http::StatusCode::CONFLICT);
    }
}
