//! Hostile input against the running mock: `audio_url` targets, journal redaction of encoded
//! and misplaced secrets, invalid UTF-8.

use mock_server::{Config, DEFAULT_ROP_KEY};
use serde_json::{Value, json};

use crate::support::{get_json, http, start, start_with};

async fn upload(rop: &str, call_id: &str, audio_url: &str) -> (u16, String) {
    let resp = http()
        .post(format!("{rop}/api/v1/calls?apiKey={DEFAULT_ROP_KEY}"))
        .json(&json!({"call_id": call_id, "manager_id": "72", "audio_url": audio_url}))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_and_link_local_audio_urls_are_refused_like_any_unreachable_file() {
    let m = start().await;
    let rop = m.rop_url();
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let urls = [
        "http://169.254.169.254/latest/meta-data/a.wav".to_owned(),
        "http://10.0.0.1:8080/a.wav".to_owned(),
        "http://[fe80::1]/a.wav".to_owned(),
        format!("http://127.0.0.1:{closed_port}/a.wav"),
        format!("{}/records/no-such-call.wav", m.pbx_url()),
    ];
    let mut answers = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let (status, body) = upload(&rop, &format!("h{i}"), url).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body.contains("audio_url"), "{body}");
        answers.push(body);
    }
    // One answer for a refused host, a closed port and an HTTP error alike.
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allow_list_replaces_the_loopback_default_and_a_bad_entry_is_named() {
    let mut config = Config::ephemeral();
    config.rop.audio_url_allow = vec!["10.0.0.0/8".into()];
    // Loopback is no longer listed: even the mock PBX's recordings are refused.
    let m = start_with(config).await;
    let (status, body) = upload(
        &m.rop_url(),
        "a1",
        &format!("{}/records/x.wav", m.pbx_url()),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let mut bad = Config::ephemeral();
    bad.rop.audio_url_allow = vec!["intranet".into()];
    let e = mock_server::MockServers::start(bad).await.unwrap_err();
    assert!(e.to_string().contains("rop.audio_url_allow[0]"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_never_shows_a_key_in_the_path_or_percent_encoded() {
    let m = start().await;
    let rop = m.rop_url();
    for url in [
        format!("{rop}/api/v1/{DEFAULT_ROP_KEY}/x"),
        format!("{rop}/api/v1/mock%2Drop%2Dkey/x"),
        format!("{rop}/api/v1/tables/call-ready?tab=T&call=c&api%4Bey=mock%2Drop%2Dkey"),
    ] {
        http().get(&url).send().await.unwrap();
    }
    http()
        .post(format!("{}/hooks/vats/v1", m.crm_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("cmd=history&crm%5Ftoken=unknown-tok-9")
        .send()
        .await
        .unwrap();
    http()
        .post(format!("{}/hooks/vats/v1", m.crm_url()))
        .header("content-type", "application/json")
        .body(r#"{"crm\u005ftoken":"unknown-tok-9","cmd":"history""#)
        .send()
        .await
        .unwrap();
    for base in [&rop, &m.crm_url()] {
        let journal: Value = get_json(&format!("{base}/__admin/requests?limit=50")).await;
        let text = journal.to_string();
        for secret in [DEFAULT_ROP_KEY, "mock%2Drop%2Dkey", "unknown-tok-9"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_or_form_field_that_is_not_utf8_is_a_400_naming_it() {
    let m = start().await;
    let resp = http()
        .post(format!(
            "{}/api/v1/calls?apiKey={DEFAULT_ROP_KEY}",
            m.rop_url()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("call_id=%FF%FE&manager_id=72&audio_url=http%3A%2F%2F127.0.0.1%3A1%2Fa.wav")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("call_id") && !body.contains('\u{fffd}'),
        "{body}"
    );
}
