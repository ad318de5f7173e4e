//! Departments (vendor document §8).

use super::ids::{GroupId, Login};
use super::{flag, set_if_sent, text};
use serde::{Deserialize, Serialize};

http_plumbing::tolerant_enum! {
    /// How a department distributes calls (`call_order`).
    #[derive(Default)]
    #[non_exhaustive]
    CallOrder {
        /// `ALL`: everyone at once (the default).
        #[default]
        All = "ALL",
        /// `EVENLY`: evenly.
        Evenly = "EVENLY",
        /// `BYORDER`: in order.
        ByOrder = "BYORDER",
        /// `WATERFALL`: cascading.
        Waterfall = "WATERFALL",
    }
}

http_plumbing::tolerant_enum! {
    /// What to do for impatient callers (`advanced`).
    #[derive(Default)]
    #[non_exhaustive]
    Advanced {
        /// `off` (the default).
        #[default]
        Off = "off",
        /// `msg_busy`: a "busy" message.
        MsgBusy = "msg_busy",
        /// `callback`: offer a callback.
        Callback = "callback",
    }
}

http_plumbing::tolerant_enum! {
    /// Where a call goes when nobody answers (`timeout.target`).
    #[derive(Default)]
    #[non_exhaustive]
    TimeoutTarget {
        /// `voicemail` (the default).
        #[default]
        Voicemail = "voicemail",
        /// `user`: the employee in `timeout.user`.
        User = "user",
        /// `group`: the department in `timeout.group`.
        Group = "group",
        /// `telnum`: the number in `timeout.telnum`.
        Telnum = "telnum",
    }
}

/// The allowed `call_duration` values (seconds).
pub const CALL_DURATIONS: [u32; 6] = [5, 10, 15, 20, 25, 30];
/// The allowed `timeout.time` values (seconds).
pub const TIMEOUT_TIMES: [u32; 6] = [15, 30, 60, 120, 300, 600];

/// "If nobody answers" (`timeout`, vendor document §8.7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Timeout {
    /// Ringing time, seconds: 15, 30, 60, 120, 300 or 600 (default 120).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub time: Option<u32>,
    /// Where the call goes.
    #[serde(default)]
    pub target: TimeoutTarget,
    /// Login, when `target` is `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Login>,
    /// Department id, when `target` is `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// Number, when `target` is `telnum`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub telnum: Option<String>,
}

impl Timeout {
    /// The field that `target` requires and that is missing, if any (`timeout.user`, …).
    pub fn missing_field(&self) -> Option<&'static str> {
        match self.target {
            TimeoutTarget::User if self.user.is_none() => Some("timeout.user"),
            TimeoutTarget::Group if self.group.is_none() => Some("timeout.group"),
            TimeoutTarget::Telnum if self.telnum.is_none() => Some("timeout.telnum"),
            _ => None,
        }
    }
}

/// A member of a department.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct GroupMember {
    /// The member's login (`u704`).
    pub login: Login,
    /// Name (in answers only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub name: Option<String>,
    /// Whether the member takes calls in this department.
    #[serde(default, deserialize_with = "flag")]
    pub calls_enable: bool,
}

impl GroupMember {
    /// A member by login, taking calls or not.
    pub fn new(login: impl Into<Login>, calls_enable: bool) -> Self {
        Self {
            login: login.into(),
            name: None,
            calls_enable,
        }
    }
}

/// A department (P18, P19 and the answers of P20, P21).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Group {
    /// The department's id (`sales`, `g_0a922987-…`).
    pub id: GroupId,
    /// The department's name (`Отдел продаж`).
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// The department's extension (`800`).
    #[serde(default, deserialize_with = "text")]
    pub ext: String,
    /// How calls are distributed among the members (`ALL` rings everyone at once).
    #[serde(default)]
    pub call_order: CallOrder,
    /// Ringing interval, seconds (0 with `ALL`).
    #[serde(default, deserialize_with = "super::count")]
    pub call_duration: u32,
    /// Members, in order.
    #[serde(default)]
    pub users: Vec<GroupMember>,
    /// If nobody answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    /// For impatient callers.
    #[serde(default)]
    pub advanced: Advanced,
}

/// A new department (P20 `POST groups`); only `name` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NewGroup {
    /// Name (required).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// Extension (default: the first free one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// Call distribution (default `ALL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_order: Option<CallOrder>,
    /// Ringing interval: 5…30 in steps of 5 (default 15).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub call_duration: Option<u32>,
    /// If nobody answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    /// For impatient callers (default `off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced: Option<Advanced>,
    /// Members, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<GroupMember>>,
}

impl NewGroup {
    /// A new department with only a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A partial update of a department (P21 `PUT groups/{id}`): only the fields sent change;
/// `users`, when sent, replaces the member list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct GroupUpdate {
    /// New name (`Отдел продаж`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub name: Option<String>,
    /// New extension (`800`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// New call distribution (`ALL`, `EVENLY`, `BYORDER`, `WATERFALL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_order: Option<CallOrder>,
    /// New ringing interval per member, seconds: 5–30 in steps of 5 (0 with `ALL`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub call_duration: Option<u32>,
    /// If nobody answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    /// For impatient callers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced: Option<Advanced>,
    /// Members, in order (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<GroupMember>>,
}

