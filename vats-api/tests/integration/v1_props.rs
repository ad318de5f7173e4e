//! Round-trip property tests of the v1 types (encode → decode = identity) and of the CSV codec.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use vats_api::v1::{
    Advanced, BlacklistAdd, BlacklistEntry, CallOrder, DaySchedule, Destination, Group,
    GroupMember, GroupUsersChange, HistoryCsvRow, HistoryQuery, HistoryRecord, HistoryType,
    InnerHistoryCsvRow, InnerHistoryRecord, InnerStatus, ListInfo, ListQuery, MobileRedirect,
    NewUser, Page, Password, Period, Role, RouteType, Schedule, Sim, TelnumInfo, Timeout,
    TimeoutTarget, User, parse_history_csv, parse_inner_history_csv, write_history_csv,
    write_inner_history_csv,
};
use vats_api::{CallId, CallStatus, Direction};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
    let json = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(&back, v, "{json}");
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9а-яё@.,\"' _-]{0,12}"
}

fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9а-я]{1,10}"
}

fn other() -> impl Strategy<Value = String> {
    "[x-z]{3,6}"
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_000_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Admin),
        Just(Role::User),
        Just(Role::RestrictedUser),
        other().prop_map(Role::Other)
    ]
}

fn redirect() -> impl Strategy<Value = MobileRedirect> {
    (
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(0u32..60),
    )
        .prop_map(|(enabled, forward, delay)| MobileRedirect {
            enabled,
            forward,
            delay,
        })
}

fn user() -> impl Strategy<Value = User> {
    (
        word(),
        text(),
        text(),
        text(),
        "[0-9]{0,4}",
        proptest::option::of(text()),
        role(),
        text(),
        redirect(),
    )
        .prop_map(
            |(login, name, position, email, ext, telnum, role, mobile, mobile_redirect)| User {
                login: login.into(),
                name,
                position,
                email,
                ext,
                telnum,
                role,
                mobile,
                mobile_redirect,
            },
        )
}

fn member() -> impl Strategy<Value = GroupMember> {
    (word(), proptest::option::of(word()), any::<bool>()).prop_map(|(l, name, on)| GroupMember {
        name,
        ..GroupMember::new(l.as_str(), on)
    })
}

fn timeout() -> impl Strategy<Value = Timeout> {
    let target = prop_oneof![
        Just(TimeoutTarget::Voicemail),
        Just(TimeoutTarget::User),
        Just(TimeoutTarget::Group),
        Just(TimeoutTarget::Telnum),
        other().prop_map(TimeoutTarget::Other)
    ];
    (
        proptest::option::of(0u32..700),
        target,
        proptest::option::of(word()),
        proptest::option::of(word()),
        proptest::option::of("[0-9]{1,11}"),
    )
        .prop_map(|(time, target, user, group, telnum)| Timeout {
            time,
            target,
            user: user.map(Into::into),
            group: group.map(Into::into),
            telnum,
        })
}

fn group() -> impl Strategy<Value = Group> {
    let order = prop_oneof![
        Just(CallOrder::All),
        Just(CallOrder::Evenly),
        Just(CallOrder::ByOrder),
        Just(CallOrder::Waterfall),
        other().prop_map(CallOrder::Other)
    ];
    let adv = prop_oneof![
        Just(Advanced::Off),
        Just(Advanced::MsgBusy),
        Just(Advanced::Callback),
        other().prop_map(Advanced::Other)
    ];
    (
        word(),
        text(),
        "[0-9]{0,4}",
        order,
        0u32..40,
        proptest::collection::vec(member(), 0..5),
        proptest::option::of(timeout()),
        adv,
    )
        .prop_map(
            |(id, name, ext, call_order, call_duration, users, timeout, advanced)| Group {
                id: id.into(),
                name,
                ext,
                call_order,
                call_duration,
                users,
                timeout,
                advanced,
            },
        )
}

fn route_type() -> impl Strategy<Value = RouteType> {
    prop_oneof![
        Just(RouteType::User),
        Just(RouteType::Group),
        Just(RouteType::Ivr),
        Just(RouteType::Scheduler),
        Just(RouteType::Fax),
        Just(RouteType::Telnum),
        other().prop_map(RouteType::Other)
    ]
}

