//! Dating the seeded call history (`pbx.history_seed`): the PBX v1 vendor document's calls of
//! 20 Jan 2022 as they are, or moved to the moment the mock starts (or is reset) together with
//! about thirty more calls over the two months before it.
//!
//! The relative history is laid out so that every named period has calls on any day (days are
//! UTC days and weeks start on Monday, as in the history's own period rules):
//! - today: the document's two calls and its inner call, and four more, all a few minutes to
//!   a few hours before now and never before today's midnight (just after midnight they crowd
//!   into the minutes since);
//! - yesterday: four calls;
//! - then calls 2, 3, 4, 6, 8, 10, 13, 17, 21, 26, 31, 37, 44, 52 and 60 days back, so that
//!   `this_week` and `this_month` (which always contain today), `last_week` (a 7-day window
//!   1–13 days back) and `last_month` (a 28–31-day window 1–61 days back) each meet some.
//!
//! Answered calls have a served recording (`/records/<uid>.<ext>`); the uids are fixed
//! (`6000000001`…), so a recording link stays valid across restarts; new calls get uids from
//! `5000000001` on.

use chrono::{DateTime, Duration, NaiveTime, TimeDelta, Utc};
use serde_json::{Value, json};
use vats_api::v1::{HistoryRecord, InnerHistoryRecord};

use super::PbxService;
use super::state::PbxSeed;
use crate::config::HistorySeed;

impl PbxService {
    /// The built-in seed dated for now by the configured mode.
    pub(super) fn dated_seed(&self) -> PbxSeed {
        dated(&self.seed, self.config.pbx.history_seed, Utc::now())
    }
}

/// `seed` as the mode wants it at `now`.
pub(super) fn dated(seed: &PbxSeed, mode: HistorySeed, now: DateTime<Utc>) -> PbxSeed {
    let mut seed = seed.clone();
    if mode == HistorySeed::Document {
        return seed;
    }
    let now = now.with_nanosecond_zero();
    // The document's calls, latest last, to 20, 24, 28 … minutes ago.
    seed.history.sort_by_key(|h| std::cmp::Reverse(h.start));
    for (i, h) in seed.history.iter_mut().enumerate() {
        h.start = today_at(now, 20 + 4 * i64::try_from(i).unwrap_or(0));
    }
    for (i, h) in seed.inner_history.iter_mut().enumerate() {
        h.start = today_at(now, 12 + 4 * i64::try_from(i).unwrap_or(0));
    }
    seed.history.extend(generated_history(now));
    seed.inner_history.extend(generated_inner(now));
    seed
}

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        self - TimeDelta::nanoseconds(i64::from(self.timestamp_subsec_nanos()))
    }
}

/// `minutes` before `now`, but never before today's midnight: then a point between midnight
/// and now that moves earlier as `minutes` grows (so the order is kept).
fn today_at(now: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    let midnight = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    let since = (now - midnight).num_seconds();
    let squeezed = midnight + Duration::seconds(since / (minutes + 1));
    (now - Duration::minutes(minutes)).max(squeezed)
}

/// `days` before today, at `hh:mm` UTC.
fn day_at(now: DateTime<Utc>, days: i64, hh: u32, mm: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hh, mm, 0).unwrap_or(NaiveTime::MIN);
    now.date_naive().and_time(time).and_utc() - Duration::days(days)
}

/// When a generated call happened.
#[derive(Clone, Copy)]
enum When {
    /// Today, this many minutes before now (see [`today_at`]).
    MinutesAgo(i64),
    /// This many days back, at hh:mm UTC.
    DaysAgo(i64, u32, u32),
}

/// A generated call: when, `in`/`out`, status, user login (`""`: the group missed it), client,
/// talk seconds, recording format, rating.
type Call = (
    When,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u64,
    &'static str,
    Option<u32>,
);

