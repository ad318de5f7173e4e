//! The admin API: health, journal, faults, seed, reset; the journal stays bounded and mock
//! rotation never answers wrongly.

use mock_server::Config;
use serde_json::json;

use crate::support::{get_json, http, pbx_client, post_json, start, start_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_journal_with_filters_oldest_first() {
    let m = start().await;
    let banner = m.banner();
    assert!(
        banner.contains(&m.rop_url()) && banner.contains("apiKey=mock-rop-key"),
        "{banner}"
    );
    let shown = format!("{m:?} {:?}", m.config());
    for secret in [
        mock_server::DEFAULT_ROP_KEY,
        mock_server::DEFAULT_VATS_KEY,
        mock_server::DEFAULT_CRM_TOKEN,
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    for url in [m.rop_url(), m.pbx_url(), m.crm_url()] {
        let h = get_json(&format!("{url}/__admin/health")).await;
        assert_eq!(h["status"], "ok");
    }
    let pbx = pbx_client(&m);
    pbx.get_user(&"admin".into()).await.unwrap();
    pbx.get_user(&"nobody".into()).await.unwrap_err();
    let all = get_json(&format!("{}/__admin/requests", m.pbx_url())).await;
    assert_eq!(all["order"], "oldest first");
    assert_eq!(all["items"][0]["path"], "/crmapi/v1/users/admin");
    assert_eq!(all["items"][1]["path"], "/crmapi/v1/users/nobody");
    let only_404 = get_json(&format!("{}/__admin/requests?status=404", m.pbx_url())).await;
    assert_eq!(only_404["count"], 1);
    let by_path = get_json(&format!(
        "{}/__admin/requests?path=admin&method=get",
        m.pbx_url()
    ))
    .await;
    assert_eq!(by_path["count"], 1);

    // Secrets in query strings never reach the journal.
    let rop = crate::support::rop_client(&m);
    rop.update_managers(&[]).await.unwrap();
    let j = get_json(&format!("{}/__admin/requests", m.rop_url())).await;
    let q = j["items"][0]["query"].as_str().unwrap();
    assert!(!q.contains(mock_server::DEFAULT_ROP_KEY), "{q}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_apply_and_clear() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let faults = format!("{}/__admin/faults", m.pbx_url());

    let (status, rule) = post_json(
        &faults,
        &json!({"path": "/crmapi/v1/users/*", "status": 503, "times": 2}),
    )
    .await;
    assert_eq!(status, 201, "{rule}");
    for _ in 0..2 {
        let err = pbx.get_user(&"admin".into()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    }
    pbx.get_user(&"admin".into()).await.unwrap();

    let (_, rule) = post_json(
        &faults,
        &json!({"path": "/crmapi/v1/groups", "reset": true}),
    )
    .await;
    let err = http()
        .get(format!("{}/crmapi/v1/groups", m.pbx_url()))
        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.is_request() || err.is_connect() || err.to_string().contains("connection"),
        "{err}"
    );
    let listed = get_json(&faults).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let resp = http()
        .delete(format!("{faults}/{}", rule["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    pbx.list_groups(&vats_api::v1::ListQuery::new())
        .await
        .unwrap();

    let (_, _) = post_json(&faults, &json!({"delay_ms": 30, "delay_max_ms": 40})).await;
    pbx.get_user(&"admin".into()).await.unwrap();
    let j = get_json(&format!("{}/__admin/requests?limit=1", m.pbx_url())).await;
    assert!(
        j["items"][0]["fault"]
            .as_str()
            .unwrap()
            .starts_with("delay"),
        "{j}"
    );
    let resp = http().delete(&faults).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        get_json(&faults).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let (status, body) = post_json(&faults, &json!({"status": 42})).await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().starts_with("status"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_merges_and_reset_restores() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let (status, body) = post_json(
        &format!("{}/__admin/seed", m.pbx_url()),
        &json!({"users": [{"login": "anna", "name": "Анна", "position": "Менеджер", "ext": "710", "role": "user", "mobile_redirect": {"enabled": false}}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(pbx.get_user(&"anna".into()).await.unwrap().ext, "710");
    let (status, body) = post_json(
        &format!("{}/__admin/seed", m.pbx_url()),
        &json!({"users": [{"name": 1}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("users"), "{body}");

    let resp = http()
        .post(format!("{}/__admin/reset", m.pbx_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        pbx.get_user(&"anna".into())
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(404)
    );

    let (status, _) = post_json(
        &format!("{}/__admin/seed", m.crm_url()),
        &json!({"managers": [{"id": "75", "name": "Новиков Олег"}]}),
    )
    .await;
    assert_eq!(status, 200);
    let scheme = crate::support::crm_client(&m)
        .import_scheme()
        .await
        .unwrap();
    assert_eq!(scheme.managers.len(), 4);
    let resp = http()
        .get(format!("{}/__admin/nope", m.crm_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_stays_bounded_and_rotation_never_answers_wrongly() {
    let mut config = Config::ephemeral();
    config.journal_capacity = 16;
    config.rotate_every = 7;
    let m = start_with(config).await;
    let pbx = pbx_client(&m);
    for _ in 0..120 {
        let u = pbx.get_user(&"admin".into()).await.unwrap();
        assert_eq!(u.ext, "701");
    }
    let (_, pbx_journal, _) = m.journal_sizes();
    assert_eq!(pbx_journal, 16);
    let h = get_json(&format!("{}/__admin/health", m.pbx_url())).await;
    assert_eq!(h["journal"]["kept"], 16);
    // The public port is the front's: wiremock never sees (nor copies) these requests, so
    // nothing needs rotating. (The rotation itself is tested on wiremock's private port, in
    // the crate's unit tests.)
    assert_eq!(h["rotations"], 0, "{h}");
    assert_eq!(m.request_counts().1, 120);
}
