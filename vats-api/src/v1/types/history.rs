//! Call history (P1–P4, docs/protocol.md §3): queries, JSON records, CSV rows.

use super::history_filters::HistoryFilters;
use super::period::{HistoryRange, history_range};
use super::{count, text};
use crate::{CallId, CallStatus, Direction, timestamp};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

http_plumbing::tolerant_enum! {
    /// The `period` of a history query (vendor document §4.1). `week` and `month` (the vendor document's own example
    /// sends `"period": "week"`) are read as `this_week` and `this_month`.
    #[non_exhaustive]
    Period {
        /// `today`: from 00:00 UTC today.
        Today = "today",
        /// `yesterday`: the whole previous UTC day.
        Yesterday = "yesterday",
        /// `this_week` (weeks start on Monday).
        ThisWeek = "this_week" | "week",
        /// `last_week`: the previous Monday-to-Sunday week.
        LastWeek = "last_week",
        /// `this_month`: from the 1st of this month, 00:00 UTC (also read `month`).
        ThisMonth = "this_month" | "month",
        /// `last_month`: the whole previous calendar month.
        LastMonth = "last_month",
    }
}

http_plumbing::tolerant_enum! {
    /// The `type` filter of the external history (P1, P2) and the `type` column of its CSV.
    #[non_exhaustive]
    HistoryType {
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

http_plumbing::tolerant_enum! {
    /// The `type` filter of the internal history (P3, P4).
    #[non_exhaustive]
    InnerHistoryType {
        /// `all` (the default).
        All = "all",
        /// `success`: answered.
        Success = "success",
        /// `noanswer`: not answered.
        NoAnswer = "noanswer",
    }
}

http_plumbing::tolerant_enum! {
    /// The `status` of an internal call. The vendor document's CSV example carries `in`/`out` in this
    /// column; those are kept as `Other`.
    #[non_exhaustive]
    InnerStatus {
        /// `success`: the call was answered.
        Success = "success",
        /// `noanswer`: nobody answered.
        NoAnswer = "noanswer",
        /// `missed`: the call was missed.
        Missed = "missed",
    }
}

http_plumbing::tolerant_enum! {
    /// Who took an incoming call (`destination`, vendor document §4.2).
    #[non_exhaustive]
    Destination {
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
    ($(#[$meta:meta])* $name:ident, $kind:ty $(, filters: $filters:ty)?) => {
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
            /// Which calls (`None`: all of them).
            #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
            pub kind: Option<$kind>,
            /// At most this many records.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "http_plumbing::lenient::opt_from_str")]
            pub limit: Option<u64>,
            $(
                /// The filters live clients send beyond the vendor document's parameters.
                #[serde(flatten)]
                pub filters: $filters,
            )?
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

            /// Sets `limit`: at most this many records.
            #[must_use]
            pub fn limit(mut self, limit: u64) -> Self {
                self.limit = Some(limit);
                self
            }

            /// The query string pairs, in the order `start`, `end`, `period`, `type`, `limit`
            /// (then the filters, if any).
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
                $(
                    let filters: &$filters = &self.filters;
                    out.extend(filters.pairs());
                )?
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
    /// The query of the external history (P1 `history/csv`, P2 `history/json`), with the
    /// filters live clients send ([`HistoryFilters`]).
    HistoryQuery, HistoryType, filters: HistoryFilters
}

history_query! {
    /// The query of the internal history (P3 `history/inner/csv`, P4 `history/inner/json`).
    InnerHistoryQuery, InnerHistoryType
}

/// A record of the external history as JSON (P2).
///
/// Written as the vendor document's example of this endpoint: `status` in lower case
/// (`success`, `missed`, `notavailable`; the `history` push keeps `Success`). Read tolerantly:
/// `status` in any case, and `type` as another name for `direction` (live clients read `type`;
/// when both come, the first in the record wins).
///
/// ```
/// use vats_api::{CallStatus, Direction};
/// use vats_api::v1::HistoryRecord;
/// let r: HistoryRecord = serde_json::from_str(
///     r#"{"uid":"1","type":"in","status":"Missed","client":"79008003396","start":"2022-01-20T08:59:22Z"}"#,
/// )?;
/// assert_eq!((r.direction.clone(), r.status.clone()), (Direction::In, CallStatus::Missed));
/// assert!(serde_json::to_string(&r)?.contains(r#""status":"missed""#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryRecord {
    /// The call's unique id.
    pub uid: CallId,
    /// `in` or `out` (read from `type` too).
    pub direction: Direction,
    /// `success`, `missed`, … (read in any case, written in lower case).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::lower_case_status")
    )]
    #[serde(serialize_with = "lower_case")]
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
    /// The employee's login (`u704`); `None` when nobody took the call (written `""` then, as
    /// the PBX does).
    #[serde(
        default,
        serialize_with = "empty_when_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub user: Option<String>,
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
        serialize_with = "empty_when_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub record: Option<String>,
    /// The client's score of the call (1–5 as the PBX's IVR asks it), when one was given.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub rating: Option<u32>,
    /// `missedStatus`, only when the query asked `processMissed=true` (or `missedStatus`): 0
    /// answered (or outgoing), 1 the client called back, 2 we called back and got through, 3 no
    /// call back, 4 we called back without getting through.
    #[serde(
        rename = "missedStatus",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub missed_status: Option<u8>,
}

impl Serialize for HistoryRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        HistoryRecord::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for HistoryRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The derived (remote) reader, an inherent function, over the keys with `type` read as
        // `direction`; streaming, so error paths stay exact (`items[0].start`).
        HistoryRecord::deserialize(super::type_alias::TypeAsDirection(d))
    }
}

/// Writes a known status in lower case (the REST history's spelling); an unknown one as it
/// came.
fn lower_case<S: serde::Serializer>(status: &CallStatus, s: S) -> Result<S::Ok, S::Error> {
    match status {
        CallStatus::Other(kept) => s.serialize_str(kept),
        known => s.serialize_str(&known.as_str().to_lowercase()),
    }
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
        serialize_with = "empty_when_none",
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
    /// The client's score of the call (1–5), when one was given.
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
    /// The calling extension or number (`701`, `79101234567`).
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

/// Writes an absent value (no recording, nobody took the call) as `""`, the PBX's own form.
pub(crate) fn empty_when_none<T: AsRef<str>, S: serde::Serializer>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(value.as_ref().map_or("", AsRef::as_ref))
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
