//! `GET`/`PUT`/`POST /__admin/config`: the PBX push target and the ROP webhook targets change
//! at runtime, are validated, shown in the state, and restored by reset.

use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{get_json, http, post_json, rop_client, start};

async fn put_json(url: &str, body: &Value) -> (u16, Value) {
    let resp = http().put(url).json(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A receiver answering 200 on `POST route` and failing loudly (418) on anything else.
async fn receiver(route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"result": "ok"})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418).set_body_string("unexpected route"))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// Waits (at most ~10 s) until `server` received a request; panics on an unexpected route.
async fn first_request(server: &MockServer, route: &str) -> wiremock::Request {
    for _ in 0..500 {
        let got = server.received_requests().await.unwrap_or_default();
        if let Some(bad) = got.iter().find(|r| r.url.path() != route) {
            panic!("unexpected request to {}", bad.url);
        }
        if let Some(first) = got.into_iter().next() {
            return first;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("nothing reached {route}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pbx_push_target_changes_at_runtime_and_reset_restores_it() {
    let m = start().await;
    let config = format!("{}/__admin/config", m.pbx_url());
    let default = get_json(&config).await;
    assert_eq!(default["push_format"], "v1");
    assert!(
        default["crm_url"]
            .as_str()
            .unwrap()
            .starts_with(&m.crm_url()),
        "{default}"
    );

    let target = receiver("/crm/push").await;
    let url = format!("{}/crm/push", target.uri());
    let (status, shown) = put_json(&config, &json!({"crm_url": url, "push_format": "V1"})).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["crm_url"], url.as_str());
    let state = get_json(&format!("{}/__admin/state", m.pbx_url())).await;
    assert_eq!(state["push_url"], url.as_str());
    assert_eq!(state["config"]["crm_url"], url.as_str());

    let (status, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 202, "{sim}");
    let pushed = first_request(&target, "/crm/push").await;
    assert_eq!(pushed.method.as_str(), "POST");

    // POST works too; reset restores the configured target.
    let (status, shown) = post_json(&config, &json!({"push_format": "legacy"})).await;
    assert_eq!((status, &shown["push_format"]), (200, &json!("legacy")));
    assert_eq!(shown["crm_url"], url.as_str());
    let (status, _) = post_json(&format!("{}/__admin/reset", m.pbx_url()), &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(get_json(&config).await, default);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pbx_config_rejects_bad_input_with_400_naming_the_field_and_changes_nothing() {
    let m = start().await;
    let config = format!("{}/__admin/config", m.pbx_url());
    let before = get_json(&config).await;
    for (body, field) in [
        (json!({"crm_url": "/relative/path"}), "crm_url"),
        (json!({"crm_url": "ftp://host/x"}), "crm_url"),
        (json!({"crm_url": 42}), "crm_url"),
        (
            json!({"crm_url": "http://ok.example/", "push_format": "v9"}),
            "push_format",
        ),
        (json!({"nope": 1}), "nope"),
    ] {
        let (status, err) = put_json(&config, &body).await;
        assert_eq!(status, 400, "{body}: {err}");
        let msg = err["error"].as_str().unwrap();
        assert!(msg.contains(field), "{body}: {msg}");
    }
    let resp = http().delete(&config).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(get_json(&config).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rop_webhook_targets_change_at_runtime_and_reset_restores_them() {
    let m = start().await;
    let config = format!("{}/__admin/config", m.rop_url());
    let default = get_json(&config).await;
    assert_eq!(default["checklist_webhook_url"], Value::Null);
    assert_eq!(default["table_webhook_url"], Value::Null);

    let (status, err) = put_json(&config, &json!({"table_webhook_url": "not a url"})).await;
    assert_eq!(status, 400);
    assert!(
        err["error"]
            .as_str()
            .unwrap()
            .starts_with("table_webhook_url:")
    );

    let target = receiver("/w1").await;
    let w1 = format!("{}/w1", target.uri());
    let (status, shown) = put_json(&config, &json!({"checklist_webhook_url": w1})).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["checklist_webhook_url"], w1.as_str());
    assert_eq!(shown["table_webhook_url"], Value::Null);
    let state = get_json(&format!("{}/__admin/state", m.rop_url())).await;
    assert_eq!(state["config"]["checklist_webhook_url"], w1.as_str());

    // Tables still go to the CRM sink, checklists to the new target.
    let (_, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    let record = sim["record"].as_str().unwrap();
    rop_client(&m)
        .upload_call(&rop_api::CallUpload::new(
            "cfg-1",
            "72",
            record.parse().unwrap(),
        ))
        .await
        .unwrap();
    let delivered = first_request(&target, "/w1").await;
    let body: Value = serde_json::from_slice(&delivered.body).unwrap();
    assert_eq!(body["call_id"], "cfg-1", "{body}");

    let (status, _) = post_json(&format!("{}/__admin/reset", m.rop_url()), &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(get_json(&config).await, default);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_url_restores_the_configured_target() {
    let m = start().await;
    let config = format!("{}/__admin/config", m.pbx_url());
    let default = get_json(&config).await;
    let (status, _) = put_json(&config, &json!({"crm_url": "http://127.0.0.1:9/x"})).await;
    assert_eq!(status, 200);
    let (status, shown) = put_json(&config, &json!({"crm_url": ""})).await;
    assert_eq!((status, &shown), (200, &default));

    let config = format!("{}/__admin/config", m.rop_url());
    let (status, _) = put_json(
        &config,
        &json!({"checklist_webhook_url": "http://127.0.0.1:9/w1", "table_webhook_url": "http://127.0.0.1:9/w2"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, shown) = put_json(
        &config,
        &json!({"checklist_webhook_url": "", "table_webhook_url": ""}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(shown["checklist_webhook_url"], Value::Null);
    assert_eq!(shown["table_webhook_url"], Value::Null);
}
