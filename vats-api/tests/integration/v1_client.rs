//! The v1 client against wiremock, rows P1–P17: the exact request asserted.

use crate::v1_support::{Pbx, fixture, fixture_json, json, no_content};
use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use serde_json::json;
use vats_api::v1::{
    Destination, GroupId, HistoryQuery, HistoryType, InnerHistoryQuery, InnerHistoryType,
    InnerStatus, ListQuery, Login, MakeCall, MobileRedirect, NewUser, Period, Role, UserUpdate,
};
use vats_api::{CallStatus, Error};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn p1_history_csv_sends_compact_times_and_reads_rows() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "history/csv",
        Some("start=20220120T000000Z&end=20220121T000000Z&type=missed&limit=100"),
        None,
        ResponseTemplate::new(200).set_body_string(fixture("v1_history.csv")),
    )
    .await;
    let q = HistoryQuery::new()
        .between(
            Utc.with_ymd_and_hms(2022, 1, 20, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2022, 1, 21, 0, 0, 0).unwrap(),
        )
        .kind(HistoryType::Missed)
        .limit(100);
    let rows = pbx.client.history_csv(&q).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].uid.as_str(), "1755936870");
    assert_eq!(
        rows[0].start,
        Utc.with_ymd_and_hms(2017, 7, 7, 13, 14, 8).unwrap()
    );
    assert_eq!(rows[0].rating, Some(5));
    assert_eq!(rows[1].kind, HistoryType::Missed);
    assert_eq!(
        rows[1].start,
        Utc.with_ymd_and_hms(2022, 1, 20, 8, 59, 22).unwrap()
    );
}

#[tokio::test]
async fn p2_history_json_reads_the_seed_example() {
    let pbx = Pbx::start().await;
    pbx.expect_get(
        "history/json",
        Some("period=today&type=all&limit=100"),
        "v1_history.json",
    )
    .await;
    let q = HistoryQuery::new()
        .period(Period::Today)
        .kind(HistoryType::All)
        .limit(100);
    let recs = pbx.client.history_json(&q).await.unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].status, CallStatus::Missed);
    assert_eq!(recs[0].destination, Some(Destination::Group));
    assert_eq!(recs[1].user.as_deref(), Some("admin"));
    assert_eq!(recs[1].duration, 23);
}

#[tokio::test]
async fn p3_inner_history_csv_reads_the_seed_example_without_header() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "history/inner/csv",
        Some("period=this_week&type=noanswer&limit=100"),
        None,
        ResponseTemplate::new(200).set_body_string(fixture("v1_history_inner.csv")),
    )
    .await;
    let q = InnerHistoryQuery::new()
        .period(Period::ThisWeek)
        .kind(InnerHistoryType::NoAnswer)
        .limit(100);
    let rows = pbx.client.inner_history_csv(&q).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].from, "admin@domain");
    assert_eq!(rows[1].status, InnerStatus::Other("in".into()));
}

#[tokio::test]
async fn p4_inner_history_json_reads_the_seed_example() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "history/inner/json",
        None,
        None,
        json(json!({"items": fixture_json("v1_history_inner.json")})),
    )
    .await;
    let recs = pbx
        .client
        .inner_history_json(&InnerHistoryQuery::new())
        .await
        .unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].status, InnerStatus::NoAnswer);
    assert_eq!(recs[1].from_name, None);
    assert_eq!(recs[1].to_name.as_deref(), Some("Ivan"));
}

#[tokio::test]
async fn p5_make_call_posts_json_and_reads_callid_in_any_form() {
    for answer in [
        ResponseTemplate::new(200).set_body_json(json!({"callid": "B10D-1511"})),
        ResponseTemplate::new(200).set_body_json(json!("B10D-1511")),
        ResponseTemplate::new(200).set_body_string("B10D-1511"),
    ] {
        let pbx = Pbx::start().await;
        pbx.expect(
            "POST",
            "makecall",
            None,
            Some(fixture_json("v1_makecall_request.json")),
            answer,
        )
        .await;
        let id = pbx
            .client
            .make_call(&MakeCall::new("79101234567", "admin"))
            .await
            .unwrap();
        assert_eq!(id.as_str(), "B10D-1511");
    }
}

#[tokio::test]
async fn p5_make_call_refuses_a_phone_that_is_not_a_number_before_sending() {
    let pbx = Pbx::start().await;
    let e = pbx
        .client
        .make_call(&MakeCall::new("+7 call me", "admin"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput(ref f) if f.field == "phone"));
}

#[tokio::test]
async fn p6_list_users_sends_search_start_limit_and_reads_the_seed_page() {
    let pbx = Pbx::start().await;
    pbx.expect_get(
        "users",
        Some("search=adm&start=0&limit=3"),
        "v1_users_list.json",
    )
    .await;
    let page = pbx
        .client
        .list_users(&ListQuery::new().search("adm").start(0).limit(3))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.info.total, 3);
    assert_eq!(page.items[0].role, Role::Admin);
    assert_eq!(page.items[2].mobile_redirect.delay, Some(15));
}

