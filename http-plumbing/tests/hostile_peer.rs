//! A hostile peer cannot pull credentials to another host, grow the client without bound or
//! hold a call past its total timeout.

use http_plumbing::{Error, HttpConfig, RetryPolicy, SendPolicy, send};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config() -> HttpConfig {
    let mut c = HttpConfig::new("test/1");
    c.retry = RetryPolicy::none();
    c
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_carries_nothing_there() {
    let origin = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/steal", other.uri())),
        )
        .mount(&origin)
        .await;
    let http = config().build_client().unwrap();
    let url = format!("{}/api?apiKey=TOPSECRET", origin.uri());
    let raw = send(&config().send_policy(), || {
        http.post(&url)
            .header("X-API-KEY", "TOPSECRET")
            .basic_auth("user", Some("pw"))
            .form(&[("password", "TOPSECRET")])
    })
    .await
    .unwrap();
    assert_eq!(raw.status.as_u16(), 307);
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_without_a_referer() {
    let origin = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/new"))
        .mount(&origin)
        .await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_string("moved"))
        .mount(&origin)
        .await;
    let http = config().build_client().unwrap();
    let url = format!("{}/old?apiKey=k", origin.uri());
    let raw = send(&config().send_policy(), || http.get(&url))
        .await
        .unwrap();
    assert_eq!((raw.status.as_u16(), raw.text().as_str()), (200, "moved"));
    let seen = origin.received_requests().await.unwrap();
    assert!(seen.iter().all(|r| !r.headers.contains_key("referer")));
}

#[tokio::test]
async fn a_body_over_the_cap_fails_with_body_too_large() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 64 * 1024]))
        .mount(&server)
        .await;
    let http = config().build_client().unwrap();
    let policy = config().send_policy().with_max_body(1024);
    let e = send(&policy, || http.get(server.uri())).await.unwrap_err();
    assert_eq!(e.body_too_large().map(|(_, l)| l), Some(1024));
    let e = Error::from(e);
    assert!(matches!(e, Error::BodyTooLarge { limit: 1024, .. }), "{e}");
    assert!(e.to_string().contains("1024-byte limit"));
    // At the cap it is read whole.
    let policy = config().send_policy().with_max_body(64 * 1024);
    assert_eq!(
        send(&policy, || http.get(server.uri()))
            .await
            .unwrap()
            .body
            .len(),
        64 * 1024
    );
}

#[tokio::test]
async fn a_streamed_body_without_length_is_cut_at_the_cap() {
    // A raw server: chunked answer that never ends.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = format!("1000\r\n{}\r\n", "y".repeat(4096));
        while s.write_all(chunk.as_bytes()).await.is_ok() {}
    });
    let http = config().build_client().unwrap();
    let policy = config().send_policy().with_max_body(100_000);
    let url = format!("http://{addr}/");
    let e = send(&policy, || http.get(&url)).await.unwrap_err();
    assert_eq!(e.body_too_large().map(|(_, l)| l), Some(100_000));
}

#[tokio::test]
async fn the_total_timeout_bounds_a_call_to_a_server_that_never_answers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let mut c = HttpConfig::new("test/1");
    c.timeout = Duration::from_millis(300);
    c.retry = RetryPolicy::default()
        .with_jitter(false)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_retries(10);
    c.total_timeout = Some(Duration::from_millis(700));
    let http = c.build_client().unwrap();
    let url = format!("http://{addr}/?apiKey=TOPSECRET");
    let started = Instant::now();
    let e = send(&c.send_policy(), || http.get(&url)).await.unwrap_err();
    let took = started.elapsed();
    assert!(e.is_timeout(), "{e}");
    assert!(took >= Duration::from_millis(650), "{took:?}");
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(e.attempts >= 2, "{}", e.attempts);
    assert!(!e.to_string().contains("TOPSECRET"));
}

#[tokio::test]
async fn without_a_total_timeout_the_attempts_bound_the_call() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let mut c = HttpConfig::new("test/1");
    c.timeout = Duration::from_millis(150);
    c.retry = RetryPolicy::default()
        .with_jitter(false)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_retries(2);
    c.total_timeout = None;
    let http = c.build_client().unwrap();
    let url = format!("http://{addr}/");
    let started = Instant::now();
    let policy: SendPolicy = c.send_policy();
    let e = send(&policy, || http.get(&url)).await.unwrap_err();
    // 3 attempts × 150 ms + 10 ms + 20 ms of backoff.
    assert_eq!(e.attempts, 3);
    assert!(started.elapsed() >= Duration::from_millis(480));
    assert!(e.is_timeout());
}
