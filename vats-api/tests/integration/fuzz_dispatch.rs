//! Every dispatcher against arbitrary input: odd paths (unicode, percent escapes, `&`, `=`),
//! arbitrary query strings, huge numbers, bodies that are not what their `Content-Type` says.
//! None may panic or answer a 5xx; every 4xx carries a JSON `{"error": …}` body.

use crate::common_support::{SEED_CRM_TOKEN, SEED_PBX_TOKEN};
use crate::v1_seed_pbx::dispatcher as v1_dispatcher;
use crate::v1_support::KEY;
use bytes::Bytes;
use http::{Request, Response};
use proptest::prelude::*;
use vats_api::legacy::{LegacyCrmDispatcher, LegacyCrmHandler, PbxDispatcher, PbxHandler};
use vats_api::v1::push::{CrmDispatcher, CrmHandler};

struct Crm;
impl CrmHandler for Crm {}
struct LegacyCrm;
impl LegacyCrmHandler for LegacyCrm {}
struct LegacyPbx;
impl PbxHandler for LegacyPbx {}

/// Words the routers and decoders know, so that generated input reaches deep code paths.
const WORDS: &[&str] = &[
    "history",
    "csv",
    "json",
    "inner",
    "makecall",
    "users",
    "groups",
    "subscription",
    "dnd",
    "telnums",
    "enabled",
    "sims",
    "user",
    "company",
    "disable",
    "blacklist",
    "block-anonymous",
    "admin",
    "1",
    "79001234567",
];

/// Field names of the v1, push and legacy operations.
const KEYS: &[&str] = &[
    "cmd",
    "crm_token",
    "token",
    "payload",
    "phone",
    "user",
    "type",
    "status",
    "start",
    "end",
    "period",
    "limit",
    "search",
    "duration",
    "rating",
    "callid",
    "link",
    "group_id",
    "with",
    "telnum",
    "login",
    "password",
    "crm_code",
    "url",
    "direction",
    "diversion",
    "name",
    "ext",
    "role",
    "mobile_redirect",
    "call_order",
    "call_duration",
    "timeout",
    "schedule",
    "add",
    "remove",
];

/// Values that have broken parsers before: huge and negative numbers, odd timestamps, unicode.
const VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "99999999999999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "20170703T121110Z",
    "99991231T235959Z",
    "-262143-01-01T00:00:00",
    "+262143-12-31T23:59:59Z",
    "2017-07-07T16:14:08+03:00",
    "today",
    "last_month",
    "SUCCESS",
    "missed",
    "history",
    "event",
    "contact",
    "rating",
    "users",
    "user",
    "makeCall",
    "accounts",
    "a|b||c",
    "\u{0}",
    "é\u{301}👍\u{202e}",
    "{\"cmd\":\"history\"}",
    "[]",
    "null",
    "*",
    "7900*",
    "+79001234567",
];

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_owned),
        1 => any::<String>().prop_map(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect()),
        1 => "[a-z&=;,+%.0-9]{0,6}",
    ]
}

/// The v1 route templates; `{}` is filled with an arbitrary segment.
const TEMPLATES: &[&str] = &[
    "history/csv",
    "history/json",
    "history/inner/csv",
    "history/inner/json",
    "makecall",
    "users",
    "users/{}",
    "users/{}/groups",
    "users/{}/subscription",
    "users/{}/dnd",
    "groups",
    "groups/{}",
    "groups/{}/users",
    "telnums",
    "telnums/{}",
    "telnums/{}/enabled",
    "sims",
    "sims/{}",
    "sims/{}/user/{}",
    "sims/{}/company",
    "sims/{}/disable",
    "blacklist/telnums",
    "blacklist/block-anonymous",
];

