//! The v1 client against wiremock: every operation (P1–P40) with the exact request asserted.

use crate::v1_support::{KEY, Pbx, fixture, fixture_json, json, no_content};
use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use serde_json::json;
use vats_api::v1::{
    BlacklistAdd, CallOrder, Destination, GroupId, GroupUpdate, GroupUsersChange, HistoryQuery,
    HistoryType, InnerHistoryQuery, InnerHistoryType, InnerStatus, ListQuery, Login, MakeCall,
    MobileRedirect, NewGroup, NewUser, Period, Role, RouteSettings, RouteType, Telnum,
    UserUpdate,
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
    assert_eq!(rows[0].start, Utc.with_ymd_and_hms(2017, 7, 7, 13, 14, 8).unwrap());
    assert_eq!(rows[0].rating, Some(5));
    assert_eq!(rows[1].kind, HistoryType::Missed);
    assert_eq!(rows[1].start, Utc.with_ymd_and_hms(2022, 1, 20, 8, 59, 22).unwrap());
}

#[tokio::test]
async fn p2_history_json_reads_the_seed_example() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "history/json",
        Some("period=today&type=all&limit=100"),
        None,
        json(fixture_json("v1_history.json")),
    )
    .await;
    let q = HistoryQuery::new().period(Period::Today).kind(HistoryType::All).limit(100);
    let recs = pbx.client.history_json(&q).await.unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].status, CallStatus::Missed);
    assert_eq!(recs[0].destination, Some(Destination::Group));
    assert_eq!(recs[1].user, "admin");
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
    let recs = pbx.client.inner_history_json(&InnerHistoryQuery::new()).await.unwrap();
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
        pbx.expect("POST", "makecall", None, Some(fixture_json("v1_makecall_request.json")), answer)
            .await;
        let id = pbx.client.make_call(&MakeCall::new("79101234567", "admin")).await.unwrap();
        assert_eq!(id.as_str(), "B10D-1511");
    }
}

#[tokio::test]
async fn p5_make_call_refuses_a_plus_before_sending() {
    let pbx = Pbx::start().await;
    let e = pbx.client.make_call(&MakeCall::new("+79101234567", "admin")).await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "phone"));
}

#[tokio::test]
async fn p6_list_users_sends_search_start_limit_and_reads_the_seed_page() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users",
        Some("search=adm&start=0&limit=3"),
        None,
        json(fixture_json("v1_users_list.json")),
    )
    .await;
    let page = pbx.client.list_users(&ListQuery::new().search("adm").start(0).limit(3)).await.unwrap();
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
    let all: Vec<_> = pbx.client.users_stream(ListQuery::new().limit(2)).try_collect().await.unwrap();
    let logins: Vec<&str> = all.iter().map(|u| u.login.as_str()).collect();
    assert_eq!(logins, ["a", "b", "c"]);
}

#[tokio::test]
async fn p7_get_user_encodes_the_login_in_the_path() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "users/admin", None, None, json(fixture_json("v1_user.json"))).await;
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
        mobile_redirect: Some(MobileRedirect { enabled: true, forward: None, delay: Some(15) }),
        ..NewUser::new("Александр")
    };
    let u = pbx.client.create_user(&new).await.unwrap();
    assert_eq!((u.login.as_str(), u.ext.as_str(), &u.role), ("u704", "704", &Role::User));
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
    let u = pbx.client.update_user(&Login::from("u704"), &upd).await.unwrap();
    assert_eq!((u.name.as_str(), u.ext.as_str()), ("Ivan", "708"));
}

#[tokio::test]
async fn p10_delete_user_accepts_204() {
    let pbx = Pbx::start().await;
    pbx.expect("DELETE", "users/u704", None, None, no_content()).await;
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
    pbx.expect("GET", "users/admin/subscription", Some("group_id=sales"), None, json(json!({"state": true})))
        .await;
    let on = pbx.client.subscription_state(&Login::from("admin"), Some(&GroupId::from("sales"))).await;
    assert!(on.unwrap());
}

#[tokio::test]
async fn p13_subscribe_one_group_and_all_groups() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "users/admin/subscription", Some("group_id=sales"), None, no_content()).await;
    pbx.expect("POST", "users/admin/subscription", None, None, no_content()).await;
    let admin = Login::from("admin");
    pbx.client.subscribe(&admin, Some(&GroupId::from("sales"))).await.unwrap();
    pbx.client.subscribe(&admin, None).await.unwrap();
}

