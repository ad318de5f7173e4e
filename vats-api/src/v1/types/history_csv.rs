//! Reading and writing the history CSV answers (P1, P3), with or without a header row.

use super::history::{HistoryCsvRow, HistoryType, InnerHistoryCsvRow, InnerStatus};
use crate::{CallId, Error, Result, timestamp};
use chrono::{DateTime, Utc};

/// The columns of the external history CSV (P1), in the vendor document's order.
pub const HISTORY_CSV_COLUMNS: [&str; 10] = [
    "uid", "type", "client", "account", "via", "start", "wait", "duration", "record", "rating",
];

/// The columns of the internal history CSV (P3), in the vendor document's order.
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
        Error::decode(
            None,
            format!("line {}, column {name}", self.line),
            message,
            body,
        )
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
                     2017-07-07T16:14:08+03:00 in years 0000-9999"
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
    let delimiter = guess_delimiter(&text);
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
            Error::decode(None, format!("line {line}"), e.to_string(), body)
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

/// The separator: `;` when the first record holds `;` and no `,` outside quotes, else `,`.
///
/// Blank lines before the first record are skipped; a quoted cell may hold either separator
/// and line breaks, so quotes are honoured (`""` inside a quoted cell toggles twice).
fn guess_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons) = (0usize, 0usize);
    let mut quoted = false;
    let mut content = false;
    for c in text.trim_start_matches('\u{feff}').chars() {
        match c {
            '"' => {
                quoted = !quoted;
                content = true;
            }
            _ if quoted => {}
            ',' => commas += 1,
            ';' => semicolons += 1,
            '\n' | '\r' if content || commas + semicolons > 0 => break,
            c if !c.is_whitespace() => content = true,
            _ => {}
        }
    }
    if commas == 0 && semicolons > 0 {
        b';'
    } else {
        b','
    }
}

/// A header row, looked for in the first non-blank record only: every non-empty cell is one of
/// the known column names (any case, any order) **and** the row could not be a data row — its
/// cell in the vendor document's `start` position is not a timestamp. A row failing either test is read
/// as data (and fails loudly if it is not valid data), so a data row is never silently taken
/// for a header — not even one whose `uid` is the text `uid` or whose cells repeat column names.
fn looks_like_header(record: &csv::StringRecord, columns: &[&str]) -> bool {
    let known = |f: &str| columns.iter().any(|c| c.eq_ignore_ascii_case(f));
    let start_cell = columns
        .iter()
        .position(|c| *c == "start")
        .and_then(|i| record.get(i))
        .unwrap_or("");
    record.iter().any(|f| !f.is_empty())
        && record.iter().all(|f| f.is_empty() || known(f))
        && timestamp::parse(start_cell).is_none()
}

/// Reads the external history CSV (P1), with or without a header row. With a header, columns
/// are matched by name in any order; without, they are in the vendor document's order. The first
/// non-blank row is a header only when all its non-empty cells are column names and it could
/// not be a data row (no timestamp in the `start` position); otherwise it is data. The
/// separator is `;` when the first record has `;` and no `,` outside quotes, else `,`. Timestamps in all
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

/// Writes the external history CSV (P1) in the vendor document's column order, with a header row when
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

/// Writes the internal history CSV (P3) in the vendor document's column order.
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

    // The vendor document's example (4.3), one row per line.
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
            "cannot decode `line 1, column wait`: invalid number \"x\""
        );
        let e = parse_history_csv(b"uid,start\n1,\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decode `line 2, column start`: missing value"
        );
        assert!(e.body().is_some());
    }

    #[test]
    fn data_rows_holding_column_names_are_not_taken_for_a_header() {
        // `uid` is the text "uid": headerless, the row is still data.
        let body = "uid,in,79008003396,admin,701,2022-01-20T08:59:22Z,0,0,,\n";
        let rows = parse_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].uid.as_str(), "uid");
        // Two cells equal to column names (`start`, `client`): still data.
        let body = "7,in,client,start,via,2022-01-20T08:59:22Z,0,0,,\n";
        let rows = parse_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].client, "client");
        assert_eq!(rows[0].account, "start");
        // Inner CSV: a row of column names except a real timestamp is data, not a header.
        let body = "uid;status;from;to;20170703T121110Z\n";
        let rows = parse_inner_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].from, "from");
    }

    #[test]
    fn a_row_with_an_unknown_cell_is_data_and_fails_loudly_not_silently() {
        let e = parse_history_csv(
            b"uid,type,comment
1,in,x
",
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn a_header_with_a_row_whose_uid_is_uid_round_trips() {
        let body = "uid;type;client;account;via;start;wait;duration;record;rating\n\
                    uid;in;79008003396;admin;701;2022-01-20T08:59:22Z;0;0;;\n";
        let rows = parse_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        for header in [true, false] {
            let out = write_history_csv(&rows, header);
            assert_eq!(parse_history_csv(&out).unwrap(), rows, "header {header}");
        }
    }

    #[test]
    fn separator_guess_ignores_separators_and_line_breaks_inside_quotes() {
        assert_eq!(guess_delimiter("\";a\nb;c\",in,1\n"), b',');
        assert_eq!(guess_delimiter("\"a,\"\"b\nc,\";in;1\n"), b';');
        assert_eq!(guess_delimiter("\u{feff}\n  \n1;in;2\n3,4\n"), b';');
        assert_eq!(guess_delimiter(",,\nuid;start\n"), b',');
        assert_eq!(guess_delimiter(""), b',');
        let body = "\";3934307521\nquoted, cell\",in,79008003396,701,2022-01-20T08:59:22Z,0,0,\n";
        let rows = parse_inner_history_csv(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].uid.as_str(), ";3934307521\nquoted, cell");
        for header in [true, false] {
            let out = write_inner_history_csv(&rows, header);
            assert_eq!(
                parse_inner_history_csv(&out).unwrap(),
                rows,
                "header {header}"
            );
        }
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
