//! Numbers (P24–P28), SIM cards (P29–P34) and the blacklist (P35–P40) over the PBX's data.

use std::sync::Mutex;

use vats_api::HandlerError;
use vats_api::v1::{
    BlacklistAdd, BlacklistEntry, HandlerResult, RouteSettings, Sim, Telnum, TelnumInfo,
    is_valid_blacklist_pattern,
};

use super::state::PbxData;
use crate::journal::lock;

fn not_found(what: &str, id: &str) -> HandlerError {
    HandlerError::not_found(format!("{what} {id}"))
}

/// P26: routes a number; names of the user or group are filled in.
pub(crate) fn set_route(
    data: &mut PbxData,
    telnum: &Telnum,
    route: RouteSettings,
) -> HandlerResult<TelnumInfo> {
    if let Some(field) = route.missing_field() {
        return Err(HandlerError::invalid(
            field,
            "missing or invalid for this route type",
        ));
    }
    let user_name = match &route.user {
        Some(l) => Some(
            data.user(l.as_str())
                .map(|u| u.name.clone())
                .ok_or_else(|| HandlerError::invalid("user", format!("unknown user {l}")))?,
        ),
        None => None,
    };
    let group_name = match &route.group {
        Some(id) => Some(
            data.groups
                .iter()
                .find(|g| g.id == *id)
                .map(|g| g.name.clone())
                .ok_or_else(|| HandlerError::invalid("group", format!("unknown group {id}")))?,
        ),
        None => None,
    };
    let t = data
        .telnums
        .iter_mut()
        .find(|t| t.telnum == *telnum)
        .ok_or_else(|| not_found("telnum", telnum.as_str()))?;
    t.kind = route.kind;
    t.greeting = route.greeting;
    t.user = route.user;
    t.user_name = user_name;
    t.group = route.group;
    t.group_name = group_name;
    t.ivr = route.ivr;
    t.work = route.work;
    t.other = route.other;
    t.schedule = route.schedule.map(|s| s.normalized());
    Ok(t.clone())
}

pub(crate) fn blacklist_add(data: &mut PbxData, add: BlacklistAdd) -> HandlerResult<()> {
    if add.telnum.is_empty() {
        return Err(HandlerError::invalid("telnum", "required"));
    }
    if let Some(bad) = add.telnum.iter().find(|t| !is_valid_blacklist_pattern(t)) {
        return Err(HandlerError::invalid(
            "telnum",
            format!("{bad:?} is not digits with an optional trailing *"),
        ));
    }
    for t in add.telnum {
        data.blacklist.retain(|e| e.telnum != t);
        data.blacklist.push(BlacklistEntry {
            telnum: t,
            comment: add.comment.clone().unwrap_or_default(),
            week: Some(0),
            year: Some(0),
        });
    }
    Ok(())
}

pub(crate) fn set_telnum_disabled(
    data: &Mutex<PbxData>,
    telnum: &Telnum,
    disabled: bool,
) -> HandlerResult<()> {
    let mut data = lock(data);
    let t = data
        .telnums
        .iter_mut()
        .find(|t| t.telnum == *telnum)
        .ok_or_else(|| not_found("telnum", telnum.as_str()))?;
    t.disabled = disabled;
    Ok(())
}

pub(crate) fn sim_mut<'a>(data: &'a mut PbxData, telnum: &Telnum) -> HandlerResult<&'a mut Sim> {
    data.sims
        .iter_mut()
        .find(|s| s.telnum == *telnum)
        .ok_or_else(|| not_found("sim", telnum.as_str()))
}