/// A v1 path: mostly a real route with arbitrary ids, sometimes arbitrary segments.
fn v1_path() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(TEMPLATES), segment(), segment()).prop_map(|(t, a, b)| {
            t.replacen("{}", &a, 1).replacen("{}", &b, 1)
        }),
        1 => prop::collection::vec(segment(), 0..5).prop_map(|s| s.join("/")),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(VALUES).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((key(), text()), 0..8)
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A body and its content type (which may lie about it).
fn body() -> impl Strategy<Value = (Option<&'static str>, Vec<u8>)> {
    let form = (pairs(), any::<bool>()).prop_map(move |(mut p, with_token)| {
        if with_token {
            p.push(("crm_token".into(), SEED_CRM_TOKEN.into()));
            p.push(("token".into(), SEED_PBX_TOKEN.into()));
        }
        serde_urlencoded::to_string(&p)
            .unwrap_or_default()
            .into_bytes()
    });
    let json = (json_value(), pairs(), any::<bool>()).prop_map(move |(v, p, with_token)| {
        let mut m: serde_json::Map<String, serde_json::Value> = p
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::from(v)))
            .collect();
        m.insert("extra".into(), v);
        if with_token {
            m.insert("crm_token".into(), SEED_CRM_TOKEN.into());
            m.insert("token".into(), SEED_PBX_TOKEN.into());
        }
        serde_json::to_vec(&m).unwrap_or_default()
    });
    let ctype = prop::sample::select(vec![
        None,
        Some("application/json"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=xyz"),
        Some("multipart/form-data"),
        Some("text/plain"),
        Some("application/json; charset=utf-16"),
        Some("\u{7f}garbage"),
    ]);
    (
        ctype,
        prop_oneof![
            2 => form,
            2 => json,
            1 => prop::collection::vec(any::<u8>(), 0..64),
        ],
    )
}

fn method() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
    ])
}

/// Builds the request; `None` when `http` itself refuses the generated URI or header.
fn build(
    method: &str,
    path: &str,
    query: &[(String, String)],
    ctype: Option<&str>,
    key: Option<&str>,
    body: Vec<u8>,
) -> Option<Request<Bytes>> {
    let mut uri = path.to_owned();
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&serde_urlencoded::to_string(query).ok()?);
    }
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(c) = ctype {
        b = b.header("content-type", c);
    }
    if let Some(k) = key {
        b = b.header("X-API-KEY", k);
    }
    b.body(Bytes::from(body)).ok()
}

fn assert_sane(what: &str, resp: &Response<Bytes>) {
    let status = resp.status();
    assert!(
        !status.is_server_error(),
        "{what}: {status} {:?}",
        String::from_utf8_lossy(resp.body())
    );
    if status.is_client_error() {
        let v: serde_json::Value = serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
            panic!(
                "{what}: {status} body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(resp.body())
            )
        });
        assert!(v["error"].is_string(), "{what}: {status} {v}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn v1_dispatcher_never_panics_or_500s(
        m in method(),
        sub_path in v1_path(),
        query in pairs(),
        (ctype, raw) in body(),
        with_key in prop::bool::weighted(0.9),
    ) {
        let d = v1_dispatcher();
        let path = format!("/crmapi/v1/{sub_path}");
        let key = with_key.then_some(KEY);
        if let Some(req) = build(m, &path, &query, ctype, key, raw) {
            let what = format!("{m} {}", req.uri());
            let resp = runtime().block_on(d.dispatch(req));
            assert_sane(&what, &resp);
        }
    }

    #[test]
    fn push_dispatcher_never_panics_or_500s(
        m in prop::sample::select(vec!["POST", "POST", "POST", "GET"]),
        segs in prop::collection::vec(segment(), 0..3),
        query in pairs(),
        (ctype, raw) in body(),
    ) {
        let d = CrmDispatcher::new(Crm, SEED_CRM_TOKEN);
        let path = format!("/{}", segs.join("/"));
        if let Some(req) = build(m, &path, &query, ctype, None, raw) {
            let what = format!("{m} {}", req.uri());
            let resp = runtime().block_on(d.dispatch(req));
            assert_sane(&what, &resp);
        }
    }

    #[test]
    fn legacy_dispatchers_never_panic_or_500(
        m in prop::sample::select(vec!["POST", "POST", "POST", "GET"]),
        path in prop::sample::select(vec![
            "/sys/api_login.wcgp", "/sys/crm_api.wcgp", "/crm.php", "/sys/%FF.wcgp", "/",
        ]),
        query in pairs(),
        (ctype, raw) in body(),
    ) {
        let rt = runtime();
        let crm = LegacyCrmDispatcher::new(LegacyCrm, SEED_CRM_TOKEN);
        let pbx = PbxDispatcher::new(LegacyPbx);
        if let Some(req) = build(m, path, &query, ctype, None, raw) {
            let what = format!("{m} {}", req.uri());
            let resp = rt.block_on(crm.dispatch(req.clone()));
            assert_sane(&format!("legacy crm {what}"), &resp);
            let resp = rt.block_on(pbx.dispatch(req));
            assert_sane(&format!("legacy pbx {what}"), &resp);
        }
    }
}
