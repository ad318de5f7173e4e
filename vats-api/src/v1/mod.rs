//! REST generation `/crmapi/v1` (the PBX v1 vendor document).
//!
//! CRM → PBX (rows P1–P40 of docs/protocol.md §3): the [`Client`] a CRM uses, the [`VatsHandler`]
//! trait a PBX (or the mock server) implements, and the [`Dispatcher`] that serves it.
//! PBX → CRM pushes (V1–V4) live in [`push`].
//!
//! # Operations
//!
//! Every row has a client method, a handler method of the same name and a dispatcher route.
//! List rows also have a `*_stream` client method that follows `info.next` over all pages.
//! "204" rows answer `204 No Content`.
//!
//! | # | route | client method | handler method | answer |
//! |---|---|---|---|---|
//! | P1 | `GET history/csv` | [`Client::history_csv`] | [`VatsHandler::history_csv`] | CSV [`HistoryCsvRow`] |
//! | P2 | `GET history/json` | [`Client::history_json`] | [`VatsHandler::history_json`] | `[`[`HistoryRecord`]`]` |
//! | P3 | `GET history/inner/csv` | [`Client::inner_history_csv`] | [`VatsHandler::inner_history_csv`] | CSV [`InnerHistoryCsvRow`] |
//! | P4 | `GET history/inner/json` | [`Client::inner_history_json`] | [`VatsHandler::inner_history_json`] | `[`[`InnerHistoryRecord`]`]` |
//! | P5 | `POST makecall` | [`Client::make_call`] | [`VatsHandler::make_call`] | `{"callid":"…"}` |
//! | P6 | `GET users` | [`Client::list_users`], [`Client::users_stream`] | [`VatsHandler::list_users`] | [`Page`]`<`[`User`]`>` |
//! | P7 | `GET users/{login}` | [`Client::get_user`] | [`VatsHandler::get_user`] | [`User`] |
//! | P8 | `POST users` | [`Client::create_user`] | [`VatsHandler::create_user`] | [`User`] |
//! | P9 | `PUT users/{login}` | [`Client::update_user`] | [`VatsHandler::update_user`] | [`User`] |
//! | P10 | `DELETE users/{login}` | [`Client::delete_user`] | [`VatsHandler::delete_user`] | 204 |
//! | P11 | `GET users/{login}/groups` | [`Client::user_groups`] | [`VatsHandler::user_groups`] | `[`[`UserGroup`]`]` |
//! | P12 | `GET users/{login}/subscription?group_id=` | [`Client::subscription_state`] | [`VatsHandler::subscription_state`] | `{"state": bool}` |
//! | P13 | `POST users/{login}/subscription[?group_id=]` | [`Client::subscribe`] | [`VatsHandler::subscribe`] | 204 |
//! | P14 | `DELETE users/{login}/subscription[?group_id=]` | [`Client::unsubscribe`] | [`VatsHandler::unsubscribe`] | 204 |
//! | P15 | `GET users/{login}/dnd` | [`Client::dnd_state`] | [`VatsHandler::dnd_state`] | `{"state": bool}` |
//! | P16 | `POST users/{login}/dnd` | [`Client::enable_dnd`] | [`VatsHandler::enable_dnd`] | 204 |
//! | P17 | `DELETE users/{login}/dnd` | [`Client::disable_dnd`] | [`VatsHandler::disable_dnd`] | 204 |
//! | P18 | `GET groups` | [`Client::list_groups`], [`Client::groups_stream`] | [`VatsHandler::list_groups`] | [`Page`]`<`[`Group`]`>` |
//! | P19 | `GET groups/{id}` | [`Client::get_group`] | [`VatsHandler::get_group`] | [`Group`] |
//! | P20 | `POST groups` | [`Client::create_group`] | [`VatsHandler::create_group`] | [`Group`] |
//! | P21 | `PUT groups/{id}` | [`Client::update_group`] | [`VatsHandler::update_group`] | [`Group`] |
//! | P22 | `DELETE groups/{id}` | [`Client::delete_group`] | [`VatsHandler::delete_group`] | 204 |
//! | P23 | `POST groups/{id}/users` | [`Client::change_group_users`] | [`VatsHandler::change_group_users`] | 204 |
//! | P24 | `GET telnums` | [`Client::list_telnums`], [`Client::telnums_stream`] | [`VatsHandler::list_telnums`] | [`Page`]`<`[`TelnumInfo`]`>` |
//! | P25 | `GET telnums/{telnum}` | [`Client::get_telnum`] | [`VatsHandler::get_telnum`] | [`TelnumInfo`] |
//! | P26 | `POST telnums/{telnum}` | [`Client::set_telnum_route`] | [`VatsHandler::set_telnum_route`] | [`TelnumInfo`] |
//! | P27 | `POST telnums/{telnum}/enabled` | [`Client::enable_telnum`] | [`VatsHandler::enable_telnum`] | 204 |
//! | P28 | `DELETE telnums/{telnum}/enabled` | [`Client::disable_telnum`] | [`VatsHandler::disable_telnum`] | 204 |
//! | P29 | `GET sims` | [`Client::list_sims`], [`Client::sims_stream`] | [`VatsHandler::list_sims`] | [`Page`]`<`[`Sim`]`>` |
//! | P30 | `GET sims/{telnum}` | [`Client::get_sim`] | [`VatsHandler::get_sim`] | [`Sim`] |
//! | P31 | `POST sims/{telnum}/user/{login}` | [`Client::assign_sim_to_user`] | [`VatsHandler::assign_sim_to_user`] | 204 |
//! | P32 | `POST sims/{telnum}/company` | [`Client::assign_sim_to_company`] | [`VatsHandler::assign_sim_to_company`] | 204 |
//! | P33 | `POST sims/{telnum}/disable` | [`Client::disable_sim`] | [`VatsHandler::disable_sim`] | 204 |
//! | P34 | `DELETE sims/{telnum}` | [`Client::delete_sim`] | [`VatsHandler::delete_sim`] | 204 |
//! | P35 | `GET blacklist/telnums[?with=statistics]` | [`Client::list_blacklist`], [`Client::blacklist_stream`] | [`VatsHandler::list_blacklist`] | [`Page`]`<`[`BlacklistEntry`]`>` |
//! | P36 | `POST blacklist/telnums` | [`Client::add_to_blacklist`] | [`VatsHandler::add_to_blacklist`] | 204 |
//! | P37 | `DELETE blacklist/telnums?telnum=…&telnum=…` | [`Client::remove_from_blacklist`] | [`VatsHandler::remove_from_blacklist`] | 204 |
//! | P38 | `GET blacklist/block-anonymous` | [`Client::block_anonymous_state`] | [`VatsHandler::block_anonymous_state`] | `{"state": bool}` |
//! | P39 | `POST blacklist/block-anonymous` | [`Client::enable_block_anonymous`] | [`VatsHandler::enable_block_anonymous`] | 204 |
//! | P40 | `DELETE blacklist/block-anonymous` | [`Client::disable_block_anonymous`] | [`VatsHandler::disable_block_anonymous`] | 204 |
//!
//! Also: [`Client::download_record`] fetches a recording link (`record` / `link`), sending
//! `X-API-KEY` only to the PBX's own origin — PBXs may require it to download.
//!
//! # Errors (vendor document §3.3)
//!
//! Error bodies are `{"error":"<documented text>"}`, with a `"detail"` naming the field or
//! object where there is one: 400 `Validation error`, 401 `Invalid token` / `CRM disabled` /
//! `CRM switched off`, 404 `Not found`, 405 `Method Not Allowed` (with `Allow`), 413
//! `Payload Too Large`, 501 `Not Implemented` (an operation the PBX does not serve). A client
//! keeps every failure answer with its status, raw body and message (`error`, or
//! `error: detail`): [`Error::Unauthorized`](crate::Error::Unauthorized) for 401,
//! [`Error::Conflict`](crate::Error::Conflict) for 409, [`Error::Api`](crate::Error::Api)
//! otherwise.
//!
//! # Reading the vendor document (decisions beyond docs/protocol.md)
//!
//! - Lost verbs/paths (6.4, 6.6, 7.3, 8.1, 9.1, 10.1) follow the docs/protocol.md §3 table: `PUT users/{login}`,
//!   `GET users/{login}/groups`, `POST users/{login}/dnd`, `GET groups`, `GET telnums`, `GET sims`.
//! - DND (7.2–7.4): the vendor document calls `POST …/dnd` "switch call taking on (DND mode)"; this crate
//!   names the pair `enable_dnd` (POST) / `disable_dnd` (DELETE) and passes `state` through as the
//!   PBX reports it.
//! - History period (4.5): [`history_range`] — UTC days, weeks from Monday, `[from, to)`;
//!   `period=week` / `month` (the vendor document's own example) read as `this_week` / `this_month`; an
//!   unknown period, a `start` after `end` or an unknown `type` is 400 naming the field.
//! - History answers: JSON is a bare array (as the vendor document prints it; `{"items":[…]}` is read too);
//!   CSV is written with a header row and RFC 3339 UTC times, read with or without a header, by
//!   column name when there is one, `,` or `;` separated, all three timestamp forms.
//!   The vendor document's internal-CSV example carries `in`/`out` in the `status` column: kept as
//!   [`InnerStatus::Other`]. The vendor document's external CSV has no example; the fixture is ours.
//! - Lists: `info.next` is followed when present, else `start + items` while below `total`
//!   (the vendor document's examples omit `next`); a `next` that does not advance ends the stream. A bare
//!   array answer is read as one whole page (the blacklist example is printed that way); an
//!   object without `items` is a decode error, never an empty page.
//! - `makecall` answers `{"callid":"…"}`; `{"call_id"|"uid"|"id":…}`, a bare JSON string or
//!   number, and plain text are read.
//! - Users: POST requires `name`; `mobile_redirect.enabled` needs `mobile` (400 `mobile`);
//!   `delay` must be 0/5/10/15. Groups: `call_duration` 5…30 step 5 (0 accepted, the `ALL`
//!   value), `timeout.time` 15/30/60/120/300/600, and `timeout.target` needs its `user` /
//!   `group` / `telnum`. Unknown enum values are kept when *read* and refused (400) when a
//!   PBX receives them in a change request.
//! - Routes: `user`/`group`/`ivr` need their target, `scheduler` needs `work` and `schedule`;
//!   the dispatcher hands the handler a [normalized](Schedule::normalized) schedule (missing
//!   days are holidays, times rounded to the *nearest* minute). The duty route's `subtype` is
//!   also read as `type`; the vendor document's broken `"group_` key is read as `group`.
//! - Blacklist: patterns are digits with an optional trailing `*`; `POST` takes `telnum` as a
//!   string, an array, a comma-separated string or repeated form fields; `DELETE` takes repeated
//!   `telnum` query parameters (comma-separated too). An unknown `with` is 400.
//! - `password` fields are [`Password`] (a `SecretString`): redacted in `Debug`.

