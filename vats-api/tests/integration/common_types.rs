//! Shared types: tolerant reading, canonical writing, round trips (proptest).

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use vats_api::{CallId, CallStatus, Direction, EventType, Phone, timestamp};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Stamps {
    #[serde(with = "timestamp::compact")]
    compact: DateTime<Utc>,
    #[serde(with = "timestamp::rfc3339")]
    rfc: DateTime<Utc>,
    #[serde(with = "timestamp::offset")]
    offset: DateTime<Utc>,
    #[serde(default, with = "timestamp::compact::option")]
    maybe: Option<DateTime<Utc>>,
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 1970-01-01 .. 9999-12-31, whole seconds (the wire precision).
    (0i64..253_402_300_799).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

fn any_status() -> impl Strategy<Value = CallStatus> {
    prop_oneof![
        proptest::sample::select(CallStatus::KNOWN.to_vec()),
        "[A-Za-z][A-Za-z0-9]{0,12}".prop_map(|s| CallStatus::parse(&s)),
    ]
}

fn any_event() -> impl Strategy<Value = EventType> {
    prop_oneof![
        proptest::sample::select(EventType::KNOWN.to_vec()),
        "[A-Za-z][A-Za-z0-9]{0,12}".prop_map(|s| EventType::parse(&s)),
    ]
}

/// Randomly upper- or lower-cases each letter.
fn recase(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn timestamps_round_trip_in_each_form(t in any_instant(), m in proptest::option::of(any_instant())) {
        let v = Stamps { compact: t, rfc: t, offset: t, maybe: m };
        let json = serde_json::to_string(&v).unwrap();
        let back: Stamps = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, v);
    }

    #[test]
    fn every_written_form_parses_back(t in any_instant()) {
        prop_assert_eq!(timestamp::parse(&timestamp::format_compact(&t)), Some(t));
        prop_assert_eq!(timestamp::parse(&timestamp::format_rfc3339(&t)), Some(t));
        prop_assert_eq!(timestamp::parse(&timestamp::format_offset(&t, timestamp::moscow())), Some(t));
    }

    #[test]
    fn statuses_round_trip(s in any_status()) {
        let json = serde_json::to_string(&s).unwrap();
        let back: CallStatus = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn event_types_round_trip(e in any_event()) {
        let json = serde_json::to_string(&e).unwrap();
        prop_assert_eq!(serde_json::from_str::<EventType>(&json).unwrap(), e);
    }

    #[test]
    fn known_values_read_in_any_case(i in 0usize..7, mask in any::<u64>()) {
        let s = CallStatus::KNOWN[i].clone();
        prop_assert_eq!(CallStatus::parse(&recase(s.as_str(), mask)), s);
        let e = EventType::KNOWN[i % EventType::KNOWN.len()].clone();
        prop_assert_eq!(EventType::parse(&recase(e.as_str(), mask)), e);
        let d = Direction::KNOWN[i % 2].clone();
        prop_assert_eq!(Direction::parse(&recase(d.as_str(), mask)), d);
    }

    #[test]
    fn ids_round_trip(p in "[0-9]{1,15}", c in "[A-Za-z0-9-]{1,30}") {
        let phone = Phone::from(p.as_str());
        let back: Phone = serde_json::from_str(&serde_json::to_string(&phone).unwrap()).unwrap();
        prop_assert_eq!(&back, &phone);
        prop_assert!(back.is_digits());
        let id = CallId::from(c);
        let back: CallId = serde_json::from_str(&serde_json::to_string(&id).unwrap()).unwrap();
        prop_assert_eq!(back, id);
    }
}

#[test]
fn statuses_from_the_seed_and_the_wild_read_alike() {
    for s in ["SUCCESS", "Success", "success"] {
        assert_eq!(
            serde_json::from_str::<CallStatus>(&format!("{s:?}")).unwrap(),
            CallStatus::Success
        );
    }
    assert_eq!(
        serde_json::from_str::<CallStatus>("\"missed\"").unwrap(),
        CallStatus::Missed
    );
    assert_eq!(
        serde_json::from_str::<CallStatus>("\"NOTALLOWED\"").unwrap(),
        CallStatus::NotAllowed
    );
    let new: CallStatus = serde_json::from_str("\"Voicemail\"").unwrap();
    assert_eq!(new, CallStatus::Other("Voicemail".into()));
    assert_eq!(serde_json::to_string(&new).unwrap(), "\"Voicemail\"");
    assert_eq!(
        serde_json::to_string(&CallStatus::parse("SUCCESS")).unwrap(),
        "\"Success\""
    );
    assert_eq!(
        serde_json::to_string(&CallStatus::NotAvailable).unwrap(),
        "\"NotAvailable\""
    );
}

#[test]
fn directions_and_event_types_keep_unknown_values() {
    assert_eq!(Direction::parse("OUT"), Direction::Out);
    assert_eq!(
        Direction::parse("inbound"),
        Direction::Other("inbound".into())
    );
    assert_eq!(EventType::parse("Transferred"), EventType::Transferred);
    assert_eq!(EventType::parse("HOLD").as_str(), "HOLD");
    assert_eq!(
        serde_json::to_string(&EventType::parse("accepted")).unwrap(),
        "\"ACCEPTED\""
    );
}

#[test]
fn the_three_timestamp_forms_are_one_instant() {
    let t = Utc.with_ymd_and_hms(2017, 7, 7, 13, 14, 8).unwrap();
    assert_eq!(timestamp::parse("20170707T131408Z"), Some(t));
    assert_eq!(timestamp::parse("2017-07-07T13:14:08Z"), Some(t));
    assert_eq!(timestamp::parse("2017-07-07T16:14:08+03:00"), Some(t));
    assert_eq!(
        timestamp::format_offset(&t, timestamp::moscow()),
        "2017-07-07T16:14:08+03:00"
    );
    let r = Utc.with_ymd_and_hms(2022, 1, 20, 8, 58, 42).unwrap();
    assert_eq!(timestamp::format_rfc3339(&r), "2022-01-20T08:58:42Z");
    assert_eq!(timestamp::format_compact(&r), "20220120T085842Z");
}

#[test]
fn option_timestamps_read_empty_as_none() {
    #[derive(Deserialize)]
    struct O {
        #[serde(default, with = "timestamp::rfc3339::option")]
        t: Option<DateTime<Utc>>,
    }
    assert_eq!(serde_json::from_str::<O>(r#"{"t":""}"#).unwrap().t, None);
    assert_eq!(serde_json::from_str::<O>(r#"{"t":null}"#).unwrap().t, None);
    assert_eq!(serde_json::from_str::<O>("{}").unwrap().t, None);
    assert!(
        serde_json::from_str::<O>(r#"{"t":"2022-01-20T08:58:42Z"}"#)
            .unwrap()
            .t
            .is_some()
    );
}

#[test]
fn numbers_read_as_phone_and_call_id() {
    let p: Phone = serde_json::from_str("79101234567").unwrap();
    assert_eq!(p.as_str(), "79101234567");
    let c: CallId = serde_json::from_str("1511").unwrap();
    assert_eq!(c.as_ref(), "1511");
}
