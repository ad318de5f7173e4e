//! Routing table (P1–P40) and per-operation decoding, validation and answers.

use super::validate::{
    check_group, check_patterns, check_redirect, check_role, check_route, history_query,
    inner_history_query, statistics,
};
use super::{HandlerError, HandlerResult, VatsHandler};
use crate::v1::types::blacklist::BlacklistAdd;
use crate::v1::types::calls::{MakeCall, MakeCallAnswer};
use crate::v1::types::groups::{GroupUpdate, GroupUsersChange, NewGroup};
use crate::v1::types::history_csv::{write_history_csv, write_inner_history_csv};
use crate::v1::types::ids::{GroupId, Login, Telnum};
use crate::v1::types::list::ListQuery;
use crate::v1::types::telnums::RouteSettings;
use crate::v1::types::users::{NewUser, State, UserUpdate};
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Response, StatusCode, header};
use http_plumbing::{decode_fields, empty_response, from_fields, json_response};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// Why a request matched no operation.
pub(crate) enum RouteError {
    /// No such path.
    NotFound,
    /// The path exists with other methods (the `Allow` header value).
    MethodNotAllowed(&'static str),
}

/// One operation with its path parameters.
pub(crate) enum Op {
    HistoryCsv,
    HistoryJson,
    InnerHistoryCsv,
    InnerHistoryJson,
    MakeCall,
    ListUsers,
    GetUser(Login),
    CreateUser,
    UpdateUser(Login),
    DeleteUser(Login),
    UserGroups(Login),
    SubscriptionState(Login),
    Subscribe(Login),
    Unsubscribe(Login),
    DndState(Login),
    EnableDnd(Login),
    DisableDnd(Login),
    ListGroups,
    GetGroup(GroupId),
    CreateGroup,
    UpdateGroup(GroupId),
    DeleteGroup(GroupId),
    ChangeGroupUsers(GroupId),
    ListTelnums,
    GetTelnum(Telnum),
    SetTelnumRoute(Telnum),
    EnableTelnum(Telnum),
    DisableTelnum(Telnum),
    ListSims,
    GetSim(Telnum),
    AssignSimToUser(Telnum, Login),
    AssignSimToCompany(Telnum),
    DisableSim(Telnum),
    DeleteSim(Telnum),
    ListBlacklist,
    AddToBlacklist,
    RemoveFromBlacklist,
    BlockAnonymousState,
    EnableBlockAnonymous,
    DisableBlockAnonymous,
}

/// More path segments than any route has.
pub(crate) const MAX_SEGMENTS: usize = 6;

/// The `Allow` header of a path serving the methods marked `true` (GET, POST, PUT, DELETE).
fn allow(get: bool, post: bool, put: bool, delete: bool) -> &'static str {
    match (get, post, put, delete) {
        (true, false, false, false) => "GET",
        (false, true, false, false) => "POST",
        (true, true, false, false) => "GET, POST",
        (true, false, false, true) => "GET, DELETE",
        (false, true, false, true) => "POST, DELETE",
        (true, true, false, true) => "GET, POST, DELETE",
        (true, false, true, true) => "GET, PUT, DELETE",
        _ => "GET, POST, PUT, DELETE",
    }
}

/// Which of four slots (GET/HEAD, POST, PUT, DELETE) a method takes, if any.
fn slot<T>(method: &Method, get: T, post: T, put: T, delete: T) -> Option<T> {
    match *method {
        Method::GET | Method::HEAD => Some(get),
        Method::POST => Some(post),
        Method::PUT => Some(put),
        Method::DELETE => Some(delete),
        _ => None,
    }
}

/// Picks the operation for a method on a path whose operations carry no data.
fn pick(
    method: &Method,
    get: Option<Op>,
    post: Option<Op>,
    put: Option<Op>,
    delete: Option<Op>,
) -> Result<Op, RouteError> {
    let allowed = allow(
        get.is_some(),
        post.is_some(),
        put.is_some(),
        delete.is_some(),
    );
    slot(method, get, post, put, delete)
        .flatten()
        .ok_or(RouteError::MethodNotAllowed(allowed))
}

