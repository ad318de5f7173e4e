//! Validation of decoded requests beyond their types: the vendor document's allowed values and the fields
//! one value requires of another. Every failure names the field.

use super::{HandlerError, HandlerResult};
use crate::v1::types::blacklist::is_valid_blacklist_pattern;
use crate::v1::types::groups::{
    Advanced, CALL_DURATIONS, CallOrder, GroupMember, TIMEOUT_TIMES, Timeout,
};
use crate::v1::types::history::{HistoryQuery, HistoryType, InnerHistoryQuery, InnerHistoryType};
use crate::v1::types::history_filters::{HISTORY_FILTER_PARAMETERS, HISTORY_PARAMETERS};
use crate::v1::types::telnums::{RouteSettings, RouteType};
use crate::v1::types::users::{MobileRedirect, Role};
use http::request::Parts;

pub(super) fn reject_other<T: std::fmt::Display>(
    field: &str,
    value: Option<&T>,
    is_other: bool,
) -> HandlerResult<()> {
    match value {
        Some(v) if is_other => Err(HandlerError::invalid(
            field,
            format!("unknown value {:?}", v.to_string()),
        )),
        _ => Ok(()),
    }
}

pub(super) fn check_redirect(r: Option<&MobileRedirect>) -> HandlerResult<()> {
    match r.and_then(|r| r.delay) {
        Some(d) if !crate::v1::types::users::is_valid_redirect_delay(d) => Err(
            HandlerError::invalid("mobile_redirect.delay", "must be 0, 5, 10 or 15"),
        ),
        _ => Ok(()),
    }
}

pub(super) fn check_role(role: Option<&Role>) -> HandlerResult<()> {
    reject_other("role", role, matches!(role, Some(Role::Other(_))))
}

pub(super) fn check_group(
    call_order: Option<&CallOrder>,
    call_duration: Option<u32>,
    advanced: Option<&Advanced>,
    timeout: Option<&Timeout>,
    users: Option<&Vec<GroupMember>>,
) -> HandlerResult<()> {
    reject_other(
        "call_order",
        call_order,
        matches!(call_order, Some(CallOrder::Other(_))),
    )?;
    reject_other(
        "advanced",
        advanced,
        matches!(advanced, Some(Advanced::Other(_))),
    )?;
    if let Some(d) = call_duration
        && d != 0
        && !CALL_DURATIONS.contains(&d)
    {
        return Err(HandlerError::invalid(
            "call_duration",
            "must be 5, 10, 15, 20, 25 or 30",
        ));
    }
    if let Some(t) = timeout {
        if t.time.is_some_and(|x| !TIMEOUT_TIMES.contains(&x)) {
            return Err(HandlerError::invalid(
                "timeout.time",
                "must be 15, 30, 60, 120, 300 or 600",
            ));
        }
        let target = &t.target;
        reject_other(
            "timeout.target",
            Some(target),
            matches!(target, crate::v1::TimeoutTarget::Other(_)),
        )?;
        if let Some(f) = t.missing_field() {
            return Err(HandlerError::invalid(f, "required by timeout.target"));
        }
    }
    if let Some(i) = users.and_then(|u| u.iter().position(|m| m.login.as_str().trim().is_empty())) {
        return Err(HandlerError::invalid(
            format!("users[{i}].login"),
            "must not be empty",
        ));
    }
    Ok(())
}

pub(super) fn check_route(route: &mut RouteSettings) -> HandlerResult<()> {
    reject_other(
        "type",
        Some(&route.kind),
        matches!(route.kind, RouteType::Other(_)),
    )?;
    if let Some(f) = route.missing_field() {
        return Err(HandlerError::invalid(
            f,
            format!("required for a {} route", route.kind),
        ));
    }
    if let Some(s) = &route.schedule {
        route.schedule = Some(s.normalized());
    }
    Ok(())
}

pub(super) fn check_patterns(telnums: &[String]) -> HandlerResult<()> {
    if telnums.is_empty() {
        return Err(HandlerError::invalid(
            "telnum",
            "at least one number or range is required",
        ));
    }
    match telnums
        .iter()
        .position(|t| !is_valid_blacklist_pattern(t.trim()))
    {
        Some(i) => Err(HandlerError::invalid(
            "telnum",
            format!(
                "{:?} is not a number or a range like 7900800*",
                telnums.get(i).map_or("", String::as_str)
            ),
        )),
        None => Ok(()),
    }
}

pub(super) fn statistics(parts: &Parts) -> HandlerResult<bool> {
    let mut on = false;
    for (k, v) in http_plumbing::query_pairs(&parts.uri) {
        if k == "with" {
            if v.trim().eq_ignore_ascii_case("statistics") {
                on = true;
            } else if !v.trim().is_empty() {
                return Err(HandlerError::invalid(
                    "with",
                    format!("unknown value {v:?}: expected statistics"),
                ));
            }
        }
    }
    Ok(on)
}

pub(super) fn history_query(
    parts: &Parts,
) -> HandlerResult<(HistoryQuery, crate::v1::HistoryRange)> {
    let extra: Vec<&str> = HISTORY_FILTER_PARAMETERS.to_vec();
    reject_unknown_parameters(parts, &extra)?;
    let q: HistoryQuery = super::routes::query(parts)?;
    if let Err(e) = q.filters.missed_codes() {
        return Err(HandlerError::invalid("missedStatus", e));
    }
    reject_other(
        "type",
        q.kind.as_ref(),
        matches!(q.kind, Some(HistoryType::Other(_))),
    )?;
    let range = q.range(chrono::Utc::now())?;
    Ok((q, range))
}

pub(super) fn inner_history_query(
    parts: &Parts,
) -> HandlerResult<(InnerHistoryQuery, crate::v1::HistoryRange)> {
    reject_unknown_parameters(parts, &[])?;
    let q: InnerHistoryQuery = super::routes::query(parts)?;
    reject_other(
        "type",
        q.kind.as_ref(),
        matches!(q.kind, Some(InnerHistoryType::Other(_))),
    )?;
    let range = q.range(chrono::Utc::now())?;
    Ok((q, range))
}

/// A history query parameter that is neither the vendor document's nor one of `extra` is a 400
/// naming it: an ignored filter would silently answer every call (docs/protocol.md §3).
fn reject_unknown_parameters(parts: &Parts, extra: &[&str]) -> HandlerResult<()> {
    let known = || HISTORY_PARAMETERS.iter().chain(extra);
    for (name, _) in http_plumbing::query_pairs(&parts.uri) {
        if !known().any(|k| *k == name) {
            let expected: Vec<&str> = known().copied().collect();
            return Err(HandlerError::invalid(
                &name,
                format!(
                    "unknown parameter {name:?}: this PBX filters by {} only",
                    expected.join(", ")
                ),
            ));
        }
    }
    Ok(())
}