#[tokio::test]
async fn p14_unsubscribe_one_group_and_all_groups() {
    let pbx = Pbx::start().await;
    pbx.expect("DELETE", "users/admin/subscription", Some("group_id=sales"), None, no_content()).await;
    pbx.expect("DELETE", "users/admin/subscription", None, None, no_content()).await;
    let admin = Login::from("admin");
    pbx.client.unsubscribe(&admin, Some(&GroupId::from("sales"))).await.unwrap();
    pbx.client.unsubscribe(&admin, None).await.unwrap();
}

#[tokio::test]
async fn p15_dnd_state_reads_state_as_string_too() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "users/701/dnd", None, None, json(json!({"state": "false"}))).await;
    assert!(!pbx.client.dnd_state(&Login::from("701")).await.unwrap());
}

#[tokio::test]
async fn p16_p17_dnd_on_and_off() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "users/admin/dnd", None, None, no_content()).await;
    pbx.expect("DELETE", "users/admin/dnd", None, None, no_content()).await;
    pbx.client.enable_dnd(&Login::from("admin")).await.unwrap();
    pbx.client.disable_dnd(&Login::from("admin")).await.unwrap();
}

#[tokio::test]
async fn p18_list_groups_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "groups", Some("search=%D0%BE%D1%82%D0%B4%D0%B5%D0%BB"), None, json(fixture_json("v1_groups_list.json")))
        .await;
    let page = pbx.client.list_groups(&ListQuery::new().search("отдел")).await.unwrap();
    assert_eq!(page.items[1].call_order, CallOrder::ByOrder);
    assert_eq!(page.items[1].users.len(), 3);

    let pbx = Pbx::start().await;
    pbx.expect("GET", "groups", None, None, json(fixture_json("v1_groups_list.json"))).await;
    let all: Vec<_> = pbx.client.groups_stream(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn p19_get_group() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "groups/sales", None, None, json(fixture_json("v1_group.json"))).await;
    let g = pbx.client.get_group(&GroupId::from("sales")).await.unwrap();
    assert_eq!(g.timeout.unwrap().user, Some(Login::from("admin")));
}

#[tokio::test]
async fn p20_create_group_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "groups",
        None,
        Some(fixture_json("v1_group_create_request.json")),
        json(fixture_json("v1_group_create_answer.json")),
    )
    .await;
    let new: NewGroup = serde_json::from_value(fixture_json("v1_group_create_request.json")).unwrap();
    let g = pbx.client.create_group(&new).await.unwrap();
    assert_eq!(g.id.as_str(), "g_0a922987-97ac-4f45-9e47-59a27d23c2cb");
}

#[tokio::test]
async fn p21_update_group_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "PUT",
        "groups/sales",
        None,
        Some(fixture_json("v1_group_update_request.json")),
        json(fixture_json("v1_group.json")),
    )
    .await;
    let upd: GroupUpdate = serde_json::from_value(fixture_json("v1_group_update_request.json")).unwrap();
    let g = pbx.client.update_group(&GroupId::from("sales"), &upd).await.unwrap();
    assert_eq!(g.name, "Отдел продаж");
}

#[tokio::test]
async fn p22_delete_group() {
    let pbx = Pbx::start().await;
    pbx.expect("DELETE", "groups/sales", None, None, no_content()).await;
    pbx.client.delete_group(&GroupId::from("sales")).await.unwrap();
}

#[tokio::test]
async fn p23_change_group_users_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "groups/sales/users", None, Some(fixture_json("v1_group_users_request.json")), no_content())
        .await;
    let change: GroupUsersChange =
        serde_json::from_value(fixture_json("v1_group_users_request.json")).unwrap();
    pbx.client.change_group_users(&GroupId::from("sales"), &change).await.unwrap();
}

#[tokio::test]
async fn p24_list_telnums_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "telnums", Some("limit=2"), None, json(fixture_json("v1_telnums_list.json"))).await;
    let page = pbx.client.list_telnums(&ListQuery::new().limit(2)).await.unwrap();
    assert_eq!(page.items[0].kind, RouteType::User);
    let pbx = Pbx::start().await;
    pbx.expect("GET", "telnums", None, None, json(fixture_json("v1_telnums_list.json"))).await;
    let all: Vec<_> = pbx.client.telnums_stream(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all[1].group_name.as_deref(), Some("Отдел продаж"));
}

#[tokio::test]
async fn p25_get_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "telnums/79007775555", None, None, json(fixture_json("v1_telnum.json"))).await;
    let t = pbx.client.get_telnum(&Telnum::from("79007775555")).await.unwrap();
    assert!(t.is_main_phone);
}