/// The generated external calls (uids 6000000001 on, in this order).
#[rustfmt::skip]
const CALLS: &[Call] = &[
    (When::MinutesAgo(5), "out", "success", "user1", "79234102993", 95, "mp3", None),
    (When::MinutesAgo(70), "in", "success", "director", "79161234567", 184, "wav", Some(5)),
    (When::MinutesAgo(180), "in", "missed", "", "79035550101", 0, "", None),
    (When::MinutesAgo(300), "out", "busy", "admin", "79268887766", 0, "", None),
    (When::DaysAgo(1, 9, 15), "in", "success", "user1", "79234102994", 62, "mp3", Some(4)),
    (When::DaysAgo(1, 11, 40), "in", "missed", "", "79161234567", 0, "", None),
    (When::DaysAgo(1, 15, 5), "out", "success", "admin", "79008003396", 240, "ogg", None),
    (When::DaysAgo(1, 17, 50), "in", "success", "director", "79035550101", 31, "wav", None),
    (When::DaysAgo(2, 10, 30), "in", "success", "user1", "79234102993", 143, "mp3", None),
    (When::DaysAgo(2, 16, 10), "in", "missed", "", "79268887766", 0, "", None),
    (When::DaysAgo(3, 12, 0), "out", "success", "director", "79161234567", 75, "wav", None),
    (When::DaysAgo(4, 9, 45), "in", "success", "admin", "79008003396", 52, "mp3", Some(3)),
    (When::DaysAgo(6, 14, 20), "in", "missed", "", "79234102994", 0, "", None),
    (When::DaysAgo(6, 14, 35), "out", "success", "user1", "79234102994", 310, "mp3", None),
    (When::DaysAgo(8, 10, 5), "in", "success", "director", "79035550101", 88, "ogg", None),
    (When::DaysAgo(10, 13, 25), "out", "notavailable", "admin", "79268887766", 0, "", None),
    (When::DaysAgo(13, 11, 0), "in", "success", "user1", "79161234567", 205, "mp3", None),
    (When::DaysAgo(17, 15, 45), "in", "missed", "", "79008003396", 0, "", None),
    (When::DaysAgo(21, 9, 30), "out", "success", "director", "79234102993", 47, "wav", None),
    (When::DaysAgo(26, 16, 55), "in", "success", "admin", "79035550101", 129, "mp3", Some(5)),
    (When::DaysAgo(31, 12, 40), "in", "missed", "", "79161234567", 0, "", None),
    (When::DaysAgo(37, 10, 15), "out", "success", "user1", "79268887766", 66, "mp3", None),
    (When::DaysAgo(44, 14, 5), "in", "success", "director", "79234102994", 154, "ogg", None),
    (When::DaysAgo(52, 11, 50), "in", "missed", "", "79008003396", 0, "", None),
    (When::DaysAgo(60, 15, 20), "out", "success", "admin", "79035550101", 98, "wav", None),
];

/// The PBX users of the built-in seed: login → name.
fn user_name(login: &str) -> &'static str {
    match login {
        "admin" => "Администратор",
        "director" => "Директор",
        "user1" => "Пользователь",
        _ => "",
    }
}

fn start_of(now: DateTime<Utc>, when: When) -> DateTime<Utc> {
    match when {
        When::MinutesAgo(m) => today_at(now, m),
        When::DaysAgo(d, hh, mm) => day_at(now, d, hh, mm),
    }
}

fn generated_history(now: DateTime<Utc>) -> Vec<HistoryRecord> {
    CALLS
        .iter()
        .zip(1u64..)
        .filter_map(|(&(when, direction, status, user, client, duration, ext, rating), n)| {
            let uid = 6_000_000_000 + n;
            let (destination, group_name, diversion) = match (direction, user) {
                ("in", "") => ("group", "Отдел продаж", "79007775555"),
                ("in", _) => ("user", "", if n % 2 == 0 { "79007775555" } else { "79007771122" }),
                _ => ("", "", "79007775555"),
            };
            let mut v = json!({
                "uid": uid.to_string(), "direction": direction, "status": status,
                "client": client, "user": user, "user_name": user_name(user),
                "group_name": group_name, "diversion": diversion,
                "start": start_of(now, when).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "wait": 3 + n % 11, "duration": duration,
                "record": if ext.is_empty() { String::new() } else { format!("/records/{uid}.{ext}") },
            });
            if !destination.is_empty() {
                v["destination"] = json!(destination);
            }
            if let Some(r) = rating {
                v["rating"] = json!(r);
            }
            // Built from the fields above, which the record's reader accepts; a record it
            // refused would only be missing from the seed.
            serde_json::from_value::<HistoryRecord>(v).ok()
        })
        .collect()
}