pub mod push;
mod types;

#[cfg(feature = "client")]
mod client;

/// The authorization header of CRM → PBX requests (vendor document §3.1).
pub const API_KEY_HEADER: &str = "X-API-KEY";
#[cfg(feature = "server")]
mod server;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
/// The retry policy [`ClientBuilder::retry_policy`] takes (re-exported from `http-plumbing`).
#[cfg(feature = "client")]
pub use http_plumbing::RetryPolicy;
#[cfg(feature = "server")]
pub use server::{Dispatcher, HandlerResult, VatsHandler};
pub use types::blacklist::{
    BlacklistAdd, BlacklistEntry, blacklist_matches, is_valid_blacklist_pattern,
};
pub use types::calls::{MakeCall, MakeCallAnswer};
pub use types::groups::{
    Advanced, CALL_DURATIONS, CallOrder, Group, GroupMember, GroupUpdate, GroupUsersChange,
    NewGroup, TIMEOUT_TIMES, Timeout, TimeoutTarget,
};
pub use types::history::{
    Destination, HistoryCsvRow, HistoryQuery, HistoryRecord, HistoryType, InnerHistoryCsvRow,
    InnerHistoryQuery, InnerHistoryRecord, InnerHistoryType, InnerStatus, Period,
};
pub use types::history_csv::{
    HISTORY_CSV_COLUMNS, INNER_HISTORY_CSV_COLUMNS, parse_history_csv, parse_inner_history_csv,
    write_history_csv, write_inner_history_csv,
};
pub use types::history_filters::{
    HISTORY_FILTER_PARAMETERS, HISTORY_PARAMETERS, HistoryFilters, MISSED_CALLBACK_FAILED,
    MISSED_CLIENT_CALLED_BACK, MISSED_NO_CALLBACK, MISSED_NONE, MISSED_WE_CALLED_BACK,
};
pub use types::ids::{GroupId, Login, Telnum};
pub use types::list::{ListInfo, ListQuery, Page};
pub use types::period::{HistoryRange, history_range};
pub use types::sims::Sim;
pub use types::telnums::{
    DaySchedule, Ivr, IvrButton, RouteSettings, RouteType, Schedule, ScheduledRoute, TelnumInfo,
};
pub use types::users::{
    MobileRedirect, NewUser, Password, REDIRECT_DELAYS, Role, User, UserGroup, UserUpdate,
    is_valid_redirect_delay,
};
