//! `/crmapi/v1` (P1–P40) over the mock PBX's data.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use vats_api::v1::{
    BlacklistAdd, BlacklistEntry, CALL_DURATIONS, Group, GroupId, GroupMember, GroupUpdate,
    GroupUsersChange, HandlerResult, HistoryCsvRow, HistoryQuery, HistoryRange, HistoryRecord,
    InnerHistoryCsvRow, InnerHistoryQuery, InnerHistoryRecord, ListQuery, Login, MakeCall,
    NewGroup, NewUser, Page, RouteSettings, Sim, Telnum, TelnumInfo, User, UserGroup, UserUpdate,
    VatsHandler, is_valid_redirect_delay,
};
use vats_api::{CallId, HandlerError};

use super::history::{history_kind, select_history, select_inner};
use super::numbers;
use super::state::{PbxData, PlacedCall, matches_search};
use crate::journal::lock;

/// Page size when a list request sends no `limit`.
const DEFAULT_LIMIT: u64 = 100;

/// The v1 handler.
#[derive(Clone)]
pub(crate) struct MockPbx {
    pub(crate) data: Arc<Mutex<PbxData>>,
}

fn not_found(what: &str, id: &str) -> HandlerError {
    HandlerError::not_found(format!("{what} {id}"))
}

fn page<T: Clone + serde::Serialize>(items: &[T], q: &ListQuery) -> Page<T> {
    let all: Vec<T> = items
        .iter()
        .filter(|x| matches_search(x, q.search.as_deref()))
        .cloned()
        .collect();
    Page::paginate(all, q, DEFAULT_LIMIT)
}

fn check_redirect(r: Option<&vats_api::v1::MobileRedirect>) -> HandlerResult<()> {
    match r.and_then(|r| r.delay) {
        Some(d) if !is_valid_redirect_delay(d) => Err(HandlerError::invalid(
            "mobile_redirect.delay",
            "must be 0, 5, 10 or 15",
        )),
        _ => Ok(()),
    }
}

fn check_group_fields(
    data: &PbxData,
    call_duration: Option<u32>,
    timeout: Option<&vats_api::v1::Timeout>,
    users: Option<&Vec<GroupMember>>,
) -> HandlerResult<()> {
    if let Some(d) = call_duration
        && !CALL_DURATIONS.contains(&d)
    {
        return Err(HandlerError::invalid(
            "call_duration",
            "must be 5, 10, 15, 20, 25 or 30",
        ));
    }
    if let Some(field) = timeout.and_then(vats_api::v1::Timeout::missing_field) {
        return Err(HandlerError::invalid(field, "required by timeout.target"));
    }
    if let Some(users) = users
        && let Some(m) = users.iter().find(|m| data.user(m.login.as_str()).is_none())
    {
        return Err(HandlerError::invalid(
            "users",
            format!("unknown user {}", m.login),
        ));
    }
    Ok(())
}

fn fill_member_names(data: &PbxData, members: &mut [GroupMember]) {
    for m in members {
        if m.name.is_none() {
            m.name = data.user(m.login.as_str()).map(|u| u.name.clone());
        }
    }
}

