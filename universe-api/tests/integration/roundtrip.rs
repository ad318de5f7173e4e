//! Property tests: what the client encodes into a query, the dispatcher decodes back unchanged.

use crate::common::{LOGIN, PASSWORD, Seen, TestCrm, basic, dispatcher};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::collections::BTreeMap;
use universe_api::{CallRequest, CallStatus, Client, LeadRequest, MessageRequest, TaskRequest};

fn client() -> Client {
    Client::builder()
        .base_url("http://crm.example/prefix")
        .credentials(LOGIN, PASSWORD)
        .build()
        .unwrap()
}

/// The URL the client sends for `pairs`: its endpoint with them form-encoded into the query.
fn request_url(pairs: &[(&str, String)]) -> url::Url {
    let mut url = client().endpoint().clone();
    url.query_pairs_mut()
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    url
}

/// Sends what the client would send straight into the dispatcher and returns what the handler saw.
fn through_dispatcher(pairs: &[(&str, String)]) -> Seen {
    let url = request_url(pairs);
    let uri = format!("{}?{}", url.path(), url.query().unwrap_or(""));
    let req = http::Request::get(uri)
        .header("authorization", basic(LOGIN, PASSWORD))
        .body(Bytes::new())
        .unwrap();
    let d = dispatcher(TestCrm {
        any_deal: true,
        ..TestCrm::default()
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let resp = rt.block_on(d.dispatch(req));
    assert_eq!(
        resp.status(),
        200,
        "{}",
        String::from_utf8_lossy(resp.body())
    );
    d.handler().seen().pop().unwrap()
}

/// Text with Cyrillic, spaces, `+`, `&`, `=`, `%`, quotes, braces and emoji; never blank.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zа-яА-ЯёЁ0-9 +&=%#?\"'{}:/.,😀-]{0,24}".prop_map(|s| format!("x{s}y"))
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn datetime() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn status() -> impl Strategy<Value = CallStatus> {
    prop_oneof![
        Just(CallStatus::Answer),
        Just(CallStatus::Busy),
        Just(CallStatus::NoAnswer),
        Just(CallStatus::Cancel),
        Just(CallStatus::Congestion),
        Just(CallStatus::ChanUnavail),
        Just(CallStatus::DontCall),
        Just(CallStatus::Torture),
        "[A-Z]{3,8}X".prop_map(|s| CallStatus::parse(&s)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lead_survives_the_query(
        title in text(), text_ in opt_text(), name in opt_text(), phone in opt_text(),
        email in opt_text(), data in proptest::collection::btree_map(text(), text(), 0..4),
        created in proptest::option::of(datetime()), visit in opt_text(), manager in opt_text(),
    ) {
        let lead = LeadRequest {
            title, text: text_, name, phone, email, data: data.into_iter().collect::<BTreeMap<_, _>>(),
            created_date: created, visit, manager_id: manager.map(Into::into),
        };
        prop_assert_eq!(through_dispatcher(&lead.query_pairs()), Seen::Lead(lead));
    }

    #[test]
    fn message_survives_the_query(lead in text(), title in opt_text(), message in text()) {
        let mut m = MessageRequest::new(lead, message);
        m.title = title;
        prop_assert_eq!(through_dispatcher(&m.query_pairs()), Seen::Message(m));
    }

    #[test]
    fn task_survives_the_query(element in text(), deadline in proptest::option::of(datetime()), text_ in text()) {
        let mut t = TaskRequest::new(element, text_);
        t.deadline = deadline;
        prop_assert_eq!(through_dispatcher(&t.query_pairs()), Seen::Task(t));
    }

    #[test]
    fn call_survives_the_query(
        id in text(), callee in opt_text(), caller in opt_text(), date in proptest::option::of(datetime()),
        visit in opt_text(), marker in opt_text(), status in proptest::option::of(status()),
        order in opt_text(), duration in proptest::option::of(0u64..100_000), file_url in opt_text(),
    ) {
        let call = CallRequest {
            id: id.into(), callee, caller, date, visit, marker, status,
            order_id: order.map(Into::into), duration, file_url,
        };
        prop_assert_eq!(through_dispatcher(&call.query_pairs()), Seen::Call(call));
    }

    /// Whatever parameters arrive, the answer is a 200 or a 4xx `{"status":"error"}` JSON,
    /// never a panic or a 500.
    #[test]
    fn arbitrary_parameters_never_panic_or_500(
        action in proptest::sample::select(vec!["", "import_scheme", "export_clients", "export",
            "lead", "message", "task", "call", "EXPORT", "nope"]),
        params in proptest::collection::vec(
            (proptest::sample::select(vec!["offset", "limit", "date", "title", "data", "created_date",
                "leadId", "message", "element_id", "deadline", "text", "id", "status", "duration",
                "order_id", "action"]),
             "[ -~а-я]{0,12}"),
            0..6),
    ) {
        let mut pairs = vec![("action", action.to_owned())];
        pairs.extend(params.iter().map(|(k, v)| (*k, v.clone())));
        let url = request_url(&pairs);
        let uri = format!("{}?{}", url.path(), url.query().unwrap_or(""));
        let req = http::Request::get(uri)
            .header("authorization", basic(LOGIN, PASSWORD))
            .body(Bytes::new())
            .unwrap();
        let d = dispatcher(TestCrm { any_deal: true, ..TestCrm::default() });
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let resp = rt.block_on(d.dispatch(req));
        let status = resp.status().as_u16();
        prop_assert!(status == 200 || (400..500).contains(&status), "{status}");
        let body: serde_json::Value = serde_json::from_slice(resp.body()).unwrap();
        if status != 200 {
            prop_assert_eq!(&body["status"], "error");
            prop_assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}
