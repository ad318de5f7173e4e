//! A PBX handler answering the vendor document's examples, and request helpers, for the dispatcher tests.

use crate::v1_support::{KEY, fixture, fixture_json};
use async_trait::async_trait;
use bytes::Bytes;
use http::Request;
use serde_json::Value;
use std::sync::Mutex;
use vats_api::v1::{
    BlacklistAdd, BlacklistEntry, Dispatcher, Group, GroupId, GroupUpdate, GroupUsersChange,
    HandlerResult, HistoryCsvRow, HistoryQuery, HistoryRange, HistoryRecord, InnerHistoryCsvRow,
    InnerHistoryQuery, InnerHistoryRecord, ListQuery, Login, MakeCall, NewGroup, NewUser, Page,
    RouteSettings, Sim, Telnum, TelnumInfo, User, UserGroup, UserUpdate, VatsHandler,
    parse_history_csv, parse_inner_history_csv,
};
use vats_api::{CallId, HandlerError};

/// A PBX answering the vendor document's examples and logging what it was asked.
#[derive(Default)]
pub(crate) struct SeedPbx {
    pub(crate) log: Mutex<Vec<String>>,
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
    async fn history_csv(
        &self,
        q: HistoryQuery,
        r: HistoryRange,
    ) -> HandlerResult<Vec<HistoryCsvRow>> {
        self.note(format!(
            "history_csv {:?} {:?} {}",
            q.kind,
            q.limit,
            r.to - r.from
        ));
        Ok(parse_history_csv(fixture("v1_history.csv").as_bytes())?)
    }
    async fn history_json(
        &self,
        q: HistoryQuery,
        r: HistoryRange,
    ) -> HandlerResult<Vec<HistoryRecord>> {
        self.note(format!("history_json {:?} {} {}", q.period, r.from, r.to));
        Ok(from_fixture("v1_history.json"))
    }
    async fn inner_history_csv(
        &self,
        q: InnerHistoryQuery,
        _r: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryCsvRow>> {
        self.note(format!("inner_history_csv {:?}", q.kind));
        Ok(parse_inner_history_csv(
            fixture("v1_history_inner.csv").as_bytes(),
        )?)
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
        self.note(format!(
            "make_call {} {} {:?}",
            call.phone, call.user, call.clid
        ));
        Ok(CallId::from("B10D0EB124F4E64AF4EA-1511"))
    }
    async fn list_users(&self, q: ListQuery) -> HandlerResult<Page<User>> {
        self.note(format!(
            "list_users {:?} {:?} {:?}",
            q.search, q.start, q.limit
        ));
        Ok(from_fixture("v1_users_list.json"))
    }
    async fn get_user(&self, login: Login) -> HandlerResult<User> {
        known_user(&login)?;
        Ok(from_fixture("v1_user.json"))
    }
    async fn create_user(&self, user: NewUser) -> HandlerResult<User> {
        self.note(format!(
            "create_user {} {:?}",
            user.name, user.mobile_redirect
        ));
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
        Ok(vec![UserGroup {
            id: "sales".into(),
            name: "Отдел продаж".into(),
            ext: "700".into(),
        }])
    }
    async fn subscription_state(
        &self,
        login: Login,
        group: Option<GroupId>,
    ) -> HandlerResult<bool> {
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
        if id.as_str() == "sales" {
            Ok(from_fixture("v1_group.json"))
        } else {
            Err(HandlerError::not_found("group"))
        }
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
        self.note(format!(
            "change_group_users {id} {} {:?}",
            c.add.len(),
            c.position
        ));
        Ok(())
    }
    async fn list_telnums(&self, _q: ListQuery) -> HandlerResult<Page<TelnumInfo>> {
        Ok(from_fixture("v1_telnums_list.json"))
    }
    async fn get_telnum(&self, _t: Telnum) -> HandlerResult<TelnumInfo> {
        Ok(from_fixture("v1_telnum.json"))
    }
    async fn set_telnum_route(&self, t: Telnum, r: RouteSettings) -> HandlerResult<TelnumInfo> {
        self.note(format!(
            "set_telnum_route {t} {} {:?}",
            r.kind,
            r.schedule.map(|s| s.sunday)
        ));
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
    async fn list_blacklist(
        &self,
        _q: ListQuery,
        stats: bool,
    ) -> HandlerResult<Page<BlacklistEntry>> {
        self.note(format!("list_blacklist {stats}"));
        Ok(from_fixture("v1_blacklist_list.json"))
    }
    async fn add_to_blacklist(&self, add: BlacklistAdd) -> HandlerResult<()> {
        self.note(format!(
            "add_to_blacklist {:?} {:?}",
            add.telnum, add.comment
        ));
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

pub(crate) fn dispatcher() -> Dispatcher<SeedPbx> {
    Dispatcher::new(SeedPbx::default(), KEY)
}

pub(crate) fn request(method: &str, uri: &str, ctype: Option<&str>, body: &str) -> Request<Bytes> {
    let mut b = Request::builder()
        .method(method)
        .uri(format!("/crmapi/v1/{uri}"))
        .header("X-API-KEY", KEY);
    if let Some(c) = ctype {
        b = b.header("content-type", c);
    }
    b.body(Bytes::from(body.to_owned())).unwrap()
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) text: String,
    pub(crate) content_type: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    /// Asserts a 400 `{"error":"Validation error","detail":"<field>…"}`; `case` names the input.
    pub(crate) fn assert_invalid(&self, field: &str, case: &dyn std::fmt::Display) {
        assert_eq!(self.status, 400, "{case}: {}", self.text);
        let j = self.json();
        assert_eq!(j["error"], "Validation error", "{case}: {j}");
        assert!(
            j["detail"].as_str().unwrap().starts_with(field),
            "{case}: expected a detail naming {field}, got {j}"
        );
    }
}

pub(crate) async fn send(d: &Dispatcher<SeedPbx>, req: Request<Bytes>) -> Answer {
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

pub(crate) async fn call(
    d: &Dispatcher<SeedPbx>,
    method: &str,
    uri: &str,
    json_body: Option<Value>,
) -> Answer {
    let req = match json_body {
        Some(v) => request(method, uri, Some("application/json"), &v.to_string()),
        None => request(method, uri, None, ""),
    };
    send(d, req).await
}

pub(crate) fn last_log(d: &Dispatcher<SeedPbx>) -> String {
    d.handler()
        .log
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or_default()
}
