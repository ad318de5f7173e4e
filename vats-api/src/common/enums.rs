//! String enums of the PBX protocols: [`Direction`], [`CallStatus`], [`EventType`].
//!
//! Reading ignores letter case and the separators `_`, `-` and spaces (`SUCCESS`, `success`,
//! `not_available` all match); a value that matches nothing is kept as `Other(text)`. Writing
//! emits the vendor document's own spelling.

http_plumbing::tolerant_enum! {
    /// Which way a call went: `in` (to the PBX's user) or `out` (from them).
    ///
    /// ```
    /// use vats_api::Direction;
    /// assert_eq!(Direction::parse("IN"), Direction::In);
    /// assert_eq!(Direction::Out.to_string(), "out");
    /// ```
    #[non_exhaustive]
    Direction {
        /// An incoming call (`in`).
        In = "in",
        /// An outgoing call (`out`).
        Out = "out",
    }
}

http_plumbing::tolerant_enum! {
    /// The outcome of a call in a `history` push and in history exports.
    ///
    /// The PBX v1 vendor document documents `Success`, `Missed`, …; its own example sends `SUCCESS`, and the
    /// REST history sends lower case (`missed`): all read alike. Writing uses the push's
    /// documented spelling (`Success`); `history/json` records write it in lower case, as that
    /// endpoint's example does ([`HistoryRecord`](crate::v1::HistoryRecord)).
    ///
    /// ```
    /// use vats_api::CallStatus;
    /// assert_eq!(CallStatus::parse("SUCCESS"), CallStatus::Success);
    /// assert_eq!(CallStatus::parse("missed"), CallStatus::Missed);
    /// assert_eq!(CallStatus::parse("Rejected"), CallStatus::Other("Rejected".into()));
    /// assert_eq!(CallStatus::NotAvailable.as_str(), "NotAvailable");
    /// ```
    #[non_exhaustive]
    CallStatus {
        /// The call was answered (`Success`).
        Success = "Success",
        /// Nobody answered (`Missed`).
        Missed = "Missed",
        /// The caller hung up first (`Cancel`).
        Cancel = "Cancel",
        /// The callee was busy (`Busy`, outgoing only).
        Busy = "Busy",
        /// The callee was unreachable (`NotAvailable`, outgoing only).
        NotAvailable = "NotAvailable",
        /// Calls to that destination are forbidden (`NotAllowed`, outgoing only).
        NotAllowed = "NotAllowed",
        /// No such number (`NotFound`, outgoing only).
        NotFound = "NotFound",
    }
}

http_plumbing::tolerant_enum! {
    /// The kind of an `event` push.
    ///
    /// ```
    /// use vats_api::EventType;
    /// assert_eq!(EventType::parse("incoming"), EventType::Incoming);
    /// assert_eq!(EventType::Accepted.as_str(), "ACCEPTED");
    /// ```
    #[non_exhaustive]
    EventType {
        /// A call is ringing at the user (`INCOMING`).
        Incoming = "INCOMING",
        /// The user picked up (`ACCEPTED`).
        Accepted = "ACCEPTED",
        /// The call ended after a conversation (`COMPLETED`).
        Completed = "COMPLETED",
        /// The call was dropped before anyone answered, or someone else answered (`CANCELLED`).
        Cancelled = "CANCELLED",
        /// The user started an outgoing call (`OUTGOING`).
        Outgoing = "OUTGOING",
        /// The call was transferred (`TRANSFERRED`).
        Transferred = "TRANSFERRED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_any_case_and_write_canonically() {
        for s in ["SUCCESS", "Success", "success", " success "] {
            assert_eq!(CallStatus::parse(s), CallStatus::Success);
        }
        assert_eq!(CallStatus::parse("not_available"), CallStatus::NotAvailable);
        assert_eq!(CallStatus::parse("NOTFOUND"), CallStatus::NotFound);
        let json = serde_json::to_string(&CallStatus::parse("MISSED")).unwrap();
        assert_eq!(json, "\"Missed\"");
    }

    #[test]
    fn unknown_values_are_kept() {
        let s: CallStatus = serde_json::from_str("\"Voicemail\"").unwrap();
        assert_eq!(s, CallStatus::Other("Voicemail".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"Voicemail\"");
        let e: EventType = serde_json::from_str("\"RINGBACK\"").unwrap();
        assert!(e.is_other());
        let d: Direction = serde_json::from_str("1").unwrap();
        assert_eq!(d, Direction::Other("1".into()));
    }
}
