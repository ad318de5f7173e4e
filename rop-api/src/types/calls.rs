//! R1/R2 (send a call for analysis), R5 (is a table's result ready) and the response envelope.

use super::ids::{CallId, DealId, DealStageId, ManagerId, TableId};
use super::wire::string_map;
use http_plumbing::FieldError;
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use url::Url;

/// The longest call ROP analyses, in seconds (the ROP vendor document: 45 minutes).
pub const MAX_DURATION_SECS: u32 = 2700;

/// The largest audio file ROP accepts, in bytes (seeds: 100 MB).
pub const MAX_AUDIO_BYTES: u64 = 100 * 1024 * 1024;

/// R1/R2's body: a call recording to analyse.
///
/// ```
/// use rop_api::CallUpload;
/// let call = CallUpload::new("call_789456", "12345", "https://crm.example/files/1.mp3".parse()?)
///     .with_deal("deal_456789", Some("stage_123".into()))
///     .with_duration(900);
/// assert!(call.validate().is_ok());
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallUpload {
    /// The CRM's manager id (required).
    pub manager_id: ManagerId,
    /// The CRM's call id, unique per call (required; a repeat is a 409).
    pub call_id: CallId,
    /// The deal the call belongs to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_id"
    )]
    pub deal_id: Option<DealId>,
    /// The deal's stage at the time of the call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_id"
    )]
    pub deal_stage_id: Option<DealStageId>,
    /// Where ROP downloads the recording (absolute `http`/`https` URL; required).
    pub audio_url: Url,
    /// The call's length in seconds, at most [`MAX_DURATION_SECS`]; also read from a numeric string.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub duration: Option<u32>,
}

fn opt_id<'de, D: Deserializer<'de>, T: From<String>>(d: D) -> Result<Option<T>, D::Error> {
    Ok(http_plumbing::lenient::opt_string(d)?.map(T::from))
}

impl CallUpload {
    /// A call with its required fields.
    pub fn new(
        call_id: impl Into<CallId>,
        manager_id: impl Into<ManagerId>,
        audio_url: Url,
    ) -> Self {
        Self {
            manager_id: manager_id.into(),
            call_id: call_id.into(),
            deal_id: None,
            deal_stage_id: None,
            audio_url,
            duration: None,
        }
    }

    /// Sets the deal and, optionally, its stage.
    #[must_use]
    pub fn with_deal(mut self, deal_id: impl Into<DealId>, stage: Option<DealStageId>) -> Self {
        self.deal_id = Some(deal_id.into());
        self.deal_stage_id = stage;
        self
    }

    /// Sets the duration in seconds.
    #[must_use]
    pub fn with_duration(mut self, seconds: u32) -> Self {
        self.duration = Some(seconds);
        self
    }

    /// Checks what the types alone cannot: non-empty ids, an absolute `http`/`https` URL,
    /// `duration` ≤ [`MAX_DURATION_SECS`].
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.call_id.as_str().trim().is_empty() {
            return Err(FieldError::new("call_id", "must not be empty"));
        }
        if self.manager_id.as_str().trim().is_empty() {
            return Err(FieldError::new("manager_id", "must not be empty"));
        }
        if !matches!(self.audio_url.scheme(), "http" | "https") || !self.audio_url.has_host() {
            return Err(FieldError::new(
                "audio_url",
                "must be an absolute http or https URL",
            ));
        }
        if let Some(d) = self.duration
            && d > MAX_DURATION_SECS
        {
            return Err(FieldError::new(
                "duration",
                format!("{d} s is longer than the maximum of {MAX_DURATION_SECS} s"),
            ));
        }
        Ok(())
    }
}

/// The answer envelope of the POST methods: `{"data": <value or false>, "error": <bool>, "message": "..."}`.
///
/// `data: false` (an error answer) reads as `None` and `None` is written as `false`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope<T> {
    /// The payload: R1/R2 the call id, R3/R4 the number of records stored; `None` on errors.
    pub data: Option<T>,
    /// Whether the request failed.
    pub error: bool,
    /// A human-readable message (Russian in the vendor documents).
    pub message: String,
}

