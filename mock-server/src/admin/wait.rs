//! `GET /__admin/requests/wait` and `GET /__admin/requests/count`.
//!
//! `wait` is a long-poll served by the front on the service's own port ([`long_poll`]): the
//! connection's task sleeps on a [`tokio::sync::Notify`] the journal wakes on every new entry,
//! until enough requests match or the timeout passes; the other connections go on meanwhile.
//! wiremock's private port (synchronous responders, which must answer at once) answers what it
//! can at once and redirects (307) the rest to the public port ([`wait_now`]).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_plumbing::{json_response, query_map};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::host::admin_error;
use crate::journal::{Journal, JournalFilter};

/// Longest `timeout_ms` accepted (one minute).
pub(crate) const MAX_TIMEOUT_MS: u64 = 60_000;
/// `timeout_ms` when none is given.
const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// The query of `requests/count`: which requests to count.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CountQuery {
    method: Option<String>,
    path: Option<String>,
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    status: Option<u16>,
}

/// The query of `requests/wait`: which requests, how many, how long.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WaitQuery {
    method: Option<String>,
    path: Option<String>,
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    status: Option<u16>,
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    count: Option<u64>,
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    timeout_ms: Option<u64>,
}

/// A checked `wait` query.
#[derive(Debug)]
struct Wait {
    filter: JournalFilter,
    count: u64,
    timeout: Duration,
}

fn filter(method: Option<String>, path: Option<String>, status: Option<u16>) -> JournalFilter {
    JournalFilter {
        method,
        path,
        status,
        since: None,
        limit: None,
    }
}

fn parse<T: serde::de::DeserializeOwned>(uri: &http::Uri) -> std::result::Result<T, String> {
    http_plumbing::from_fields::<T>(Value::Object(query_map(uri))).map_err(|e| e.to_string())
}

fn parse_wait(uri: &http::Uri) -> std::result::Result<Wait, String> {
    let q: WaitQuery = parse(uri)?;
    let count = q.count.unwrap_or(1);
    if count == 0 {
        return Err("count: must be at least 1".into());
    }
    let timeout_ms = q.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    if timeout_ms > MAX_TIMEOUT_MS {
        return Err(format!("timeout_ms: at most {MAX_TIMEOUT_MS}"));
    }
    Ok(Wait {
        filter: filter(q.method, q.path, q.status),
        count,
        timeout: Duration::from_millis(timeout_ms),
    })
}

/// `GET /__admin/requests/count`: `{"count", "exact", "dropped"}`.
pub(crate) fn count(journal: &Journal, req: &Request<Bytes>) -> Response<Bytes> {
    match parse::<CountQuery>(req.uri()) {
        Ok(q) => {
            let f = filter(q.method, q.path, q.status);
            let (n, exact) = journal.count(&f);
            json_response(
                StatusCode::OK,
                &json!({"count": n, "exact": exact, "dropped": journal.dropped()}),
            )
        }
        Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
    }
}

/// The filter with no `limit` short of the journal's capacity.
fn all_kept(f: &JournalFilter, journal: &Journal) -> JournalFilter {
    JournalFilter {
        limit: Some(journal.capacity()),
        ..f.clone()
    }
}

/// The answer when `seen` matching requests are enough, or the 408 when they are not.
fn answer(journal: &Journal, w: &Wait, seen: u64, exact: bool) -> Response<Bytes> {
    let items = journal.list(&all_kept(&w.filter, journal));
    let body = json!({
        "count": seen, "wanted": w.count, "exact": exact,
        "items": items, "dropped": journal.dropped(),
    });
    if seen >= w.count {
        return json_response(StatusCode::OK, &body);
    }
    let mut body = body;
    body["error"] = json!(format!(
        "timeout_ms: {seen} of {} matching requests seen in {} ms",
        w.count,
        w.timeout.as_millis()
    ));
    json_response(StatusCode::REQUEST_TIMEOUT, &body)
}

/// `GET /__admin/requests/wait` on wiremock's private port (a synchronous responder): answers
/// at once when it can, else redirects to the same path on the service's public port
/// `public`, whose front long-polls.
pub(crate) fn wait_now(
    journal: &Journal,
    req: &Request<Bytes>,
    public: SocketAddr,
) -> Response<Bytes> {
    let w = match parse_wait(req.uri()) {
        Ok(w) => w,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, &e),
    };
    let (seen, exact) = journal.count(&w.filter);
    if seen >= w.count || w.timeout.is_zero() {
        return answer(journal, &w, seen, exact);
    }
    let host = req
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_without_port)
        .unwrap_or_else(|| shown_ip(public.ip()));
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let location = format!(
        "http://{host}:{}/__admin/requests/wait{query}",
        public.port()
    );
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header(http::header::LOCATION, location)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Bytes::from_static(
            br#"{"status":"waiting: follow the redirect (curl -L)"}"#,
        ))
        .unwrap_or_else(|_| Response::new(Bytes::new()))
}

/// `localhost:8711` → `localhost`, `[::1]:8711` → `[::1]`.
fn host_without_port(host: &str) -> String {
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') => {
            h.to_owned()
        }
        _ => host.to_owned(),
    }
}

fn shown_ip(ip: IpAddr) -> String {
    match ip {
        ip if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// The long-poll itself: answers at once when enough requests match already (or `timeout_ms`
/// is 0), else sleeps on the journal's notifier until they do or the timeout passes. No
/// polling: each new journal entry wakes it once.
pub(crate) async fn long_poll(journal: &Journal, uri: &http::Uri) -> Response<Bytes> {
    let w = match parse_wait(uri) {
        Ok(w) => w,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, &e),
    };
    let deadline = tokio::time::Instant::now() + w.timeout;
    loop {
        let arrived = journal.arrived.notified();
        tokio::pin!(arrived);
        // Registered before the check, so an entry pushed in between still wakes us.
        arrived.as_mut().enable();
        let (seen, exact) = journal.count(&w.filter);
        if seen >= w.count {
            return answer(journal, &w, seen, exact);
        }
        if tokio::time::timeout_at(deadline, arrived).await.is_err() {
            let (seen, exact) = journal.count(&w.filter);
            return answer(journal, &w, seen, exact);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_ports_are_stripped_and_ipv6_kept() {
        assert_eq!(host_without_port("localhost:8711"), "localhost");
        assert_eq!(host_without_port("[::1]:8711"), "[::1]");
        assert_eq!(host_without_port("example.org"), "example.org");
        assert_eq!(shown_ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED)), "127.0.0.1");
    }

    #[test]
    fn bad_parameters_are_named() {
        let uri = |q: &str| {
            format!("/__admin/requests/wait?{q}")
                .parse::<http::Uri>()
                .unwrap()
        };
        assert!(
            parse_wait(&uri("count=0"))
                .unwrap_err()
                .starts_with("count")
        );
        assert!(
            parse_wait(&uri("timeout_ms=60001"))
                .unwrap_err()
                .starts_with("timeout_ms")
        );
        assert!(parse_wait(&uri("count=x")).unwrap_err().contains("count"));
        assert!(
            parse_wait(&uri("colour=red"))
                .unwrap_err()
                .contains("colour")
        );
        let w = parse_wait(&uri("method=post&count=3&timeout_ms=0")).unwrap();
        assert_eq!((w.count, w.timeout), (3, Duration::ZERO));
    }
}