/// Picks the operation for a method on a path whose operations all carry `x` (a login, a
/// group, a number): `x` is built once and moved into the one operation chosen.
fn pick_with<X>(
    method: &Method,
    x: X,
    get: Option<fn(X) -> Op>,
    post: Option<fn(X) -> Op>,
    put: Option<fn(X) -> Op>,
    delete: Option<fn(X) -> Op>,
) -> Result<Op, RouteError> {
    match slot(method, get, post, put, delete).flatten() {
        Some(make) => Ok(make(x)),
        None => Err(RouteError::MethodNotAllowed(allow(
            get.is_some(),
            post.is_some(),
            put.is_some(),
            delete.is_some(),
        ))),
    }
}

/// Matches a path (segments after the prefix, percent-decoded) and a method to an operation.
pub(crate) fn route(method: &Method, segments: &[Cow<'_, str>]) -> Result<Op, RouteError> {
    // The deepest route has four segments: a longer path is no route (and needs no Vec).
    let mut buf = [""; MAX_SEGMENTS];
    if segments.len() > MAX_SEGMENTS {
        return Err(RouteError::NotFound);
    }
    for (b, c) in buf.iter_mut().zip(segments) {
        *b = c.as_ref();
    }
    let s = &buf[..segments.len()];
    let m = method;
    let login = |l: &str| Login::from(l);
    let tel = |t: &str| Telnum::from(t);
    match s {
        ["history", "csv"] => pick(m, Some(Op::HistoryCsv), None, None, None),
        ["history", "json"] => pick(m, Some(Op::HistoryJson), None, None, None),
        ["history", "inner", "csv"] => pick(m, Some(Op::InnerHistoryCsv), None, None, None),
        ["history", "inner", "json"] => pick(m, Some(Op::InnerHistoryJson), None, None, None),
        ["makecall"] => pick(m, None, Some(Op::MakeCall), None, None),
        ["users"] => pick(m, Some(Op::ListUsers), Some(Op::CreateUser), None, None),
        ["users", l] if !l.is_empty() => pick_with(
            m,
            login(l),
            Some(Op::GetUser),
            None,
            Some(Op::UpdateUser),
            Some(Op::DeleteUser),
        ),
        ["users", l, "groups"] if !l.is_empty() => {
            pick(m, Some(Op::UserGroups(login(l))), None, None, None)
        }
        ["users", l, "subscription"] if !l.is_empty() => pick_with(
            m,
            login(l),
            Some(Op::SubscriptionState),
            Some(Op::Subscribe),
            None,
            Some(Op::Unsubscribe),
        ),
        ["users", l, "dnd"] if !l.is_empty() => pick_with(
            m,
            login(l),
            Some(Op::DndState),
            Some(Op::EnableDnd),
            None,
            Some(Op::DisableDnd),
        ),
        ["groups"] => pick(m, Some(Op::ListGroups), Some(Op::CreateGroup), None, None),
        ["groups", g] if !g.is_empty() => pick_with(
            m,
            GroupId::from(*g),
            Some(Op::GetGroup),
            None,
            Some(Op::UpdateGroup),
            Some(Op::DeleteGroup),
        ),
        ["groups", g, "users"] if !g.is_empty() => pick(
            m,
            None,
            Some(Op::ChangeGroupUsers(GroupId::from(*g))),
            None,
            None,
        ),
        ["telnums"] => pick(m, Some(Op::ListTelnums), None, None, None),
        ["telnums", t] if !t.is_empty() => pick_with(
            m,
            tel(t),
            Some(Op::GetTelnum),
            Some(Op::SetTelnumRoute),
            None,
            None,
        ),
        ["telnums", t, "enabled"] if !t.is_empty() => pick_with(
            m,
            tel(t),
            None,
            Some(Op::EnableTelnum),
            None,
            Some(Op::DisableTelnum),
        ),
        ["sims"] => pick(m, Some(Op::ListSims), None, None, None),
        ["sims", t] if !t.is_empty() => {
            pick_with(m, tel(t), Some(Op::GetSim), None, None, Some(Op::DeleteSim))
        }
        ["sims", t, "user", l] if !t.is_empty() && !l.is_empty() => pick(
            m,
            None,
            Some(Op::AssignSimToUser(tel(t), login(l))),
            None,
            None,
        ),
        ["sims", t, "company"] if !t.is_empty() => {
            pick(m, None, Some(Op::AssignSimToCompany(tel(t))), None, None)
        }
        ["sims", t, "disable"] if !t.is_empty() => {
            pick(m, None, Some(Op::DisableSim(tel(t))), None, None)
        }
        ["blacklist", "telnums"] => pick(
            m,
            Some(Op::ListBlacklist),
            Some(Op::AddToBlacklist),
            None,
            Some(Op::RemoveFromBlacklist),
        ),
        ["blacklist", "block-anonymous"] => pick(
            m,
            Some(Op::BlockAnonymousState),
            Some(Op::EnableBlockAnonymous),
            None,
            Some(Op::DisableBlockAnonymous),
        ),
        _ => Err(RouteError::NotFound),
    }
}

pub(super) fn query<T: DeserializeOwned>(parts: &Parts) -> HandlerResult<T> {
    from_fields(serde_json::Value::Object(http_plumbing::query_map(
        &parts.uri,
    )))
    .map_err(HandlerError::from)
}

async fn body<T: DeserializeOwned>(parts: &Parts, body: &Bytes, limit: usize) -> HandlerResult<T> {
    let fields = decode_fields(&parts.headers, body, limit).await?;
    Ok(from_fields(serde_json::Value::Object(fields))?)
}

fn ok_json<T: serde::Serialize>(value: &T) -> Response<Bytes> {
    json_response(StatusCode::OK, value)
}

fn no_content() -> Response<Bytes> {
    empty_response(StatusCode::NO_CONTENT)
}

fn csv_response(bytes: Vec<u8>) -> Response<Bytes> {
    let mut r = Response::new(Bytes::from(bytes));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    r
}

fn state(on: bool) -> Response<Bytes> {
    ok_json(&State { state: on })
}

fn optional_group(parts: &Parts) -> Option<GroupId> {
    http_plumbing::query_pairs(&parts.uri)
        .into_iter()
        .find(|(k, v)| k == "group_id" && !v.trim().is_empty())
        .map(|(_, v)| GroupId::from(v.trim()))
}

/// Decodes, validates, calls the handler and writes the answer.
pub(crate) async fn run<H: VatsHandler + ?Sized>(
    h: &H,
    op: Op,
    parts: &Parts,
    raw: &Bytes,
    limit: usize,
) -> HandlerResult<Response<Bytes>> {
    Ok(match op {
        Op::HistoryCsv => {
            let (q, r) = history_query(parts)?;
            csv_response(write_history_csv(&h.history_csv(q, r).await?, true))
        }
        Op::HistoryJson => {
            let (q, r) = history_query(parts)?;
            ok_json(&h.history_json(q, r).await?)
        }
        Op::InnerHistoryCsv => {
            let (q, r) = inner_history_query(parts)?;
            csv_response(write_inner_history_csv(
                &h.inner_history_csv(q, r).await?,
                true,
            ))
        }
        Op::InnerHistoryJson => {
            let (q, r) = inner_history_query(parts)?;
            ok_json(&h.inner_history_json(q, r).await?)
        }
        Op::MakeCall => {
            let call = body::<MakeCall>(parts, raw, limit).await?.normalized();
            call.validate()?;
            ok_json(&MakeCallAnswer {
                callid: h.make_call(call).await?,
            })
        }
        Op::ListUsers => ok_json(&h.list_users(query(parts)?).await?),
        Op::GetUser(l) => ok_json(&h.get_user(l).await?),
        Op::CreateUser => {
            let u: NewUser = body(parts, raw, limit).await?;
            if u.name.trim().is_empty() {
                return Err(HandlerError::invalid("name", "must not be empty"));
            }
            check_role(u.role.as_ref())?;
            check_redirect(u.mobile_redirect.as_ref())?;
            if u.mobile_redirect.as_ref().is_some_and(|r| r.enabled) && u.mobile.is_none() {
                return Err(HandlerError::invalid(
                    "mobile",
                    "required with mobile_redirect",
                ));
            }
            ok_json(&h.create_user(u).await?)
        }
        Op::UpdateUser(l) => {
            let u: UserUpdate = body(parts, raw, limit).await?;
            check_role(u.role.as_ref())?;
            check_redirect(u.mobile_redirect.as_ref())?;
            ok_json(&h.update_user(l, u).await?)
        }
        Op::DeleteUser(l) => h.delete_user(l).await.map(|()| no_content())?,
        Op::UserGroups(l) => ok_json(&h.user_groups(l).await?),
        Op::SubscriptionState(l) => state(h.subscription_state(l, optional_group(parts)).await?),
        Op::Subscribe(l) => h
            .subscribe(l, optional_group(parts))
            .await
            .map(|()| no_content())?,
        Op::Unsubscribe(l) => h
            .unsubscribe(l, optional_group(parts))
            .await
            .map(|()| no_content())?,
        Op::DndState(l) => state(h.dnd_state(l).await?),
        Op::EnableDnd(l) => h.enable_dnd(l).await.map(|()| no_content())?,
        Op::DisableDnd(l) => h.disable_dnd(l).await.map(|()| no_content())?,
        Op::ListGroups => ok_json(&h.list_groups(query(parts)?).await?),
        Op::GetGroup(g) => ok_json(&h.get_group(g).await?),
        Op::CreateGroup => {
            let g: NewGroup = body(parts, raw, limit).await?;
            if g.name.trim().is_empty() {
                return Err(HandlerError::invalid("name", "must not be empty"));
            }
            check_group(
                g.call_order.as_ref(),
                g.call_duration,
                g.advanced.as_ref(),
                g.timeout.as_ref(),
                g.users.as_ref(),
            )?;
            ok_json(&h.create_group(g).await?)
        }
        Op::UpdateGroup(id) => {
            let g: GroupUpdate = body(parts, raw, limit).await?;
            check_group(
                g.call_order.as_ref(),
                g.call_duration,
                g.advanced.as_ref(),
                g.timeout.as_ref(),
                g.users.as_ref(),
            )?;
            ok_json(&h.update_group(id, g).await?)
        }
        Op::DeleteGroup(id) => h.delete_group(id).await.map(|()| no_content())?,
        Op::ChangeGroupUsers(id) => {
            let c: GroupUsersChange = body(parts, raw, limit).await?;
            h.change_group_users(id, c).await?;
            no_content()
        }
        Op::ListTelnums => ok_json(&h.list_telnums(query(parts)?).await?),
        Op::GetTelnum(t) => ok_json(&h.get_telnum(t).await?),
        Op::SetTelnumRoute(t) => {
            let mut r: RouteSettings = body(parts, raw, limit).await?;
            check_route(&mut r)?;
            ok_json(&h.set_telnum_route(t, r).await?)
        }
        Op::EnableTelnum(t) => h.enable_telnum(t).await.map(|()| no_content())?,
        Op::DisableTelnum(t) => h.disable_telnum(t).await.map(|()| no_content())?,
        Op::ListSims => ok_json(&h.list_sims(query(parts)?).await?),
        Op::GetSim(t) => ok_json(&h.get_sim(t).await?),
        Op::AssignSimToUser(t, l) => h.assign_sim_to_user(t, l).await.map(|()| no_content())?,
        Op::AssignSimToCompany(t) => h.assign_sim_to_company(t).await.map(|()| no_content())?,
        Op::DisableSim(t) => h.disable_sim(t).await.map(|()| no_content())?,
        Op::DeleteSim(t) => h.delete_sim(t).await.map(|()| no_content())?,
        Op::ListBlacklist => {
            let stats = statistics(parts)?;
            ok_json(&h.list_blacklist(query::<ListQuery>(parts)?, stats).await?)
        }
        Op::AddToBlacklist => {
            let mut add: BlacklistAdd = body(parts, raw, limit).await?;
            add.telnum = add.telnum.iter().map(|t| t.trim().to_owned()).collect();
            check_patterns(&add.telnum)?;
            h.add_to_blacklist(add).await?;
            no_content()
        }
        Op::RemoveFromBlacklist => {
            let telnums: Vec<String> = http_plumbing::query_pairs(&parts.uri)
                .into_iter()
                .filter(|(k, _)| k == "telnum")
                .flat_map(|(_, v)| {
                    v.split(',')
                        .map(|s| s.trim().to_owned())
                        .collect::<Vec<_>>()
                })
                .filter(|s| !s.is_empty())
                .collect();
            check_patterns(&telnums)?;
            h.remove_from_blacklist(telnums).await?;
            no_content()
        }
        Op::BlockAnonymousState => state(h.block_anonymous_state().await?),
        Op::EnableBlockAnonymous => h.enable_block_anonymous().await.map(|()| no_content())?,
        Op::DisableBlockAnonymous => h.disable_block_anonymous().await.map(|()| no_content())?,
    })
}
