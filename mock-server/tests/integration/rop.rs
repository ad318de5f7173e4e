//! The mock ROP through `rop_api::Client`: R1–R5, validation, the pipeline and its failures.

use mock_server::Config;
use rop_api::{CallReady, CallUpload, Manager, Office, TableId};
use serde_json::json;

use crate::support::{get_json, post_json, rop_client, start, start_with, wait_for};

const TABLE: &str = "TBL_REALTY_CALL";

async fn recording_url(m: &mock_server::MockServers) -> String {
    let (status, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 202, "{sim}");
    sim["record"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_every_operation_and_keeps_state() {
    let m = start().await;
    let rop = rop_client(&m);
    let url = recording_url(&m).await;

    let accepted = rop
        .upload_call(&CallUpload::new("r1", "72", url.parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(accepted.call_id.as_str(), "r1");
    let accepted = rop
        .submit_call(&CallUpload::new("r2", "73", url.parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(accepted.call_id.as_str(), "r2");

    let offices: Vec<Office> = serde_json::from_value(json!([
        {"office_title": "Центральный", "office_id": "1", "leader_ids": ["72"], "managers_ids": ["73", "74"]}
    ]))
    .unwrap();
    assert_eq!(rop.update_offices(&offices).await.unwrap(), 1);
    let managers: Vec<Manager> = serde_json::from_value(json!([
        {"manager_id": "72", "name": "Марина", "surname": "Иванова"},
        {"manager_id": "73", "name": "Алексей", "surname": "Петров"}
    ]))
    .unwrap();
    assert_eq!(rop.update_managers(&managers).await.unwrap(), 2);

    let state = get_json(&format!("{}/__admin/state", m.rop_url())).await;
    assert_eq!(state["rop"]["offices"]["1"]["office_title"], "Центральный");
    assert_eq!(state["rop"]["managers"]["73"]["surname"], "Петров");

    wait_for(&format!("{}/__admin/calls/r2", m.rop_url()), |c| {
        c["stage"] == "ready"
    })
    .await;
    match rop
        .call_ready(&TableId::from(TABLE), &"r2".into())
        .await
        .unwrap()
    {
        CallReady::Ready(data) => assert_eq!(
            data.get("object_type").map(String::as_str),
            Some("квартира")
        ),
        other => panic!("not ready: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_wrong_api_key_with_401() {
    let m = start().await;
    let bad = rop_api::Client::builder()
        .base_url(m.rop_url())
        .api_key("not-the-key")
        .build()
        .unwrap();
    let err = bad.update_managers(&[]).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_duplicate_call_id_with_409() {
    let m = start().await;
    let rop = rop_client(&m);
    let url = recording_url(&m).await;
    rop.upload_call(&CallUpload::new("dup", "72", url.parse().unwrap()))
        .await
        .unwrap();
    let err = rop
        .upload_call(&CallUpload::new("dup", "72", url.parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{err}");
}

#[tokio::test]
async fn rejects_non_audio_at_upload_time_even_on_a_current_thread_runtime() {
    let m = start().await;
    let rop = rop_client(&m);
    // The CRM's Universe endpoint answers JSON, not audio.
    let url = format!("{}/analytics?action=import_scheme", m.crm_url());
    let err = rop
        .upload_call(&CallUpload::new("html", "72", url.parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audio_url_pointing_back_at_the_rop_is_a_400_not_a_deadlock() {
    let m = start().await;
    let rop = rop_client(&m);
    let url = format!("{}/api/v1/tables/call-ready", m.rop_url());
    let err = rop
        .upload_call(&CallUpload::new("self", "72", url.parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(
        err.body().unwrap_or_default().contains("не является аудио"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_audio_url_is_a_400_naming_the_field() {
    let m = start().await;
    let rop = rop_client(&m);
    let url = format!("{}/records/nope.wav", m.pbx_url());
    let err = rop
        .upload_call(&CallUpload::new("gone", "72", url.parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(
        err.body().unwrap_or_default().contains("audio_url"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_body_and_missing_field_are_400() {
    let m = start().await;
    let url = format!(
        "{}/api/v1/calls?apiKey={}",
        m.rop_url(),
        mock_server::DEFAULT_ROP_KEY
    );
    let resp = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let (status, body) = post_json(
        &url,
        &json!({"call_id": "x", "audio_url": "http://a/b.wav"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("manager_id"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r5_answers_404_for_unknown_table_or_call() {
    let m = start().await;
    let rop = rop_client(&m);
    let err = rop
        .call_ready(&TableId::from("NOPE"), &"x".into())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let err = rop
        .call_ready(&TableId::from(TABLE), &"unknown".into())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_failing_after_200_shows_its_reason_in_the_admin_api() {
    let mut config = Config::ephemeral();
    config.rop.max_duration_secs = 5;
    let m = start_with(config).await;
    let rop = rop_client(&m);
    let url = recording_url(&m).await; // 20 s by default
    rop.upload_call(&CallUpload::new("long", "72", url.parse().unwrap()))
        .await
        .unwrap();
    let call = wait_for(&format!("{}/__admin/calls/long", m.rop_url()), |c| {
        c["stage"] == "failed"
    })
    .await;
    assert!(
        call["reason"].as_str().unwrap().contains("Длительность"),
        "{call}"
    );
    let ready = rop
        .call_ready(&TableId::from(TABLE), &"long".into())
        .await
        .unwrap();
    assert_eq!(ready, CallReady::NotReady);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_transcript_is_used_for_its_call() {
    let m = start().await;
    let rop = rop_client(&m);
    let url = recording_url(&m).await;
    let (status, body) = post_json(
        &format!("{}/__admin/transcripts", m.rop_url()),
        &json!({"call_id": "own", "transcript": "Менеджер: Добрый день, компания Сэттл, меня зовут Анна.\nКлиент: До свидания."}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    rop.upload_call(&CallUpload::new("own", "72", url.parse().unwrap()))
        .await
        .unwrap();
    let call = wait_for(&format!("{}/__admin/calls/own", m.rop_url()), |c| {
        c["stage"] == "ready"
    })
    .await;
    assert_eq!(call["transcript_source"], "registered for call_id");
    let w1 = &call["checklists"][0];
    // Only the greeting passes: 1 of 8.
    assert_eq!(
        (w1["total_score"].as_i64(), w1["max_score"].as_i64()),
        (Some(1), Some(8)),
        "{w1}"
    );

    let (status, _) = post_json(
        &format!("{}/__admin/transcripts", m.rop_url()),
        &json!({"transcript": "x"}),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_body_is_413_and_wrong_method_is_405() {
    let m = start().await;
    let url = format!(
        "{}/api/v1/calls?apiKey={}",
        m.rop_url(),
        mock_server::DEFAULT_ROP_KEY
    );
    let resp = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let resp = reqwest::Client::new().delete(&url).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    // The service is still up and answers.
    rop_client(&m).update_managers(&[]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_and_keyless_r5_follow_the_configuration() {
    let mut config = Config::ephemeral();
    config.rop.rate_limit_per_minute = 2;
    config.rop.ready_without_key = true;
    let m = start_with(config).await;
    let url = format!(
        "{}/api/v1/calls?apiKey={}",
        m.rop_url(),
        mock_server::DEFAULT_ROP_KEY
    );
    let body =
        json!({"call_id": "rl", "manager_id": "72", "audio_url": "http://127.0.0.1:1/a.wav"});
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(post_json(&url, &body).await.0);
    }
    // Two 400s (the URL cannot be fetched), then the limit.
    assert_eq!(statuses, [400, 400, 429]);

    let keyless = format!(
        "{}/api/v1/tables/call-ready?tab={TABLE}&call=none",
        m.rop_url()
    );
    assert_eq!(reqwest::get(&keyless).await.unwrap().status(), 404);
    let strict = start().await;
    let keyless = format!(
        "{}/api/v1/tables/call-ready?tab={TABLE}&call=none",
        strict.rop_url()
    );
    assert_eq!(reqwest::get(&keyless).await.unwrap().status(), 401);
}
