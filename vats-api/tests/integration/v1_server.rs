//! The v1 dispatcher: every route (P1–P40) with good and bad input, status and body asserted.

use crate::v1_support::{KEY, fixture, fixture_json};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, StatusCode};
use serde_json::{Value, json};
use std::sync::Mutex;
use vats_api::CallId;
use vats_api::v1::{
    BlacklistAdd, BlacklistEntry, Dispatcher, Group, GroupId, GroupUpdate, GroupUsersChange,
    HandlerError, HandlerResult, HistoryCsvRow, HistoryQuery, HistoryRange, HistoryRecord,
    InnerHistoryCsvRow, InnerHistoryQuery, InnerHistoryRecord, ListQuery, Login, MakeCall,
    NewGroup, NewUser, Page, RouteSettings, Sim, Telnum, TelnumInfo, User, UserGroup, UserUpdate,
    VatsHandler, parse_history_csv, parse_inner_history_csv,
};

/// A PBX answering the seed's examples and logging what it was asked.
#[derive(Default)]
struct SeedPbx {
    log: Mutex<Vec<String>>,
}

impl SeedPbx {
    fn note(&self, s: String) {
        self.log.lock().unwrap().push(s);
    }
}

fn from_fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(fixture_json(name)).unwrap()
}

fn known_user(login: &Login) -> HandlerResult<()> {
    if login.as_str() == "ghost" {
        Err(HandlerError::not_found(format!("user {login}")))
    } else {
        Ok(())
    }
}

