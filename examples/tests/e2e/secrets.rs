//! No key, token or password in anything the services log or in any error string.

use crate::harness::{Stack, items};
use crate::logs;
use serde_json::json;

/// A free loopback port nobody listens on.
async fn closed_port() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

/// Every error the clients produce with this stack's (right or wrong) credentials.
async fn error_strings(s: &Stack) -> Vec<String> {
    let wrong = "wrongSECRETzq9";
    logs::remember(&[wrong]);
    let mut out = Vec::new();
    let mut push = |e: &dyn std::fmt::Debug, d: String| {
        out.push(format!("{e:?}"));
        out.push(d);
    };
    let none = rop_api::RetryPolicy::none();
    let call =
        rop_api::CallUpload::new("leak-1", "72", "http://127.0.0.1:1/a.wav".parse().unwrap());

    // ROP: wrong key (401), unreachable (transport error with the key in the URL), bad audio.
    for (url, key) in [
        (s.mocks.rop_url(), wrong.to_owned()),
        (closed_port().await, s.secrets.rop_key.clone()),
    ] {
        let c = rop_api::Client::builder()
            .base_url(url)
            .api_key(key)
            .retry_policy(none.clone())
            .build()
            .unwrap();
        push(&c, format!("{c:?}"));
        let e = c.upload_call(&call).await.unwrap_err();
        push(&e, e.to_string());
        let e = c.call_ready(&"T".into(), &"c".into()).await.unwrap_err();
        push(&e, e.to_string());
    }
    let e = s.rop().upload_call(&call).await.unwrap_err();
    push(&e, e.to_string());

    // Universe: wrong password, unreachable.
    for (url, pw) in [
        (s.mocks.crm_url(), wrong.to_owned()),
        (closed_port().await, s.secrets.password.clone()),
    ] {
        let c = universe_api::Client::builder()
            .base_url(url)
            .credentials("mock", pw)
            .retry_policy(none.clone())
            .build()
            .unwrap();
        push(&c, format!("{c:?}"));
        let e = c.import_scheme().await.unwrap_err();
        push(&e, e.to_string());
    }

    // PBX v1: wrong key, unreachable.
    for (url, key) in [
        (s.mocks.pbx_url(), wrong.to_owned()),
        (closed_port().await, s.secrets.vats_key.clone()),
    ] {
        let c = vats_api::v1::Client::builder()
            .base_url(format!("{url}/crmapi/v1/"))
            .api_key(key)
            .retry_policy(none.clone())
            .build()
            .unwrap();
        push(&c, format!("{c:?}"));
        let e = c.list_users(&Default::default()).await.unwrap_err();
        push(&e, e.to_string());
    }
    // PBX legacy: wrong password.
    let legacy = vats_api::legacy::Client::builder()
        .base_url(s.mocks.pbx_url())
        .build()
        .unwrap();
    let e = legacy
        .login(&vats_api::legacy::LoginRequest {
            crm_code: "mock".into(),
            login: "mock".into(),
            password: wrong.into(),
            crm_token: s.secrets.crm_token.clone().into(),
            url: "http://127.0.0.1:1/x".into(),
            redirect_url: None,
            self_map: false,
        })
        .await
        .unwrap_err();
    push(&e, e.to_string());

    // Pushes with a wrong token to the CRM, and a right token to nowhere.
    let n = vats_api::v1::push::CrmNotifier::builder()
        .url(s.server.url(examples::PBX_V1_PATH))
        .crm_token(wrong)
        .retry_policy(none.clone())
        .build()
        .unwrap();
    push(&n, format!("{n:?}"));
    let e = n
        .event(
            &serde_json::from_value(json!({"type":"INCOMING","phone":"7","user":"u","callid":"c"}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    push(&e, e.to_string());
    let n = vats_api::v1::push::CrmNotifier::builder()
        .url(closed_port().await)
        .crm_token(s.secrets.crm_token.clone())
        .retry_policy(none)
        .build()
        .unwrap();
    let e = n
        .event(
            &serde_json::from_value(json!({"type":"INCOMING","phone":"7","user":"u","callid":"c"}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    push(&e, e.to_string());

    // The CRM itself: its configuration, clients and every call record.
    push(&s.crm, format!("{:?}", s.crm.config()));
    out.push(format!("{:?}", s.crm.calls()));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_appears_in_logs_or_error_strings() {
    let s = Stack::start().await;
    s.legacy_login().await;
    // A v1 call, a legacy call and a refused one, so every path logs something.
    let (a, _) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let (b, _) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30, "push_format": "legacy"}))
        .await;
    // The failure paths log too: ROP down for a while, a recording that is not audio.
    s.fault(
        &s.mocks.rop_url(),
        json!({"path": "/api/v1/calls/audio-upload", "status": 503, "times": 3}),
    )
    .await;
    let (c, _) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let not_audio = format!("{}/__admin/health", s.mocks.pbx_url());
    let push: vats_api::v1::push::HistoryPush = serde_json::from_value(json!({
        "type": "in", "user": "admin", "phone": "79234102993", "start": "20250917T143000Z",
        "duration": 30, "callid": "leak-na", "link": not_audio, "status": "Success"
    }))
    .unwrap();
    s.v1_notifier().history(&push).await.unwrap();
    for id in [&a, &b, &c, &"leak-na".to_owned()] {
        s.settled(id).await;
    }
    let crm = s.crm_state().await;
    assert!(!items(&crm, "messages", |_| true).is_empty());

    let mut errors = error_strings(&s).await;
    // The mock services' request journals are logs too.
    for base in [s.mocks.rop_url(), s.mocks.pbx_url(), s.mocks.crm_url()] {
        errors.push(s.admin(&base, "requests?limit=1000").await.to_string());
    }
    let logged = logs::text();
    assert!(
        logged.contains("call state"),
        "the capture works: {}",
        logged.len()
    );
    for secret in logs::secrets() {
        assert!(
            !logged.contains(&secret),
            "a secret was logged: …{}…",
            around(&logged, &secret)
        );
        for e in &errors {
            assert!(!e.contains(&secret), "a secret is in an error string: {e}");
        }
    }
}

/// The log line holding the first occurrence of `needle`, with the needle masked.
fn around(text: &str, needle: &str) -> String {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_default()
        .replace(needle, "<SECRET>")
}

/// Sends a legacy login (password and token in the body) in one body form, then checks the
/// mock PBX's request journal shows neither.
async fn login_hidden_in_journal(form: &str) {
    let s = Stack::start().await;
    let login = format!("{}/sys/api_login.wcgp", s.mocks.pbx_url());
    let long_url = format!("https://crm.example/{}", "x".repeat(3000));
    let (pw, token) = (s.secrets.password.clone(), s.secrets.crm_token.clone());
    let req = s.http.post(&login);
    let req = match form {
        "long json" => req.json(&json!({"crm_code": "mock", "login": "mock", "password": pw, "crm_token": token, "url": long_url})),
        "multipart" => req.multipart(
            reqwest::multipart::Form::new()
                .text("crm_code", "mock")
                .text("login", "mock")
                .text("password", pw.clone())
                .text("crm_token", token.clone())
                .text("url", "https://crm.example/x"),
        ),
        _ => req.form(&[("password", pw.as_str()), ("crm_token", token.as_str()), ("url", long_url.as_str())]),
    };
    req.send().await.unwrap();
    let journal = s
        .admin(&s.mocks.pbx_url(), "requests?limit=1000")
        .await
        .to_string();
    for secret in [&pw, &token] {
        if let Some(at) = journal.find(secret.as_str()) {
            let start = journal[..at].rfind("\"body\"").unwrap_or(0);
            let shown: String = journal[start..].chars().take(120).collect();
            panic!(
                "{form}: a secret is in the PBX journal: {}",
                shown.replace(secret.as_str(), "<SECRET>")
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_journal_hides_secrets_of_form_and_multipart_bodies() {
    login_hidden_in_journal("form").await;
    login_hidden_in_journal("multipart").await;
}

/// Found by this suite (fixed): a JSON body longer than `journal_body_limit` used to be cut
/// before it was redacted, so the cut JSON no longer parsed and was shown as is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_journal_hides_secrets_of_json_bodies_longer_than_it_keeps() {
    login_hidden_in_journal("long json").await;
}
