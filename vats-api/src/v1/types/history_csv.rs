//! Reading and writing the history CSV answers (P1, P3), with or without a header row.

use super::history::{HistoryCsvRow, HistoryType, InnerHistoryCsvRow, InnerStatus};
use crate::{CallId, Error, Result, timestamp};
use chrono::{DateTime, Utc};

/// The columns of the external history CSV (P1), in the seed's order.
pub const HISTORY_CSV_COLUMNS: [&str; 10] = [
    "uid", "type", "client", "account", "via", "start", "wait", "duration", "record", "rating",
];

/// The columns of the internal history CSV (P3), in the seed's order.
pub const INNER_HISTORY_CSV_COLUMNS: [&str; 8] = [
    "uid", "status", "from", "to", "start", "wait", "duration", "record",
];

/// One record with its column positions.
struct Fields<'a> {
    record: &'a csv::StringRecord,
    index: &'a [Option<usize>],
    columns: &'a [&'a str],
    line: u64,
}

impl Fields<'_> {
    fn get(&self, name: &str) -> &str {
        self.columns
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.index.get(i).copied().flatten())
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    fn fail(&self, name: &str, message: impl Into<String>, body: &[u8]) -> Error {
        Error::decode(format!("line {}, column {name}", self.line), message, body)
    }

    fn required(&self, name: &str, body: &[u8]) -> Result<&str> {
        let v = self.get(name);
        if v.is_empty() {
            Err(self.fail(name, "missing value", body))
        } else {
            Ok(v)
        }
    }

    fn start(&self, body: &[u8]) -> Result<DateTime<Utc>> {
        let v = self.required("start", body)?;
        timestamp::parse(v).ok_or_else(|| {
            self.fail(
                "start",
                format!(
                    "invalid timestamp {v:?}: expected 20170703T121110Z, 2022-01-20T08:58:42Z or \
                     2017-07-07T16:14:08+03:00"
                ),
                body,
            )
        })
    }

    fn number<T: std::str::FromStr + Default>(&self, name: &str, body: &[u8]) -> Result<T> {
        let v = self.get(name);
        if v.is_empty() {
            return Ok(T::default());
        }
        v.parse()
            .ok()
            .or_else(|| {
                // "5.0" for an integer: accept a float without fraction.
                v.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && f.is_finite())
                    .and_then(|f| format!("{f:.0}").parse().ok())
            })
            .ok_or_else(|| self.fail(name, format!("invalid number {v:?}"), body))
    }
}

fn parse_rows<T>(
    body: &[u8],
    columns: &[&str],
    mut build: impl FnMut(&Fields<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let text = String::from_utf8_lossy(body);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut index: Vec<Option<usize>> = (0..columns.len()).map(Some).collect();
    let mut out = Vec::new();
    let mut first = true;
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(n as u64 + 1, csv::Position::line);
            Error::decode(format!("line {line}"), e.to_string(), body)
        })?;
        let line = record.position().map_or(n as u64 + 1, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let is_header = std::mem::take(&mut first) && looks_like_header(&record, columns);
        if is_header {
            index = columns
                .iter()
                .map(|c| record.iter().position(|h| h.eq_ignore_ascii_case(c)))
                .collect();
            continue;
        }
        out.push(build(&Fields {
            record: &record,
            index: &index,
            columns,
            line,
        })?);
    }
    Ok(out)
}

/// A header row: it starts with the first column's name (`uid`), or names at least two of
/// the known columns in any order (data rows never hold a column's name).
fn looks_like_header(record: &csv::StringRecord, columns: &[&str]) -> bool {
    let known = |f: &str| columns.iter().any(|c| c.eq_ignore_ascii_case(f));
    record
        .get(0)
        .is_some_and(|f| f.eq_ignore_ascii_case(columns.first().copied().unwrap_or("")))
        || record.iter().filter(|f| known(f)).count() >= 2
}

/// Reads the external history CSV (P1), with or without a header row. With a header, columns
/// are matched by name in any order; without, they are in the seed's order. Timestamps in all
/// three forms are read; empty numbers are 0; a bad value is an [`Error::Decode`] naming the line
/// and column.
pub fn parse_history_csv(body: &[u8]) -> Result<Vec<HistoryCsvRow>> {
    parse_rows(body, &HISTORY_CSV_COLUMNS, |f| {
        let rating = f.get("rating");
        Ok(HistoryCsvRow {
            uid: CallId::from(f.required("uid", body)?),
            kind: HistoryType::parse(f.get("type")),
            client: f.get("client").to_owned(),
            account: f.get("account").to_owned(),
            via: f.get("via").to_owned(),
            start: f.start(body)?,
            wait: f.number("wait", body)?,
            duration: f.number("duration", body)?,
            record: f.get("record").to_owned(),
            rating: if rating.is_empty() {
                None
            } else {
                Some(f.number("rating", body)?)
            },
        })
    })
}

