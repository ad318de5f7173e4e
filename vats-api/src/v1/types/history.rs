//! Call history (P1–P4, docs/protocol.md §3): queries, JSON records, CSV rows.

use super::period::{HistoryRange, history_range};
use super::{count, text};
use crate::common::wire_enum;
use crate::{CallId, CallStatus, Direction, timestamp};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// The `period` of a history query (vendor document §4.1). `week` and `month` (the vendor document's own example
    /// sends `"period": "week"`) are read as `this_week` and `this_month`.
    Period: str::eq_ignore_ascii_case {
        /// `today`.
        Today = "today",
        /// `yesterday`.
        Yesterday = "yesterday",
        /// `this_week` (weeks start on Monday).
        ThisWeek = "this_week" | "week",
        /// `last_week`.
        LastWeek = "last_week",
        /// `this_month`.
        ThisMonth = "this_month" | "month",
        /// `last_month`.
        LastMonth = "last_month",
    }
}

wire_enum! {
    /// The `type` filter of the external history (P1, P2) and the `type` column of its CSV.
    HistoryType: str::eq_ignore_ascii_case {
        /// `all` (the default).
        All = "all",
        /// `in`: incoming.
        In = "in",
        /// `out`: outgoing.
        Out = "out",
        /// `missed`: missed incoming.
        Missed = "missed",
    }
}

wire_enum! {
    /// The `type` filter of the internal history (P3, P4).
    InnerHistoryType: str::eq_ignore_ascii_case {
        /// `all` (the default).
        All = "all",
        /// `success`: answered.
        Success = "success",
        /// `noanswer`: not answered.
        NoAnswer = "noanswer",
    }
}

wire_enum! {
    /// The `status` of an internal call. The vendor document's CSV example carries `in`/`out` in this
    /// column; those are kept as `Other`.
    InnerStatus: str::eq_ignore_ascii_case {
        /// `success`.
        Success = "success",
        /// `noanswer`.
        NoAnswer = "noanswer",
        /// `missed`.
        Missed = "missed",
    }
}

wire_enum! {
    /// Who took an incoming call (`destination`, vendor document §4.2).
    Destination: str::eq_ignore_ascii_case {
        /// `user`: an employee took it.
        User = "user",
        /// `group`: the department missed it.
        Group = "group",
        /// `telnum`: an external number.
        Telnum = "telnum",
        /// `ivr`: the self-service menu.
        Ivr = "ivr",
        /// `onduty`: the duty employee off hours.
        OnDuty = "onduty",
        /// `offtime`: the off-hours message.
        OffTime = "offtime",
        /// `hello`: dropped during the greeting.
        Hello = "hello",
        /// `vm`: voicemail, the client left a message.
        Voicemail = "vm",
        /// `am`: the answering machine's message.
        AnsweringMachine = "am",
    }
}

