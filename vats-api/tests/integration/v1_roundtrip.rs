//! Client ↔ dispatcher over real HTTP on loopback, through the `axum` adapter (feature `axum`).
#![cfg(feature = "axum")]

use crate::v1_seed_pbx::SeedPbx;
use crate::v1_support::{KEY, fixture_json};
use futures::TryStreamExt;
use vats_api::Error;
use vats_api::v1::{
    BlacklistAdd, Client, Dispatcher, GroupId, GroupUsersChange, HistoryQuery, InnerHistoryQuery,
    ListQuery, Login, MakeCall, NewUser, Page, Period, Telnum, User,
};

async fn serve() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Dispatcher::new(SeedPbx::default(), KEY).into_router();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}/crmapi/v1/"), task)
}

fn client(base: &str, key: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key(key)
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_kind_of_operation_round_trips_through_client_and_dispatcher() {
    let (base, task) = serve().await;
    let c = client(&base, KEY);

    let csv = c
        .history_csv(&HistoryQuery::new().period(Period::Yesterday))
        .await
        .unwrap();
    assert_eq!(csv.len(), 2);
    let json = c.history_json(&HistoryQuery::new()).await.unwrap();
    assert_eq!(json[1].user.as_deref(), Some("admin"));
    let inner = c
        .inner_history_csv(&InnerHistoryQuery::new())
        .await
        .unwrap();
    assert_eq!(inner[0].uid.as_str(), "1910575453");
    assert_eq!(
        c.inner_history_json(&InnerHistoryQuery::new())
            .await
            .unwrap()
            .len(),
        2
    );

    let id = c
        .make_call(&MakeCall::new("79101234567", "admin"))
        .await
        .unwrap();
    assert_eq!(id.as_str(), "B10D0EB124F4E64AF4EA-1511");

    let page = c.list_users(&ListQuery::new().limit(3)).await.unwrap();
    let expected: Page<User> = serde_json::from_value(fixture_json("v1_users_list.json")).unwrap();
    assert_eq!(page, expected);
    let all: Vec<User> = c
        .users_stream(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, expected.items);
    let created = c.create_user(&NewUser::new("Александр")).await.unwrap();
    assert_eq!(created.login.as_str(), "u704");
    c.delete_user(&Login::from("u704")).await.unwrap();
    assert!(
        c.subscription_state(&Login::from("admin"), Some(&GroupId::from("sales")))
            .await
            .unwrap()
    );
    c.subscribe(&Login::from("admin"), None).await.unwrap();

    let groups: Vec<_> = c
        .groups_stream(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.len(), 2);
    c.change_group_users(
        &GroupId::from("sales"),
        &GroupUsersChange {
            add: vec!["a".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        c.get_telnum(&Telnum::from("79007775555"))
            .await
            .unwrap()
            .is_main_phone
    );
    c.assign_sim_to_user(&Telnum::from("79261234567"), &Login::from("ivan"))
        .await
        .unwrap();
    let bl = c.list_blacklist(&ListQuery::new(), true).await.unwrap();
    assert_eq!(bl.items.len(), 4);
    c.add_to_blacklist(&BlacklistAdd::one("7900800*", None))
        .await
        .unwrap();
    c.remove_from_blacklist(&["7900800*"]).await.unwrap();
    assert!(c.block_anonymous_state().await.unwrap());

    let e = c.get_user(&Login::from("ghost")).await.unwrap_err();
    assert!(
        matches!(e, Error::Api { ref message, status, .. } if message.starts_with("Not found") && status == 404),
        "{e:?}"
    );
    let e = c
        .add_to_blacklist(&BlacklistAdd::one("not-a-number", None))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Api { ref message, status, .. } if message.starts_with("Validation error: telnum") && status == 400),
        "{e:?}"
    );
    task.abort();
}

#[tokio::test]
async fn wrong_key_is_an_api_error_without_the_key() {
    let (base, task) = serve().await;
    let c = client(&base, "wrong-key-value");
    let e = c.dnd_state(&Login::from("admin")).await.unwrap_err();
    assert!(matches!(e, Error::Unauthorized { ref message, .. } if message == "Invalid token"));
    assert!(!format!("{e} {e:?}").contains("wrong-key-value"));
    task.abort();
}