/// Reads the internal history CSV (P3), with or without a header row (as [`parse_history_csv`]).
pub fn parse_inner_history_csv(body: &[u8]) -> Result<Vec<InnerHistoryCsvRow>> {
    parse_rows(body, &INNER_HISTORY_CSV_COLUMNS, |f| {
        Ok(InnerHistoryCsvRow {
            uid: CallId::from(f.required("uid", body)?),
            status: InnerStatus::parse(f.get("status")),
            from: f.get("from").to_owned(),
            to: f.get("to").to_owned(),
            start: f.start(body)?,
            wait: f.number("wait", body)?,
            duration: f.number("duration", body)?,
            record: f.get("record").to_owned(),
        })
    })
}

fn write_rows<const N: usize>(
    columns: &[&str; N],
    header: bool,
    rows: impl Iterator<Item = [String; N]>,
) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail for I/O reasons; a failed record is skipped rather than
    // panicking (it cannot happen for string records of a fixed width).
    if header {
        let _ = w.write_record(columns);
    }
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// Writes the external history CSV (P1) in the seed's column order, with a header row when
/// `header`; timestamps as `2022-01-20T08:58:42Z`.
pub fn write_history_csv(rows: &[HistoryCsvRow], header: bool) -> Vec<u8> {
    write_rows(
        &HISTORY_CSV_COLUMNS,
        header,
        rows.iter().map(|r| {
            [
                r.uid.to_string(),
                r.kind.to_string(),
                r.client.clone(),
                r.account.clone(),
                r.via.clone(),
                timestamp::format_rfc3339(&r.start),
                r.wait.to_string(),
                r.duration.to_string(),
                r.record.clone(),
                r.rating.map(|x| x.to_string()).unwrap_or_default(),
            ]
        }),
    )
}

/// Writes the internal history CSV (P3) in the seed's column order.
pub fn write_inner_history_csv(rows: &[InnerHistoryCsvRow], header: bool) -> Vec<u8> {
    write_rows(
        &INNER_HISTORY_CSV_COLUMNS,
        header,
        rows.iter().map(|r| {
            [
                r.uid.to_string(),
                r.status.to_string(),
                r.from.clone(),
                r.to.clone(),
                timestamp::format_rfc3339(&r.start),
                r.wait.to_string(),
                r.duration.to_string(),
                r.record.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // The seed's example (4.3), one row per line.
    const SEED_INNER: &str = "1910575453,out,admin@domain,manager@domain,2022-03-17T12:54:45Z,5,0,\n\
                              2012250090,in,manager@domain,admin@domain,2022-03-17T12:54:27Z,11,0,\n";

    #[test]
    fn reads_the_seed_inner_csv_without_header() {
        let rows = parse_inner_history_csv(SEED_INNER.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].uid.as_str(), "1910575453");
        assert_eq!(rows[0].status, InnerStatus::Other("out".into()));
        assert_eq!(rows[1].wait, 11);
        assert_eq!(rows[1].record, "");
    }

    #[test]
    fn reads_header_in_any_order_and_offset_timestamps() {
        let body = "UID;start;type;client;rating\n\
                    7;2017-07-07T16:14:08+03:00;IN;7900;5\n";
        let rows = parse_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows[0].kind, HistoryType::In);
        assert_eq!(
            timestamp::format_rfc3339(&rows[0].start),
            "2017-07-07T13:14:08Z"
        );
        assert_eq!(rows[0].rating, Some(5));
        assert_eq!(rows[0].duration, 0);
    }

    #[test]
    fn header_is_found_after_blank_rows_and_without_uid_first() {
        let body = ",,\nstart,uid,type\n2017-07-07T16:14:08+03:00,7,out\n";
        let rows = parse_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].uid.as_str(), "7");
        assert_eq!(rows[0].kind, HistoryType::Out);
        let body = "\u{feff}status;uid;start\nsuccess;9;20170703T121110Z\n";
        let rows = parse_inner_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows[0].uid.as_str(), "9");
        assert_eq!(rows[0].status, InnerStatus::parse("success"));
    }

    #[test]
    fn bad_values_name_line_and_column() {
        let e = parse_history_csv(b"1,in,7900,admin,7495,20170703T121110Z,x,0,,\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decode line 1, column wait: invalid number \"x\""
        );
        let e = parse_history_csv(b"uid,start\n1,\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decode line 2, column start: missing value"
        );
        assert!(e.body().is_some());
    }

    #[test]
    fn writes_and_reads_back_with_and_without_header() {
        let rows = parse_inner_history_csv(SEED_INNER.as_bytes()).unwrap();
        for header in [true, false] {
            let out = write_inner_history_csv(&rows, header);
            assert_eq!(parse_inner_history_csv(&out).unwrap(), rows);
        }
        let head = String::from_utf8(write_history_csv(&[], true)).unwrap();
        assert_eq!(
            head,
            "uid,type,client,account,via,start,wait,duration,record,rating\n"
        );
    }
}