fn day() -> impl Strategy<Value = Option<DaySchedule>> {
    proptest::option::of((0u32..86_400, 0u32..86_400, any::<bool>()).prop_map(
        |(start, end, holiday)| DaySchedule {
            start,
            end,
            holiday,
        },
    ))
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (day(), day(), day(), day(), day(), day(), day()).prop_map(|(mo, tu, we, th, fr, sa, su)| {
        Schedule {
            monday: mo,
            tuesday: tu,
            wednesday: we,
            thursday: th,
            friday: fr,
            saturday: sa,
            sunday: su,
        }
    })
}

fn telnum_info() -> impl Strategy<Value = TelnumInfo> {
    let flags = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
    );
    let texts = (
        text(),
        text(),
        text(),
        proptest::option::of(word()),
        proptest::option::of(word()),
    );
    let targets = (
        proptest::option::of(word()),
        proptest::option::of(word()),
        proptest::option::of(word()),
        proptest::option::of(word()),
    );
    (
        "[0-9]{11}",
        route_type(),
        flags,
        texts,
        targets,
        proptest::option::of(schedule()),
    )
        .prop_map(
            |(
                telnum,
                kind,
                (greeting, is_main_phone, disabled, greeting_custom),
                (location, crm, calltracking, abc_telnum, abc_location),
                (user, user_name, group, group_name),
                schedule,
            )| {
                TelnumInfo {
                    telnum: telnum.into(),
                    kind,
                    greeting,
                    is_main_phone,
                    location,
                    disabled,
                    crm,
                    calltracking,
                    abc_telnum,
                    abc_location,
                    greeting_custom,
                    user: user.map(Into::into),
                    user_name,
                    group: group.map(Into::into),
                    group_name,
                    schedule,
                    ..TelnumInfo::default()
                }
            },
        )
}

fn history_record() -> impl Strategy<Value = HistoryRecord> {
    let status = prop_oneof![
        proptest::sample::select(CallStatus::KNOWN.to_vec()),
        other().prop_map(|s| CallStatus::parse(&s))
    ];
    let dest = proptest::option::of(prop_oneof![
        Just(Destination::User),
        Just(Destination::Group),
        Just(Destination::Voicemail),
        Just(Destination::OnDuty),
        other().prop_map(Destination::Other)
    ]);
    let people = (
        text(),
        proptest::option::of(word()),
        text(),
        text(),
        text(),
        text(),
    );
    (
        "[0-9]{1,10}",
        prop_oneof![Just(Direction::In), Just(Direction::Out)],
        status,
        people,
        dest,
        time(),
        (any::<u32>(), any::<u32>()),
        text(),
        proptest::option::of(0u32..6),
    )
        .prop_map(
            |(
                uid,
                direction,
                status,
                (client, account, diversion, user, user_name, group_name),
                destination,
                start,
                (wait, duration),
                record,
                rating,
            )| HistoryRecord {
                uid: CallId::from(uid),
                direction,
                status,
                client,
                account,
                diversion,
                destination,
                user: Some(user).filter(|u| !u.trim().is_empty()),
                user_name,
                group_name,
                start,
                wait: u64::from(wait),
                duration: u64::from(duration),
                record: Some(record).filter(|r| !r.trim().is_empty()),
                rating,
                missed_status: None,
            },
        )
}

fn inner_status() -> impl Strategy<Value = InnerStatus> {
    prop_oneof![
        Just(InnerStatus::Success),
        Just(InnerStatus::NoAnswer),
        Just(InnerStatus::Missed),
        other().prop_map(InnerStatus::Other)
    ]
}

fn history_type() -> impl Strategy<Value = HistoryType> {
    prop_oneof![
        Just(HistoryType::All),
        Just(HistoryType::In),
        Just(HistoryType::Out),
        Just(HistoryType::Missed),
        other().prop_map(HistoryType::Other)
    ]
}

