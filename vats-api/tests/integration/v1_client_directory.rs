//! The v1 client against wiremock, rows P18–P40: the exact request asserted.

use crate::v1_support::{Pbx, fixture_json, json, no_content};
use futures::TryStreamExt;
use serde_json::json;
use vats_api::v1::{
    BlacklistAdd, CallOrder, GroupId, GroupUpdate, GroupUsersChange, ListQuery, Login, NewGroup,
    RouteSettings, RouteType, Telnum,
};

#[tokio::test]
async fn p18_list_groups_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect_get(
        "groups",
        Some("search=%D0%BE%D1%82%D0%B4%D0%B5%D0%BB"),
        "v1_groups_list.json",
    )
    .await;
    let page = pbx
        .client
        .list_groups(&ListQuery::new().search("отдел"))
        .await
        .unwrap();
    assert_eq!(page.items[1].call_order, CallOrder::ByOrder);
    assert_eq!(page.items[1].users.len(), 3);

    let pbx = Pbx::start().await;
    pbx.expect_get("groups", None, "v1_groups_list.json").await;
    let all: Vec<_> = pbx
        .client
        .groups_stream(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn p19_get_group() {
    let pbx = Pbx::start().await;
    pbx.expect_get("groups/sales", None, "v1_group.json").await;
    let g = pbx.client.get_group(&GroupId::from("sales")).await.unwrap();
    assert_eq!(g.timeout.unwrap().user, Some(Login::from("admin")));
}

#[tokio::test]
async fn p20_create_group_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "groups",
        None,
        Some(fixture_json("v1_group_create_request.json")),
        json(fixture_json("v1_group_create_answer.json")),
    )
    .await;
    let new: NewGroup =
        serde_json::from_value(fixture_json("v1_group_create_request.json")).unwrap();
    let g = pbx.client.create_group(&new).await.unwrap();
    assert_eq!(g.id.as_str(), "g_0a922987-97ac-4f45-9e47-59a27d23c2cb");
}

#[tokio::test]
async fn p21_update_group_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "PUT",
        "groups/sales",
        None,
        Some(fixture_json("v1_group_update_request.json")),
        json(fixture_json("v1_group.json")),
    )
    .await;
    let upd: GroupUpdate =
        serde_json::from_value(fixture_json("v1_group_update_request.json")).unwrap();
    let g = pbx
        .client
        .update_group(&GroupId::from("sales"), &upd)
        .await
        .unwrap();
    assert_eq!(g.name, "Отдел продаж");
}

#[tokio::test]
async fn p22_delete_group() {
    let pbx = Pbx::start().await;
    pbx.expect("DELETE", "groups/sales", None, None, no_content())
        .await;
    pbx.client
        .delete_group(&GroupId::from("sales"))
        .await
        .unwrap();
}

#[tokio::test]
async fn p23_change_group_users_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "groups/sales/users",
        None,
        Some(fixture_json("v1_group_users_request.json")),
        no_content(),
    )
    .await;
    let change: GroupUsersChange =
        serde_json::from_value(fixture_json("v1_group_users_request.json")).unwrap();
    pbx.client
        .change_group_users(&GroupId::from("sales"), &change)
        .await
        .unwrap();
}

#[tokio::test]
async fn p24_list_telnums_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect_get("telnums", Some("limit=2"), "v1_telnums_list.json")
        .await;
    let page = pbx
        .client
        .list_telnums(&ListQuery::new().limit(2))
        .await
        .unwrap();
    assert_eq!(page.items[0].kind, RouteType::User);
    let pbx = Pbx::start().await;
    pbx.expect_get("telnums", None, "v1_telnums_list.json")
        .await;
    let all: Vec<_> = pbx
        .client
        .telnums_stream(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all[1].group_name.as_deref(), Some("Отдел продаж"));
}

#[tokio::test]
async fn p25_get_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect_get("telnums/79007775555", None, "v1_telnum.json")
        .await;
    let t = pbx
        .client
        .get_telnum(&Telnum::from("79007775555"))
        .await
        .unwrap();
    assert!(t.is_main_phone);
}

#[tokio::test]
async fn p26_set_telnum_route_sends_the_seed_request() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "telnums/79007775555",
        None,
        Some(fixture_json("v1_telnum_route_request.json")),
        json(fixture_json("v1_telnum.json")),
    )
    .await;
    let route = RouteSettings {
        kind: RouteType::Group,
        group: Some(GroupId::from("sales")),
        greeting: false,
        ..RouteSettings::default()
    };
    let t = pbx
        .client
        .set_telnum_route(&Telnum::from("79007775555"), &route)
        .await
        .unwrap();
    assert_eq!(t.group, Some(GroupId::from("sales")));
}