impl GroupUpdate {
    /// Applies the update to a department (what a PBX does on P21).
    pub fn apply_to(&self, group: &mut Group) {
        set_if_sent(&mut group.name, self.name.as_ref());
        set_if_sent(&mut group.ext, self.ext.as_ref());
        set_if_sent(&mut group.call_order, self.call_order.as_ref());
        set_if_sent(&mut group.call_duration, self.call_duration.as_ref());
        if let Some(v) = &self.timeout {
            group.timeout = Some(v.clone());
        }
        set_if_sent(&mut group.advanced, self.advanced.as_ref());
        set_if_sent(&mut group.users, self.users.as_ref());
    }
}

/// A bulk change of a department's members (P23 `POST groups/{id}/users`).
///
/// Applied in the vendor document's order: `add` (with calls on, at `position`), then `calls_disable`, then
/// `remove`. See [`GroupUsersChange::apply_to`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct GroupUsersChange {
    /// Members to add, taking calls.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "logins"
    )]
    pub add: Vec<Login>,
    /// Members whose calls are switched off.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "logins"
    )]
    pub calls_disable: Vec<Login>,
    /// Members to remove.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "logins"
    )]
    pub remove: Vec<Login>,
    /// Where to insert `add`: 0 first, -1 last (the default), or a position.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub position: Option<i64>,
}

fn logins<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Login>, D::Error> {
    http_plumbing::lenient::string_list(d).map(|v| v.into_iter().map(Login::from).collect())
}

impl GroupUsersChange {
    /// Applies the change to a member list in the vendor document's order: add (calls on) → calls_disable →
    /// remove. A login in `add` that is already a member keeps its place and gets calls on;
    /// `position` beyond the end appends; negative positions other than -1 count from the end
    /// (-2 = before the last).
    pub fn apply_to(&self, members: &mut Vec<GroupMember>) {
        let mut new: Vec<GroupMember> = Vec::new();
        for login in &self.add {
            if let Some(m) = members.iter_mut().find(|m| &m.login == login) {
                m.calls_enable = true;
            } else if !new.iter().any(|m| &m.login == login) {
                new.push(GroupMember::new(login.clone(), true));
            }
        }
        let len = members.len() as i64;
        let pos = match self.position.unwrap_or(-1) {
            p if p < 0 => (len + 1 + p).clamp(0, len),
            p => p.min(len),
        };
        let at = usize::try_from(pos)
            .unwrap_or(members.len())
            .min(members.len());
        members.splice(at..at, new);
        for login in &self.calls_disable {
            if let Some(m) = members.iter_mut().find(|m| &m.login == login) {
                m.calls_enable = false;
            }
        }
        members.retain(|m| !self.remove.contains(&m.login));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(m: &[GroupMember]) -> Vec<(&str, bool)> {
        m.iter()
            .map(|m| (m.login.as_str(), m.calls_enable))
            .collect()
    }

    #[test]
    fn bulk_change_adds_then_disables_then_removes() {
        let mut m = vec![
            GroupMember::new("admin", true),
            GroupMember::new("ivan", true),
        ];
        let change = GroupUsersChange {
            add: vec!["anton".into(), "petr".into()],
            calls_disable: vec!["petr".into(), "ivan".into()],
            remove: vec!["admin".into(), "anton".into()],
            position: Some(1),
        };
        change.apply_to(&mut m);
        assert_eq!(names(&m), vec![("petr", false), ("ivan", false)]);
    }

    #[test]
    fn bulk_change_positions() {
        let base = vec![GroupMember::new("a", true), GroupMember::new("b", true)];
        for (pos, expected) in [
            (Some(0), vec!["x", "a", "b"]),
            (None, vec!["a", "b", "x"]),
            (Some(-1), vec!["a", "b", "x"]),
            (Some(-2), vec!["a", "x", "b"]),
            (Some(1), vec!["a", "x", "b"]),
            (Some(9), vec!["a", "b", "x"]),
            (Some(-9), vec!["x", "a", "b"]),
        ] {
            let mut m = base.clone();
            GroupUsersChange {
                add: vec!["x".into()],
                position: pos,
                ..Default::default()
            }
            .apply_to(&mut m);
            let got: Vec<&str> = m.iter().map(|m| m.login.as_str()).collect();
            assert_eq!(got, expected, "{pos:?}");
        }
    }

    #[test]
    fn reads_the_seed_group_with_lowercase_enums() {
        let g: Group = serde_json::from_str(
            r#"{"id":"sales","name":"Отдел продаж","ext":700,"call_order":"byorder","call_duration":"10",
            "users":[{"login":"admin","calls_enable":"1"}],"timeout":{"time":120,"target":"USER","user":"admin"},
            "advanced":"weird"}"#,
        )
        .unwrap();
        assert_eq!(g.call_order, CallOrder::ByOrder);
        assert_eq!(g.call_duration, 10);
        assert_eq!(g.ext, "700");
        assert!(g.users[0].calls_enable);
        assert_eq!(g.timeout.as_ref().unwrap().target, TimeoutTarget::User);
        assert_eq!(g.advanced, Advanced::Other("weird".into()));
        assert_eq!(serde_json::to_value(&g).unwrap()["call_order"], "BYORDER");
    }
}
