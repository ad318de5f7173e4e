//! P18–P40: departments, numbers, SIM cards and the blacklist.

use super::{Body, Client, to_body};
use crate::v1::types::blacklist::{BlacklistAdd, BlacklistEntry};
use crate::v1::types::groups::{Group, GroupUpdate, GroupUsersChange, NewGroup};
use crate::v1::types::ids::{GroupId, Login, Telnum};
use crate::v1::types::list::{ListQuery, Page};
use crate::v1::types::sims::Sim;
use crate::v1::types::telnums::{RouteSettings, TelnumInfo};
use crate::{Error, Result};
use futures::Stream;
use http::Method;

fn with_statistics(on: bool) -> Vec<(&'static str, String)> {
    if on {
        vec![("with", "statistics".to_owned())]
    } else {
        Vec::new()
    }
}

impl Client {
    /// P18 `GET groups`: one page of departments.
    pub async fn list_groups(&self, query: &ListQuery) -> Result<Page<Group>> {
        self.json(Method::GET, &["groups"], &query.pairs(), Body::None)
            .await
    }

    /// P18 `GET groups`, every page, as a stream.
    pub fn groups_stream(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<Group>> + Send + Unpin + 'static {
        self.pages(vec!["groups".into()], query, Vec::new())
    }

    /// P19 `GET groups/{id}`.
    pub async fn get_group(&self, id: &GroupId) -> Result<Group> {
        self.json(Method::GET, &["groups", id.as_str()], &[], Body::None)
            .await
    }

    /// P20 `POST groups`: adds a department.
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group> {
        self.json(Method::POST, &["groups"], &[], to_body(group)?)
            .await
    }

    /// P21 `PUT groups/{id}`: changes only the fields that are set.
    pub async fn update_group(&self, id: &GroupId, update: &GroupUpdate) -> Result<Group> {
        self.json(Method::PUT, &["groups", id.as_str()], &[], to_body(update)?)
            .await
    }

    /// P22 `DELETE groups/{id}` (204).
    pub async fn delete_group(&self, id: &GroupId) -> Result<()> {
        self.no_content(Method::DELETE, &["groups", id.as_str()], &[], Body::None)
            .await
    }

    /// P23 `POST groups/{id}/users`: adds, disables and removes members in that order (204).
    pub async fn change_group_users(&self, id: &GroupId, change: &GroupUsersChange) -> Result<()> {
        let path = ["groups", id.as_str(), "users"];
        self.no_content(Method::POST, &path, &[], to_body(change)?)
            .await
    }

    /// P24 `GET telnums`: one page of company numbers.
    pub async fn list_telnums(&self, query: &ListQuery) -> Result<Page<TelnumInfo>> {
        self.json(Method::GET, &["telnums"], &query.pairs(), Body::None)
            .await
    }

    /// P24 `GET telnums`, every page, as a stream.
    pub fn telnums_stream(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<TelnumInfo>> + Send + Unpin + 'static {
        self.pages(vec!["telnums".into()], query, Vec::new())
    }

    /// P25 `GET telnums/{telnum}`.
    pub async fn get_telnum(&self, telnum: &Telnum) -> Result<TelnumInfo> {
        self.json(Method::GET, &["telnums", telnum.as_str()], &[], Body::None)
            .await
    }

    /// P26 `POST telnums/{telnum}`: sets the number's route; answers the number's settings.
    pub async fn set_telnum_route(
        &self,
        telnum: &Telnum,
        route: &RouteSettings,
    ) -> Result<TelnumInfo> {
        self.json(
            Method::POST,
            &["telnums", telnum.as_str()],
            &[],
            to_body(route)?,
        )
        .await
    }

    /// P27 `POST telnums/{telnum}/enabled`: switches calls to the number on (204).
    pub async fn enable_telnum(&self, telnum: &Telnum) -> Result<()> {
        let path = ["telnums", telnum.as_str(), "enabled"];
        self.no_content(Method::POST, &path, &[], Body::None).await
    }

    /// P28 `DELETE telnums/{telnum}/enabled`: switches calls to the number off (204).
    pub async fn disable_telnum(&self, telnum: &Telnum) -> Result<()> {
        let path = ["telnums", telnum.as_str(), "enabled"];
        self.no_content(Method::DELETE, &path, &[], Body::None)
            .await
    }

    /// P29 `GET sims`: one page of SIM cards.
    pub async fn list_sims(&self, query: &ListQuery) -> Result<Page<Sim>> {
        self.json(Method::GET, &["sims"], &query.pairs(), Body::None)
            .await
    }