/// CSV cells: anything but leading/trailing blanks (readers trim), with commas and quotes.
fn cell() -> impl Strategy<Value = String> {
    "([a-zA-Z0-9а-я@.,\"';:/]([a-zA-Z0-9а-я@.,\"' ;:/]{0,10}[a-zA-Z0-9а-я@.,\"';:/])?)?"
}

fn csv_row() -> impl Strategy<Value = HistoryCsvRow> {
    (
        "[0-9]{1,10}",
        history_type(),
        (cell(), cell(), cell(), cell()),
        time(),
        any::<u32>(),
        any::<u32>(),
        proptest::option::of(0u32..100),
    )
        .prop_map(
            |(uid, kind, (client, account, via, record), start, wait, duration, rating)| {
                HistoryCsvRow {
                    uid: CallId::from(uid),
                    kind,
                    client,
                    account,
                    via,
                    start,
                    wait: u64::from(wait),
                    duration: u64::from(duration),
                    record,
                    rating,
                }
            },
        )
}

fn inner_csv_row() -> impl Strategy<Value = InnerHistoryCsvRow> {
    (
        "[0-9]{1,10}",
        inner_status(),
        (cell(), cell(), cell()),
        time(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(|(uid, status, (from, to, record), start, wait, duration)| {
            InnerHistoryCsvRow {
                uid: CallId::from(uid),
                status,
                from,
                to,
                start,
                wait: u64::from(wait),
                duration: u64::from(duration),
                record,
            }
        })
}

proptest! {
    #[test]
    fn users_round_trip(u in user()) {
        round_trip(&u);
        round_trip(&Page::paginate(vec![u.clone(), u], &ListQuery::new().limit(1), 50));
    }

    #[test]
    fn new_users_with_passwords_round_trip(name in word(), pw in "[ -~]{1,16}", role in proptest::option::of(role()), r in proptest::option::of(redirect())) {
        round_trip(&NewUser { password: Some(Password::new(pw)), role, mobile_redirect: r, ..NewUser::new(name) });
    }

    #[test]
    fn groups_round_trip(g in group()) {
        round_trip(&g);
    }

    #[test]
    fn bulk_changes_round_trip(add in proptest::collection::vec(word(), 0..4), off in proptest::collection::vec(word(), 0..4), rm in proptest::collection::vec(word(), 0..4), pos in proptest::option::of(-3i64..10)) {
        let c = GroupUsersChange {
            add: add.into_iter().map(Into::into).collect(),
            calls_disable: off.into_iter().map(Into::into).collect(),
            remove: rm.into_iter().map(Into::into).collect(),
            position: pos,
        };
        round_trip(&c);
    }

    #[test]
    fn bulk_change_leaves_no_removed_member_and_disables_as_asked(start in proptest::collection::vec(member(), 0..6), add in proptest::collection::vec("[a-e]", 0..4), off in proptest::collection::vec("[a-e]", 0..3), rm in proptest::collection::vec("[a-e]", 0..3), pos in proptest::option::of(-4i64..8)) {
        let mut members = start;
        members.dedup_by(|a, b| a.login == b.login);
        let change = GroupUsersChange {
            add: add.iter().map(|s| s.as_str().into()).collect(),
            calls_disable: off.iter().map(|s| s.as_str().into()).collect(),
            remove: rm.iter().map(|s| s.as_str().into()).collect(),
            position: pos,
        };
        change.apply_to(&mut members);
        for m in &members {
            prop_assert!(!change.remove.contains(&m.login));
            if change.calls_disable.contains(&m.login) { prop_assert!(!m.calls_enable); }
            else if change.add.contains(&m.login) { prop_assert!(m.calls_enable); }
        }
    }

    #[test]
    fn telnums_round_trip(t in telnum_info()) {
        round_trip(&t);
    }

    #[test]
    fn schedules_normalize_idempotently(s in schedule()) {
        let n = s.normalized();
        prop_assert_eq!(n.normalized(), n.clone());
        prop_assert!(n.sunday.is_some() && n.monday.is_some());
        round_trip(&n);
    }

    #[test]
    fn sims_and_blacklist_round_trip(t in "[0-9]{11}", u in text(), un in proptest::option::of(word()), f in any::<(bool, bool, bool)>(), c in text(), w in proptest::option::of(any::<u32>()), pats in proptest::collection::vec("[0-9]{3,11}\\*?", 1..4)) {
        round_trip(&Sim { telnum: t.as_str().into(), user: Some(u).filter(|u| !u.trim().is_empty()).map(|u| vats_api::v1::Login::from(u.as_str())), user_name: un, company: f.0, autocaller: f.1, disabled: f.2, calltracking: c.clone(), ..Sim::default() });
        round_trip(&BlacklistEntry { telnum: t, comment: c.clone(), week: w.map(u64::from), year: None });
        round_trip(&BlacklistAdd { telnum: pats, comment: Some(c).filter(|c| !c.trim().is_empty()) });
    }

    #[test]
    fn history_records_round_trip(r in history_record()) {
        round_trip(&r);
    }

    #[test]
    fn inner_history_records_round_trip(uid in "[0-9]{1,10}", status in inner_status(), from in word(), to in word(), names in (proptest::option::of(word()), proptest::option::of(word())), start in time(), wd in any::<(u32, u32)>(), record in text()) {
        round_trip(&InnerHistoryRecord { uid: uid.into(), status, from, to, from_name: names.0, to_name: names.1, start, wait: wd.0.into(), duration: wd.1.into(), record: Some(record).filter(|r| !r.trim().is_empty()) });
    }

    #[test]
    fn history_csv_round_trips_with_and_without_header(rows in proptest::collection::vec(csv_row(), 0..6), header in any::<bool>()) {
        let out = write_history_csv(&rows, header);
        prop_assert_eq!(parse_history_csv(&out).unwrap(), rows);
    }

    #[test]
    fn inner_history_csv_round_trips_with_and_without_header(rows in proptest::collection::vec(inner_csv_row(), 0..6), header in any::<bool>()) {
        let out = write_inner_history_csv(&rows, header);
        prop_assert_eq!(parse_inner_history_csv(&out).unwrap(), rows);
    }

    #[test]
    fn history_queries_round_trip_through_their_query_string(start in proptest::option::of(time()), end in proptest::option::of(time()), period in proptest::option::of(prop_oneof![Just(Period::Today), Just(Period::LastMonth), other().prop_map(Period::Other)]), kind in proptest::option::of(history_type()), limit in proptest::option::of(any::<u32>())) {
        let q = HistoryQuery { start, end, period, kind, limit: limit.map(u64::from), ..HistoryQuery::default() };
        let obj: serde_json::Map<String, serde_json::Value> = q.pairs().into_iter().map(|(k, v)| (k.to_owned(), v.into())).collect();
        let back: HistoryQuery = serde_json::from_value(serde_json::Value::Object(obj)).unwrap();
        prop_assert_eq!(back, q);
    }

    #[test]
    fn list_queries_and_infos_round_trip(search in proptest::option::of(word()), start in proptest::option::of(any::<u32>()), limit in proptest::option::of(any::<u32>()), total in any::<u32>(), next in proptest::option::of(any::<u32>())) {
        let q = ListQuery { search: search.clone(), start: start.map(u64::from), limit: limit.map(u64::from) };
        let obj: serde_json::Map<String, serde_json::Value> = q.pairs().into_iter().map(|(k, v)| (k.to_owned(), v.into())).collect();
        prop_assert_eq!(serde_json::from_value::<ListQuery>(serde_json::Value::Object(obj)).unwrap(), q);
        round_trip(&ListInfo { search: search.unwrap_or_default(), total: total.into(), start: 0, limit: 10, next: next.map(u64::from) });
    }

    #[test]
    fn enum_values_read_in_any_case(r in role(), upper in any::<bool>()) {
        let wire = if upper { r.as_str().to_uppercase() } else { r.as_str().to_owned() };
        let back: Role = serde_json::from_value(serde_json::Value::String(wire.clone())).unwrap();
        // Known values are recognised in any case; unknown ones are kept exactly as sent.
        let expected = if matches!(r, Role::Other(_)) { Role::Other(wire) } else { r };
        prop_assert_eq!(back, expected);
    }
}