#[tokio::test]
async fn p6_users_stream_follows_info_next() {
    let pbx = Pbx::start().await;
    let user = |l: &str| json!({"login": l, "name": l});
    pbx.expect(
        "GET",
        "users",
        Some("limit=2"),
        None,
        json(json!({"items": [user("a"), user("b")], "info": {"start": 0, "limit": 2, "total": 3, "next": 2}})),
    )
    .await;
    pbx.expect(
        "GET",
        "users",
        Some("start=2&limit=2"),
        None,
        json(json!({"items": [user("c")], "info": {"start": "2", "limit": "2", "total": "3"}})),
    )
    .await;
    let all: Vec<_> = pbx
        .client
        .users_stream(ListQuery::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    let logins: Vec<&str> = all.iter().map(|u| u.login.as_str()).collect();
    assert_eq!(logins, ["a", "b", "c"]);
}

#[tokio::test]
async fn p7_get_user_encodes_the_login_in_the_path() {
    let pbx = Pbx::start().await;
    pbx.expect_get("users/admin", None, "v1_user.json").await;
    let u = pbx.client.get_user(&Login::from("admin")).await.unwrap();
    assert_eq!(u.email, "admin@example.com");
    assert!(u.mobile_redirect.enabled);
}

#[tokio::test]
async fn p8_create_user_sends_only_what_is_set() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "users",
        None,
        Some(fixture_json("v1_user_create_request.json")),
        json(fixture_json("v1_user_create_answer.json")),
    )
    .await;
    let new = NewUser {
        mobile: Some("79008004455".into()),
        mobile_redirect: Some(MobileRedirect {
            enabled: true,
            forward: None,
            delay: Some(15),
        }),
        ..NewUser::new("Александр")
    };
    let u = pbx.client.create_user(&new).await.unwrap();
    assert_eq!(
        (u.login.as_str(), u.ext.as_str(), &u.role),
        ("u704", "704", &Role::User)
    );
}

#[tokio::test]
async fn p9_update_user_puts_a_partial_body() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "PUT",
        "users/u704",
        None,
        Some(fixture_json("v1_user_update_request.json")),
        json(fixture_json("v1_user_update_answer.json")),
    )
    .await;
    let upd = UserUpdate {
        name: Some("Ivan".into()),
        role: Some(Role::Admin),
        ext: Some("708".into()),
        ..UserUpdate::default()
    };
    let u = pbx
        .client
        .update_user(&Login::from("u704"), &upd)
        .await
        .unwrap();
    assert_eq!((u.name.as_str(), u.ext.as_str()), ("Ivan", "708"));
}

#[tokio::test]
async fn p10_delete_user_accepts_204() {
    let pbx = Pbx::start().await;
    pbx.expect("DELETE", "users/u704", None, None, no_content())
        .await;
    pbx.client.delete_user(&Login::from("u704")).await.unwrap();
}

#[tokio::test]
async fn p11_user_groups_reads_a_bare_array() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users/admin/groups",
        None,
        None,
        json(json!([{"id": "sales", "name": "Отдел продаж", "ext": 700}])),
    )
    .await;
    let g = pbx.client.user_groups(&Login::from("admin")).await.unwrap();
    assert_eq!((g[0].id.as_str(), g[0].ext.as_str()), ("sales", "700"));
}

#[tokio::test]
async fn p12_subscription_state_sends_group_id() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users/admin/subscription",
        Some("group_id=sales"),
        None,
        json(json!({"state": true})),
    )
    .await;
    let on = pbx
        .client
        .subscription_state(&Login::from("admin"), Some(&GroupId::from("sales")))
        .await;
    assert!(on.unwrap());
}

#[tokio::test]
async fn p13_subscribe_one_group_and_all_groups() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "users/admin/subscription",
        Some("group_id=sales"),
        None,
        no_content(),
    )
    .await;
    pbx.expect("POST", "users/admin/subscription", None, None, no_content())
        .await;
    let admin = Login::from("admin");
    pbx.client
        .subscribe(&admin, Some(&GroupId::from("sales")))
        .await
        .unwrap();
    pbx.client.subscribe(&admin, None).await.unwrap();
}

#[tokio::test]
async fn p14_unsubscribe_one_group_and_all_groups() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "DELETE",
        "users/admin/subscription",
        Some("group_id=sales"),
        None,
        no_content(),
    )
    .await;
    pbx.expect(
        "DELETE",
        "users/admin/subscription",
        None,
        None,
        no_content(),
    )
    .await;
    let admin = Login::from("admin");
    pbx.client
        .unsubscribe(&admin, Some(&GroupId::from("sales")))
        .await
        .unwrap();
    pbx.client.unsubscribe(&admin, None).await.unwrap();
}

#[tokio::test]
async fn p15_dnd_state_reads_state_as_string_too() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users/701/dnd",
        None,
        None,
        json(json!({"state": "false"})),
    )
    .await;
    assert!(!pbx.client.dnd_state(&Login::from("701")).await.unwrap());
}

#[tokio::test]
async fn p16_p17_dnd_on_and_off() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "users/admin/dnd", None, None, no_content())
        .await;
    pbx.expect("DELETE", "users/admin/dnd", None, None, no_content())
        .await;
    pbx.client.enable_dnd(&Login::from("admin")).await.unwrap();
    pbx.client.disable_dnd(&Login::from("admin")).await.unwrap();
}

#[test]
fn base_url_may_be_the_host_root_or_the_full_api_root() {
    let base = |url: &str| {
        vats_api::v1::Client::builder()
            .base_url(url)
            .api_key("k")
            .build()
            .unwrap()
            .base_url()
            .to_string()
    };
    assert_eq!(base("http://pbx.example"), "http://pbx.example/crmapi/v1/");
    assert_eq!(base("http://pbx.example/"), "http://pbx.example/crmapi/v1/");
    assert_eq!(
        base("http://pbx.example/crmapi/v1"),
        "http://pbx.example/crmapi/v1/"
    );
    assert_eq!(
        base("http://pbx.example/pbx/crmapi/v1/"),
        "http://pbx.example/pbx/crmapi/v1/"
    );
    let e = vats_api::v1::Client::builder()
        .base_url("http://pbx.example/?x=1")
        .api_key("k")
        .build()
        .unwrap_err();
    assert!(matches!(e, vats_api::Error::Config(_)), "{e}");
}