macro_rules! history_query {
    ($(#[$meta:meta])* $name:ident, $kind:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        pub struct $name {
            /// Start of the period (written `YYYYmmddTHHMMSSZ`).
            #[cfg_attr(feature = "openapi", schemars(schema_with = "crate::openapi::schemas::opt_compact"))]
            #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::compact::option")]
            pub start: Option<DateTime<Utc>>,
            /// End of the period (written `YYYYmmddTHHMMSSZ`).
            #[cfg_attr(feature = "openapi", schemars(schema_with = "crate::openapi::schemas::opt_compact"))]
            #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::compact::option")]
            pub end: Option<DateTime<Utc>>,
            /// A named period; beats `start`/`end` (vendor document §4.5).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub period: Option<Period>,
            /// Which calls.
            #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
            pub kind: Option<$kind>,
            /// At most this many records.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "http_plumbing::lenient::opt_from_str")]
            pub limit: Option<u64>,
        }

        impl $name {
            /// An empty query: today's calls (vendor document §4.5).
            pub fn new() -> Self {
                Self::default()
            }

            /// Sets a named period.
            #[must_use]
            pub fn period(mut self, period: Period) -> Self {
                self.period = Some(period);
                self
            }

            /// Sets `start` and `end`.
            #[must_use]
            pub fn between(mut self, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
                self.start = Some(start);
                self.end = Some(end);
                self
            }

            /// Sets the `type` filter.
            #[must_use]
            pub fn kind(mut self, kind: $kind) -> Self {
                self.kind = Some(kind);
                self
            }

            /// Sets `limit`.
            #[must_use]
            pub fn limit(mut self, limit: u64) -> Self {
                self.limit = Some(limit);
                self
            }

            /// The query string pairs, in the order `start`, `end`, `period`, `type`, `limit`.
            pub fn pairs(&self) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                if let Some(t) = &self.start {
                    out.push(("start", timestamp::format_compact(t)));
                }
                if let Some(t) = &self.end {
                    out.push(("end", timestamp::format_compact(t)));
                }
                if let Some(p) = &self.period {
                    out.push(("period", p.to_string()));
                }
                if let Some(k) = &self.kind {
                    out.push(("type", k.to_string()));
                }
                if let Some(l) = self.limit {
                    out.push(("limit", l.to_string()));
                }
                out
            }

            /// The period this query selects at `now`, by the rules of vendor document §4.5
            /// (see [`history_range`]).
            pub fn range(&self, now: DateTime<Utc>) -> crate::Result<HistoryRange> {
                history_range(self.period.as_ref(), self.start, self.end, now)
            }
        }
    };
}

history_query! {
    /// The query of the external history (P1 `history/csv`, P2 `history/json`).
    HistoryQuery, HistoryType
}

history_query! {
    /// The query of the internal history (P3 `history/inner/csv`, P4 `history/inner/json`).
    InnerHistoryQuery, InnerHistoryType
}

/// A record of the external history as JSON (P2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryRecord {
    /// The call's unique id.
    pub uid: CallId,
    /// `in` or `out`.
    pub direction: Direction,
    /// `success`, `missed`, … (any case).
    pub status: CallStatus,
    /// The client's number.
    #[serde(default, deserialize_with = "text")]
    pub client: String,
    /// The employee's login.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub account: Option<String>,
    /// The company number the call came through.
    #[serde(default, deserialize_with = "text")]
    pub diversion: String,
    /// Who took an incoming call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// The employee's login (`""` when nobody took the call).
    #[serde(default, deserialize_with = "text")]
    pub user: String,
    /// The employee's name.
    #[serde(default, deserialize_with = "text")]
    pub user_name: String,
    /// The department the call went through.
    #[serde(default, deserialize_with = "text")]
    pub group_name: String,
    /// Start of the call (written `2022-01-20T08:58:42Z`; all three forms read).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::rfc3339")
    )]
    #[serde(with = "timestamp::rfc3339")]
    pub start: DateTime<Utc>,
    /// Waiting time, seconds.
    #[serde(default, deserialize_with = "count")]
    pub wait: u64,
    /// Talk time, seconds.
    #[serde(default, deserialize_with = "count")]
    pub duration: u64,
    /// Link to the recording (`None` when there is none; written `""` then, as the PBX does);
    /// may need the `X-API-KEY` header to download ([`Client::download_record`](crate::v1::Client::download_record)).
    #[serde(
        default,
        serialize_with = "record_text",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub record: Option<String>,
    /// Service rating.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub rating: Option<u32>,
}

/// A record of the internal history as JSON (P4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InnerHistoryRecord {
    /// The call's unique id.
    pub uid: CallId,
    /// `success`, `noanswer`, … (any case).
    pub status: InnerStatus,
    /// Who called (login, id).
    #[serde(default, deserialize_with = "text")]
    pub from: String,
    /// Who was called (login, id).
    #[serde(default, deserialize_with = "text")]
    pub to: String,
    /// Caller's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub from_name: Option<String>,
    /// Callee's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub to_name: Option<String>,
    /// Start of the call.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::rfc3339")
    )]
    #[serde(with = "timestamp::rfc3339")]
    pub start: DateTime<Utc>,
    /// Waiting time, seconds.
    #[serde(default, deserialize_with = "count")]
    pub wait: u64,
    /// Talk time, seconds.
    #[serde(default, deserialize_with = "count")]
    pub duration: u64,
    /// Link to the recording (`None` when there is none; written `""` then, as the PBX does).
    #[serde(
        default,
        serialize_with = "record_text",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub record: Option<String>,
}

