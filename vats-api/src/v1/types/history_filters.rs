//! The filters real clients add to the external history query (P1, P2) beyond the vendor
//! document's `start`, `end`, `period`, `type`, `limit` (docs/protocol.md §3, "History filters"),
//! and the one check that no other parameter is ignored.

use super::history::HistoryRecord;
use serde::{Deserialize, Serialize};

/// The parameters of the external history query the vendor document lists.
pub const HISTORY_PARAMETERS: [&str; 5] = ["start", "end", "period", "type", "limit"];

/// The filters beyond them that this crate serves (sent by live clients of the PBX).
pub const HISTORY_FILTER_PARAMETERS: [&str; 6] = [
    "user",
    "diversion",
    "client",
    "groups",
    "processMissed",
    "missedStatus",
];

/// Filters of the external history (P1, P2) that live clients send although the vendor document
/// does not list them. Each is applied by [`HistoryFilters::apply`]; a parameter that is neither
/// one of these nor one of the document's is refused with a 400 naming it.
///
/// ```
/// use vats_api::v1::{HistoryFilters, HistoryQuery};
/// let q = HistoryQuery {
///     filters: HistoryFilters { diversion: Some("79001112233".into()), ..HistoryFilters::default() },
///     ..HistoryQuery::default()
/// };
/// assert_eq!(q.pairs(), vec![("diversion", "79001112233".to_owned())]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryFilters {
    /// Only calls of this employee (login, matched against `user` and `account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Only calls through this company number (digits compared, `+7 900…` = `7900…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversion: Option<String>,
    /// Only calls with this client number (digits compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Only calls through these departments: comma-separated, matched against `group_name`
    /// ignoring case (live clients may send group ids: a handler that knows its groups maps
    /// them to names first, as the mock does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<String>,
    /// `processMissed=true`: every record carries `missedStatus` (see
    /// [`HistoryRecord::missed_status`]).
    #[serde(
        rename = "processMissed",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_bool"
    )]
    pub process_missed: Option<bool>,
    /// Only records whose `missedStatus` is one of these (comma-separated codes 0–4); implies
    /// `processMissed`.
    #[serde(
        rename = "missedStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub missed_status: Option<String>,
}

/// `missedStatus` 0: answered at once (also every outgoing call).
pub const MISSED_NONE: u8 = 0;
/// `missedStatus` 1: missed, and the client called back and was answered.
pub const MISSED_CLIENT_CALLED_BACK: u8 = 1;
/// `missedStatus` 2: missed, and we called back and reached the client.
pub const MISSED_WE_CALLED_BACK: u8 = 2;
/// `missedStatus` 3: missed, nobody called back yet.
pub const MISSED_NO_CALLBACK: u8 = 3;
/// `missedStatus` 4: missed, we called back but did not reach the client.
pub const MISSED_CALLBACK_FAILED: u8 = 4;

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl HistoryFilters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The query pairs of the set filters, in the order of [`HISTORY_FILTER_PARAMETERS`].
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let text = [
            ("user", &self.user),
            ("diversion", &self.diversion),
            ("client", &self.client),
            ("groups", &self.groups),
        ];
        for (name, value) in text {
            if let Some(v) = value {
                out.push((name, v.clone()));
            }
        }
        if let Some(p) = self.process_missed {
            out.push(("processMissed", p.to_string()));
        }
        if let Some(m) = &self.missed_status {
            out.push(("missedStatus", m.clone()));
        }
        out
    }

    /// The `missedStatus` codes asked for; an item that is not 0–4 is a 400-worthy message.
    pub fn missed_codes(&self) -> Result<Option<Vec<u8>>, String> {
        let Some(list) = &self.missed_status else {
            return Ok(None);
        };
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s.parse::<u8>() {
                Ok(n) if n <= MISSED_CALLBACK_FAILED => Ok(n),
                _ => Err(format!("{s:?} is not a code 0 to 4")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Whether `record` passes the text filters (`user`, `diversion`, `client`, `groups`).
    pub fn matches(&self, record: &HistoryRecord) -> bool {
        let user_ok = self.user.as_deref().is_none_or(|u| {
            let u = u.trim();
            record.user.as_deref() == Some(u) || record.account.as_deref() == Some(u)
        });
        let same_digits = |want: &Option<String>, have: &str| {
            want.as_deref()
                .is_none_or(|w| !digits(w).is_empty() && digits(w) == digits(have))
        };
        let groups_ok = self.groups.as_deref().is_none_or(|g| {
            g.split(',')
                .map(str::trim)
                .any(|g| !g.is_empty() && g.to_lowercase() == record.group_name.to_lowercase())
        });
        user_ok
            && same_digits(&self.diversion, &record.diversion)
            && same_digits(&self.client, &record.client)
            && groups_ok
    }

    /// Applies the filters to a period's records (oldest first, as the PBX lists them): with
    /// `processMissed` or `missedStatus`, every record gets its [`missed_status`] computed from
    /// the later calls with the same client in `records`; then the filters select. Codes that
    /// are not 0–4 select nothing (the dispatcher has refused them already).
    ///
    /// [`missed_status`]: HistoryRecord::missed_status
    pub fn apply(&self, mut records: Vec<HistoryRecord>) -> Vec<HistoryRecord> {
        let codes = self.missed_codes().unwrap_or(Some(Vec::new()));
        if self.process_missed == Some(true) || codes.is_some() {
            let statuses: Vec<u8> = (0..records.len())
                .map(|i| missed_status(&records, i))
                .collect();
            for (r, s) in records.iter_mut().zip(statuses) {
                r.missed_status = Some(s);
            }
        }
        records.retain(|r| {
            self.matches(r)
                && codes
                    .as_ref()
                    .is_none_or(|c| r.missed_status.is_some_and(|s| c.contains(&s)))
        });
        records
    }
}

/// The `missedStatus` of `records[i]`: 0 unless it is a missed incoming call; else what
/// happened next with the same client among the later records.
fn missed_status(records: &[HistoryRecord], i: usize) -> u8 {
    use crate::{CallStatus, Direction};
    let r = &records[i];
    if r.direction != Direction::In || r.status == CallStatus::Success {
        return MISSED_NONE;
    }
    let client = digits(&r.client);
    let mut outcome = MISSED_NO_CALLBACK;
    for later in records
        .iter()
        .filter(|x| x.start > r.start && digits(&x.client) == client)
    {
        match (&later.direction, later.status == CallStatus::Success) {
            (Direction::In, true) => return MISSED_CLIENT_CALLED_BACK,
            (Direction::Out, true) => return MISSED_WE_CALLED_BACK,
            (Direction::Out, false) => outcome = MISSED_CALLBACK_FAILED,
            _ => {}
        }
    }
    outcome
}
