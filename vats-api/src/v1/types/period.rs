//! The history period rules of vendor document §4.5, as one pure function.

use super::history::Period;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

/// A half-open period `[from, to)` of call starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRange {
    /// First included moment.
    pub from: DateTime<Utc>,
    /// First excluded moment.
    pub to: DateTime<Utc>,
}

impl HistoryRange {
    /// Whether a call that started at `t` is in the period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// Resolves a history query's period at `now` by the rules of vendor document §4.5 (days are UTC days,
/// weeks start on Monday):
///
/// 1. `period` set: that period, whatever `start`/`end` say (`today` = today 00:00 to tomorrow
///    00:00, `this_week` = this Monday to next Monday, `last_month` = the 1st of last month to the
///    1st of this month, …).
/// 2. otherwise `start`..`end`, where a missing `end` is the end of today, and a missing `start`
///    "equals end" read as a date: the beginning of `end`'s day (or the day before, when `end` is
///    exactly midnight, so the period is never empty).
/// 3. none of the three: today.
///
/// An unknown `period` or a `start` after `end` is an [`Error::InvalidInput`](crate::Error)
/// naming the field (a server answers 400 `Validation error`).
///
/// ```
/// use vats_api::v1::{Period, history_range};
/// use chrono::{TimeZone, Utc};
///
/// let now = Utc.with_ymd_and_hms(2022, 1, 20, 15, 0, 0).unwrap();
/// let r = history_range(Some(&Period::Yesterday), None, None, now)?;
/// assert_eq!(r.from, Utc.with_ymd_and_hms(2022, 1, 19, 0, 0, 0).unwrap());
/// assert_eq!(r.to, Utc.with_ymd_and_hms(2022, 1, 20, 0, 0, 0).unwrap());
/// # Ok::<(), vats_api::Error>(())
/// ```
pub fn history_range(
    period: Option<&Period>,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> crate::Result<HistoryRange> {
    let today = midnight(now.date_naive());
    let range = |from, to| HistoryRange { from, to };
    if let Some(p) = period {
        let monday = days_after(today, -i64::from(now.weekday().num_days_from_monday()));
        let month = first_of_month(now.year(), now.month());
        let (py, pm) = if now.month() == 1 {
            (now.year() - 1, 12)
        } else {
            (now.year(), now.month() - 1)
        };
        let (ny, nm) = if now.month() == 12 {
            (now.year() + 1, 1)
        } else {
            (now.year(), now.month() + 1)
        };
        return Ok(match p {
            Period::Today => range(today, days_after(today, 1)),
            Period::Yesterday => range(days_after(today, -1), today),
            Period::ThisWeek => range(monday, days_after(monday, 7)),
            Period::LastWeek => range(days_after(monday, -7), monday),
            Period::ThisMonth => range(month, first_of_month(ny, nm)),
            Period::LastMonth => range(first_of_month(py, pm), month),
            Period::Other(v) => {
                return Err(crate::Error::invalid_input(
                    "period",
                    format!(
                        "unknown period {v:?}: expected today, yesterday, this_week, last_week, \
                         this_month or last_month"
                    ),
                ));
            }
        });
    }
    let to = end.unwrap_or_else(|| days_after(today, 1));
    let from = start.unwrap_or_else(|| {
        let d = midnight(to.date_naive());
        if d == to { days_after(d, -1) } else { d }
    });
    if from > to {
        return Err(crate::Error::invalid_input(
            "start",
            "must not be after end",
        ));
    }
    Ok(range(from, to))
}

/// `t` moved by `days`, saturating at the ends of chrono's range (a client may send
/// `-262143-01-01T00:00:00`; plain `-` would panic there).
fn days_after(t: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    t.checked_add_signed(Duration::days(days))
        .unwrap_or(if days < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn first_of_month(year: i32, month: u32) -> DateTime<Utc> {
    // Month is always 1..=12 here and day 1 always exists; only a year past chrono's range
    // fails, and then the range's end is the nearest moment there is.
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0)
        .single()
        .unwrap_or(if year > 0 {
            DateTime::<Utc>::MAX_UTC
        } else {
            DateTime::<Utc>::MIN_UTC
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    // 2022-01-20 is a Thursday.
    fn now() -> DateTime<Utc> {
        t(2022, 1, 20, 15)
    }

    #[test]
    fn named_periods() {
        let r = |p| history_range(Some(&p), None, None, now()).unwrap();
        assert_eq!(
            r(Period::Today),
            HistoryRange {
                from: t(2022, 1, 20, 0),
                to: t(2022, 1, 21, 0)
            }
        );
        assert_eq!(
            r(Period::ThisWeek),
            HistoryRange {
                from: t(2022, 1, 17, 0),
                to: t(2022, 1, 24, 0)
            }
        );
        assert_eq!(
            r(Period::LastWeek),
            HistoryRange {
                from: t(2022, 1, 10, 0),
                to: t(2022, 1, 17, 0)
            }
        );
        assert_eq!(
            r(Period::ThisMonth),
            HistoryRange {
                from: t(2022, 1, 1, 0),
                to: t(2022, 2, 1, 0)
            }
        );
        assert_eq!(
            r(Period::LastMonth),
            HistoryRange {
                from: t(2021, 12, 1, 0),
                to: t(2022, 1, 1, 0)
            }
        );
        let dec = history_range(Some(&Period::ThisMonth), None, None, t(2021, 12, 5, 1)).unwrap();
        assert_eq!(dec.to, t(2022, 1, 1, 0));
    }

    #[test]
    fn period_beats_start_and_end() {
        let r = history_range(
            Some(&Period::Today),
            Some(t(2020, 1, 1, 0)),
            Some(t(2020, 2, 1, 0)),
            now(),
        );
        assert_eq!(r.unwrap().from, t(2022, 1, 20, 0));
    }

    #[test]
    fn missing_end_is_today_and_missing_start_is_ends_day() {
        let r = history_range(None, Some(t(2022, 1, 1, 0)), None, now()).unwrap();
        assert_eq!(
            r,
            HistoryRange {
                from: t(2022, 1, 1, 0),
                to: t(2022, 1, 21, 0)
            }
        );
        let r = history_range(None, None, Some(t(2022, 1, 10, 12)), now()).unwrap();
        assert_eq!(
            r,
            HistoryRange {
                from: t(2022, 1, 10, 0),
                to: t(2022, 1, 10, 12)
            }
        );
        let r = history_range(None, None, Some(t(2022, 1, 10, 0)), now()).unwrap();
        assert_eq!(
            r,
            HistoryRange {
                from: t(2022, 1, 9, 0),
                to: t(2022, 1, 10, 0)
            }
        );
    }

    #[test]
    fn nothing_means_today() {
        let r = history_range(None, None, None, now()).unwrap();
        assert_eq!(
            r,
            HistoryRange {
                from: t(2022, 1, 20, 0),
                to: t(2022, 1, 21, 0)
            }
        );
        assert!(r.contains(t(2022, 1, 20, 23)));
        assert!(!r.contains(t(2022, 1, 21, 0)));
    }

    #[test]
    fn unknown_period_and_reversed_range_name_the_field() {
        let e = history_range(Some(&Period::parse("fortnight")), None, None, now()).unwrap_err();
        assert!(matches!(e, crate::Error::InvalidInput(ref f) if f.field == "period"));
        let e =
            history_range(None, Some(t(2022, 1, 2, 0)), Some(t(2022, 1, 1, 0)), now()).unwrap_err();
        assert!(matches!(e, crate::Error::InvalidInput(ref f) if f.field == "start"));
    }

    #[test]
    fn extreme_dates_never_panic() {
        let min = DateTime::<Utc>::MIN_UTC;
        let r = history_range(None, None, Some(min), now()).unwrap();
        assert!(r.from <= r.to);
        let max = DateTime::<Utc>::MAX_UTC;
        for p in [
            Period::Today,
            Period::Yesterday,
            Period::ThisWeek,
            Period::LastWeek,
            Period::ThisMonth,
            Period::LastMonth,
        ] {
            for at in [max, DateTime::<Utc>::MIN_UTC] {
                let r = history_range(Some(&p), None, None, at).unwrap();
                assert!(r.from <= r.to, "{p:?} at {at}");
            }
        }
        assert!(history_range(None, None, None, max).is_ok());
    }
}
