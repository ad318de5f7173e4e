//! P6–P17: employees, their departments, subscriptions and DND.

use super::{Body, Client, to_body};
use crate::Result;
use crate::v1::types::ids::{GroupId, Login};
use crate::v1::types::list::{ListQuery, Page};
use crate::v1::types::users::{NewUser, User, UserGroup, UserUpdate};
use futures::Stream;
use http::Method;

fn group_query(group: Option<&GroupId>) -> Vec<(&'static str, String)> {
    group
        .map(|g| vec![("group_id", g.to_string())])
        .unwrap_or_default()
}

impl Client {
    /// P6 `GET users`: one page of employees.
    pub async fn list_users(&self, query: &ListQuery) -> Result<Page<User>> {
        self.json(Method::GET, &["users"], &query.pairs(), Body::None)
            .await
    }

    /// P6 `GET users`, every page: a stream of all employees, following `info.next`.
    pub fn users_stream(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<User>> + Send + Unpin + 'static {
        self.pages(vec!["users".into()], query, Vec::new())
    }

    /// P7 `GET users/{login}` (login or extension).
    pub async fn get_user(&self, login: &Login) -> Result<User> {
        self.json(Method::GET, &["users", login.as_str()], &[], Body::None)
            .await
    }

    /// P8 `POST users`: adds an employee; the PBX fills in the defaults.
    pub async fn create_user(&self, user: &NewUser) -> Result<User> {
        self.json(Method::POST, &["users"], &[], to_body(user)?)
            .await
    }

    /// P9 `PUT users/{login}`: changes only the fields that are set.
    pub async fn update_user(&self, login: &Login, update: &UserUpdate) -> Result<User> {
        self.json(
            Method::PUT,
            &["users", login.as_str()],
            &[],
            to_body(update)?,
        )
        .await
    }

    /// P10 `DELETE users/{login}` (204).
    pub async fn delete_user(&self, login: &Login) -> Result<()> {
        self.no_content(Method::DELETE, &["users", login.as_str()], &[], Body::None)
            .await
    }

    /// P11 `GET users/{login}/groups`: the departments the employee belongs to.
    pub async fn user_groups(&self, login: &Login) -> Result<Vec<UserGroup>> {
        let page: Page<UserGroup> = self
            .json(
                Method::GET,
                &["users", login.as_str(), "groups"],
                &[],
                Body::None,
            )
            .await?;
        Ok(page.items)
    }

    /// P12 `GET users/{login}/subscription?group_id=`: whether the employee takes the
    /// department's calls.
    pub async fn subscription_state(&self, login: &Login, group: Option<&GroupId>) -> Result<bool> {
        self.state(
            &["users", login.as_str(), "subscription"],
            &group_query(group),
        )
        .await
    }

    /// P13 `POST users/{login}/subscription[?group_id=]`: takes calls in one department, or in
    /// all of them without `group` (204).
    pub async fn subscribe(&self, login: &Login, group: Option<&GroupId>) -> Result<()> {
        let path = ["users", login.as_str(), "subscription"];
        self.no_content(Method::POST, &path, &group_query(group), Body::None)
            .await
    }

    /// P14 `DELETE users/{login}/subscription[?group_id=]`: stops taking calls in one department,
    /// or in all of them without `group` (204).
    pub async fn unsubscribe(&self, login: &Login, group: Option<&GroupId>) -> Result<()> {
        let path = ["users", login.as_str(), "subscription"];
        self.no_content(Method::DELETE, &path, &group_query(group), Body::None)
            .await
    }

    /// P15 `GET users/{login}/dnd`: the employee's "do not disturb" call-taking state.
    pub async fn dnd_state(&self, login: &Login) -> Result<bool> {
        self.state(&["users", login.as_str(), "dnd"], &[]).await
    }

    /// P16 `POST users/{login}/dnd` (204). The vendor document's verb was lost; see the crate docs.
    pub async fn enable_dnd(&self, login: &Login) -> Result<()> {
        self.no_content(
            Method::POST,
            &["users", login.as_str(), "dnd"],
            &[],
            Body::None,
        )
        .await
    }

    /// P17 `DELETE users/{login}/dnd` (204).
    pub async fn disable_dnd(&self, login: &Login) -> Result<()> {
        self.no_content(
            Method::DELETE,
            &["users", login.as_str(), "dnd"],
            &[],
            Body::None,
        )
        .await
    }
}
