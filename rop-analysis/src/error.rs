//! The crate's one error type.

use std::fmt;

/// Everything that can go wrong in `rop-analysis`.
///
/// Decode failures name the JSON path of the offending value (`stages[2].rules.any`), so a
/// user can fix a checklist without guessing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A JSON document (transcript, checklist, table, gold labels) did not decode.
    #[error("{what}: invalid JSON at `{path}`: {message}")]
    Decode {
        /// What was being read (`transcript`, `checklist`, …).
        what: &'static str,
        /// The JSON path of the value that failed (`.` for the document itself).
        path: String,
        /// The decoder's message.
        message: String,
    },
    /// A document decoded but breaks a rule of docs/formats.md (a field named by its path).
    #[error("{what}: `{field}`: {message}")]
    Invalid {
        /// What was being read.
        what: &'static str,
        /// The JSON path of the offending field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// An evaluator could not produce verdicts (for example the LLM service failed).
    #[error("evaluator `{evaluator}` failed: {message}")]
    Evaluator {
        /// The evaluator's name (`rules`, `llm`, …).
        evaluator: String,
        /// What went wrong (never contains secrets).
        message: String,
    },
    /// The LLM service answered with a non-success status (the raw body is kept whole).
    #[error("LLM service answered HTTP {status}: {}", preview(body))]
    LlmStatus {
        /// The HTTP status.
        status: u16,
        /// The raw response body.
        body: String,
    },
    /// The LLM service gave no answer, after retries (no URL and no key in the message).
    #[cfg(feature = "llm")]
    #[error("LLM service unreachable: {0}")]
    LlmTransport(#[source] http_plumbing::TransportError),
    /// The LLM's answer did not have the expected shape (or the model refused, or the answer
    /// was cut short); `path` says where, the raw body is kept whole.
    #[error("LLM answer unusable at `{path}`: {message}")]
    LlmAnswer {
        /// Where in the answer (`choices[0].message.content.stages[1].quote`).
        path: String,
        /// What is wrong.
        message: String,
        /// The raw response body.
        body: String,
    },
}

/// The first 300 characters of a response body, for error messages (LLM errors keep it whole).
fn preview(body: &str) -> String {
    let mut out: String = body.chars().take(300).collect();
    if body.chars().nth(300).is_some() {
        out.push('…');
    }
    out
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An [`Error::Invalid`] for `what` at `field`.
    pub(crate) fn invalid(
        what: &'static str,
        field: impl Into<String>,
        message: impl fmt::Display,
    ) -> Self {
        Self::Invalid {
            what,
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// Decodes JSON text into `T`, naming the JSON path of the first failure.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| decode_error(what, e))
}

/// A decode error; an unknown key is named with its full path (`stages[2].rules.anyy`).
fn decode_error<E: fmt::Display>(what: &'static str, e: serde_path_to_error::Error<E>) -> Error {
    let path = e.path().to_string();
    let message = e.into_inner().to_string();
    if let Some(key) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if path == "." {
            key.to_owned()
        } else if path.ends_with(key) {
            path
        } else {
            format!("{path}.{key}")
        };
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| {
                let e = e.split(" at line ").next().unwrap_or(e);
                format!(": expected {e}")
            })
            .unwrap_or_default();
        return Error::Invalid {
            what,
            field,
            message: format!("unknown key{expected}"),
        };
    }
    Error::Decode {
        what,
        path,
        message,
    }
}

/// Decodes a JSON value into `T`, naming the JSON path of the first failure.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    what: &'static str,
    value: serde_json::Value,
) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| decode_error(what, e))
}

/// Whether a JSON object has top-level `stages` and `fields` keys (`None` when the text is not
/// a JSON object): tells a checklist from a table before the strict decode.
pub(crate) fn top_level_keys(text: &str) -> Option<(bool, bool)> {
    #[derive(serde::Deserialize)]
    struct Keys {
        stages: Option<serde::de::IgnoredAny>,
        fields: Option<serde::de::IgnoredAny>,
    }
    let k: Keys = serde_json::from_str(text).ok()?;
    Some((k.stages.is_some(), k.fields.is_some()))
}