#[async_trait]
impl VatsHandler for SeedPbx {
    async fn history_csv(&self, q: HistoryQuery, r: HistoryRange) -> HandlerResult<Vec<HistoryCsvRow>> {
        self.note(format!("history_csv {:?} {:?} {}", q.kind, q.limit, r.to - r.from));
        Ok(parse_history_csv(fixture("v1_history.csv").as_bytes())?)
    }
    async fn history_json(&self, q: HistoryQuery, r: HistoryRange) -> HandlerResult<Vec<HistoryRecord>> {
        self.note(format!("history_json {:?} {} {}", q.period, r.from, r.to));
        Ok(from_fixture("v1_history.json"))
    }
    async fn inner_history_csv(
        &self,
        q: InnerHistoryQuery,
        _r: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryCsvRow>> {
        self.note(format!("inner_history_csv {:?}", q.kind));
        Ok(parse_inner_history_csv(fixture("v1_history_inner.csv").as_bytes())?)
    }
    async fn inner_history_json(
        &self,
        q: InnerHistoryQuery,
        _r: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryRecord>> {
        self.note(format!("inner_history_json {:?}", q.kind));
        Ok(from_fixture("v1_history_inner.json"))
    }
    async fn make_call(&self, call: MakeCall) -> HandlerResult<CallId> {
        self.note(format!("make_call {} {} {:?}", call.phone, call.user, call.clid));
        Ok(CallId::from("B10D0EB124F4E64AF4EA-1511"))
    }
    async fn list_users(&self, q: ListQuery) -> HandlerResult<Page<User>> {
        self.note(format!("list_users {:?} {:?} {:?}", q.search, q.start, q.limit));
        Ok(from_fixture("v1_users_list.json"))
    }
    async fn get_user(&self, login: Login) -> HandlerResult<User> {
        known_user(&login)?;
        Ok(from_fixture("v1_user.json"))
    }
    async fn create_user(&self, user: NewUser) -> HandlerResult<User> {
        self.note(format!("create_user {} {:?}", user.name, user.mobile_redirect));
        Ok(from_fixture("v1_user_create_answer.json"))
    }
    async fn update_user(&self, login: Login, update: UserUpdate) -> HandlerResult<User> {
        known_user(&login)?;
        let mut u: User = from_fixture("v1_user_create_answer.json");
        update.apply_to(&mut u);
        Ok(u)
    }
    async fn delete_user(&self, login: Login) -> HandlerResult<()> {
        known_user(&login)?;
        self.note(format!("delete_user {login}"));
        Ok(())
    }
    async fn user_groups(&self, login: Login) -> HandlerResult<Vec<UserGroup>> {
        known_user(&login)?;
        Ok(vec![UserGroup { id: "sales".into(), name: "Отдел продаж".into(), ext: "700".into() }])
    }
    async fn subscription_state(&self, login: Login, group: Option<GroupId>) -> HandlerResult<bool> {
        self.note(format!("subscription_state {login} {group:?}"));
        Ok(true)
    }
    async fn subscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        self.note(format!("subscribe {login} {group:?}"));
        Ok(())
    }
    async fn unsubscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        self.note(format!("unsubscribe {login} {group:?}"));
        Ok(())
    }
    async fn dnd_state(&self, login: Login) -> HandlerResult<bool> {
        known_user(&login)?;
        Ok(false)
    }
    async fn enable_dnd(&self, login: Login) -> HandlerResult<()> {
        self.note(format!("enable_dnd {login}"));
        Ok(())
    }
    async fn disable_dnd(&self, login: Login) -> HandlerResult<()> {
        self.note(format!("disable_dnd {login}"));
        Ok(())
    }
    async fn list_groups(&self, _q: ListQuery) -> HandlerResult<Page<Group>> {
        Ok(from_fixture("v1_groups_list.json"))
    }
    async fn get_group(&self, id: GroupId) -> HandlerResult<Group> {
        if id.as_str() == "sales" { Ok(from_fixture("v1_group.json")) } else { Err(HandlerError::not_found("group")) }
    }
    async fn create_group(&self, g: NewGroup) -> HandlerResult<Group> {
        self.note(format!("create_group {} {:?}", g.name, g.call_order));
        Ok(from_fixture("v1_group_create_answer.json"))
    }
    async fn update_group(&self, _id: GroupId, u: GroupUpdate) -> HandlerResult<Group> {
        let mut g: Group = from_fixture("v1_group.json");
        u.apply_to(&mut g);
        Ok(g)
    }
    async fn delete_group(&self, id: GroupId) -> HandlerResult<()> {
        self.note(format!("delete_group {id}"));
        Ok(())
    }
    async fn change_group_users(&self, id: GroupId, c: GroupUsersChange) -> HandlerResult<()> {
        self.note(format!("change_group_users {id} {} {:?}", c.add.len(), c.position));
        Ok(())
    }
    async fn list_telnums(&self, _q: ListQuery) -> HandlerResult<Page<TelnumInfo>> {
        Ok(from_fixture("v1_telnums_list.json"))
    }
    async fn get_telnum(&self, _t: Telnum) -> HandlerResult<TelnumInfo> {
        Ok(from_fixture("v1_telnum.json"))
    }
    async fn set_telnum_route(&self, t: Telnum, r: RouteSettings) -> HandlerResult<TelnumInfo> {
        self.note(format!("set_telnum_route {t} {} {:?}", r.kind, r.schedule.map(|s| s.sunday)));
        Ok(from_fixture("v1_telnum.json"))
    }
    async fn enable_telnum(&self, t: Telnum) -> HandlerResult<()> {
        self.note(format!("enable_telnum {t}"));
        Ok(())
    }
    async fn disable_telnum(&self, t: Telnum) -> HandlerResult<()> {
        self.note(format!("disable_telnum {t}"));
        Ok(())
    }
    async fn list_sims(&self, _q: ListQuery) -> HandlerResult<Page<Sim>> {
        Ok(from_fixture("v1_sims_list.json"))
    }
    async fn get_sim(&self, _t: Telnum) -> HandlerResult<Sim> {
        Ok(from_fixture("v1_sim.json"))
    }
    async fn assign_sim_to_user(&self, t: Telnum, l: Login) -> HandlerResult<()> {
        self.note(format!("assign_sim_to_user {t} {l}"));
        Ok(())
    }
    async fn assign_sim_to_company(&self, t: Telnum) -> HandlerResult<()> {
        self.note(format!("assign_sim_to_company {t}"));
        Ok(())
    }
    async fn disable_sim(&self, t: Telnum) -> HandlerResult<()> {
        self.note(format!("disable_sim {t}"));
        Ok(())
    }
    async fn delete_sim(&self, t: Telnum) -> HandlerResult<()> {
        self.note(format!("delete_sim {t}"));
        Ok(())
    }
    async fn list_blacklist(&self, _q: ListQuery, stats: bool) -> HandlerResult<Page<BlacklistEntry>> {
        self.note(format!("list_blacklist {stats}"));
        Ok(from_fixture("v1_blacklist_list.json"))
    }
    async fn add_to_blacklist(&self, add: BlacklistAdd) -> HandlerResult<()> {
        self.note(format!("add_to_blacklist {:?} {:?}", add.telnum, add.comment));
        Ok(())
    }
    async fn remove_from_blacklist(&self, telnums: Vec<String>) -> HandlerResult<()> {
        self.note(format!("remove_from_blacklist {telnums:?}"));
        Ok(())
    }
    async fn block_anonymous_state(&self) -> HandlerResult<bool> {
        Ok(true)
    }
    async fn enable_block_anonymous(&self) -> HandlerResult<()> {
        self.note("enable_block_anonymous".into());
        Ok(())
    }
    async fn disable_block_anonymous(&self) -> HandlerResult<()> {
        self.note("disable_block_anonymous".into());
        Ok(())
    }
}

