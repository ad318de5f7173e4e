//! «Цифровой РОП» R1–R5 (the ROP vendor document, docs/protocol.md §1): answers, error codes, auth failures.

use crate::target::{Target, answer, skip};
use serde_json::{Value, json};
use std::time::Duration;

const QUEUED: &str = "Звонок успешно получен и поставлен в очередь на анализ";
const BAD_KEY: &str = "apiKey не валиден";
const DUPLICATE: &str = "Звонок с данным call_id уже обработан";
const NOT_AUDIO: &str = "Файл не является аудио";

/// Asserts the vendor document's error envelope `{"data":false,"error":true,"message":…}`.
fn assert_error_envelope(body: &Value, message: Option<&str>) {
    assert_eq!(body["data"], json!(false), "{body}");
    assert_eq!(body["error"], json!(true), "{body}");
    let text = body["message"].as_str().unwrap_or_default();
    assert!(!text.is_empty(), "{body}");
    if let Some(m) = message {
        assert!(text.contains(m), "expected {m:?} in {body}");
    }
}

#[tokio::test]
async fn rejects_wrong_or_missing_api_key_with_401_on_every_endpoint() {
    let t = Target::from_env().await;
    let api = t.rop_api();
    let body = json!({"offices": []});
    for key in ["?apiKey=wrong-key", ""] {
        let reqs = [
            t.http
                .post(format!("{api}/calls/audio-upload{key}"))
                .json(&json!({})),
            t.http.post(format!("{api}/calls{key}")).json(&json!({})),
            t.http
                .post(format!("{api}/settings/offices-update{key}"))
                .json(&body),
            t.http
                .post(format!("{api}/settings/managers-update{key}"))
                .json(&json!({"managers": []})),
            t.http.get(format!(
                "{api}/tables/call-ready{}tab=T&call=c",
                if key.is_empty() {
                    "?"
                } else {
                    "?apiKey=wrong-key&"
                }
            )),
        ];
        for req in reqs {
            let (status, body) = answer(req.send().await.unwrap()).await;
            assert_eq!(status, 401, "{body}");
            assert_error_envelope(&body, Some(BAD_KEY));
        }
    }
}

