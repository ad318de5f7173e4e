//! The PBX side of `/crmapi/v1`: the [`VatsHandler`] trait and its typed error.

mod dispatch;
mod routes;
mod validate;

#[cfg(feature = "axum")]
pub use dispatch::router;
pub use dispatch::{DEFAULT_BODY_LIMIT, Dispatcher};

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
use http::StatusCode;

/// What a [`VatsHandler`] method can fail with; the [`Dispatcher`] maps each to the seed's
/// status and body (section 3.3): `{"error":"<seed text>","detail":"<what exactly>"}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandlerError {
    /// 400 `Validation error`: a field is missing or invalid (the detail names it).
    #[error("Validation error: {field}: {message}")]
    Validation {
        /// The field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// 404 `Not found`: the user, group, number or SIM does not exist.
    #[error("Not found: {0}")]
    NotFound(String),
    /// 409 `Conflict`: e.g. a login or extension that is already taken.
    #[error("Conflict: {0}")]
    Conflict(String),
    /// 413 `Payload Too Large`: the body is over the dispatcher's limit.
    #[error("Payload Too Large: over {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 401 `Invalid token`.
    #[error("Invalid token")]
    InvalidToken,
    /// 401 `CRM disabled`: the CRM service is not available.
    #[error("CRM disabled")]
    CrmDisabled,
    /// 401 `CRM switched off`: API access is switched off.
    #[error("CRM switched off")]
    CrmSwitchedOff,
    /// 405 `Method Not Allowed`: this handler does not serve the operation (the trait's default).
    #[error("Method Not Allowed")]
    NotImplemented,
    /// 500 `Internal error`: the detail is logged by the implementor, never sent.
    #[error("Internal error: {0}")]
    Internal(String),
}

impl HandlerError {
    /// A 400 naming the field.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 404 describing what was not found (`user u704`).
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// The HTTP status the dispatcher answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::InvalidToken | Self::CrmDisabled | Self::CrmSwitchedOff => {
                StatusCode::UNAUTHORIZED
            }
            Self::NotImplemented => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `error` text of the body (the seed's wording where the seed has one).
    pub fn error_text(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "Validation error",
            Self::NotFound(_) => "Not found",
            Self::TooLarge { .. } => "Payload Too Large",
            Self::Conflict(_) => "Conflict",
            Self::InvalidToken => "Invalid token",
            Self::CrmDisabled => "CRM disabled",
            Self::CrmSwitchedOff => "CRM switched off",
            Self::NotImplemented => "Method Not Allowed",
            Self::Internal(_) => "Internal error",
        }
    }

    /// The `detail` sent with the error, if any (never for internal errors).
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Validation { field, message } => Some(format!("{field}: {message}")),
            Self::NotFound(what) | Self::Conflict(what) => Some(what.clone()),
            Self::TooLarge { limit } => Some(format!("request body is larger than {limit} bytes")),
            _ => None,
        }
    }
}

impl From<crate::Error> for HandlerError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::InvalidInput { field, message } => Self::Validation { field, message },
            crate::Error::Decode { path, message, .. } => Self::Validation {
                field: path,
                message,
            },
            other => Self::Internal(other.to_string()),
        }
    }
}

/// What a handler method returns.
pub type HandlerResult<T> = std::result::Result<T, HandlerError>;