impl<T> Envelope<T> {
    /// A success envelope.
    pub fn ok(data: T, message: impl Into<String>) -> Self {
        Self {
            data: Some(data),
            error: false,
            message: message.into(),
        }
    }

    /// An error envelope (`data: false`).
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            data: None,
            error: true,
            message: message.into(),
        }
    }
}

impl<T: Serialize> Serialize for Envelope<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Envelope", 3)?;
        match &self.data {
            Some(d) => st.serialize_field("data", d)?,
            None => st.serialize_field("data", &false)?,
        }
        st.serialize_field("error", &self.error)?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default)]
            data: Value,
            #[serde(default, deserialize_with = "http_plumbing::lenient::opt_bool")]
            error: Option<bool>,
            #[serde(default, deserialize_with = "super::wire::text_or_empty")]
            message: String,
        }
        let w = Wire::deserialize(d)?;
        let data = match w.data {
            Value::Null | Value::Bool(false) => None,
            v => Some(T::deserialize(v).map_err(serde::de::Error::custom)?),
        };
        let error = w.error.unwrap_or(data.is_none());
        Ok(Self {
            data,
            error,
            message: w.message,
        })
    }
}

/// R5's query: `?tab=<table id>&call=<call id>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallReadyQuery {
    /// The table's id (`tab`).
    pub tab: TableId,
    /// The call's id (`call`).
    pub call: CallId,
}

impl CallReadyQuery {
    /// A query for one table of one call.
    pub fn new(tab: impl Into<TableId>, call: impl Into<CallId>) -> Self {
        Self {
            tab: tab.into(),
            call: call.into(),
        }
    }
}

/// R5's answer: `{"ready":true,"data":{...}}` or `{"ready":false}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallReady {
    /// The table's result is ready: field name → value.
    Ready(BTreeMap<String, String>),
    /// The call is queued or being analysed.
    NotReady,
}

impl CallReady {
    /// Whether the result is ready.
    pub fn is_ready(&self) -> bool {
        matches!(self, Self::Ready(_))
    }

    /// The extracted fields, when ready.
    pub fn data(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            Self::Ready(d) => Some(d),
            Self::NotReady => None,
        }
    }
}

impl Serialize for CallReady {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match self {
            Self::Ready(data) => {
                let mut st = s.serialize_struct("CallReady", 2)?;
                st.serialize_field("ready", &true)?;
                st.serialize_field("data", data)?;
                st.end()
            }
            Self::NotReady => {
                let mut st = s.serialize_struct("CallReady", 1)?;
                st.serialize_field("ready", &false)?;
                st.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for CallReady {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(deserialize_with = "http_plumbing::lenient::bool")]
            ready: bool,
            #[serde(default, deserialize_with = "string_map")]
            data: BTreeMap<String, String>,
        }
        let w = Wire::deserialize(d)?;
        Ok(if w.ready {
            Self::Ready(w.data)
        } else {
            Self::NotReady
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_false_data_is_none() {
        let e: Envelope<CallId> =
            serde_json::from_str(r#"{"data":false,"error":true,"message":"m"}"#).unwrap();
        assert_eq!(e, Envelope::error("m"));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"data":false,"error":true,"message":"m"}"#
        );
    }

    #[test]
    fn upload_reads_numbers_as_strings_and_validates() {
        let c: CallUpload = serde_json::from_str(
            r#"{"manager_id":1,"call_id":"c","audio_url":"ftp://x/y.mp3","duration":"3000","deal_id":""}"#,
        )
        .unwrap();
        assert_eq!(c.duration, Some(3000));
        assert_eq!(c.deal_id, None);
        assert_eq!(c.validate().unwrap_err().field, "audio_url");
        let c = CallUpload {
            audio_url: "http://x/y".parse().unwrap(),
            ..c
        };
        assert_eq!(c.validate().unwrap_err().field, "duration");
    }

    #[test]
    fn call_ready_round_trips_both_shapes() {
        let r: CallReady = serde_json::from_str(r#"{"ready":"false"}"#).unwrap();
        assert_eq!(r, CallReady::NotReady);
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"ready":false}"#);
        let r: CallReady = serde_json::from_str(r#"{"ready":true,"data":{"a":"b"}}"#).unwrap();
        assert_eq!(r.data().unwrap()["a"], "b");
    }
}