#[async_trait::async_trait]
impl VatsHandler for MockPbx {
    async fn history_csv(
        &self,
        q: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryCsvRow>> {
        let data = lock(&self.data);
        Ok(select_history(&data, &q, range)
            .into_iter()
            .map(|h| HistoryCsvRow {
                kind: history_kind(&h),
                uid: h.uid,
                client: h.client,
                account: h.user.unwrap_or(h.group_name),
                via: h.diversion,
                start: h.start,
                wait: h.wait,
                duration: h.duration,
                record: h.record.unwrap_or_default(),
                rating: h.rating,
            })
            .collect())
    }

    async fn history_json(
        &self,
        q: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryRecord>> {
        Ok(select_history(&lock(&self.data), &q, range))
    }

    async fn inner_history_csv(
        &self,
        q: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryCsvRow>> {
        Ok(select_inner(&lock(&self.data), &q, range)
            .into_iter()
            .map(|h| InnerHistoryCsvRow {
                uid: h.uid,
                status: h.status,
                from: h.from,
                to: h.to,
                start: h.start,
                wait: h.wait,
                duration: h.duration,
                record: h.record.unwrap_or_default(),
            })
            .collect())
    }

    async fn inner_history_json(
        &self,
        q: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryRecord>> {
        Ok(select_inner(&lock(&self.data), &q, range))
    }

    async fn make_call(&self, call: MakeCall) -> HandlerResult<CallId> {
        let mut data = lock(&self.data);
        if data.user_by_login_or_ext(&call.user).is_none() {
            return Err(HandlerError::invalid(
                "user",
                format!("unknown user {}", call.user),
            ));
        }
        let uid = data.next_uid();
        if data.placed_calls.len() >= 10_000 {
            data.placed_calls.remove(0);
        }
        data.placed_calls.push(PlacedCall {
            callid: uid.clone(),
            phone: call.phone.as_str().to_owned(),
            user: call.user.clone(),
            via: "v1",
            time: Utc::now(),
        });
        Ok(CallId::from(uid))
    }

    async fn list_users(&self, q: ListQuery) -> HandlerResult<Page<User>> {
        Ok(page(&lock(&self.data).users, &q))
    }

    async fn get_user(&self, login: Login) -> HandlerResult<User> {
        lock(&self.data)
            .user(login.as_str())
            .cloned()
            .ok_or_else(|| not_found("user", login.as_str()))
    }

    async fn create_user(&self, new: NewUser) -> HandlerResult<User> {
        let mut data = lock(&self.data);
        if new.name.trim().is_empty() {
            return Err(HandlerError::invalid("name", "must not be empty"));
        }
        check_redirect(new.mobile_redirect.as_ref())?;
        let ext = match new.ext {
            Some(e) if data.ext_taken(&e) => {
                return Err(HandlerError::conflict(format!("ext {e} is taken")));
            }
            Some(e) => e,
            None => data.free_ext(),
        };
        let login = new.login.unwrap_or_else(|| Login::from(format!("u{ext}")));
        if data.user(login.as_str()).is_some() {
            return Err(HandlerError::conflict(format!("login {login} is taken")));
        }
        let user = User {
            login,
            name: new.name,
            position: new.position.unwrap_or_else(|| "Менеджер".to_owned()),
            email: new.email.unwrap_or_default(),
            ext,
            role: new.role.unwrap_or_default(),
            mobile: new.mobile.unwrap_or_default(),
            mobile_redirect: new.mobile_redirect.unwrap_or_default(),
            ..User::default()
        };
        data.users.push(user.clone());
        Ok(user)
    }

    async fn update_user(&self, login: Login, update: UserUpdate) -> HandlerResult<User> {
        let mut data = lock(&self.data);
        check_redirect(update.mobile_redirect.as_ref())?;
        if let Some(ext) = &update.ext
            && data.users.iter().any(|u| u.ext == *ext && u.login != login)
        {
            return Err(HandlerError::conflict(format!("ext {ext} is taken")));
        }
        let user = data
            .users
            .iter_mut()
            .find(|u| u.login == login)
            .ok_or_else(|| not_found("user", login.as_str()))?;
        update.apply_to(user);
        Ok(user.clone())
    }

    async fn delete_user(&self, login: Login) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        let before = data.users.len();
        data.users.retain(|u| u.login != login);
        if data.users.len() == before {
            return Err(not_found("user", login.as_str()));
        }
        for g in &mut data.groups {
            g.users.retain(|m| m.login != login);
        }
        data.dnd.remove(login.as_str());
        Ok(())
    }

    async fn user_groups(&self, login: Login) -> HandlerResult<Vec<UserGroup>> {
        let data = lock(&self.data);
        if data.user(login.as_str()).is_none() {
            return Err(not_found("user", login.as_str()));
        }
        Ok(data
            .groups
            .iter()
            .filter(|g| g.users.iter().any(|m| m.login == login))
            .map(|g| UserGroup {
                id: g.id.clone(),
                name: g.name.clone(),
                ext: g.ext.clone(),
            })
            .collect())
    }

    async fn subscription_state(
        &self,
        login: Login,
        group: Option<GroupId>,
    ) -> HandlerResult<bool> {
        let data = lock(&self.data);
        if data.user(login.as_str()).is_none() {
            return Err(not_found("user", login.as_str()));
        }
        let member = |g: &Group| g.users.iter().any(|m| m.login == login && m.calls_enable);
        match group {
            Some(id) => {
                let g = data
                    .groups
                    .iter()
                    .find(|g| g.id == id)
                    .ok_or_else(|| not_found("group", id.as_str()))?;
                Ok(member(g))
            }
            None => Ok(data.groups.iter().any(member)),
        }
    }

    async fn subscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        set_subscription(&self.data, &login, group, true)
    }

    async fn unsubscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        set_subscription(&self.data, &login, group, false)
    }

    async fn dnd_state(&self, login: Login) -> HandlerResult<bool> {
        let data = lock(&self.data);
        if data.user(login.as_str()).is_none() {
            return Err(not_found("user", login.as_str()));
        }
        Ok(data.dnd.contains(login.as_str()))
    }

    async fn enable_dnd(&self, login: Login) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        if data.user(login.as_str()).is_none() {
            return Err(not_found("user", login.as_str()));
        }
        data.dnd.insert(login.as_str().to_owned());
        Ok(())
    }

