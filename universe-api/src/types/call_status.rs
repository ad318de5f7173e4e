//! U7's call status.

http_plumbing::tolerant_enum! {
    /// How a call ended (`call`'s `status`).
    ///
    /// Read ignoring case, `_`, `-` and spaces; the vendor document's own example sends
    /// `answered`, read as [`CallStatus::Answer`]. Unknown values are kept in
    /// [`CallStatus::Other`]. Written as the documented upper-case names.
    #[non_exhaustive]
    CallStatus {
        /// `ANSWER`: answered and handled by an employee.
        Answer = "ANSWER" | "ANSWERED",
        /// `BUSY`: the line was busy.
        Busy = "BUSY",
        /// `NOANSWER`: not answered within the waiting time.
        NoAnswer = "NOANSWER",
        /// `CANCEL`: the caller hung up before an answer.
        Cancel = "CANCEL" | "CANCELED" | "CANCELLED",
        /// `CONGESTION`: failed for technical reasons.
        Congestion = "CONGESTION",
        /// `CHANUNAVAIL`: the called number was unavailable.
        ChanUnavail = "CHANUNAVAIL",
        /// `DONTCALL`: the incoming call was rejected.
        DontCall = "DONTCALL",
        /// `TORTURE`: sent to the answering machine.
        Torture = "TORTURE",
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
        for s in CallStatus::KNOWN {
            assert_eq!(&CallStatus::parse(s.as_str()), s);
        }
    }
}