fn dispatcher() -> Dispatcher<SeedPbx> {
    Dispatcher::new(SeedPbx::default(), KEY.into())
}

fn request(method: &str, uri: &str, ctype: Option<&str>, body: &str) -> Request<Bytes> {
    let mut b = Request::builder()
        .method(method)
        .uri(format!("/crmapi/v1/{uri}"))
        .header("X-API-KEY", KEY);
    if let Some(c) = ctype {
        b = b.header("content-type", c);
    }
    b.body(Bytes::from(body.to_owned())).unwrap()
}

struct Answer {
    status: u16,
    text: String,
    content_type: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

async fn send(d: &Dispatcher<SeedPbx>, req: Request<Bytes>) -> Answer {
    let r = d.dispatch(req).await;
    Answer {
        status: r.status().as_u16(),
        content_type: r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        text: String::from_utf8(r.body().to_vec()).unwrap(),
    }
}

async fn call(d: &Dispatcher<SeedPbx>, method: &str, uri: &str, json_body: Option<Value>) -> Answer {
    let req = match json_body {
        Some(v) => request(method, uri, Some("application/json"), &v.to_string()),
        None => request(method, uri, None, ""),
    };
    send(d, req).await
}

fn last_log(d: &Dispatcher<SeedPbx>) -> String {
    d.handler().log.lock().unwrap().last().cloned().unwrap_or_default()
}

#[tokio::test]
async fn p1_history_csv_answers_csv_with_header() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/csv?period=yesterday&type=MISSED&limit=%2210%22", None).await;
    assert_eq!(a.status, 400, "{}", a.text); // limit with quotes is not a number
    let a = call(&d, "GET", "history/csv?period=yesterday&type=MISSED&limit=10", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "text/csv; charset=utf-8");
    assert!(a.text.starts_with("uid,type,client,account,via,start,wait,duration,record,rating\n"));
    assert!(a.text.contains("1755936870,in,79008003396,admin,79001112233,2017-07-07T13:14:08Z,5,23,"));
    assert_eq!(last_log(&d), "history_csv Some(Missed) Some(10) PT86400S");
    assert_eq!(parse_history_csv(a.text.as_bytes()).unwrap().len(), 2);
}

#[tokio::test]
async fn p2_history_json_answers_the_seed_records_and_resolves_start_end() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/json?start=20220120T000000Z&end=20220121T000000Z", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), fixture_json("v1_history.json").as_array().map(|v| {
        let mut v = v.clone();
        // The writer emits the canonical status spelling.
        v[0]["status"] = json!("Missed");
        v[1]["status"] = json!("Success");
        Value::Array(v)
    }).unwrap());
    assert_eq!(last_log(&d), "history_json None 2022-01-20 00:00:00 UTC 2022-01-21 00:00:00 UTC");
}