    async fn disable_dnd(&self, login: Login) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        if data.user(login.as_str()).is_none() {
            return Err(not_found("user", login.as_str()));
        }
        data.dnd.remove(login.as_str());
        Ok(())
    }

    async fn list_groups(&self, q: ListQuery) -> HandlerResult<Page<Group>> {
        Ok(page(&lock(&self.data).groups, &q))
    }

    async fn get_group(&self, id: GroupId) -> HandlerResult<Group> {
        lock(&self.data)
            .groups
            .iter()
            .find(|g| g.id == id)
            .cloned()
            .ok_or_else(|| not_found("group", id.as_str()))
    }

    async fn create_group(&self, new: NewGroup) -> HandlerResult<Group> {
        let mut data = lock(&self.data);
        if new.name.trim().is_empty() {
            return Err(HandlerError::invalid("name", "must not be empty"));
        }
        check_group_fields(
            &data,
            new.call_duration,
            new.timeout.as_ref(),
            new.users.as_ref(),
        )?;
        let ext = match new.ext {
            Some(e) if data.ext_taken(&e) => {
                return Err(HandlerError::conflict(format!("ext {e} is taken")));
            }
            Some(e) => e,
            None => data.free_ext(),
        };
        let uid = data.next_uid();
        let mut users = new.users.unwrap_or_default();
        fill_member_names(&data, &mut users);
        let group = Group {
            id: GroupId::from(format!("g_{uid}")),
            name: new.name,
            ext,
            call_order: new.call_order.unwrap_or_default(),
            call_duration: new.call_duration.unwrap_or(10),
            users,
            timeout: new.timeout,
            advanced: new.advanced.unwrap_or_default(),
        };
        data.groups.push(group.clone());
        Ok(group)
    }

    async fn update_group(&self, id: GroupId, update: GroupUpdate) -> HandlerResult<Group> {
        let mut data = lock(&self.data);
        check_group_fields(
            &data,
            update.call_duration,
            update.timeout.as_ref(),
            update.users.as_ref(),
        )?;
        if let Some(ext) = &update.ext
            && (data.users.iter().any(|u| u.ext == *ext)
                || data.groups.iter().any(|g| g.ext == *ext && g.id != id))
        {
            return Err(HandlerError::conflict(format!("ext {ext} is taken")));
        }
        let snapshot = data.clone();
        let group = data
            .groups
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or_else(|| not_found("group", id.as_str()))?;
        update.apply_to(group);
        fill_member_names(&snapshot, &mut group.users);
        Ok(group.clone())
    }

    async fn delete_group(&self, id: GroupId) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        let before = data.groups.len();
        data.groups.retain(|g| g.id != id);
        if data.groups.len() == before {
            return Err(not_found("group", id.as_str()));
        }
        Ok(())
    }

    async fn change_group_users(&self, id: GroupId, change: GroupUsersChange) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        if let Some(unknown) = change.add.iter().find(|l| data.user(l.as_str()).is_none()) {
            return Err(HandlerError::invalid(
                "add",
                format!("unknown user {unknown}"),
            ));
        }
        let names: Vec<(Login, String)> = data
            .users
            .iter()
            .map(|u| (u.login.clone(), u.name.clone()))
            .collect();
        let group = data
            .groups
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or_else(|| not_found("group", id.as_str()))?;
        change.apply_to(&mut group.users);
        for m in &mut group.users {
            if m.name.is_none() {
                m.name = names
                    .iter()
                    .find(|(l, _)| *l == m.login)
                    .map(|(_, n)| n.clone());
            }
        }
        Ok(())
    }

    async fn list_telnums(&self, q: ListQuery) -> HandlerResult<Page<TelnumInfo>> {
        Ok(page(&lock(&self.data).telnums, &q))
    }

    async fn get_telnum(&self, telnum: Telnum) -> HandlerResult<TelnumInfo> {
        lock(&self.data)
            .telnums
            .iter()
            .find(|t| t.telnum == telnum)
            .cloned()
            .ok_or_else(|| not_found("telnum", telnum.as_str()))
    }

    async fn set_telnum_route(
        &self,
        telnum: Telnum,
        route: RouteSettings,
    ) -> HandlerResult<TelnumInfo> {
        numbers::set_route(&mut lock(&self.data), &telnum, route)
    }

    async fn enable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        numbers::set_telnum_disabled(&self.data, &telnum, false)
    }

    async fn disable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        numbers::set_telnum_disabled(&self.data, &telnum, true)
    }

    async fn list_sims(&self, q: ListQuery) -> HandlerResult<Page<Sim>> {
        Ok(page(&lock(&self.data).sims, &q))
    }

    async fn get_sim(&self, telnum: Telnum) -> HandlerResult<Sim> {
        lock(&self.data)
            .sims
            .iter()
            .find(|s| s.telnum == telnum)
            .cloned()
            .ok_or_else(|| not_found("sim", telnum.as_str()))
    }

    async fn assign_sim_to_user(&self, telnum: Telnum, login: Login) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        let name = data
            .user(login.as_str())
            .map(|u| u.name.clone())
            .ok_or_else(|| not_found("user", login.as_str()))?;
        let sim = numbers::sim_mut(&mut data, &telnum)?;
        sim.user = Some(login);
        sim.user_name = Some(name);
        sim.company = false;
        Ok(())
    }

    async fn assign_sim_to_company(&self, telnum: Telnum) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        let sim = numbers::sim_mut(&mut data, &telnum)?;
        sim.user = None;
        sim.user_name = None;
        sim.company = true;
        Ok(())
    }

    async fn disable_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        numbers::sim_mut(&mut data, &telnum)?.disabled = true;
        Ok(())
    }

    async fn delete_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        let mut data = lock(&self.data);
        let before = data.sims.len();
        data.sims.retain(|s| s.telnum != telnum);
        if data.sims.len() == before {
            return Err(not_found("sim", telnum.as_str()));
        }
        Ok(())
    }

    async fn list_blacklist(
        &self,
        q: ListQuery,
        statistics: bool,
    ) -> HandlerResult<Page<BlacklistEntry>> {
        let mut p = page(&lock(&self.data).blacklist, &q);
        if !statistics {
            for e in &mut p.items {
                e.week = None;
                e.year = None;
            }
        }
        Ok(p)
    }

    async fn add_to_blacklist(&self, add: BlacklistAdd) -> HandlerResult<()> {
        numbers::blacklist_add(&mut lock(&self.data), add)
    }

    async fn remove_from_blacklist(&self, telnums: Vec<String>) -> HandlerResult<()> {
        if telnums.is_empty() {
            return Err(HandlerError::invalid("telnum", "required"));
        }
        lock(&self.data)
            .blacklist
            .retain(|e| !telnums.contains(&e.telnum));
        Ok(())
    }

    async fn block_anonymous_state(&self) -> HandlerResult<bool> {
        Ok(lock(&self.data).block_anonymous)
    }

    async fn enable_block_anonymous(&self) -> HandlerResult<()> {
        lock(&self.data).block_anonymous = true;
        Ok(())
    }

    async fn disable_block_anonymous(&self) -> HandlerResult<()> {
        lock(&self.data).block_anonymous = false;
        Ok(())
    }
}

pub(super) fn set_subscription(
    data: &Mutex<PbxData>,
    login: &Login,
    group: Option<GroupId>,
    on: bool,
) -> HandlerResult<()> {
    let mut data = lock(data);
    if data.user(login.as_str()).is_none() {
        return Err(not_found("user", login.as_str()));
    }
    match group {
        Some(id) => {
            let g = data
                .groups
                .iter_mut()
                .find(|g| g.id == id)
                .ok_or_else(|| not_found("group", id.as_str()))?;
            match g.users.iter_mut().find(|m| m.login == *login) {
                Some(m) => m.calls_enable = on,
                None if on => g.users.push(GroupMember::new(login.clone(), true)),
                None => {}
            }
        }
        None => {
            for g in &mut data.groups {
                if let Some(m) = g.users.iter_mut().find(|m| m.login == *login) {
                    m.calls_enable = on;
                }
            }
        }
    }
    Ok(())
}