#[tokio::test]
async fn p27_p28_enable_and_disable_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "telnums/79007775555/enabled",
        None,
        None,
        no_content(),
    )
    .await;
    pbx.expect(
        "DELETE",
        "telnums/79007775555/enabled",
        None,
        None,
        no_content(),
    )
    .await;
    let t = Telnum::from("79007775555");
    pbx.client.enable_telnum(&t).await.unwrap();
    pbx.client.disable_telnum(&t).await.unwrap();
}

#[tokio::test]
async fn p29_list_sims_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect_get("sims", Some("start=0"), "v1_sims_list.json")
        .await;
    let page = pbx
        .client
        .list_sims(&ListQuery::new().start(0))
        .await
        .unwrap();
    assert!(page.items[1].company);
    let pbx = Pbx::start().await;
    pbx.expect_get("sims", None, "v1_sims_list.json").await;
    let all: Vec<_> = pbx
        .client
        .sims_stream(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all[1].calltracking, "roistat");
}

#[tokio::test]
async fn p30_get_sim() {
    let pbx = Pbx::start().await;
    pbx.expect_get("sims/79261234567", None, "v1_sim.json")
        .await;
    let s = pbx
        .client
        .get_sim(&Telnum::from("79261234567"))
        .await
        .unwrap();
    assert_eq!(s.user, Some(Login::from("admin")));
}

#[tokio::test]
async fn p31_to_p34_sim_commands() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "sims/79261234567/user/ivan",
        None,
        None,
        no_content(),
    )
    .await;
    pbx.expect("POST", "sims/79261234567/company", None, None, no_content())
        .await;
    pbx.expect("POST", "sims/79261234567/disable", None, None, no_content())
        .await;
    pbx.expect("DELETE", "sims/79261234567", None, None, no_content())
        .await;
    let t = Telnum::from("79261234567");
    pbx.client
        .assign_sim_to_user(&t, &Login::from("ivan"))
        .await
        .unwrap();
    pbx.client.assign_sim_to_company(&t).await.unwrap();
    pbx.client.disable_sim(&t).await.unwrap();
    pbx.client.delete_sim(&t).await.unwrap();
}

#[tokio::test]
async fn p35_list_blacklist_with_statistics_and_stream() {
    let pbx = Pbx::start().await;
    pbx.expect_get(
        "blacklist/telnums",
        Some("limit=4&with=statistics"),
        "v1_blacklist_list.json",
    )
    .await;
    let page = pbx
        .client
        .list_blacklist(&ListQuery::new().limit(4), true)
        .await
        .unwrap();
    assert_eq!(page.items[3].telnum, "7900800*");
    assert_eq!(page.items[3].year, Some(11));
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "blacklist/telnums",
        None,
        None,
        json(json!([{"telnum": "1", "comment": ""}])),
    )
    .await;
    let all: Vec<_> = pbx
        .client
        .blacklist_stream(ListQuery::new(), false)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn p36_add_to_blacklist() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "POST",
        "blacklist/telnums",
        None,
        Some(json!({"telnum": "7900800*", "comment": "Причина"})),
        no_content(),
    )
    .await;
    pbx.client
        .add_to_blacklist(&BlacklistAdd::one("7900800*", Some("Причина".into())))
        .await
        .unwrap();
}

#[tokio::test]
async fn p37_remove_from_blacklist_repeats_telnum() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "DELETE",
        "blacklist/telnums",
        Some("telnum=79098889900&telnum=7900800*&telnum=88899988899"),
        None,
        no_content(),
    )
    .await;
    pbx.client
        .remove_from_blacklist(&["79098889900", "7900800*", "88899988899"])
        .await
        .unwrap();
    let none: [&str; 0] = [];
    assert!(pbx.client.remove_from_blacklist(&none).await.is_err());
}

#[tokio::test]
async fn p38_to_p40_block_anonymous() {
    let pbx = Pbx::start().await;
    pbx.expect_get("blacklist/block-anonymous", None, "v1_state.json")
        .await;
    pbx.expect(
        "POST",
        "blacklist/block-anonymous",
        None,
        None,
        no_content(),
    )
    .await;
    pbx.expect(
        "DELETE",
        "blacklist/block-anonymous",
        None,
        None,
        no_content(),
    )
    .await;
    assert!(pbx.client.block_anonymous_state().await.unwrap());
    pbx.client.enable_block_anonymous().await.unwrap();
    pbx.client.disable_block_anonymous().await.unwrap();
}