#[tokio::test]
async fn p1_p2_reject_bad_period_type_and_times_naming_the_field() {
    let d = dispatcher();
    for (uri, field) in [
        ("history/json?period=fortnight", "period"),
        ("history/json?type=sideways", "type"),
        ("history/csv?start=yesterday", "start"),
        ("history/json?start=20220121T000000Z&end=20220120T000000Z", "start"),
        ("history/inner/json?type=missed", "type"),
        ("history/inner/csv?limit=many", "limit"),
    ] {
        let a = call(&d, "GET", uri, None).await;
        assert_eq!(a.status, 400, "{uri}");
        let body = a.json();
        assert_eq!(body["error"], "Validation error");
        assert!(body["detail"].as_str().unwrap().starts_with(field), "{uri}: {body}");
    }
}

#[tokio::test]
async fn p3_inner_history_csv_round_trips_the_seed_example() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/inner/csv?type=NoAnswer", None).await;
    assert_eq!(a.status, 200);
    assert!(a.text.starts_with("uid,status,from,to,start,wait,duration,record\n1910575453,out,"));
    assert_eq!(last_log(&d), "inner_history_csv Some(NoAnswer)");
}

#[tokio::test]
async fn p4_inner_history_json() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/inner/json?period=today", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), fixture_json("v1_history_inner.json"));
}