#[tokio::test]
async fn upload_without_required_field_is_400_naming_it() {
    let t = Target::from_env().await;
    let url = t.rop_url("calls/audio-upload", "");
    for (missing, mut body) in [
        (
            "call_id",
            json!({"manager_id": "m", "audio_url": "https://a.example/x.mp3"}),
        ),
        (
            "manager_id",
            json!({"call_id": "c", "audio_url": "https://a.example/x.mp3"}),
        ),
        ("audio_url", json!({"call_id": "c", "manager_id": "m"})),
    ] {
        body["deal_id"] = json!("d");
        let (status, answer) = answer(t.http.post(&url).json(&body).send().await.unwrap()).await;
        assert_eq!(status, 400, "{answer}");
        assert_error_envelope(&answer, Some(missing));
    }
    // Not an http(s) URL, and a duration over 45 minutes.
    let bad = json!({"call_id": "c", "manager_id": "m", "audio_url": "ftp://a.example/x.mp3"});
    let (status, body) = answer(t.http.post(&url).json(&bad).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_error_envelope(&body, Some("audio_url"));
    let long = json!({"call_id": "c", "manager_id": "m", "audio_url": "https://a.example/x.mp3", "duration": 2701});
    let (status, body) = answer(t.http.post(&url).json(&long).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_error_envelope(&body, Some("duration"));
}

#[tokio::test]
async fn upload_of_something_that_is_not_audio_is_400_not_audio() {
    let t = Target::from_env().await;
    if !t.may_write(&t.rop) {
        return skip("R1 on an external ROP needs CONTRACT_WRITE=1");
    }
    let call = Target::fresh_id("contract_not_audio");
    let body = json!({"call_id": call, "manager_id": "m1", "audio_url": t.not_audio_url});
    let (status, body) = answer(
        t.http
            .post(t.rop_url("calls/audio-upload", ""))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_error_envelope(&body, Some(NOT_AUDIO));
}

#[tokio::test]
async fn upload_in_all_three_body_forms_is_queued_then_409_and_table_becomes_ready() {
    let t = Target::from_env().await;
    let Some(audio) = t.audio_url.clone() else {
        return skip("set CONTRACT_AUDIO_URL to a recording the ROP can fetch");
    };
    if !t.may_write(&t.rop) {
        return skip("R1 on an external ROP needs CONTRACT_WRITE=1");
    }
    let url = t.rop_url("calls/audio-upload", "");
    let ids: Vec<String> = (0..4)
        .map(|i| Target::fresh_id(&format!("contract_{i}")))
        .collect();
    let fields = |id: &str| {
        vec![
            ("manager_id", "mgr_001".to_owned()),
            ("call_id", id.to_owned()),
            ("deal_id", "deal_5678".to_owned()),
            ("deal_stage_id", "stage_qualification".to_owned()),
            ("audio_url", audio.clone()),
            ("duration", "20".to_owned()),
        ]
    };
    let multipart = fields(&ids[1])
        .into_iter()
        .fold(reqwest::multipart::Form::new(), |f, (k, v)| f.text(k, v));
    let requests = [
        t.http.post(&url).json(&fields(&ids[0]).into_iter().collect::<std::collections::BTreeMap<_, _>>()),
        t.http.post(&url).multipart(multipart),
        t.http.post(&url).form(&fields(&ids[2])),
        // R2, "the alternative JSON format", with `duration` as a number.
        t.http.post(t.rop_url("calls", "")).json(&json!({
            "call_id": ids[3], "audio_url": audio, "duration": 20, "manager_id": "mgr_001", "deal_id": "deal_5678",
        })),
    ];
    for (req, id) in requests.into_iter().zip(&ids) {
        let (status, body) = answer(req.send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!({"data": id, "error": false, "message": QUEUED}));
    }
    // The same call id again: 409 with the vendor document's message.
    let again = json!({"call_id": ids[0], "manager_id": "mgr_001", "audio_url": audio});
    let (status, body) = answer(t.http.post(&url).json(&again).send().await.unwrap()).await;
    assert_eq!(status, 409, "{body}");
    assert_error_envelope(&body, Some(DUPLICATE));

    // R5: `ready:false` while analysing, then `ready:true` with the data.
    let ready = t.rop_url(
        "tables/call-ready",
        &format!("tab={}&call={}", t.table_id, ids[0]),
    );
    let mut last = Value::Null;
    for _ in 0..300 {
        let (status, body) = answer(t.http.get(&ready).send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["ready"].is_boolean(), "{body}");
        last = body;
        if last["ready"] == json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(last["ready"], json!(true), "{last}");
    assert!(
        last["data"]
            .as_object()
            .is_some_and(|d| d.values().all(Value::is_string)),
        "{last}"
    );
}

#[tokio::test]
async fn call_ready_for_unknown_call_or_table_is_404() {
    let t = Target::from_env().await;
    let unknown_call = t.rop_url(
        "tables/call-ready",
        &format!("tab={}&call=no-such-call-{}", t.table_id, fastrand::u32(..)),
    );
    let (status, body) = answer(t.http.get(unknown_call).send().await.unwrap()).await;
    assert_eq!(status, 404, "{body}");
    let unknown_table = t.rop_url("tables/call-ready", "tab=NO_SUCH_TABLE&call=c");
    let (status, body) = answer(t.http.get(unknown_table).send().await.unwrap()).await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn settings_accept_the_seed_examples_and_count_what_they_stored() {
    let t = Target::from_env().await;
    if !t.may_write(&t.rop) {
        return skip("R3/R4 on an external ROP need CONTRACT_WRITE=1");
    }
    let offices = json!({"offices": [
        {"office_title": "Офис продаж Центр", "office_id": "office_001",
         "leader_ids": ["leader_123", "leader_456"], "managers_ids": ["manager_789", "manager_012", "manager_345"]},
        {"office_title": "Офис продаж Север", "office_id": "office_002",
         "leader_ids": ["leader_789"], "managers_ids": ["manager_111", "manager_222"]}
    ]});
    let (status, body) = answer(
        t.http
            .post(t.rop_url("settings/offices-update", ""))
            .json(&offices)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["data"].clone(), body["error"].clone()),
        (json!(2), json!(false)),
        "{body}"
    );
    let managers = json!({"managers": [
        {"manager_id": "manager_789", "name": "Иван", "surname": "Иванов", "middlename": "Иванович"},
        {"manager_id": "manager_012", "name": "Мария", "surname": "Петрова", "middlename": "Сергеевна"}
    ]});
    let (status, body) = answer(
        t.http
            .post(t.rop_url("settings/managers-update", ""))
            .json(&managers)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["data"].clone(), body["error"].clone()),
        (json!(2), json!(false)),
        "{body}"
    );
    // A broken body: 400 naming the field.
    let (status, body) = answer(
        t.http
            .post(t.rop_url("settings/offices-update", ""))
            .json(&json!({"offices": "not a list"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_error_envelope(&body, Some("offices"));
}

#[tokio::test]
async fn over_the_rate_limit_is_429_with_retry_after() {
    // The ROP vendor document: at most 60 requests a minute. The mock enforces it when configured (3 here, so
    // the check is quick); an external ROP is checked with CONTRACT_ROP_RATE_LIMIT=<its limit>.
    let limit: u32 = std::env::var("CONTRACT_ROP_RATE_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut config = mock_server::Config::ephemeral();
    config.rop.rate_limit_per_minute = limit;
    let t = Target::with_mock_config(config).await;
    if !t.rop.mock && std::env::var("CONTRACT_ROP_RATE_LIMIT").is_err() {
        return skip("set CONTRACT_ROP_RATE_LIMIT to check an external ROP's rate limit");
    }
    let url = t.rop_url("calls/audio-upload", "");
    let mut last = None;
    for i in 0..=limit {
        let body = json!({"call_id": Target::fresh_id(&format!("rl{i}")), "manager_id": "m", "audio_url": "http://127.0.0.1:1/x.mp3"});
        let resp = t.http.post(&url).json(&body).send().await.unwrap();
        last = Some(resp);
    }
    let resp = last.unwrap();
    assert_eq!(resp.status(), 429);
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|s| (1..=60).contains(&s)),
        "{retry_after:?}"
    );
    let (_, body) = answer(resp).await;
    assert_error_envelope(&body, None);
}
