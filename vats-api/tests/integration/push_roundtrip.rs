//! Round trips of the push messages (proptest): encode → decode = identity, as JSON (what the
//! v1 notifier writes) and as form fields (what the legacy notifier writes, every value a string).

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use vats_api::legacy;
use vats_api::v1::push::{ContactRequest, EventPush, HistoryPush, RatingPush};
use vats_api::{CallStatus, Direction, EventType};

fn via_json<T: Serialize + DeserializeOwned>(v: &T) -> T {
    serde_json::from_value(serde_json::to_value(v).unwrap()).unwrap()
}

/// Encodes as a form and reads it back the way the dispatchers do (every field a string).
fn via_form<T: Serialize + DeserializeOwned>(v: &T) -> T {
    let text = serde_urlencoded::to_string(v).unwrap();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&text).unwrap();
    let map: Map<String, Value> = pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    serde_json::from_value(Value::Object(map)).unwrap()
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}
fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 _.-]{0,10}[A-Za-z0-9]"
}
fn digits() -> impl Strategy<Value = String> {
    "[0-9]{5,15}"
}
fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::In),
        Just(Direction::Out),
        "[a-z]{3,8}".prop_map(Direction::from)
    ]
}
fn status() -> impl Strategy<Value = CallStatus> {
    prop_oneof![
        proptest::sample::select(CallStatus::KNOWN.to_vec()),
        "[A-Za-z]{3,10}".prop_map(CallStatus::from)
    ]
}
fn event_type() -> impl Strategy<Value = EventType> {
    prop_oneof![
        proptest::sample::select(EventType::KNOWN.to_vec()),
        "[A-Za-z]{3,10}".prop_map(EventType::from)
    ]
}

prop_compose! {
    fn history()(
        direction in direction(), user in word(), ext in proptest::option::of("[0-9]{3}"),
        group in proptest::option::of(word()), telnum in proptest::option::of(digits()),
        phone in digits(), diversion in proptest::option::of(digits()), start in instant(),
        duration in any::<u32>(), callid in word(), link in proptest::option::of("https://r/[a-z0-9]{1,8}\\.mp3"),
        rating in proptest::option::of(0u32..10), status in status(),
    ) -> HistoryPush {
        HistoryPush {
            direction, user, ext, group_real_name: group, telnum: telnum.map(Into::into),
            phone: phone.into(), diversion: diversion.map(Into::into), start, duration,
            callid: callid.into(), link, rating, status,
        }
    }
}

prop_compose! {
    fn event()(
        event_type in event_type(), phone in digits(), diversion in proptest::option::of(digits()),
        user in word(), group in proptest::option::of(word()), ext in proptest::option::of("[0-9]{3}"),
        telnum in proptest::option::of(digits()), direction in proptest::option::of(direction()),
        callid in word(),
    ) -> EventPush {
        EventPush {
            event_type, phone: phone.into(), diversion: diversion.map(Into::into), user,
            group_real_name: group, ext, telnum: telnum.map(Into::into), direction, callid: callid.into(),
        }
    }
}

prop_compose! {
    fn legacy_history()(
        direction in direction(), user in word(), phone in digits(),
        diversion in proptest::option::of(digits()), duration in any::<u32>(), callid in word(),
        links in proptest::collection::vec("https://r/[a-z0-9]{1,8}\\.mp3", 0..4),
    ) -> legacy::HistoryPush {
        legacy::HistoryPush {
            direction, user, phone: phone.into(), diversion: diversion.map(Into::into), duration,
            callid: callid.into(), links,
        }
    }
}

proptest! {
    #[test]
    fn history_round_trips_as_json_and_as_form(h in history()) {
        prop_assert_eq!(&via_json(&h), &h);
        prop_assert_eq!(&via_form(&h), &h);
    }

    #[test]
    fn event_round_trips_as_json_and_as_form(e in event()) {
        prop_assert_eq!(&via_json(&e), &e);
        prop_assert_eq!(&via_form(&e), &e);
    }

    #[test]
    fn contact_and_rating_round_trip(phone in digits(), callid in word(), rating in any::<u32>(), user in word()) {
        let c = ContactRequest { phone: phone.clone().into(), diversion: None, callid: callid.clone().into() };
        prop_assert_eq!(&via_json(&c), &c);
        prop_assert_eq!(&via_form(&c), &c);
        let r = RatingPush { phone: phone.into(), rating, user, ext: None, callid: callid.into() };
        prop_assert_eq!(&via_json(&r), &r);
        prop_assert_eq!(&via_form(&r), &r);
    }

    #[test]
    fn legacy_history_round_trips_with_pipe_joined_links(h in legacy_history()) {
        prop_assert_eq!(&via_json(&h), &h);
        prop_assert_eq!(&via_form(&h), &h);
    }

    #[test]
    fn legacy_event_and_contact_round_trip_as_json_and_as_form(
        event_type in event_type(), phone in digits(), diversion in proptest::option::of(digits()),
        user in word(), callid in word(),
    ) {
        let e = legacy::EventPush {
            event_type, phone: phone.clone().into(), diversion: diversion.map(Into::into), user,
            callid: callid.clone().into(),
        };
        prop_assert_eq!(&via_json(&e), &e);
        prop_assert_eq!(&via_form(&e), &e);
        let c = legacy::ContactRequest { phone: phone.into(), callid: callid.into() };
        prop_assert_eq!(&via_json(&c), &c);
        prop_assert_eq!(&via_form(&c), &c);
    }

    #[test]
    fn legacy_answers_and_make_call_round_trip(
        users in proptest::collection::vec((word(), proptest::option::of(word())), 0..5),
        accounts in proptest::collection::vec((word(), proptest::option::of(word())), 0..5),
        phone in digits(), user in word(),
    ) {
        let answer = legacy::UsersAnswer {
            users: users.into_iter().map(|(id, name)| legacy::CrmUser { id, name }).collect(),
        };
        prop_assert_eq!(&via_json(&answer), &answer);
        let accounts: Vec<legacy::Account> = accounts
            .into_iter()
            .map(|(name, real_name)| legacy::Account { name, real_name })
            .collect();
        prop_assert_eq!(&via_json(&accounts), &accounts);
        let call = legacy::MakeCallRequest { phone: phone.into(), user, clid: None };
        prop_assert_eq!(&via_json(&call), &call);
        prop_assert_eq!(&via_form(&call), &call);
    }
}