/// A row of the external history as CSV (P1): columns
/// `uid,type,client,account,via,start,wait,duration,record,rating`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryCsvRow {
    /// The call's unique id.
    pub uid: CallId,
    /// `in`, `out`, `missed` (any case).
    #[serde(rename = "type")]
    pub kind: HistoryType,
    /// The client's number.
    pub client: String,
    /// The employee's login.
    pub account: String,
    /// The company number the call came through.
    pub via: String,
    /// Start of the call.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::rfc3339")
    )]
    #[serde(with = "timestamp::rfc3339")]
    pub start: DateTime<Utc>,
    /// Waiting time, seconds.
    pub wait: u64,
    /// Talk time, seconds.
    pub duration: u64,
    /// Link to the recording (`""` when none).
    pub record: String,
    /// Service rating.
    pub rating: Option<u32>,
}

/// A row of the internal history as CSV (P3): columns
/// `uid,status,from,to,start,wait,duration,record`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InnerHistoryCsvRow {
    /// The call's unique id.
    pub uid: CallId,
    /// Status (the vendor document's example carries `in`/`out` here; kept as `Other`).
    pub status: InnerStatus,
    /// Who called.
    pub from: String,
    /// Who was called.
    pub to: String,
    /// Start of the call.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::rfc3339")
    )]
    #[serde(with = "timestamp::rfc3339")]
    pub start: DateTime<Utc>,
    /// Waiting time, seconds.
    pub wait: u64,
    /// Talk time, seconds.
    pub duration: u64,
    /// Link to the recording (`""` when none).
    pub record: String,
}

/// Writes an absent recording link as `""`, the PBX's own form.
fn record_text<S: serde::Serializer>(link: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(link.as_deref().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_history_json() {
        let r: Vec<HistoryRecord> = serde_json::from_str(
            r#"[{"uid":"3934307521","direction":"in","status":"missed","client":"79008003396",
            "destination":"group","user":"","user_name":"","group_name":"Отдел продаж",
            "diversion":"79001112233","start":"2022-01-20T08:59:22Z","wait":13,"duration":0,"record":""},
            {"uid":1755936870,"direction":"IN","status":"SUCCESS","client":"79008003396","user":"admin",
            "user_name":"Администратор","group_name":"","diversion":"79001112233",
            "start":"2022-01-20T11:58:42+03:00","wait":"5","duration":"23","record":""}]"#,
        )
        .unwrap();
        assert_eq!(r[0].status, CallStatus::Missed);
        assert_eq!(r[0].destination, Some(Destination::Group));
        assert_eq!(r[1].status, CallStatus::Success);
        assert_eq!(r[1].direction, Direction::In);
        assert_eq!(r[1].duration, 23);
        assert_eq!(
            timestamp::format_rfc3339(&r[1].start),
            "2022-01-20T08:58:42Z"
        );
    }

    #[test]
    fn query_pairs_use_the_compact_form() {
        let t = timestamp::parse("2022-01-20T08:58:42Z").unwrap();
        let q = HistoryQuery::new()
            .between(t, t)
            .kind(HistoryType::Missed)
            .limit(5);
        assert_eq!(
            q.pairs(),
            vec![
                ("start", "20220120T085842Z".to_owned()),
                ("end", "20220120T085842Z".to_owned()),
                ("type", "missed".to_owned()),
                ("limit", "5".to_owned()),
            ]
        );
        assert_eq!(Period::parse("week"), Period::ThisWeek);
        assert_eq!(Period::parse("Last_Month"), Period::LastMonth);
    }
}