#[tokio::test]
async fn p26_set_telnum_route_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "telnums/79007775555",
        None,
        Some(fixture_json("v1_telnum_route_request.json")),
        json(fixture_json("v1_telnum.json")),
    )
    .await;
    let route = RouteSettings {
        kind: RouteType::Group,
        group: Some(GroupId::from("sales")),
        greeting: false,
        ..RouteSettings::default()
    };
    let t = pbx.client.set_telnum_route(&Telnum::from("79007775555"), &route).await.unwrap();
    assert_eq!(t.group, Some(GroupId::from("sales")));
}

#[tokio::test]
async fn p27_p28_enable_and_disable_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "telnums/79007775555/enabled", None, None, no_content()).await;
    pbx.expect("DELETE", "telnums/79007775555/enabled", None, None, no_content()).await;
    let t = Telnum::from("79007775555");
    pbx.client.enable_telnum(&t).await.unwrap();
    pbx.client.disable_telnum(&t).await.unwrap();
}

#[tokio::test]
async fn p29_list_sims_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "sims", Some("start=0"), None, json(fixture_json("v1_sims_list.json"))).await;
    let page = pbx.client.list_sims(&ListQuery::new().start(0)).await.unwrap();
    assert!(page.items[1].company);
    let pbx = Pbx::start().await;
    pbx.expect("GET", "sims", None, None, json(fixture_json("v1_sims_list.json"))).await;
    let all: Vec<_> = pbx.client.sims_stream(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all[1].calltracking, "roistat");
}

#[tokio::test]
async fn p30_get_sim() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "sims/79261234567", None, None, json(fixture_json("v1_sim.json"))).await;
    let s = pbx.client.get_sim(&Telnum::from("79261234567")).await.unwrap();
    assert_eq!(s.assigned_user(), Some(Login::from("admin")));
}

#[tokio::test]
async fn p31_to_p34_sim_commands() {
    let pbx = Pbx::start().await;
    pbx.expect("POST", "sims/79261234567/user/ivan", None, None, no_content()).await;
    pbx.expect("POST", "sims/79261234567/company", None, None, no_content()).await;
    pbx.expect("POST", "sims/79261234567/disable", None, None, no_content()).await;
    pbx.expect("DELETE", "sims/79261234567", None, None, no_content()).await;
    let t = Telnum::from("79261234567");
    pbx.client.assign_sim_to_user(&t, &Login::from("ivan")).await.unwrap();
    pbx.client.assign_sim_to_company(&t).await.unwrap();
    pbx.client.disable_sim(&t).await.unwrap();
    pbx.client.delete_sim(&t).await.unwrap();
}

#[tokio::test]
async fn p35_list_blacklist_with_statistics_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "blacklist/telnums",
        Some("limit=4&with=statistics"),
        None,
        json(fixture_json("v1_blacklist_list.json")),
    )
    .await;
    let page = pbx.client.list_blacklist(&ListQuery::new().limit(4), true).await.unwrap();
    assert_eq!(page.items[3].telnum, "7900800*");
    assert_eq!(page.items[3].year, Some(11));
    let pbx = Pbx::start().await;
    pbx.expect("GET", "blacklist/telnums", None, None, json(json!([{"telnum": "1", "comment": ""}])))
        .await;
    let all: Vec<_> = pbx.client.blacklist_stream(ListQuery::new(), false).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn p36_add_to_blacklist() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "blacklist/telnums",
        None,
        Some(json!({"telnum": "7900800*", "comment": "Причина"})),
        no_content(),
    )
    .await;
    pbx.client
        .add_to_blacklist(&BlacklistAdd::one("7900800*", Some("Причина".into())))
        .await
        .unwrap();
}

#[tokio::test]
async fn p37_remove_from_blacklist_repeats_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "DELETE",
        "blacklist/telnums",
        Some("telnum=79098889900&telnum=7900800*&telnum=88899988899"),
        None,
        no_content(),
    )
    .await;
    pbx.client.remove_from_blacklist(&["79098889900", "7900800*", "88899988899"]).await.unwrap();
    let none: [&str; 0] = [];
    assert!(pbx.client.remove_from_blacklist(&none).await.is_err());
}

