//! The front's limits on the public port: oversized, endless, slow and aborted request bodies,
//! slow heads, and a waiting responder that must not hold other requests.

use std::time::Duration;

use mock_server::{Config, DEFAULT_ROP_KEY, MockServers};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{get_json, http, start_with};

fn config() -> Config {
    let mut c = Config::ephemeral();
    c.request_body_limit = 64 * 1024;
    c.header_read_timeout_ms = 300;
    c.body_read_timeout_ms = 300;
    c
}

async fn connect(m: &MockServers) -> TcpStream {
    let addr = m.pbx_url().trim_start_matches("http://").to_owned();
    TcpStream::connect(addr).await.unwrap()
}

/// Everything the server sends until it closes (bounded by 5 s).
async fn read_all(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_is_413_before_it_is_sent() {
    let m = start_with(config()).await;
    let mut s = connect(&m).await;
    s.write_all(b"POST /unknown HTTP/1.1\r\nhost: x\r\ncontent-length: 104857600\r\n\r\n")
        .await
        .unwrap();
    let answer = read_all(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let journal = get_json(&format!("{}/__admin/requests?status=413", m.pbx_url())).await;
    assert_eq!(journal["count"], 1, "{journal}");
    assert_eq!(journal["items"][0]["body_len"], 0, "{journal}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_chunked_body_is_cut_at_the_limit() {
    let m = start_with(config()).await;
    let mut s = connect(&m).await;
    s.write_all(b"POST /unknown HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    let chunk = format!("4000\r\n{}\r\n", "z".repeat(0x4000));
    // 1 MiB offered, 64 KiB allowed: the server answers and closes long before the end.
    for _ in 0..64 {
        if s.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let answer = read_all(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_head_is_dropped_and_a_slow_body_is_408() {
    let m = start_with(config()).await;
    let mut s = connect(&m).await;
    s.write_all(b"GET /crmapi/v1/users HT").await.unwrap();
    let answer = read_all(&mut s).await;
    assert!(!answer.contains("200 OK"), "{answer}");
    let mut s = connect(&m).await;
    s.write_all(b"POST /x HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab")
        .await
        .unwrap();
    let answer = read_all(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aborted_bodies_leave_the_service_answering() {
    let m = start_with(config()).await;
    for _ in 0..20 {
        let mut s = connect(&m).await;
        s.write_all(b"POST /x HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nabc")
            .await
            .unwrap();
        drop(s);
    }
    let health = get_json(&format!("{}/__admin/health", m.pbx_url())).await;
    assert_eq!(health["status"], "ok");
}

/// The URL of an audio host that accepts connections and never answers.
async fn silent_audio_url() -> String {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let audio = format!("http://{}/a.wav", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    audio
}

/// R1 with `audio_url`, in the background: the status, or the client's error.
fn spawn_upload(rop: &str, audio: String) -> tokio::task::JoinHandle<reqwest::Result<u16>> {
    let url = format!("{rop}/api/v1/calls?apiKey={DEFAULT_ROP_KEY}");
    tokio::spawn(async move {
        http()
            .post(url)
            .json(&json!({"call_id": "slow", "manager_id": "72", "audio_url": audio}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_upload_probe_does_not_hold_other_requests() {
    let audio = silent_audio_url().await;
    let mut c = Config::ephemeral();
    c.rop.probe_timeout_ms = 3000;
    let m = start_with(c).await;
    let rop = m.rop_url();
    let upload = spawn_upload(&rop, audio);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = get_json(&format!("{rop}/__admin/health")).await;
    assert_eq!(health["status"], "ok");
    assert!(!upload.is_finished(), "the probe should still be waiting");
    assert_eq!(upload.await.unwrap().unwrap(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_down_does_not_wait_for_a_waiting_probe() {
    let audio = silent_audio_url().await;
    let mut c = Config::ephemeral();
    // Far longer than the bound below: a shutdown that waited for the probe would show.
    c.rop.probe_timeout_ms = 30_000;
    let m = start_with(c).await;
    let rop = m.rop_url();
    let upload = spawn_upload(&rop, audio);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!upload.is_finished(), "the probe should still be waiting");
    let stopped = tokio::time::timeout(Duration::from_secs(10), m.shutdown()).await;
    assert!(stopped.is_ok(), "shutdown waited for the probe");
    // The waiting client loses its connection rather than hanging on.
    let outcome = tokio::time::timeout(Duration::from_secs(10), upload).await;
    assert!(matches!(outcome, Ok(Ok(Err(_)))), "{outcome:?}");
    // And the port is closed.
    assert!(
        TcpStream::connect(rop.trim_start_matches("http://"))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_dealt_round_the_fronts_threads_are_all_answered_and_journaled() {
    let m = start_with(config()).await;
    let url = format!("{}/crmapi/v1/users/admin", m.pbx_url());
    // Eight clients, eight connections: the front deals them round its threads (one per core).
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut ok = 0;
                for _ in 0..5 {
                    let resp = client
                        .get(&url)
                        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
                        .send()
                        .await
                        .unwrap();
                    if resp.status() == 200 && resp.text().await.unwrap().contains("\"admin\"") {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut answered = 0;
    for t in tasks {
        answered += t.await.unwrap();
    }
    assert_eq!(answered, 40);
    let count = get_json(&format!(
        "{}/__admin/requests/count?path=/users/admin&status=200",
        m.pbx_url()
    ))
    .await;
    assert_eq!(count["count"], 40);
}