fn generated_inner(now: DateTime<Utc>) -> Vec<InnerHistoryRecord> {
    let calls: [(When, &str, &str, &str, u64, &str); 2] = [
        (When::MinutesAgo(140), "success", "703", "701", 65, "wav"),
        (When::DaysAgo(1, 13, 10), "noanswer", "702", "703", 0, ""),
    ];
    let name = |ext: &str| match ext {
        "701" => "Администратор",
        "702" => "Пользователь",
        "703" => "Директор",
        _ => "",
    };
    calls
        .iter()
        .zip(1u64..)
        .filter_map(|(&(when, status, from, to, duration, ext), n)| {
            let uid = 6_100_000_000 + n;
            let v: Value = json!({
                "uid": uid.to_string(), "status": status, "from": from, "to": to,
                "from_name": name(from), "to_name": name(to),
                "start": start_of(now, when).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "wait": 4, "duration": duration,
                "record": if ext.is_empty() { String::new() } else { format!("/records/{uid}.{ext}") },
            });
            // As above: a refused record would only be missing.
            serde_json::from_value::<InnerHistoryRecord>(v).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbx::state::DEFAULT_SEED;
    use chrono::TimeZone;
    use vats_api::v1::{HistoryRange, Period, history_range};

    fn seed() -> PbxSeed {
        serde_json::from_str(DEFAULT_SEED).unwrap()
    }

    fn in_range(s: &PbxSeed, r: HistoryRange) -> usize {
        s.history.iter().filter(|h| r.contains(h.start)).count()
    }

    #[test]
    fn every_period_has_calls_on_every_day_of_a_year_at_any_hour() {
        let doc = seed();
        let periods = [
            Period::Today,
            Period::Yesterday,
            Period::ThisWeek,
            Period::LastWeek,
            Period::ThisMonth,
            Period::LastMonth,
        ];
        let first = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 30).unwrap();
        for day in 0..366 {
            for (h, m) in [(0, 0), (0, 3), (0, 40), (9, 0), (23, 59)] {
                let now = first + Duration::days(day) + Duration::hours(h) + Duration::minutes(m);
                let s = dated(&doc, HistorySeed::Relative, now);
                for p in &periods {
                    let r = history_range(Some(p), None, None, now).unwrap();
                    assert!(in_range(&s, r) > 0, "{p:?} empty at {now}");
                }
                let today = history_range(None, None, None, now).unwrap();
                assert!(in_range(&s, today) >= 6, "today at {now}");
                assert!(
                    s.history.iter().all(|h| h.start <= now),
                    "a call after {now}"
                );
            }
        }
    }

    #[test]
    fn the_documents_calls_keep_their_shape_and_recording() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
        let s = dated(&seed(), HistorySeed::Relative, now);
        let answered = s
            .history
            .iter()
            .find(|h| h.uid.as_str() == "1755936870")
            .unwrap();
        assert_eq!(answered.record.as_deref(), Some("/records/1755936870.mp3"));
        assert_eq!(answered.user.as_deref(), Some("admin"));
        assert_eq!(answered.start, now - Duration::minutes(24));
        let recorded = s.history.iter().filter(|h| h.record.is_some()).count();
        let answered_n = s
            .history
            .iter()
            .filter(|h| h.status == vats_api::CallStatus::Success)
            .count();
        assert_eq!(recorded, answered_n);
        assert!(s.history.len() > 25 && s.inner_history.len() == 3);
    }

    #[test]
    fn the_switch_is_read_from_the_config_file_and_a_bad_value_is_named() {
        use crate::config::Config;
        let default = Config::from_toml("").unwrap();
        assert_eq!(default.pbx.history_seed, HistorySeed::Relative);
        let doc = Config::from_toml("[pbx]\nhistory_seed = \"document\"\n").unwrap();
        assert_eq!(doc.pbx.history_seed, HistorySeed::Document);
        let e = Config::from_toml("[pbx]\nhistory_seed = \"fixed\"\n").unwrap_err();
        assert!(e.to_string().contains("history_seed"), "{e}");
    }

    #[test]
    fn document_mode_keeps_the_fixed_dates() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
        let s = dated(&seed(), HistorySeed::Document, now);
        assert_eq!(s.history.len(), 2);
        assert!(
            s.history
                .iter()
                .all(|h| h.start.to_rfc3339().starts_with("2022-01-20"))
        );
    }
}
