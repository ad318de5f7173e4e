//! Inputs the fuzz targets found, kept as ordinary tests. A test still `#[ignore]`d documents a
//! finding reported to the owning crate and not fixed yet: remove the `ignore` with the fix.

use chrono::Timelike;
use rop_analysis::{CompiledTable, Transcript};

/// `fuzz_timestamps`: a leap second (`…T000060Z`) is read as chrono's leap-second representation
/// and written back unchanged — it must not turn into `:59` or a different instant.
#[test]
fn pbx_timestamp_with_second_60_round_trips() {
    let Some(t) = vats_api::timestamp::parse("00000101T000060Z") else {
        return; // refusing it is fine too
    };
    assert!(
        t.nanosecond() >= 1_000_000_000,
        "kept as a leap second: {t}"
    );
    assert_eq!(
        vats_api::timestamp::parse(&vats_api::timestamp::format_rfc3339(&t)),
        Some(t)
    );
    assert_eq!(
        vats_api::timestamp::parse(&vats_api::timestamp::format_compact(&t)),
        Some(t)
    );
}

/// `fuzz_timestamps`: Unix seconds past year 9999 are read, but the compact form written for
/// them (`+100000831T000000Z`) is not: the reader should refuse what the writer cannot express.
#[test]
fn pbx_timestamp_after_year_9999_is_refused_or_round_trips() {
    if let Some(t) = vats_api::timestamp::parse("253423296000") {
        let compact = vats_api::timestamp::format_compact(&t);
        assert_eq!(
            vats_api::timestamp::parse(&compact),
            Some(t),
            "written as {compact}"
        );
    }
}

/// `fuzz_history_csv`: a row whose `uid` is the text `uid`, written without a header row, is
/// taken for a header on reading and lost.
#[test]
fn history_csv_row_with_uid_named_uid_survives_a_headerless_round_trip() {
    let body = b"uid;type;client;account;via;start;wait;duration;record;rating\n\
                 uid;in;79008003396;admin;701;2022-01-20T08:59:22Z;0;0;;\n";
    let rows = vats_api::v1::parse_history_csv(body).unwrap();
    assert_eq!(rows.len(), 1);
    let written = vats_api::v1::write_history_csv(&rows, false);
    assert_eq!(vats_api::v1::parse_history_csv(&written).unwrap(), rows);
}

/// `fuzz_tables`: an `enum` field whose canonical value is empty answers the field as `""`;
/// docs/formats.md: "a field with nothing found is absent (not `""`)".
#[test]
fn enum_field_with_an_empty_canonical_value_is_refused_or_absent() {
    let table =
        r#"{"id":"T","name":"t","fields":[{"key":"k","kind":"enum","values":{"":["зовут"]}}]}"#;
    if let Ok(table) = CompiledTable::from_json(table) {
        let t = Transcript::parse("Менеджер: меня зовут Анна").unwrap();
        let data = table.extract(&t);
        assert!(data.get("k").is_none_or(|v| !v.is_empty()), "{data:?}");
    }
}

/// `fuzz_inner_history_csv`: a quoted cell holding `;` and a line break in the first row makes
/// the reader pick `;` as the separator for what the writer wrote with `,`.
#[test]
fn inner_history_csv_cell_with_semicolon_and_newline_round_trips() {
    let body = b"uid,status,from,to,start,wait,duration,record\n\
                 \";3934307521\nquoted, cell\",in,79008003396,701,2022-01-20T08:59:22Z,0,0,\n";
    let rows = vats_api::v1::parse_inner_history_csv(body).unwrap();
    assert_eq!(rows.len(), 1);
    for header in [true, false] {
        let written = vats_api::v1::write_inner_history_csv(&rows, header);
        assert_eq!(
            vats_api::v1::parse_inner_history_csv(&written)
                .ok()
                .as_ref(),
            Some(&rows),
            "{}",
            String::from_utf8_lossy(&written)
        );
    }
}

/// `fuzz_timestamps`: an offset that moves year 0 into year -1, or Unix seconds past year
/// 9999, are read, and written as `-0001-12-31T23:59:00Z` / `+10000-08-31T00:00:00Z`, which are
/// not read back.
#[test]
fn rop_timestamp_outside_years_0_to_9999_is_refused_or_round_trips() {
    for text in ["0000-01-01T00:00:00+00:01", "253423296000"] {
        if let Some(t) = crate::rop_time::parse_timestamp(text) {
            let written = crate::rop_time::format_timestamp(&t);
            assert_eq!(
                crate::rop_time::parse_timestamp(&written),
                Some(t),
                "{text} written as {written}"
            );
        }
    }
}

/// `fuzz_timestamps`: Universe reads `date_create` `0000-01-01T00:00:60Z` as a leap second and
/// writes it as Unix seconds, which read back one second earlier.
#[test]
fn universe_date_with_a_leap_second_round_trips_or_is_refused() {
    let read: Result<universe_api::Order, _> = serde_json::from_value(
        serde_json::json!({"id": "1", "date_create": "2016-12-31T23:59:60Z"}),
    );
    if let Ok(order) = read {
        let written = serde_json::to_value(&order).unwrap();
        let again: universe_api::Order = serde_json::from_value(written.clone()).unwrap();
        assert_eq!(again, order, "via {written}");
    }
}