#[tokio::test]
async fn p5_makecall_accepts_json_form_and_multipart() {
    let d = dispatcher();
    let a = call(&d, "POST", "makecall", Some(fixture_json("v1_makecall_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, json!({"callid": "B10D0EB124F4E64AF4EA-1511"})));
    assert_eq!(last_log(&d), "make_call 79101234567 admin None");

    let form = request("POST", "makecall", Some("application/x-www-form-urlencoded"), "phone=79101234567&user=701&clid=74950001122");
    assert_eq!(send(&d, form).await.status, 200);
    assert_eq!(last_log(&d), "make_call 79101234567 701 Some(\"74950001122\")");

    let mp = "--B\r\nContent-Disposition: form-data; name=\"phone\"\r\n\r\n79101234567\r\n--B\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nadmin\r\n--B--\r\n";
    let a = send(&d, request("POST", "makecall", Some("multipart/form-data; boundary=B"), mp)).await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test]
async fn p5_makecall_rejects_plus_missing_fields_and_non_json_bodies() {
    let d = dispatcher();
    let cases = [
        (Some("application/json"), r#"{"phone":"+79101234567","user":"admin"}"#, "phone"),
        (Some("application/json"), r#"{"phone":79101234567}"#, "user"),
        (Some("application/json"), r#"{"user":"admin"}"#, "phone"),
        (Some("application/json"), "{not json", "body"),
        (Some("application/json"), "[1,2]", "body"),
        (Some("application/xml"), "<call/>", "body"),
        (None, "", "phone"),
    ];
    for (ctype, body, field) in cases {
        let a = send(&d, request("POST", "makecall", ctype, body)).await;
        assert_eq!(a.status, 400, "{body}");
        let j = a.json();
        assert_eq!(j["error"], "Validation error");
        assert!(j["detail"].as_str().unwrap().starts_with(field), "{body}: {j}");
    }
}

#[tokio::test]
async fn p6_list_users_reads_paging_numbers_as_given() {
    let d = dispatcher();
    let a = call(&d, "GET", "users?search=adm&start=0&limit=3", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), fixture_json("v1_users_list.json"));
    assert_eq!(last_log(&d), "list_users Some(\"adm\") Some(0) Some(3)");
    let a = call(&d, "GET", "users?start=first", None).await;
    assert_eq!((a.status, a.json()["detail"].as_str().unwrap().starts_with("start")), (400, true));
}

#[tokio::test]
async fn p7_get_user_and_404() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_user.json")));
    let a = call(&d, "GET", "users/ghost", None).await;
    assert_eq!((a.status, a.json()), (404, json!({"error": "Not found", "detail": "user ghost"})));
}

#[tokio::test]
async fn p8_create_user_validates_and_answers_the_seed_example() {
    let d = dispatcher();
    let a = call(&d, "POST", "users", Some(fixture_json("v1_user_create_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_user_create_answer.json")));
    for (body, field) in [
        (json!({"mobile": "7900"}), "name"),
        (json!({"name": "A", "role": "god"}), "role"),
        (json!({"name": "A", "mobile": "7900", "mobile_redirect": {"enabled": true, "delay": 7}}), "mobile_redirect.delay"),
        (json!({"name": "A", "mobile_redirect": {"enabled": true}}), "mobile"),
        (json!({"name": "A", "mobile_redirect": {"enabled": "perhaps"}}), "mobile_redirect.enabled"),
    ] {
        let a = call(&d, "POST", "users", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(a.json()["detail"].as_str().unwrap().starts_with(field), "{body}: {}", a.text);
    }
}

#[tokio::test]
async fn p9_update_user_applies_the_seed_request() {
    let d = dispatcher();
    let a = call(&d, "PUT", "users/u704", Some(fixture_json("v1_user_update_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_user_update_answer.json")));
    let a = call(&d, "PUT", "users/u704", Some(json!({"role": "ADMIN", "ext": 709}))).await;
    assert_eq!((a.json()["role"].clone(), a.json()["ext"].clone()), (json!("admin"), json!("709")));
    let a = call(&d, "PUT", "users/ghost", Some(json!({}))).await;
    assert_eq!(a.status, 404);
    let a = call(&d, "PUT", "users/u704", Some(json!({"role": "root"}))).await;
    assert_eq!(a.status, 400);
}

#[tokio::test]
async fn p10_delete_user_answers_204() {
    let d = dispatcher();
    let a = call(&d, "DELETE", "users/u704", None).await;
    assert_eq!((a.status, a.text.as_str()), (204, ""));
    assert_eq!(last_log(&d), "delete_user u704");
    assert_eq!(call(&d, "DELETE", "users/ghost", None).await.status, 404);
}

#[tokio::test]
async fn p11_user_groups() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin/groups", None).await;
    assert_eq!((a.status, a.json()), (200, json!([{"id": "sales", "name": "Отдел продаж", "ext": "700"}])));
    assert_eq!(call(&d, "GET", "users/ghost/groups", None).await.status, 404);
}

#[tokio::test]
async fn p12_to_p14_subscription_with_and_without_group() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin/subscription?group_id=sales", None).await;
    assert_eq!((a.status, a.json()), (200, json!({"state": true})));
    assert_eq!(last_log(&d), "subscription_state admin Some(GroupId(\"sales\"))");
    assert_eq!(call(&d, "POST", "users/admin/subscription", None).await.status, 204);
    assert_eq!(last_log(&d), "subscribe admin None");
    assert_eq!(call(&d, "DELETE", "users/admin/subscription?group_id=sales", None).await.status, 204);
    assert_eq!(last_log(&d), "unsubscribe admin Some(GroupId(\"sales\"))");
    assert_eq!(call(&d, "PUT", "users/admin/subscription", None).await.status, 405);
}

#[tokio::test]
async fn p15_to_p17_dnd() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/701/dnd", None).await;
    assert_eq!((a.status, a.json()), (200, json!({"state": false})));
    assert_eq!(call(&d, "GET", "users/ghost/dnd", None).await.status, 404);
    assert_eq!(call(&d, "POST", "users/701/dnd", None).await.status, 204);
    assert_eq!(last_log(&d), "enable_dnd 701");
    assert_eq!(call(&d, "DELETE", "users/701/dnd", None).await.status, 204);
    assert_eq!(last_log(&d), "disable_dnd 701");
}

#[tokio::test]
async fn p18_p19_groups_list_and_get() {
    let d = dispatcher();
    let a = call(&d, "GET", "groups?limit=2", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_groups_list.json")));
    let a = call(&d, "GET", "groups/sales", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_group.json")));
    assert_eq!(call(&d, "GET", "groups/none", None).await.status, 404);
}

#[tokio::test]
async fn p20_create_group_validates_allowed_values() {
    let d = dispatcher();
    let a = call(&d, "POST", "groups", Some(fixture_json("v1_group_create_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_group_create_answer.json")));
    assert_eq!(last_log(&d), "create_group Отдел поставок Some(Evenly)");
    for (body, field) in [
        (json!({"call_order": "ALL"}), "name"),
        (json!({"name": "X", "call_order": "RANDOM"}), "call_order"),
        (json!({"name": "X", "call_duration": 7}), "call_duration"),
        (json!({"name": "X", "advanced": "dance"}), "advanced"),
        (json!({"name": "X", "timeout": {"time": 45}}), "timeout.time"),
        (json!({"name": "X", "timeout": {"target": "group"}}), "timeout.group"),
        (json!({"name": "X", "users": [{"calls_enable": true}]}), "users[0].login"),
    ] {
        let a = call(&d, "POST", "groups", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(a.json()["detail"].as_str().unwrap().starts_with(field), "{body}: {}", a.text);
    }
}

#[tokio::test]
async fn p21_p22_update_and_delete_group() {
    let d = dispatcher();
    let a = call(&d, "PUT", "groups/sales", Some(json!({"call_order": "waterfall", "call_duration": "20"}))).await;
    assert_eq!(a.status, 200);
    assert_eq!((a.json()["call_order"].clone(), a.json()["call_duration"].clone()), (json!("WATERFALL"), json!(20)));
    let a = call(&d, "PUT", "groups/sales", Some(fixture_json("v1_group_update_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_group.json")));
    assert_eq!(call(&d, "PUT", "groups/sales", Some(json!({"call_duration": 31}))).await.status, 400);
    assert_eq!(call(&d, "DELETE", "groups/sales", None).await.status, 204);
    assert_eq!(last_log(&d), "delete_group sales");
}

#[tokio::test]
async fn p23_change_group_users_json_and_form() {
    let d = dispatcher();
    let a = call(&d, "POST", "groups/sales/users", Some(fixture_json("v1_group_users_request.json"))).await;
    assert_eq!(a.status, 204);
    assert_eq!(last_log(&d), "change_group_users sales 5 Some(2)");
    let form = request("POST", "groups/sales/users", Some("application/x-www-form-urlencoded"), "add=a&add=b&position=-1");
    assert_eq!(send(&d, form).await.status, 204);
    assert_eq!(last_log(&d), "change_group_users sales 2 Some(-1)");
    let a = call(&d, "POST", "groups/sales/users", Some(json!({"position": "top"}))).await;
    assert_eq!((a.status, a.json()["detail"].as_str().unwrap().starts_with("position")), (400, true));
    assert_eq!(call(&d, "GET", "groups/sales/users", None).await.status, 405);
}

#[tokio::test]
async fn p24_to_p26_telnums() {
    let d = dispatcher();
    let a = call(&d, "GET", "telnums", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_telnums_list.json")));
    let a = call(&d, "GET", "telnums/79007775555", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_telnum.json")));
    let a = call(&d, "POST", "telnums/79007775555", Some(fixture_json("v1_telnum_route_request.json"))).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_telnum.json")));
    assert_eq!(last_log(&d), "set_telnum_route 79007775555 group None");
}

#[tokio::test]
async fn p26_route_schedule_is_normalized_and_validated() {
    let d = dispatcher();
    let body = json!({"type": "scheduler", "greeting": true, "work": {"subtype": "group", "group": "sales"},
        "other": {"subtype": "user", "user": "admin"}, "schedule": fixture_json("v1_schedule_request.json")});
    let a = call(&d, "POST", "telnums/79007775555", Some(body)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        last_log(&d),
        "set_telnum_route 79007775555 scheduler Some(Some(DaySchedule { start: 0, end: 0, holiday: true }))"
    );
    for (body, field) in [
        (json!({"greeting": true}), "type"),
        (json!({"type": "group"}), "greeting"),
        (json!({"type": "teleport", "greeting": false}), "type"),
        (json!({"type": "user", "greeting": false}), "user"),
        (json!({"type": "scheduler", "greeting": false, "work": {"subtype": "user", "user": "a"}}), "schedule"),
        (json!({"type": "fax", "greeting": false, "schedule": {"monday": {"start": 100, "end": 50}}}), "schedule.monday.end"),
    ] {
        let a = call(&d, "POST", "telnums/79007775555", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(a.json()["detail"].as_str().unwrap().starts_with(field), "{body}: {}", a.text);
    }
}

#[tokio::test]
async fn p27_p28_telnum_enabled() {
    let d = dispatcher();
    assert_eq!(call(&d, "POST", "telnums/79007775555/enabled", None).await.status, 204);
    assert_eq!(last_log(&d), "enable_telnum 79007775555");
    assert_eq!(call(&d, "DELETE", "telnums/79007775555/enabled", None).await.status, 204);
    assert_eq!(last_log(&d), "disable_telnum 79007775555");
    assert_eq!(call(&d, "GET", "telnums/79007775555/enabled", None).await.status, 405);
}

#[tokio::test]
async fn p29_to_p34_sims() {
    let d = dispatcher();
    let a = call(&d, "GET", "sims", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_sims_list.json")));
    let a = call(&d, "GET", "sims/79261234567", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_sim.json")));
    for (method, uri, log) in [
        ("POST", "sims/79261234567/user/ivan", "assign_sim_to_user 79261234567 ivan"),
        ("POST", "sims/79261234567/company", "assign_sim_to_company 79261234567"),
        ("POST", "sims/79261234567/disable", "disable_sim 79261234567"),
        ("DELETE", "sims/79261234567", "delete_sim 79261234567"),
    ] {
        let a = call(&d, method, uri, None).await;
        assert_eq!((a.status, a.text.as_str()), (204, ""), "{uri}");
        assert_eq!(last_log(&d), log);
    }
    assert_eq!(call(&d, "DELETE", "sims/79261234567/company", None).await.status, 405);
    assert_eq!(call(&d, "POST", "sims/79261234567/user", None).await.status, 404);
}

#[tokio::test]
async fn p35_blacklist_list_with_statistics() {
    let d = dispatcher();
    let a = call(&d, "GET", "blacklist/telnums?with=statistics", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_blacklist_list.json")));
    assert_eq!(last_log(&d), "list_blacklist true");
    let a = call(&d, "GET", "blacklist/telnums?with=everything", None).await;
    assert_eq!((a.status, a.json()["detail"].as_str().unwrap().starts_with("with")), (400, true));
}

#[tokio::test]
async fn p36_blacklist_add_validates_patterns() {
    let d = dispatcher();
    let a = call(&d, "POST", "blacklist/telnums", Some(json!({"telnum": "7900800*", "comment": "Причина"}))).await;
    assert_eq!(a.status, 204);
    assert_eq!(last_log(&d), "add_to_blacklist [\"7900800*\"] Some(\"Причина\")");
    let form = request("POST", "blacklist/telnums", Some("application/x-www-form-urlencoded"), "telnum=79998880011&telnum=1234*");
    assert_eq!(send(&d, form).await.status, 204);
    for body in [json!({"comment": "x"}), json!({"telnum": "+7900"}), json!({"telnum": "79*00"}), json!({"telnum": []})] {
        let a = call(&d, "POST", "blacklist/telnums", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(a.json()["detail"].as_str().unwrap().starts_with("telnum"), "{}", a.text);
    }
}

#[tokio::test]
async fn p37_blacklist_remove_takes_repeated_telnum() {
    let d = dispatcher();
    let uri = "blacklist/telnums?telnum=79098889900&telnum=7900800*&telnum=88899988899";
    assert_eq!(call(&d, "DELETE", uri, None).await.status, 204);
    assert_eq!(last_log(&d), "remove_from_blacklist [\"79098889900\", \"7900800*\", \"88899988899\"]");
    let a = call(&d, "DELETE", "blacklist/telnums", None).await;
    assert_eq!((a.status, a.json()["error"].clone()), (400, json!("Validation error")));
}

#[tokio::test]
async fn p38_to_p40_block_anonymous() {
    let d = dispatcher();
    let a = call(&d, "GET", "blacklist/block-anonymous", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_state.json")));
    assert_eq!(call(&d, "POST", "blacklist/block-anonymous", None).await.status, 204);
    assert_eq!(last_log(&d), "enable_block_anonymous");
    assert_eq!(call(&d, "DELETE", "blacklist/block-anonymous", None).await.status, 204);
    assert_eq!(last_log(&d), "disable_block_anonymous");
}

#[tokio::test]
async fn rejects_missing_or_wrong_api_key_with_401() {
    let d = dispatcher();
    let no_key = Request::get("/crmapi/v1/users").body(Bytes::new()).unwrap();
    let a = send(&d, no_key).await;
    assert_eq!((a.status, a.json()), (401, json!({"error": "Invalid token"})));
    let wrong = Request::get("/crmapi/v1/users").header("X-API-KEY", "nope").body(Bytes::new()).unwrap();
    assert_eq!(send(&d, wrong).await.status, 401);
    assert!(d.handler().log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_paths_get_404_and_wrong_methods_405_with_allow() {
    let d = dispatcher();
    for uri in ["nothing", "users/a/b/c", "history", "blacklist"] {
        let a = call(&d, "GET", uri, None).await;
        assert_eq!((a.status, a.json()), (404, json!({"error": "Not found"})), "{uri}");
    }
    let outside = Request::get("/other/users").header("X-API-KEY", KEY).body(Bytes::new()).unwrap();
    assert_eq!(send(&d, outside).await.status, 404);
    let r = d.dispatch(request("PATCH", "users/admin", None, "")).await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["allow"], "GET, PUT, DELETE");
    assert_eq!(r.body().as_ref(), br#"{"error":"Method Not Allowed"}"#);
    assert_eq!(call(&d, "DELETE", "makecall", None).await.status, 405);
}

#[tokio::test]
async fn handler_defaults_answer_405_and_errors_map_to_the_seed_texts() {
    struct Nothing;
    impl VatsHandler for Nothing {}
    let d = Dispatcher::new(Nothing, KEY.into());
    let r = d.dispatch(request("GET", "sims", None, "")).await;
    assert_eq!((r.status().as_u16(), r.body().as_ref()), (405, br#"{"error":"Method Not Allowed"}"#.as_ref()));
    for (e, status, text) in [
        (HandlerError::CrmDisabled, 401, "CRM disabled"),
        (HandlerError::CrmSwitchedOff, 401, "CRM switched off"),
        (HandlerError::InvalidToken, 401, "Invalid token"),
        (HandlerError::validation("phone", "bad"), 400, "Validation error"),
        (HandlerError::Internal("db down".into()), 500, "Internal error"),
    ] {
        assert_eq!((e.status().as_u16(), e.error_text()), (status, text));
    }
    assert_eq!(HandlerError::Internal("db down".into()).detail(), None);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let d = dispatcher().with_body_limit(16);
    let a = call(&d, "POST", "users", Some(json!({"name": "a very long name indeed"}))).await;
    assert_eq!((a.status, a.json()["error"].clone()), (413, json!("Payload Too Large")));
}

#[tokio::test]
async fn serves_under_another_prefix_and_as_a_tower_service() {
    use tower_service::Service;
    let mut d = dispatcher().with_prefix("/");
    let req = Request::get("/users/admin").header("X-API-KEY", KEY).body(Bytes::new()).unwrap();
    let r = d.call(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn dispatcher_debug_hides_the_key() {
    let shown = format!("{:?}", dispatcher());
    assert!(!shown.contains(KEY) && shown.contains("REDACTED"), "{shown}");
}
