//! The mock PBX through `vats_api::v1::Client` and `vats_api::legacy::Client`: every P and L
//! operation, state changes, recordings.

use mock_server::Config;
use serde_json::json;
use vats_api::v1::{
    BlacklistAdd, GroupId, GroupUpdate, GroupUsersChange, HistoryQuery, InnerHistoryQuery,
    ListQuery, Login, MakeCall, NewGroup, NewUser, Period, RouteSettings, RouteType, Telnum,
    UserUpdate,
};

use crate::support::{get_json, pbx_client, post_json, start, start_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_groups_and_dnd_answer_and_change_state() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let admin = Login::from("admin");

    let users = pbx.list_users(&ListQuery::new()).await.unwrap();
    assert_eq!(users.info.total, 3);
    let found = pbx
        .list_users(&ListQuery::new().search("Пользов"))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(pbx.get_user(&admin).await.unwrap().ext, "701");

    let created = pbx.create_user(&NewUser::new("Иван")).await.unwrap();
    assert_eq!(
        (created.login.as_str(), created.ext.as_str()),
        ("u705", "705")
    );
    assert_eq!(created.position, "Менеджер");
    let update = UserUpdate {
        position: Some("Старший менеджер".into()),
        ..UserUpdate::default()
    };
    let updated = pbx.update_user(&created.login, &update).await.unwrap();
    assert_eq!(updated.position, "Старший менеджер");
    assert_eq!(
        pbx.get_user(&created.login).await.unwrap().position,
        "Старший менеджер"
    );

    let groups = pbx.user_groups(&admin).await.unwrap();
    assert_eq!(groups.len(), 2);
    let sales = GroupId::from("sales");
    assert!(pbx.subscription_state(&admin, Some(&sales)).await.unwrap());
    pbx.unsubscribe(&admin, Some(&sales)).await.unwrap();
    assert!(!pbx.subscription_state(&admin, Some(&sales)).await.unwrap());
    pbx.subscribe(&admin, None).await.unwrap();
    assert!(pbx.subscription_state(&admin, Some(&sales)).await.unwrap());

    assert!(!pbx.dnd_state(&admin).await.unwrap());
    pbx.enable_dnd(&admin).await.unwrap();
    assert!(pbx.dnd_state(&admin).await.unwrap());
    pbx.disable_dnd(&admin).await.unwrap();
    assert!(!pbx.dnd_state(&admin).await.unwrap());

    let g = pbx
        .create_group(&NewGroup::new("Отдел аренды"))
        .await
        .unwrap();
    assert_eq!(pbx.get_group(&g.id).await.unwrap().name, "Отдел аренды");
    let gu = GroupUpdate {
        call_duration: Some(20),
        ..GroupUpdate::default()
    };
    assert_eq!(
        pbx.update_group(&g.id, &gu).await.unwrap().call_duration,
        20
    );
    let change = GroupUsersChange {
        add: vec![created.login.clone(), admin.clone()],
        ..GroupUsersChange::default()
    };
    pbx.change_group_users(&g.id, &change).await.unwrap();
    assert_eq!(pbx.get_group(&g.id).await.unwrap().users.len(), 2);
    assert_eq!(
        pbx.list_groups(&ListQuery::new()).await.unwrap().info.total,
        3
    );
    pbx.delete_group(&g.id).await.unwrap();
    let err = pbx.get_group(&g.id).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));

    pbx.delete_user(&created.login).await.unwrap();
    let err = pbx.get_user(&created.login).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telnums_sims_and_blacklist_answer_and_change_state() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let main = Telnum::from("79007775555");
    assert_eq!(
        pbx.list_telnums(&ListQuery::new())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert!(pbx.get_telnum(&main).await.unwrap().is_main_phone);
    let route = RouteSettings {
        kind: RouteType::User,
        user: Some(Login::from("user1")),
        ..RouteSettings::default()
    };
    let t = pbx.set_telnum_route(&main, &route).await.unwrap();
    assert_eq!(t.user_name.as_deref(), Some("Пользователь"));
    pbx.disable_telnum(&main).await.unwrap();
    assert!(pbx.get_telnum(&main).await.unwrap().disabled);
    pbx.enable_telnum(&main).await.unwrap();
    assert!(!pbx.get_telnum(&main).await.unwrap().disabled);
    let bad = RouteSettings {
        kind: RouteType::Group,
        ..RouteSettings::default()
    };
    let err = pbx.set_telnum_route(&main, &bad).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));

    let sim = Telnum::from("79261238888");
    assert_eq!(
        pbx.list_sims(&ListQuery::new()).await.unwrap().items.len(),
        2
    );
    pbx.assign_sim_to_user(&sim, &Login::from("director"))
        .await
        .unwrap();
    assert_eq!(
        pbx.get_sim(&sim).await.unwrap().user,
        Some(Login::from("director"))
    );
    pbx.assign_sim_to_company(&sim).await.unwrap();
    assert!(pbx.get_sim(&sim).await.unwrap().company);
    pbx.disable_sim(&sim).await.unwrap();
    assert!(pbx.get_sim(&sim).await.unwrap().disabled);
    pbx.delete_sim(&sim).await.unwrap();
    assert_eq!(
        pbx.list_sims(&ListQuery::new()).await.unwrap().items.len(),
        1
    );

    let list = pbx.list_blacklist(&ListQuery::new(), true).await.unwrap();
    assert_eq!(list.items.len(), 4);
    pbx.add_to_blacklist(&BlacklistAdd::one("79990001122", Some("спам".into())))
        .await
        .unwrap();
    assert_eq!(
        pbx.list_blacklist(&ListQuery::new(), false)
            .await
            .unwrap()
            .items
            .len(),
        5
    );
    pbx.remove_from_blacklist(&["79990001122", "90080022"])
        .await
        .unwrap();
    assert_eq!(
        pbx.list_blacklist(&ListQuery::new(), false)
            .await
            .unwrap()
            .items
            .len(),
        3
    );
    let err = pbx
        .add_to_blacklist(&BlacklistAdd::one("+7abc", None))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));

    assert!(!pbx.block_anonymous_state().await.unwrap());
    pbx.enable_block_anonymous().await.unwrap();
    assert!(pbx.block_anonymous_state().await.unwrap());
    pbx.disable_block_anonymous().await.unwrap();
    assert!(!pbx.block_anonymous_state().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_in_both_forms_has_working_recording_links() {
    // The vendor document's fixed dates (20 Jan 2022); the default dates relative to the start
    // are tested in `history_seed`.
    let mut config = Config::ephemeral();
    config.pbx.history_seed = mock_server::HistorySeed::Document;
    let m = start_with(config).await;
    let pbx = pbx_client(&m);
    let start = chrono::DateTime::parse_from_rfc3339("2022-01-20T00:00:00Z")
        .unwrap()
        .to_utc();
    let end = chrono::DateTime::parse_from_rfc3339("2022-01-21T00:00:00Z")
        .unwrap()
        .to_utc();
    let seeded = pbx
        .history_json(&HistoryQuery::new().between(start, end))
        .await
        .unwrap();
    assert_eq!(seeded.len(), 2);
    let csv = pbx
        .history_csv(&HistoryQuery::new().between(start, end))
        .await
        .unwrap();
    assert_eq!(csv.len(), 2);
    let inner = pbx
        .inner_history_json(&InnerHistoryQuery::new().between(start, end))
        .await
        .unwrap();
    assert_eq!(inner.len(), 1);
    let inner_csv = pbx
        .inner_history_csv(&InnerHistoryQuery::new().between(start, end))
        .await
        .unwrap();
    assert_eq!(inner_csv.len(), 1);

    let record = seeded.iter().find_map(|h| h.record.as_deref()).unwrap();
    let bytes = pbx.download_record(record).await.unwrap();
    assert_eq!(
        rop_api::audio::detect_format(&bytes),
        Some(rop_api::audio::AudioFormat::Mp3)
    );
    let inner_bytes = pbx
        .download_record(inner[0].record.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        rop_api::audio::detect_format(&inner_bytes),
        Some(rop_api::audio::AudioFormat::Wav)
    );

    // A simulated call appears in today's history.
    let (_, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"format": "ogg"}),
    )
    .await;
    let today = pbx
        .history_json(&HistoryQuery::new().period(Period::Today))
        .await
        .unwrap();
    let h = today
        .iter()
        .find(|h| h.uid.as_str() == sim["callid"])
        .unwrap();
    let ogg = pbx
        .download_record(h.record.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        rop_api::audio::detect_format(&ogg),
        Some(rop_api::audio::AudioFormat::Ogg)
    );

    let callid = pbx
        .make_call(&MakeCall::new("79001234567", "user1"))
        .await
        .unwrap();
    let state = get_json(&format!("{}/__admin/state", m.pbx_url())).await;
    assert_eq!(state["pbx"]["placed_calls"][0]["callid"], callid.as_str());
    let err = pbx
        .make_call(&MakeCall::new("79001234567", "nobody"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_wrong_api_key_with_401_and_unknown_path_with_404() {
    let m = start().await;
    let bad = vats_api::v1::Client::builder()
        .base_url(format!("{}/crmapi/v1/", m.pbx_url()))
        .api_key("wrong")
        .build()
        .unwrap();
    let err = bad.list_users(&ListQuery::new()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let resp = reqwest::get(format!("{}/nowhere", m.pbx_url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_require_the_key_when_configured() {
    let mut config = Config::ephemeral();
    config.pbx.recordings_require_key = true;
    let m = start_with(config).await;
    let (_, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    let url = sim["record"].as_str().unwrap();
    assert_eq!(reqwest::get(url).await.unwrap().status(), 401);
    let bytes = pbx_client(&m).download_record(url).await.unwrap();
    assert!(bytes.starts_with(b"RIFF"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_login_make_call_and_accounts() {
    let m = start().await;
    let legacy = vats_api::legacy::Client::builder()
        .base_url(format!("{}/", m.pbx_url()))
        .build()
        .unwrap();
    let login: vats_api::legacy::LoginRequest = serde_json::from_value(json!({
        "crm_code": "mock", "login": "mock", "password": "mock",
        "crm_token": mock_server::DEFAULT_CRM_TOKEN, "url": format!("{}/hooks/vats/legacy", m.crm_url())
    }))
    .unwrap();
    let token = legacy.login(&login).await.unwrap();
    let authed = legacy.with_token(token);
    let accounts = authed.accounts().await.unwrap();
    assert_eq!(accounts.len(), 3);
    let call: vats_api::legacy::MakeCallRequest =
        serde_json::from_value(json!({"phone": "79001234567", "user": "admin"})).unwrap();
    authed.make_call(&call).await.unwrap();

    let bad: vats_api::legacy::LoginRequest = serde_json::from_value(json!({
        "crm_code": "mock", "login": "mock", "password": "wrong",
        "crm_token": "t", "url": "http://127.0.0.1:1/"
    }))
    .unwrap();
    let err = legacy.login(&bad).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let err = legacy
        .with_token(secrecy::SecretString::from("forged"))
        .accounts()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_honour_a_byte_range_and_reject_other_methods() {
    let m = start().await;
    let url = format!("{}/records/1755936870.mp3", m.pbx_url());
    let full = reqwest::get(&url).await.unwrap();
    assert_eq!(full.status(), 200);
    assert_eq!(full.headers()["content-type"], "audio/mpeg");
    let total = full.bytes().await.unwrap().len();
    let part = reqwest::Client::new()
        .get(&url)
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-99/{total}").as_str()
    );
    assert_eq!(part.bytes().await.unwrap().len(), 100);
    let resp = reqwest::Client::new().post(&url).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    let resp = reqwest::get(format!("{}/records/1755936870.wav", m.pbx_url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}
