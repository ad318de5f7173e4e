//! Outgoing calls (vendor document §5, P5 `makecall`).

use crate::{CallId, Phone};
use serde::{Deserialize, Serialize};

/// A request to call a client (P5): the PBX rings the employee first, then the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MakeCall {
    /// The client's number (required): written digits only, no `+`; a `+7 …` as CRMs store it
    /// is read and normalised ([`MakeCall::normalized`]).
    pub phone: Phone,
    /// The employee: login or extension (required).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub user: String,
    /// Caller id to show the client (optional; not in the vendor document's table, see docs/protocol.md).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub clid: Option<String>,
    /// Number to show the employee (optional; see docs/protocol.md).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub show_phone: Option<String>,
}

impl MakeCall {
    /// A call from `user` to `phone`.
    pub fn new(phone: impl Into<Phone>, user: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            user: user.into(),
            clid: None,
            show_phone: None,
        }
    }

    /// The request in the canonical form: `phone` through [`Phone::normalized`] (`+7 916 …` →
    /// `7916…`). The client sends and the dispatcher hands the handler this form.
    #[must_use]
    pub fn normalized(mut self) -> Self {
        self.phone = self.phone.normalized();
        self
    }

    /// Checks what the PBX checks: `phone` digits only (normalise first: a leading `+` left
    /// in is an error), `user` set.
    pub fn validate(&self) -> crate::Result<()> {
        if !self.phone.is_digits() {
            return Err(crate::Error::invalid_input(
                "phone",
                "must be digits only, country code first, without '+'",
            ));
        }
        if self.user.trim().is_empty() {
            return Err(crate::Error::invalid_input("user", "must not be empty"));
        }
        Ok(())
    }
}

/// The answer of `makecall`: the call's unique id, written as `{"callid":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MakeCallAnswer {
    /// The call's unique id.
    #[serde(alias = "call_id", alias = "uid", alias = "id")]
    pub callid: CallId,
}

impl MakeCallAnswer {
    /// Reads the answer in any of the forms PBXs send: `{"callid":"…"}` (or `call_id`, `uid`,
    /// `id`), a bare JSON string or number, or plain text.
    pub fn parse(body: &[u8]) -> crate::Result<Self> {
        if let Ok(a) = serde_json::from_slice::<Self>(body) {
            return Ok(a);
        }
        if let Ok(id) = serde_json::from_slice::<CallId>(body) {
            return Ok(Self { callid: id });
        }
        let text = String::from_utf8_lossy(body);
        let t = text.trim();
        if t.is_empty() || t.starts_with(['{', '[']) || t.contains(char::is_whitespace) {
            return Err(crate::Error::decode(
                None,
                "callid",
                "expected {\"callid\":\"…\"}, a JSON string or plain text",
                body,
            ));
        }
        Ok(Self {
            callid: CallId::from(t),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_reads_object_string_number_and_text() {
        for body in [
            r#"{"callid":"abc-1"}"#,
            r#"{"call_id":"abc-1"}"#,
            r#""abc-1""#,
            "abc-1\n",
        ] {
            assert_eq!(
                MakeCallAnswer::parse(body.as_bytes())
                    .unwrap()
                    .callid
                    .as_str(),
                "abc-1"
            );
        }
        assert_eq!(MakeCallAnswer::parse(b"15").unwrap().callid.as_str(), "15");
        assert!(MakeCallAnswer::parse(b"{}").is_err());
        assert!(MakeCallAnswer::parse(b"").is_err());
    }

    #[test]
    fn validate_rejects_plus_and_empty_user() {
        assert!(MakeCall::new("79101234567", "admin").validate().is_ok());
        let e = MakeCall::new("+79101234567", "admin")
            .validate()
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid request: phone"), "{e}");
        assert!(MakeCall::new("79101234567", " ").validate().is_err());
    }
}
