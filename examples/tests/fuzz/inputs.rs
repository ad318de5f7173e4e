//! Input generators: arbitrary bytes and strings mixed with the protocols' own vocabulary, so
//! inputs get past the first check and reach the deep parsers.

use bytes::Bytes;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

/// Every field name of every protocol.
pub const KEYS: &[&str] = &[
    "cmd",
    "crm_token",
    "token",
    "apiKey",
    "type",
    "user",
    "ext",
    "groupRealName",
    "telnum",
    "phone",
    "diversion",
    "start",
    "end",
    "duration",
    "callid",
    "link",
    "rating",
    "status",
    "direction",
    "contact_name",
    "responsible",
    "call_id",
    "manager_id",
    "deal_id",
    "deal_stage_id",
    "audio_url",
    "offices",
    "office_id",
    "office_title",
    "leader_ids",
    "managers_ids",
    "managers",
    "name",
    "surname",
    "middlename",
    "tab",
    "call",
    "ready",
    "data",
    "stages",
    "stage_id",
    "stage_name",
    "score",
    "percentage",
    "comment",
    "quote",
    "total_score",
    "max_score",
    "completion_percentage",
    "checklist_name",
    "timestamp",
    "table_id",
    "table_name",
    "extracted_data",
    "processing_time",
    "action",
    "offset",
    "limit",
    "date",
    "title",
    "text",
    "email",
    "visit",
    "leadId",
    "message",
    "element_id",
    "deadline",
    "callee",
    "caller",
    "marker",
    "order_id",
    "file_url",
    "id",
    "payload",
    "login",
    "password",
    "crm_code",
    "url",
    "redirect_url",
    "self_map",
    "period",
    "search",
    "role",
    "mobile",
    "mobile_redirect",
    "enabled",
    "delay",
    "forward",
    "call_order",
    "call_duration",
    "timeout",
    "time",
    "target",
    "advanced",
    "users",
    "position",
    "calls_enable",
    "schedule",
    "work",
    "holiday",
    "group",
    "ivr",
    "group_id",
    "with",
    "show_phone",
    "clid",
    "utterances",
    "speaker",
    "segments",
    "channel",
    "language",
    "rules",
    "any",
    "all",
    "none",
    "window",
    "from_start",
    "before_end",
    "min_count",
    "weight",
    "critical",
    "pass_threshold",
    "applies_when",
    "fields",
    "key",
    "kind",
    "values",
    "pattern",
    "statuses",
    "clients",
    "orders",
    "pagination",
    "total_count",
    "cost",
    "value",
    "currency",
    "price",
    "client_id",
    "date_create",
];

/// Values real peers send, right and wrong.
pub const WORDS: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "-1",
    "2700",
    "2701",
    "18446744073709551616",
    "1e309",
    "NaN",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "in",
    "out",
    "IN",
    "missed",
    "SUCCESS",
    "Success",
    "missed",
    "Busy",
    "NotFound",
    "INCOMING",
    "ACCEPTED",
    "completed",
    "failed",
    "FAILED",
    "answered",
    "history",
    "event",
    "contact",
    "rating",
    "users",
    "user",
    "makeCall",
    "makecall",
    "accounts",
    "import_scheme",
    "export_clients",
    "export",
    "lead",
    "message",
    "task",
    "call",
    "20170703T121110Z",
    "20170703T1211Z",
    "2022-01-20T08:58:42Z",
    "2017-07-07T16:14:08+03:00",
    "2017-07-07T16:14:08+25:00",
    "1657620091",
    "-62135596801",
    "2022-07-12 10:35:12",
    "2022-07-12 10:35",
    "2022-02-30 10:00",
    "00:02:35",
    "99:99:99",
    "12:60",
    "79101234567",
    "+79101234567",
    "8 (923) 410-29-93",
    "http://127.0.0.1:1/a.mp3",
    "https://x/a.wav",
    "ftp://x/y",
    "http://",
    "a|b||c",
    "today",
    "yesterday",
    "this_week",
    "last_month",
    "week",
    "ALL",
    "EVENLY",
    "voicemail",
    "msg_busy",
    "admin",
    "restricted_user",
    "manager",
    "client",
    "agent",
    "customer",
    "ru",
    "en",
    "enum",
    "list",
    "money_range",
    "person_name",
    "regex",
    "llm",
    "(?i)этаж\\s+(\\d+)",
    "(",
    "[a-",
    "\\",
    "ёлка",
    "не",
    "нет",
    "квартира",
    "5-7 млн руб",
    "от пяти до семи миллионов",
    "Менеджер: Добрый день",
    "Клиент: дорого",
    "\u{feff}",
    "\0",
    "mock-rop-key",
    "mock-vats-key",
    "mock-crm-token",
    "mock",
];

pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => select(KEYS).prop_map(str::to_owned), 1 => any::<String>()]
}

pub fn word() -> impl Strategy<Value = String> {
    prop_oneof![4 => select(WORDS).prop_map(str::to_owned), 1 => any::<String>()]
}

/// Any JSON value, shaped like the protocols' messages.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..10).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A JSON object of protocol fields (the usual top level of a body).
pub fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    vec((key(), json_value()), 0..14).prop_map(|kv| kv.into_iter().collect())
}

/// Field pairs for forms and multipart bodies.
pub fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((key(), word()), 0..14)
}

pub fn form(pairs: &[(String, String)]) -> Vec<u8> {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

pub const BOUNDARY: &str = "XfuzzBOUNDARY";

/// A multipart body; with `broken`, a truncated one.
pub fn multipart(pairs: &[(String, String)], broken: bool) -> Vec<u8> {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    if !broken {
        out.push_str(&format!("--{BOUNDARY}--\r\n"));
    }
    out.into_bytes()
}

/// A request body and the `Content-Type` it is sent with.
#[derive(Debug, Clone)]
pub struct Body {
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

pub fn body() -> impl Strategy<Value = Body> {
    let ct = |s: &str| Some(s.to_owned());
    prop_oneof![
        json_object().prop_map(move |o| Body {
            content_type: ct("application/json"),
            bytes: Bytes::from(Value::Object(o).to_string()),
        }),
        json_value().prop_map(move |v| Body {
            content_type: ct("application/json; charset=utf-8"),
            bytes: Bytes::from(v.to_string()),
        }),
        pairs().prop_map(move |p| Body {
            content_type: ct("application/x-www-form-urlencoded"),
            bytes: Bytes::from(form(&p)),
        }),
        (json_object(), pairs()).prop_map(move |(o, mut p)| {
            // `payload=<json>` next to other fields, as some PBXs send it.
            p.push(("payload".into(), Value::Object(o).to_string()));
            Body {
                content_type: ct("application/x-www-form-urlencoded"),
                bytes: Bytes::from(form(&p)),
            }
        }),
        (pairs(), any::<bool>()).prop_map(move |(p, broken)| Body {
            content_type: Some(format!("multipart/form-data; boundary={BOUNDARY}")),
            bytes: Bytes::from(multipart(&p, broken)),
        }),
        (
            proptest::option::of(prop_oneof![
                select(
                    &[
                        "application/json",
                        "text/plain",
                        "multipart/form-data",
                        "application/x-www-form-urlencoded",
                        "application/xml",
                        "*/*",
                        "",
                    ][..]
                )
                .prop_map(str::to_owned),
                any::<String>()
            ]),
            vec(any::<u8>(), 0..512)
        )
            .prop_map(|(content_type, b)| Body {
                content_type,
                bytes: Bytes::from(b),
            }),
    ]
}

pub fn method() -> impl Strategy<Value = http::Method> {
    prop_oneof![
        6 => select(&["GET", "POST", "PUT", "DELETE"][..]).prop_map(|m| m.parse().unwrap_or(http::Method::GET)),
        1 => select(&["PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"][..]).prop_map(|m| m.parse().unwrap_or(http::Method::GET)),
    ]
}

/// Path segments: the protocols' resource names, or anything.
pub const SEGMENTS: &[&str] = &[
    "api",
    "v1",
    "calls",
    "audio-upload",
    "settings",
    "offices-update",
    "managers-update",
    "tables",
    "call-ready",
    "crmapi",
    "history",
    "csv",
    "json",
    "inner",
    "makecall",
    "users",
    "admin",
    "user1",
    "groups",
    "sales",
    "subscription",
    "dnd",
    "telnums",
    "79007771122",
    "enabled",
    "sims",
    "79261234567",
    "user",
    "company",
    "disable",
    "blacklist",
    "block-anonymous",
    "sys",
    "api_login.wcgp",
    "crm_api.wcgp",
    "analytics",
    "hooks",
    "rop",
    "checklist",
    "table",
    "vats",
    "legacy",
    "records",
    "1755936870.mp3",
    "..",
    ".",
    "",
];

pub fn path(prefixes: &'static [&'static str]) -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        5 => select(SEGMENTS).prop_map(str::to_owned),
        1 => any::<String>().prop_map(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect()),
    ];
    (select(prefixes), vec(segment, 0..4)).prop_map(|(p, segs)| {
        let mut out = p.to_owned();
        for s in segs {
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(&s);
        }
        out
    })
}

