//! What a CRM receives: ROP's W1/W2 (the ROP vendor document, and the older ROP vendor document's short form) and the PBX's pushes
//! (the PBX v1 vendor document JSON, the legacy PBX vendor document forms), with their auth and error answers.

use crate::target::{Target, answer};
use serde_json::json;

const W1: &str = "/hooks/rop/checklist";
const W2: &str = "/hooks/rop/table";
const PBX_V1: &str = "/hooks/vats/v1";
const PBX_LEGACY: &str = "/hooks/vats/legacy";

#[tokio::test]
async fn checklist_and_table_results_of_both_seeds_are_accepted() {
    let t = Target::from_env().await;
    let call = Target::fresh_id("contract_w");
    // The ROP vendor document's W1 and W2 examples.
    let w1 = json!({
        "call_id": call, "manager_id": "12345", "checklist_name": "Чек-лист (тест 001)",
        "total_score": 18, "max_score": 20, "completion_percentage": 90,
        "stages": [
            {"stage_id": "URC_S_1755863272", "stage_name": "МРК выяснил все критерии поиска клиента",
             "score": 1, "percentage": 85, "status": "completed",
             "comment": "Менеджер уточнил количество комнат, район и сроки сдачи",
             "quote": "Какое количество комнат вас интересует и в каком районе?"},
            {"stage_id": "URC_S_1755863663", "stage_name": "МРК выяснил финансовую ситуацию клиента",
             "score": -1, "percentage": 15, "status": "failed",
             "comment": "Менеджер не выяснил размер бюджета и возможности по ипотеке", "quote": ""}
        ],
        "timestamp": "2025-09-17T14:30:00Z"
    });
    let w2 = json!({
        "call_id": call, "table_id": "table_conversion", "table_name": "Анализ конверсии",
        "extracted_data": {"client_name": "Иван Петров", "budget_range": "5-7 млн руб", "object_type": "квартира"},
        "processing_time": "00:02:35", "timestamp": "2025-09-17T14:32:35Z"
    });
    // The older ROP vendor document's shorter forms, Unix timestamps as strings.
    let short_w1 = json!({"call_id": format!("{call}_s"), "manager_id": 12345, "total_score": "1", "max_score": "2",
        "stages": [{"stage_name": "Приветствие", "score": 1, "comment": "", "quote": ""}], "timestamp": "1758119400"});
    let short_w2 = json!({"call_id": format!("{call}_s"), "table_id": "t1", "extracted_data": {"budget": "5"}});
    for (path, body) in [
        (W1, &w1),
        (W2, &w2),
        (W1, &short_w1),
        (W2, &short_w2),
        (W1, &w1),
    ] {
        let (status, answer) = answer(
            t.http
                .post(format!("{}{path}", t.hooks.url))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{path}: {answer}");
    }
    // A broken W1: 400 naming the field; a GET: 405.
    let bad = json!({"call_id": call, "manager_id": "1", "stages": [{"stage_name": "x", "score": "high"}]});
    let (status, body) = answer(
        t.http
            .post(format!("{}{W1}", t.hooks.url))
            .json(&bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("score"), "{body}");
    let (status, _) = answer(
        t.http
            .get(format!("{}{W1}", t.hooks.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn pbx_pushes_need_the_crm_token_and_valid_fields() {
    let t = Target::from_env().await;
    let url = format!("{}{PBX_V1}", t.hooks.url);
    // The PBX v1 vendor document's own `history` example (status `SUCCESS`, no `diversion`), with our token.
    let mut history = json!({
        "cmd": "history", "type": "out", "status": "SUCCESS", "phone": "79101234567", "user": "admin",
        "start": "20170703T121110Z", "duration": 124, "link": "https://link/file.mp3",
        "crm_token": t.crm_token, "callid": Target::fresh_id("B10D0EB124F4E64AF4EA"),
    });
    let (status, body) = answer(t.http.post(&url).json(&history).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    // The same as form fields, and as one `payload=<json>` field.
    let form: Vec<(String, String)> = history
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
    let (status, body) = answer(t.http.post(&url).form(&form).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = answer(
        t.http
            .post(&url)
            .form(&[("payload", history.to_string())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // `contact` for an unknown number is `{}`, never `[]`.
    let contact =
        json!({"cmd": "contact", "phone": "70000000001", "callid": "c1", "crm_token": t.crm_token});
    let (status, body) = answer(t.http.post(&url).json(&contact).send().await.unwrap()).await;
    assert_eq!((status, body.is_object()), (200, true), "{body}");
    // A bad field: 400 `Invalid parameters` naming it; a wrong token: 401 `Invalid token`.
    history["start"] = json!("yesterday");
    let (status, body) = answer(t.http.post(&url).json(&history).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Invalid parameters")),
        "{body}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("start"),
        "{body}"
    );
    history["crm_token"] = json!("wrong-token");
    let (status, body) = answer(t.http.post(&url).json(&history).send().await.unwrap()).await;
    assert_eq!((status, body), (401, json!({"error": "Invalid token"})));
}

#[tokio::test]
async fn legacy_pushes_are_forms_with_the_crm_token() {
    let t = Target::from_env().await;
    let url = format!("{}{PBX_LEGACY}", t.hooks.url);
    let token = t.crm_token.as_str();
    // The legacy PBX vendor document's `user` command (the table says `users`: both are accepted).
    for cmd in ["user", "users"] {
        let (status, body) = answer(
            t.http
                .post(&url)
                .form(&[("cmd", cmd), ("crm_token", token)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["users"].is_array(), "{body}");
    }
    let callid = Target::fresh_id("legacy");
    let history = [
        ("cmd", "history"),
        ("type", "in"),
        ("user", "admin"),
        ("phone", "79101234567"),
        ("duration", "37"),
        ("callid", callid.as_str()),
        ("crm_token", token),
        (
            "link",
            "https://records.example/a/file.mp3|https://records.example/b/file.mp3",
        ),
    ];
    let (status, body) = answer(t.http.post(&url).form(&history).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = answer(
        t.http
            .post(&url)
            .form(&[("cmd", "nonsense"), ("crm_token", token)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Invalid parameters")),
        "{body}"
    );
    let (status, body) = answer(
        t.http
            .post(&url)
            .form(&[("cmd", "user"), ("crm_token", "wrong")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (401, json!({"error": "Invalid token"})));
}
