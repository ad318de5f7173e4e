//! History selection (P1–P4): the range, the `type` filter and `limit` over the stored calls.

use vats_api::v1::{
    HistoryQuery, HistoryRange, HistoryRecord, HistoryType, InnerHistoryQuery, InnerHistoryRecord,
    InnerHistoryType, InnerStatus,
};
use vats_api::{CallStatus, Direction};

use super::state::PbxData;

fn limited<T>(mut v: Vec<T>, limit: Option<u64>) -> Vec<T> {
    if let Some(l) = limit {
        v.truncate(usize::try_from(l).unwrap_or(usize::MAX));
    }
    v
}

fn is_missed(h: &HistoryRecord) -> bool {
    !matches!(h.status, CallStatus::Success)
}

pub(crate) fn history_kind(h: &HistoryRecord) -> HistoryType {
    if is_missed(h) && h.direction == Direction::In {
        HistoryType::Missed
    } else if h.direction == Direction::Out {
        HistoryType::Out
    } else {
        HistoryType::In
    }
}

pub(crate) fn select_history(
    data: &PbxData,
    q: &HistoryQuery,
    range: HistoryRange,
) -> Vec<HistoryRecord> {
    let in_range: Vec<HistoryRecord> = data
        .history
        .iter()
        .filter(|h| range.contains(h.start))
        .cloned()
        .collect();
    // The filters live clients send (user, diversion, client, groups, processMissed, …); a
    // group may be named by its id (`sales`) or its name: ids become names, as records carry.
    let mut filters = q.filters.clone();
    if let Some(groups) = &filters.groups {
        let names: Vec<String> = groups
            .split(',')
            .map(str::trim)
            .map(|g| {
                data.groups
                    .iter()
                    .find(|x| x.id.as_str() == g)
                    .map_or_else(|| g.to_owned(), |x| x.name.clone())
            })
            .collect();
        filters.groups = Some(names.join(","));
    }
    let picked = filters
        .apply(in_range)
        .into_iter()
        .filter(|h| match &q.kind {
            None | Some(HistoryType::All) => true,
            Some(HistoryType::In) => h.direction == Direction::In,
            Some(HistoryType::Out) => h.direction == Direction::Out,
            Some(HistoryType::Missed) => is_missed(h),
            Some(_) => true,
        })
        .collect();
    limited(picked, q.limit)
}

pub(crate) fn select_inner(
    data: &PbxData,
    q: &InnerHistoryQuery,
    range: HistoryRange,
) -> Vec<InnerHistoryRecord> {
    let picked = data
        .inner_history
        .iter()
        .filter(|h| range.contains(h.start))
        .filter(|h| match &q.kind {
            None | Some(InnerHistoryType::All) => true,
            Some(InnerHistoryType::Success) => h.status == InnerStatus::Success,
            Some(InnerHistoryType::NoAnswer) => h.status != InnerStatus::Success,
            Some(_) => true,
        })
        .cloned()
        .collect();
    limited(picked, q.limit)
}
