//! U7's call status.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How a call ended (`call`'s `status`).
///
/// Read case-insensitively, ignoring `_`, `-` and spaces; the vendor document's own example sends
/// `answered`, read as [`CallStatus::Answer`]. Unknown values are kept in
/// [`CallStatus::Other`]. Written as the documented upper-case names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallStatus {
    /// `ANSWER`: answered and handled by an employee.
    Answer,
    /// `BUSY`: the line was busy.
    Busy,
    /// `NOANSWER`: not answered within the waiting time.
    NoAnswer,
    /// `CANCEL`: the caller hung up before an answer.
    Cancel,
    /// `CONGESTION`: failed for technical reasons.
    Congestion,
    /// `CHANUNAVAIL`: the called number was unavailable.
    ChanUnavail,
    /// `DONTCALL`: the incoming call was rejected.
    DontCall,
    /// `TORTURE`: sent to the answering machine.
    Torture,
    /// Any other value, kept as sent.
    Other(String),
}

impl CallStatus {
    /// The wire text: the documented name, or an unknown value as it came.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Answer => "ANSWER",
            Self::Busy => "BUSY",
            Self::NoAnswer => "NOANSWER",
            Self::Cancel => "CANCEL",
            Self::Congestion => "CONGESTION",
            Self::ChanUnavail => "CHANUNAVAIL",
            Self::DontCall => "DONTCALL",
            Self::Torture => "TORTURE",
            Self::Other(s) => s,
        }
    }

    /// Reads a status from any of its spellings; never fails.
    pub fn parse(text: &str) -> Self {
        let key: String = text
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_uppercase)
            .collect();
        match key.as_str() {
            "ANSWER" | "ANSWERED" => Self::Answer,
            "BUSY" => Self::Busy,
            "NOANSWER" => Self::NoAnswer,
            "CANCEL" | "CANCELED" | "CANCELLED" => Self::Cancel,
            "CONGESTION" => Self::Congestion,
            "CHANUNAVAIL" => Self::ChanUnavail,
            "DONTCALL" => Self::DontCall,
            "TORTURE" => Self::Torture,
            _ => Self::Other(text.to_owned()),
        }
    }
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CallStatus {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

impl From<&str> for CallStatus {
    fn from(s: &str) -> Self {
        Self::parse(s)
    }
}

impl Serialize for CallStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CallStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        http_plumbing::lenient::string(d).map(|s| Self::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answered_and_any_case_read_as_answer() {
        for s in ["answered", "ANSWER", "Answer", "answer"] {
            assert_eq!(CallStatus::parse(s), CallStatus::Answer, "{s}");
        }
        assert_eq!(CallStatus::parse("no_answer"), CallStatus::NoAnswer);
        assert_eq!(CallStatus::parse("chanunavail"), CallStatus::ChanUnavail);
    }

    #[test]
    fn unknown_values_are_kept() {
        let s = CallStatus::parse("VOICEMAIL_x");
        assert_eq!(s, CallStatus::Other("VOICEMAIL_x".into()));
        assert_eq!(s.to_string(), "VOICEMAIL_x");
    }

    #[test]
    fn writes_documented_names() {
        assert_eq!(
            serde_json::to_string(&CallStatus::NoAnswer).unwrap(),
            r#""NOANSWER""#
        );
        let all = [
            CallStatus::Answer,
            CallStatus::Busy,
            CallStatus::NoAnswer,
            CallStatus::Cancel,
            CallStatus::Congestion,
            CallStatus::ChanUnavail,
            CallStatus::DontCall,
            CallStatus::Torture,
        ];
        for s in all {
            assert_eq!(CallStatus::parse(s.as_str()), s);
        }
    }
}