#[tokio::test]
async fn p38_to_p40_block_anonymous() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "blacklist/block-anonymous", None, None, json(fixture_json("v1_state.json"))).await;
    pbx.expect("POST", "blacklist/block-anonymous", None, None, no_content()).await;
    pbx.expect("DELETE", "blacklist/block-anonymous", None, None, no_content()).await;
    assert!(pbx.client.block_anonymous_state().await.unwrap());
    pbx.client.enable_block_anonymous().await.unwrap();
    pbx.client.disable_block_anonymous().await.unwrap();
}

#[tokio::test]
async fn download_record_sends_the_key_only_to_the_pbx_origin() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "records/1.mp3", None, None, ResponseTemplate::new(200).set_body_bytes(b"ID3".to_vec()))
        .await;
    let url = format!("{}/crmapi/v1/records/1.mp3", pbx.server.uri());
    assert_eq!(pbx.client.download_record(&url).await.unwrap().as_ref(), b"ID3");

    let other = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::header_exists("X-API-KEY"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&other)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/r.mp3"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"RIFF".to_vec()))
        .expect(1)
        .mount(&other)
        .await;
    let url = format!("{}/r.mp3", other.uri());
    assert_eq!(pbx.client.download_record(&url).await.unwrap().as_ref(), b"RIFF");
}

#[tokio::test]
async fn documented_errors_keep_status_text_and_body() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "users/ghost", None, None, ResponseTemplate::new(401).set_body_json(json!({"error": "Invalid token"})))
        .await;
    let e = pbx.client.get_user(&Login::from("ghost")).await.unwrap_err();
    match &e {
        Error::Api { status, error, body } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(error, "Invalid token");
            assert_eq!(body, r#"{"error":"Invalid token"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn html_error_pages_surface_as_http_errors_with_the_page() {
    let pbx = Pbx::start().await;
    Pbx::expect(&pbx, "GET", "sims", None, None, ResponseTemplate::new(404).set_body_string("<html>nope</html>"))
        .await;
    let e = pbx.client.list_sims(&ListQuery::new()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(e.body(), Some("<html>nope</html>"));
}

#[tokio::test]
async fn decode_errors_name_the_field_and_keep_the_body() {
    let pbx = Pbx::start().await;
    let body = json!({"items": [{"uid": "1", "direction": "in", "status": "success", "start": "soon"}]});
    pbx.expect("GET", "history/json", None, None, json(body)).await;
    let e = pbx.client.history_json(&HistoryQuery::new()).await.unwrap_err();
    match &e {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "items[0].start");
            assert!(body.contains("soon"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retries_5xx_then_succeeds() {
    let pbx = Pbx::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/crmapi/v1/blacklist/block-anonymous"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&pbx.server)
        .await;
    pbx.expect("GET", "blacklist/block-anonymous", None, None, json(json!({"state": false}))).await;
    assert!(!pbx.client.block_anonymous_state().await.unwrap());
}

#[tokio::test]
async fn secrets_never_show_in_debug_display_or_errors() {
    let pbx = Pbx::start().await;
    pbx.expect("GET", "users", None, None, ResponseTemplate::new(400).set_body_json(json!({"error": "Validation error"})))
        .await;
    let e = pbx.client.list_users(&ListQuery::new()).await.unwrap_err();
    let builder = vats_api::v1::Client::builder().api_key(KEY).base_url("http://x");
    let dead = vats_api::v1::Client::builder()
        .base_url("http://127.0.0.1:9/crmapi/v1")
        .api_key(KEY)
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap();
    let transport = dead.get_user(&Login::from("x")).await.unwrap_err();
    let pw = vats_api::v1::Password::new(KEY);
    let user = NewUser { password: Some(pw.clone()), ..NewUser::new("a") };
    let shown = format!(
        "{:?} {:?} {e} {e:?} {transport} {transport:?} {pw:?} {user:?}",
        pbx.client, builder
    );
    assert!(!shown.contains(KEY), "{shown}");
    // …while the wire form still carries the password.
    assert!(serde_json::to_string(&user).unwrap().contains(KEY));
}

#[tokio::test]
async fn builder_validates_its_configuration() {
    let no_key = vats_api::v1::Client::builder().base_url("https://pbx.example/crmapi/v1").build();
    assert!(matches!(no_key, Err(Error::InvalidConfig(_))));
    let bad_url = vats_api::v1::Client::builder().base_url("not a url").api_key("k").build();
    assert!(matches!(bad_url, Err(Error::InvalidConfig(_))));
    let ok = vats_api::v1::Client::builder().domain("pbx.example").api_key("k").build().unwrap();
    assert_eq!(ok.base_url().as_str(), "https://pbx.example/crmapi/v1/");
}
