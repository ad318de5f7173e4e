//! The PBX side of `/crmapi/v1`: the [`VatsHandler`] trait and its typed error.

mod dispatch;
mod routes;
mod validate;

pub use dispatch::Dispatcher;

use crate::CallId;
use crate::v1::types::blacklist::{BlacklistAdd, BlacklistEntry};
use crate::v1::types::calls::MakeCall;
use crate::v1::types::groups::{Group, GroupUpdate, GroupUsersChange, NewGroup};
use crate::v1::types::history::{
    HistoryCsvRow, HistoryQuery, HistoryRecord, InnerHistoryCsvRow, InnerHistoryQuery,
    InnerHistoryRecord,
};
use crate::v1::types::ids::{GroupId, Login, Telnum};
use crate::v1::types::list::{ListQuery, Page};
use crate::v1::types::period::HistoryRange;
use crate::v1::types::sims::Sim;
use crate::v1::types::telnums::{RouteSettings, TelnumInfo};
use crate::v1::types::users::{NewUser, User, UserGroup, UserUpdate};
use async_trait::async_trait;
use http_plumbing::HandlerError;

/// What a handler method returns.
pub type HandlerResult<T> = std::result::Result<T, HandlerError>;

/// The PBX side of `/crmapi/v1`: one method per operation (P1–P40), typed in and out.
///
/// The [`Dispatcher`] does routing, `X-API-KEY` authentication, body and query decoding and
/// validation (the required fields, the vendor document's allowed values, digits-only phones, blacklist
/// patterns, the history period rules) before calling a method, so a method sees only valid
/// input. Every method has a default answering 501 `Not Implemented`: implement the ones you
/// serve.
///
/// ```
/// use vats_api::async_trait;
/// use vats_api::v1::{HandlerResult, Login, User, VatsHandler};
/// use vats_api::HandlerError;
///
/// struct OneUser;
///
/// #[async_trait]
/// impl VatsHandler for OneUser {
///     async fn get_user(&self, login: Login) -> HandlerResult<User> {
///         if login.as_str() == "admin" {
///             Ok(User { login, name: "Администратор".into(), ..User::default() })
///         } else {
///             Err(HandlerError::not_found(format!("user {login}")))
///         }
///     }
/// }
/// ```
#[allow(unused_variables)]
#[async_trait]
pub trait VatsHandler: Send + Sync + 'static {
    /// P1 `GET history/csv`. `range` is the period resolved by the history period rules
    /// (docs/protocol.md §3) at the time of the
    /// request; filter call starts with [`HistoryRange::contains`], then the filters live clients
    /// send (`query.filters`: `user`, `diversion`, `client`, `groups`, `processMissed`,
    /// `missedStatus` — [`HistoryFilters::apply`](crate::v1::HistoryFilters::apply) does them),
    /// then `type`, then `limit`. The dispatcher has already refused any other parameter (400
    /// naming it).
    async fn history_csv(
        &self,
        query: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryCsvRow>> {
        Err(HandlerError::not_implemented("P1 GET history/csv"))
    }

    /// P2 `GET history/json` (filters as in [`history_csv`](VatsHandler::history_csv); the
    /// records' `status` is written in lower case).
    async fn history_json(
        &self,
        query: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryRecord>> {
        Err(HandlerError::not_implemented("P2 GET history/json"))
    }

    /// P3 `GET history/inner/csv`.
    async fn inner_history_csv(
        &self,
        query: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryCsvRow>> {
        Err(HandlerError::not_implemented("P3 GET history/inner/csv"))
    }

    /// P4 `GET history/inner/json`.
    async fn inner_history_json(
        &self,
        query: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryRecord>> {
        Err(HandlerError::not_implemented("P4 GET history/inner/json"))
    }

    /// P5 `POST makecall`: returns the new call's unique id (answered `{"callid":"…"}`).
    async fn make_call(&self, call: MakeCall) -> HandlerResult<CallId> {
        Err(HandlerError::not_implemented("P5 POST makecall"))
    }

    /// P6 `GET users`: one page (filter by `search`, then [`Page::paginate`]).
    async fn list_users(&self, query: ListQuery) -> HandlerResult<Page<User>> {
        Err(HandlerError::not_implemented("P6 GET users"))
    }

    /// P7 `GET users/{login}` (login or extension).
    async fn get_user(&self, login: Login) -> HandlerResult<User> {
        Err(HandlerError::not_implemented("P7 GET users/{login}"))
    }

    /// P8 `POST users`: fill the defaults (login `u`+ext, first free ext, position
    /// `Менеджер`, role `user`) and answer the stored user.
    async fn create_user(&self, user: NewUser) -> HandlerResult<User> {
        Err(HandlerError::not_implemented("P8 POST users"))
    }

    /// P9 `PUT users/{login}`: apply with [`UserUpdate::apply_to`].
    async fn update_user(&self, login: Login, update: UserUpdate) -> HandlerResult<User> {
        Err(HandlerError::not_implemented("P9 PUT users/{login}"))
    }

    /// P10 `DELETE users/{login}` (answered 204).
    async fn delete_user(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P10 DELETE users/{login}"))
    }

    /// P11 `GET users/{login}/groups`.
    async fn user_groups(&self, login: Login) -> HandlerResult<Vec<UserGroup>> {
        Err(HandlerError::not_implemented(
            "P11 GET users/{login}/groups",
        ))
    }

    /// P12 `GET users/{login}/subscription[?group_id=]`.
    async fn subscription_state(
        &self,
        login: Login,
        group: Option<GroupId>,
    ) -> HandlerResult<bool> {
        Err(HandlerError::not_implemented(
            "P12 GET users/{login}/subscription[?group_id=]",
        ))
    }

    /// P13 `POST users/{login}/subscription[?group_id=]`: one group, or all without it (204).
    async fn subscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P13 POST users/{login}/subscription[?group_id=]",
        ))
    }

    /// P14 `DELETE users/{login}/subscription[?group_id=]` (204).
    async fn unsubscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P14 DELETE users/{login}/subscription[?group_id=]",
        ))
    }

    /// P15 `GET users/{login}/dnd`.
    async fn dnd_state(&self, login: Login) -> HandlerResult<bool> {
        Err(HandlerError::not_implemented("P15 GET users/{login}/dnd"))
    }

    /// P16 `POST users/{login}/dnd` (204).
    async fn enable_dnd(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P16 POST users/{login}/dnd"))
    }

    /// P17 `DELETE users/{login}/dnd` (204).
    async fn disable_dnd(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P17 DELETE users/{login}/dnd",
        ))
    }

    /// P18 `GET groups`.
    async fn list_groups(&self, query: ListQuery) -> HandlerResult<Page<Group>> {
        Err(HandlerError::not_implemented("P18 GET groups"))
    }

    /// P19 `GET groups/{id}`.
    async fn get_group(&self, id: GroupId) -> HandlerResult<Group> {
        Err(HandlerError::not_implemented("P19 GET groups/{id}"))
    }

    /// P20 `POST groups` (defaults: call_order `ALL`, call_duration 15, advanced `off`).
    async fn create_group(&self, group: NewGroup) -> HandlerResult<Group> {
        Err(HandlerError::not_implemented("P20 POST groups"))
    }

    /// P21 `PUT groups/{id}`: apply with [`GroupUpdate::apply_to`].
    async fn update_group(&self, id: GroupId, update: GroupUpdate) -> HandlerResult<Group> {
        Err(HandlerError::not_implemented("P21 PUT groups/{id}"))
    }

    /// P22 `DELETE groups/{id}` (204).
    async fn delete_group(&self, id: GroupId) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P22 DELETE groups/{id}"))
    }

    /// P23 `POST groups/{id}/users`: apply with [`GroupUsersChange::apply_to`] (204).
    async fn change_group_users(&self, id: GroupId, change: GroupUsersChange) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P23 POST groups/{id}/users"))
    }

    /// P24 `GET telnums`.
    async fn list_telnums(&self, query: ListQuery) -> HandlerResult<Page<TelnumInfo>> {
        Err(HandlerError::not_implemented("P24 GET telnums"))
    }

    /// P25 `GET telnums/{telnum}`.
    async fn get_telnum(&self, telnum: Telnum) -> HandlerResult<TelnumInfo> {
        Err(HandlerError::not_implemented("P25 GET telnums/{telnum}"))
    }

    /// P26 `POST telnums/{telnum}`: the route arrives validated, its schedule already
    /// [normalized](crate::v1::Schedule::normalized); answer the number's settings.
    async fn set_telnum_route(
        &self,
        telnum: Telnum,
        route: RouteSettings,
    ) -> HandlerResult<TelnumInfo> {
        Err(HandlerError::not_implemented("P26 POST telnums/{telnum}"))
    }

    /// P27 `POST telnums/{telnum}/enabled` (204).
    async fn enable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P27 POST telnums/{telnum}/enabled",
        ))
    }

    /// P28 `DELETE telnums/{telnum}/enabled` (204).
    async fn disable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P28 DELETE telnums/{telnum}/enabled",
        ))
    }

    /// P29 `GET sims`.
    async fn list_sims(&self, query: ListQuery) -> HandlerResult<Page<Sim>> {
        Err(HandlerError::not_implemented("P29 GET sims"))
    }

    /// P30 `GET sims/{telnum}`.
    async fn get_sim(&self, telnum: Telnum) -> HandlerResult<Sim> {
        Err(HandlerError::not_implemented("P30 GET sims/{telnum}"))
    }

    /// P31 `POST sims/{telnum}/user/{login}` (204).
    async fn assign_sim_to_user(&self, telnum: Telnum, login: Login) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P31 POST sims/{telnum}/user/{login}",
        ))
    }

    /// P32 `POST sims/{telnum}/company` (204).
    async fn assign_sim_to_company(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P32 POST sims/{telnum}/company",
        ))
    }

    /// P33 `POST sims/{telnum}/disable` (204).
    async fn disable_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P33 POST sims/{telnum}/disable",
        ))
    }

    /// P34 `DELETE sims/{telnum}` (204).
    async fn delete_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P34 DELETE sims/{telnum}"))
    }

    /// P35 `GET blacklist/telnums[?with=statistics]`.
    async fn list_blacklist(
        &self,
        query: ListQuery,
        statistics: bool,
    ) -> HandlerResult<Page<BlacklistEntry>> {
        Err(HandlerError::not_implemented(
            "P35 GET blacklist/telnums[?with=statistics]",
        ))
    }

    /// P36 `POST blacklist/telnums` (patterns arrive validated) (204).
    async fn add_to_blacklist(&self, add: BlacklistAdd) -> HandlerResult<()> {
        Err(HandlerError::not_implemented("P36 POST blacklist/telnums"))
    }

    /// P37 `DELETE blacklist/telnums?telnum=…` (at least one) (204).
    async fn remove_from_blacklist(&self, telnums: Vec<String>) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P37 DELETE blacklist/telnums?telnum=…",
        ))
    }

    /// P38 `GET blacklist/block-anonymous`.
    async fn block_anonymous_state(&self) -> HandlerResult<bool> {
        Err(HandlerError::not_implemented(
            "P38 GET blacklist/block-anonymous",
        ))
    }

    /// P39 `POST blacklist/block-anonymous` (204).
    async fn enable_block_anonymous(&self) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P39 POST blacklist/block-anonymous",
        ))
    }

    /// P40 `DELETE blacklist/block-anonymous` (204).
    async fn disable_block_anonymous(&self) -> HandlerResult<()> {
        Err(HandlerError::not_implemented(
            "P40 DELETE blacklist/block-anonymous",
        ))
    }
}
