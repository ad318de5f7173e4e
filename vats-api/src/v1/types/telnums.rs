//! Company numbers and their routes (vendor document §9).

use super::ids::{GroupId, Login, Telnum};
use super::{flag, text};
use serde::{Deserialize, Serialize};

http_plumbing::tolerant_enum! {
    /// A number's route type (`type`).
    #[derive(Default)]
    #[non_exhaustive]
    RouteType {
        /// `user`: to an employee.
        #[default]
        User = "user",
        /// `group`: to a department.
        Group = "group",
        /// `ivr`: to a self-service menu.
        Ivr = "ivr",
        /// `scheduler`: by schedule (`work` / `other`).
        Scheduler = "scheduler",
        /// `fax`: received as a fax.
        Fax = "fax",
        /// `telnum`: to an external number (IVR buttons, duty routes).
        Telnum = "telnum",
    }
}

/// One button of a self-service menu.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IvrButton {
    /// The button (`1`…`9`, `0`, `*`, `#`) or `timeout`.
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub button: String,
    /// Where it leads.
    #[serde(rename = "type", default)]
    pub kind: RouteType,
    /// Login, for `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Login>,
    /// Department, for `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// Nested menu, for `ivr`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub ivr: Option<String>,
    /// External number, for `telnum`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub telnum: Option<String>,
}

/// A self-service menu (`ivr`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Ivr {
    /// The voice menu's name (`Главное меню`).
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// The menu's buttons: which key leads where.
    #[serde(default)]
    pub items: Vec<IvrButton>,
    /// Whether the standard greeting plays before the menu.
    #[serde(default, deserialize_with = "flag")]
    pub greeting: bool,
    /// Whether the company's own recorded greeting plays instead of the standard one.
    #[serde(default, deserialize_with = "flag")]
    pub greeting_custom: bool,
}

/// The route for working hours (`work`) or off hours (`other`, "duty").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ScheduledRoute {
    /// Route type (`user`, `group`, `ivr`, `telnum`…; the vendor document calls it `subtype` for the duty
    /// route, `type` is read too).
    #[serde(default, alias = "type")]
    pub subtype: RouteType,
    /// The employee the route leads to (route type `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Login>,
    /// The department the route leads to (route type `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// The external number the route leads to (route type `telnum`, digits with country code).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub telnum: Option<String>,
    /// The voice menu (route type `ivr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ivr: Option<Ivr>,
    /// Whether the standard greeting plays before the call is routed.
    #[serde(default, deserialize_with = "flag")]
    pub greeting: bool,
}

/// One weekday of a schedule: seconds since midnight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DaySchedule {
    /// Start of the working day, seconds.
    #[serde(default, deserialize_with = "super::count")]
    pub start: u32,
    /// End of the working day, seconds.
    #[serde(default, deserialize_with = "super::count")]
    pub end: u32,
    /// The whole day is off (`start` and `end` are then ignored).
    #[serde(default, deserialize_with = "flag")]
    pub holiday: bool,
}

/// Seconds in a day.
pub(crate) const DAY_SECONDS: u32 = 86_400;

impl DaySchedule {
    /// The whole day off: no working hours.
    pub const HOLIDAY: Self = Self {
        start: 0,
        end: 0,
        holiday: true,
    };

    /// A working day from `start` to `end` (seconds).
    pub fn working(start: u32, end: u32) -> Self {
        Self {
            start,
            end,
            holiday: false,
        }
    }

    /// Rounds `start` and `end` to the nearest minute (the PBX stores minutes), within a day.
    pub fn rounded(self) -> Self {
        let r = |s: u32| (s.saturating_add(30) / 60 * 60).min(DAY_SECONDS);
        if self.holiday {
            return Self::HOLIDAY;
        }
        Self {
            start: r(self.start),
            end: r(self.end),
            holiday: false,
        }
    }
}

/// A number's weekly schedule (vendor document §9.7). A weekday that is not sent is a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Schedule {
    /// Monday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monday: Option<DaySchedule>,
    /// Tuesday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuesday: Option<DaySchedule>,
    /// Wednesday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wednesday: Option<DaySchedule>,
    /// Thursday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thursday: Option<DaySchedule>,
    /// Friday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friday: Option<DaySchedule>,
    /// Saturday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturday: Option<DaySchedule>,
    /// Sunday's working hours (`None`: a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunday: Option<DaySchedule>,
}

impl Schedule {
    /// The schedule as the PBX stores it: every weekday present, a missing one a day off, times
    /// rounded to minutes (vendor document §9.7).
    pub fn normalized(&self) -> Self {
        let n = |d: Option<DaySchedule>| Some(d.map_or(DaySchedule::HOLIDAY, DaySchedule::rounded));
        Self {
            monday: n(self.monday),
            tuesday: n(self.tuesday),
            wednesday: n(self.wednesday),
            thursday: n(self.thursday),
            friday: n(self.friday),
            saturday: n(self.saturday),
            sunday: n(self.sunday),
        }
    }