/// The PBX side of `/crmapi/v1`: one method per operation (P1–P40), typed in and out.
///
/// The [`Dispatcher`] does routing, `X-API-KEY` authentication, body and query decoding and
/// validation (the required fields, the seed's allowed values, digits-only phones, blacklist
/// patterns, the history period rules) before calling a method, so a method sees only valid
/// input. Every method has a default answering 405 `Method Not Allowed`: implement the ones
/// you serve.
///
/// ```
/// use async_trait::async_trait;
/// use vats_api::v1::{HandlerError, HandlerResult, Login, User, VatsHandler};
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
    /// P1 `GET history/csv`. `range` is the period resolved by seed 4.5 at the time of the
    /// request; filter call starts with [`HistoryRange::contains`], then `type`, then `limit`.
    async fn history_csv(
        &self,
        query: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryCsvRow>> {
        Err(HandlerError::NotImplemented)
    }

    /// P2 `GET history/json`.
    async fn history_json(
        &self,
        query: HistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<HistoryRecord>> {
        Err(HandlerError::NotImplemented)
    }

    /// P3 `GET history/inner/csv`.
    async fn inner_history_csv(
        &self,
        query: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryCsvRow>> {
        Err(HandlerError::NotImplemented)
    }

    /// P4 `GET history/inner/json`.
    async fn inner_history_json(
        &self,
        query: InnerHistoryQuery,
        range: HistoryRange,
    ) -> HandlerResult<Vec<InnerHistoryRecord>> {
        Err(HandlerError::NotImplemented)
    }

    /// P5 `POST makecall`: returns the new call's unique id (answered `{"callid":"…"}`).
    async fn make_call(&self, call: MakeCall) -> HandlerResult<CallId> {
        Err(HandlerError::NotImplemented)
    }

    /// P6 `GET users`: one page (filter by `search`, then [`Page::paginate`]).
    async fn list_users(&self, query: ListQuery) -> HandlerResult<Page<User>> {
        Err(HandlerError::NotImplemented)
    }

    /// P7 `GET users/{login}` (login or extension).
    async fn get_user(&self, login: Login) -> HandlerResult<User> {
        Err(HandlerError::NotImplemented)
    }

    /// P8 `POST users`: fill the defaults (login `u`+ext, first free ext, position
    /// `Менеджер`, role `user`) and answer the stored user.
    async fn create_user(&self, user: NewUser) -> HandlerResult<User> {
        Err(HandlerError::NotImplemented)
    }

    /// P9 `PUT users/{login}`: apply with [`UserUpdate::apply_to`].
    async fn update_user(&self, login: Login, update: UserUpdate) -> HandlerResult<User> {
        Err(HandlerError::NotImplemented)
    }

    /// P10 `DELETE users/{login}` (answered 204).
    async fn delete_user(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P11 `GET users/{login}/groups`.
    async fn user_groups(&self, login: Login) -> HandlerResult<Vec<UserGroup>> {
        Err(HandlerError::NotImplemented)
    }

    /// P12 `GET users/{login}/subscription[?group_id=]`.
    async fn subscription_state(
        &self,
        login: Login,
        group: Option<GroupId>,
    ) -> HandlerResult<bool> {
        Err(HandlerError::NotImplemented)
    }

    /// P13 `POST users/{login}/subscription[?group_id=]`: one group, or all without it (204).
    async fn subscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P14 `DELETE users/{login}/subscription[?group_id=]` (204).
    async fn unsubscribe(&self, login: Login, group: Option<GroupId>) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P15 `GET users/{login}/dnd`.
    async fn dnd_state(&self, login: Login) -> HandlerResult<bool> {
        Err(HandlerError::NotImplemented)
    }

    /// P16 `POST users/{login}/dnd` (204).
    async fn enable_dnd(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P17 `DELETE users/{login}/dnd` (204).
    async fn disable_dnd(&self, login: Login) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P18 `GET groups`.
    async fn list_groups(&self, query: ListQuery) -> HandlerResult<Page<Group>> {
        Err(HandlerError::NotImplemented)
    }

    /// P19 `GET groups/{id}`.
    async fn get_group(&self, id: GroupId) -> HandlerResult<Group> {
        Err(HandlerError::NotImplemented)
    }

    /// P20 `POST groups` (defaults: call_order `ALL`, call_duration 15, advanced `off`).
    async fn create_group(&self, group: NewGroup) -> HandlerResult<Group> {
        Err(HandlerError::NotImplemented)
    }

    /// P21 `PUT groups/{id}`: apply with [`GroupUpdate::apply_to`].
    async fn update_group(&self, id: GroupId, update: GroupUpdate) -> HandlerResult<Group> {
        Err(HandlerError::NotImplemented)
    }

    /// P22 `DELETE groups/{id}` (204).
    async fn delete_group(&self, id: GroupId) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P23 `POST groups/{id}/users`: apply with [`GroupUsersChange::apply_to`] (204).
    async fn change_group_users(&self, id: GroupId, change: GroupUsersChange) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P24 `GET telnums`.
    async fn list_telnums(&self, query: ListQuery) -> HandlerResult<Page<TelnumInfo>> {
        Err(HandlerError::NotImplemented)
    }

    /// P25 `GET telnums/{telnum}`.
    async fn get_telnum(&self, telnum: Telnum) -> HandlerResult<TelnumInfo> {
        Err(HandlerError::NotImplemented)
    }

    /// P26 `POST telnums/{telnum}`: the route arrives validated, its schedule already
    /// [normalized](crate::v1::Schedule::normalized); answer the number's settings.
    async fn set_telnum_route(
        &self,
        telnum: Telnum,
        route: RouteSettings,
    ) -> HandlerResult<TelnumInfo> {
        Err(HandlerError::NotImplemented)
    }

    /// P27 `POST telnums/{telnum}/enabled` (204).
    async fn enable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P28 `DELETE telnums/{telnum}/enabled` (204).
    async fn disable_telnum(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P29 `GET sims`.
    async fn list_sims(&self, query: ListQuery) -> HandlerResult<Page<Sim>> {
        Err(HandlerError::NotImplemented)
    }

    /// P30 `GET sims/{telnum}`.
    async fn get_sim(&self, telnum: Telnum) -> HandlerResult<Sim> {
        Err(HandlerError::NotImplemented)
    }

    /// P31 `POST sims/{telnum}/user/{login}` (204).
    async fn assign_sim_to_user(&self, telnum: Telnum, login: Login) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P32 `POST sims/{telnum}/company` (204).
    async fn assign_sim_to_company(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P33 `POST sims/{telnum}/disable` (204).
    async fn disable_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P34 `DELETE sims/{telnum}` (204).
    async fn delete_sim(&self, telnum: Telnum) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P35 `GET blacklist/telnums[?with=statistics]`.
    async fn list_blacklist(
        &self,
        query: ListQuery,
        statistics: bool,
    ) -> HandlerResult<Page<BlacklistEntry>> {
        Err(HandlerError::NotImplemented)
    }

    /// P36 `POST blacklist/telnums` (patterns arrive validated) (204).
    async fn add_to_blacklist(&self, add: BlacklistAdd) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P37 `DELETE blacklist/telnums?telnum=…` (at least one) (204).
    async fn remove_from_blacklist(&self, telnums: Vec<String>) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P38 `GET blacklist/block-anonymous`.
    async fn block_anonymous_state(&self) -> HandlerResult<bool> {
        Err(HandlerError::NotImplemented)
    }

    /// P39 `POST blacklist/block-anonymous` (204).
    async fn enable_block_anonymous(&self) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }

    /// P40 `DELETE blacklist/block-anonymous` (204).
    async fn disable_block_anonymous(&self) -> HandlerResult<()> {
        Err(HandlerError::NotImplemented)
    }
}