    /// P29 `GET sims`, every page, as a stream.
    pub fn sims_stream(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<Sim>> + Send + Unpin + 'static {
        self.pages(vec!["sims".into()], query, Vec::new())
    }

    /// P30 `GET sims/{telnum}`.
    pub async fn get_sim(&self, telnum: &Telnum) -> Result<Sim> {
        self.json(Method::GET, &["sims", telnum.as_str()], &[], Body::None)
            .await
    }

    /// P31 `POST sims/{telnum}/user/{login}`: assigns the SIM to an employee (204).
    pub async fn assign_sim_to_user(&self, telnum: &Telnum, login: &Login) -> Result<()> {
        let path = ["sims", telnum.as_str(), "user", login.as_str()];
        self.no_content(Method::POST, &path, &[], Body::None).await
    }

    /// P32 `POST sims/{telnum}/company`: makes the SIM a company-wide number (204).
    pub async fn assign_sim_to_company(&self, telnum: &Telnum) -> Result<()> {
        let path = ["sims", telnum.as_str(), "company"];
        self.no_content(Method::POST, &path, &[], Body::None).await
    }

    /// P33 `POST sims/{telnum}/disable`: switches calls to the SIM off (204).
    pub async fn disable_sim(&self, telnum: &Telnum) -> Result<()> {
        let path = ["sims", telnum.as_str(), "disable"];
        self.no_content(Method::POST, &path, &[], Body::None).await
    }

    /// P34 `DELETE sims/{telnum}` (204).
    pub async fn delete_sim(&self, telnum: &Telnum) -> Result<()> {
        self.no_content(Method::DELETE, &["sims", telnum.as_str()], &[], Body::None)
            .await
    }

    /// P35 `GET blacklist/telnums[?with=statistics]`: one page of the blacklist; with
    /// `statistics`, each entry carries blocked-call counts (`week`, `year`).
    pub async fn list_blacklist(
        &self,
        query: &ListQuery,
        statistics: bool,
    ) -> Result<Page<BlacklistEntry>> {
        let mut pairs = query.pairs();
        pairs.extend(with_statistics(statistics));
        self.json(Method::GET, &["blacklist", "telnums"], &pairs, Body::None)
            .await
    }

    /// P35 `GET blacklist/telnums`, every page, as a stream.
    pub fn blacklist_stream(
        &self,
        query: ListQuery,
        statistics: bool,
    ) -> impl Stream<Item = Result<BlacklistEntry>> + Send + Unpin + 'static {
        let path = vec!["blacklist".into(), "telnums".into()];
        self.pages(path, query, with_statistics(statistics))
    }

    /// P36 `POST blacklist/telnums`: adds numbers or `*` ranges with a comment (204).
    pub async fn add_to_blacklist(&self, add: &BlacklistAdd) -> Result<()> {
        if add.telnum.is_empty() {
            return Err(Error::invalid_input(
                "telnum",
                "at least one number or range",
            ));
        }
        self.no_content(Method::POST, &["blacklist", "telnums"], &[], to_body(add)?)
            .await
    }

    /// P37 `DELETE blacklist/telnums?telnum=…&telnum=…`: removes numbers or ranges (204).
    pub async fn remove_from_blacklist<S: AsRef<str>>(&self, telnums: &[S]) -> Result<()> {
        if telnums.is_empty() {
            return Err(Error::invalid_input(
                "telnum",
                "at least one number or range",
            ));
        }
        let pairs: Vec<(&str, String)> = telnums
            .iter()
            .map(|t| ("telnum", t.as_ref().to_owned()))
            .collect();
        self.no_content(
            Method::DELETE,
            &["blacklist", "telnums"],
            &pairs,
            Body::None,
        )
        .await
    }

    /// P38 `GET blacklist/block-anonymous`: whether calls from hidden numbers are blocked.
    pub async fn block_anonymous_state(&self) -> Result<bool> {
        self.state(&["blacklist", "block-anonymous"], &[]).await
    }

    /// P39 `POST blacklist/block-anonymous`: blocks calls from hidden numbers (204).
    pub async fn enable_block_anonymous(&self) -> Result<()> {
        let path = ["blacklist", "block-anonymous"];
        self.no_content(Method::POST, &path, &[], Body::None).await
    }

    /// P40 `DELETE blacklist/block-anonymous`: stops blocking them (204).
    pub async fn disable_block_anonymous(&self) -> Result<()> {
        let path = ["blacklist", "block-anonymous"];
        self.no_content(Method::DELETE, &path, &[], Body::None)
            .await
    }
}