/// A query string of protocol parameters; `secret` is sometimes added as `apiKey`.
pub fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((key(), word()), 0..8)
}

/// One whole request.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: http::Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    /// Send the right credentials (header, query key, token field as the dispatcher wants).
    pub authed: bool,
    pub extra_headers: Vec<(String, String)>,
}

pub fn request(prefixes: &'static [&'static str]) -> impl Strategy<Value = Req> {
    (
        method(),
        path(prefixes),
        query(),
        body(),
        prop_oneof![4 => Just(true), 1 => Just(false)],
        vec(
            (
                select(
                    &[
                        "X-API-KEY",
                        "Authorization",
                        "Content-Length",
                        "Range",
                        "Accept",
                    ][..],
                )
                .prop_map(str::to_owned),
                word(),
            ),
            0..2,
        ),
    )
        .prop_map(|(method, path, query, body, authed, extra_headers)| Req {
            method,
            path,
            query,
            body,
            authed,
            extra_headers,
        })
}

impl Req {
    /// Builds the `http::Request`; `auth` adds credentials to it. `None` when the generated
    /// parts do not make a valid request (an invalid header value), which no server could see.
    pub fn build(
        &self,
        auth: impl FnOnce(&mut Vec<(String, String)>, &mut http::request::Builder),
    ) -> Option<http::Request<Bytes>> {
        let mut query = self.query.clone();
        let mut builder = http::Request::builder().method(self.method.clone());
        for (k, v) in &self.extra_headers {
            let v = http::HeaderValue::from_str(v).ok()?;
            builder = builder.header(k.as_str(), v);
        }
        if self.authed {
            auth(&mut query, &mut builder);
        }
        if let Some(ct) = &self.body.content_type {
            builder = builder.header(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_str(ct).ok()?,
            );
        }
        let qs = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&query)
            .finish();
        let uri = if qs.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{qs}", self.path)
        };
        builder
            .uri(uri.parse::<http::Uri>().ok()?)
            .body(self.body.bytes.clone())
            .ok()
    }
}

/// Adds a field to a body that carries fields (JSON object, form, multipart); other bodies are
/// left as they are.
pub fn with_field(body: &Body, key: &str, value: &str) -> Body {
    let ct = body.content_type.clone().unwrap_or_default();
    let mut out = body.clone();
    if ct.starts_with("application/json") {
        if let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(&body.bytes) {
            o.insert(key.to_owned(), Value::String(value.to_owned()));
            out.bytes = Bytes::from(Value::Object(o).to_string());
        }
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        let mut b = body.bytes.to_vec();
        if !b.is_empty() {
            b.push(b'&');
        }
        b.extend_from_slice(&form(&[(key.to_owned(), value.to_owned())]));
        out.bytes = Bytes::from(b);
    } else if ct.starts_with("multipart/form-data; boundary=") {
        let mut b = multipart(&[(key.to_owned(), value.to_owned())], true);
        b.extend_from_slice(&body.bytes);
        out.bytes = Bytes::from(b);
    }
    out
}