    /// The first weekday whose times are invalid (`end` before `start`, or past midnight),
    /// as a field path (`schedule.monday.end`).
    pub fn invalid_field(&self) -> Option<&'static str> {
        let days = [
            (self.monday, "schedule.monday.end"),
            (self.tuesday, "schedule.tuesday.end"),
            (self.wednesday, "schedule.wednesday.end"),
            (self.thursday, "schedule.thursday.end"),
            (self.friday, "schedule.friday.end"),
            (self.saturday, "schedule.saturday.end"),
            (self.sunday, "schedule.sunday.end"),
        ];
        days.into_iter().find_map(|(d, field)| {
            let d = d?;
            (!d.holiday && (d.end < d.start || d.end > DAY_SECONDS)).then_some(field)
        })
    }
}

/// A company number with its route (P24, P25 and the answer of P26).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TelnumInfo {
    /// The company number (`79007775555`).
    pub telnum: Telnum,
    /// Where calls to the number go (`user`, `group`, `ivr`, `scheduler`, …).
    #[serde(rename = "type", default)]
    pub kind: RouteType,
    /// Whether the standard greeting plays before the call is routed.
    #[serde(default, deserialize_with = "flag")]
    pub greeting: bool,
    /// The company's main number.
    #[serde(default, deserialize_with = "flag")]
    pub is_main_phone: bool,
    /// The number's region as the PBX reports it (`Москва`).
    #[serde(default, deserialize_with = "text")]
    pub location: String,
    /// Calls to the number are switched off.
    #[serde(default, deserialize_with = "flag")]
    pub disabled: bool,
    /// The "transfer to the responsible manager in the CRM" option.
    #[serde(default, deserialize_with = "text")]
    pub crm: String,
    /// Calls from the CRM (call tracking).
    #[serde(default, deserialize_with = "text")]
    pub calltracking: String,
    /// Additional city number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub abc_telnum: Option<String>,
    /// Region of the additional number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub abc_location: Option<String>,
    /// Whether the company's own recorded greeting plays instead of the standard one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_bool"
    )]
    pub greeting_custom: Option<bool>,
    /// Login, for `user` routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Login>,
    /// Employee's name, for `user` routes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub user_name: Option<String>,
    /// Department, for `group` routes (the vendor document's broken `"group_` key is read too).
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "group_")]
    pub group: Option<GroupId>,
    /// Department name, for `group` routes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub group_name: Option<String>,
    /// Menu, for `ivr` routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ivr: Option<Ivr>,
    /// Working-hours route, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<ScheduledRoute>,
    /// Off-hours route, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<ScheduledRoute>,
    /// Schedule, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

/// A number's new route (P26 `POST telnums/{telnum}`); `type` and `greeting` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RouteSettings {
    /// Route type (required).
    #[serde(rename = "type")]
    pub kind: RouteType,
    /// Greeting on (required).
    #[serde(deserialize_with = "http_plumbing::lenient::bool")]
    pub greeting: bool,
    /// Login, for `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Login>,
    /// Department, for `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// Menu, for `ivr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ivr: Option<Ivr>,
    /// Working-hours route, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<ScheduledRoute>,
    /// Off-hours route, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<ScheduledRoute>,
    /// Schedule, for `scheduler`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

impl RouteSettings {
    /// The field the route type requires and that is missing (`user` for a `user` route, …),
    /// or an invalid schedule field.
    pub fn missing_field(&self) -> Option<&'static str> {
        match self.kind {
            RouteType::User if self.user.is_none() => Some("user"),
            RouteType::Group if self.group.is_none() => Some("group"),
            RouteType::Ivr if self.ivr.is_none() => Some("ivr"),
            RouteType::Scheduler if self.work.is_none() => Some("work"),
            RouteType::Scheduler if self.schedule.is_none() => Some("schedule"),
            _ => self.schedule.as_ref().and_then(Schedule::invalid_field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_fills_missing_days_and_rounds_to_minutes() {
        let s = Schedule {
            monday: Some(DaySchedule {
                start: 32_429,
                end: 64_831,
                holiday: false,
            }),
            ..Schedule::default()
        };
        let n = s.normalized();
        assert_eq!(n.monday, Some(DaySchedule::working(32_400, 64_860)));
        assert_eq!(n.sunday, Some(DaySchedule::HOLIDAY));
        assert_eq!(n.normalized(), n);
    }

    #[test]
    fn route_requires_its_target() {
        let r = RouteSettings {
            kind: RouteType::Group,
            ..RouteSettings::default()
        };
        assert_eq!(r.missing_field(), Some("group"));
        let bad = Schedule {
            friday: Some(DaySchedule::working(100, 50)),
            ..Schedule::default()
        };
        assert_eq!(bad.invalid_field(), Some("schedule.friday.end"));
    }

    #[test]
    fn reads_the_seed_telnum_with_its_broken_key() {
        let t: TelnumInfo = serde_json::from_str(
            r#"{"type":"GROUP","group_":"sales","group_name":"Отдел продаж","greeting":false,
            "is_main_phone":true,"location":"","disabled":"0","telnum":79007775555,"crm":"","calltracking":""}"#,
        )
        .unwrap();
        assert_eq!(t.kind, RouteType::Group);
        assert_eq!(t.group, Some(GroupId::from("sales")));
        assert_eq!(t.telnum.as_str(), "79007775555");
    }
}
