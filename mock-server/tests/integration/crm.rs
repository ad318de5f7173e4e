//! The mock CRM through `universe_api::Client`: U1–U7, stored writes visible in later reads.

use universe_api::{
    CallRequest, CallStatus, LeadRequest, MessageRequest, PageRequest, TaskRequest,
};

use crate::support::{crm_client, get_json, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_every_action_and_shows_the_writes() {
    let m = start().await;
    let crm = crm_client(&m);

    let scheme = crm.import_scheme().await.unwrap();
    assert_eq!(scheme.statuses.len(), 5);
    assert_eq!(scheme.managers[0].name, "Иванова Марина Михайловна");

    let clients = crm.export_clients(PageRequest::new(0, 2)).await.unwrap();
    assert_eq!(clients.clients.len(), 2);
    assert_eq!(clients.pagination.total_count, 3);

    let epoch = chrono::DateTime::from_timestamp(0, 0).unwrap();
    let orders = crm
        .export_orders(epoch, PageRequest::first())
        .await
        .unwrap();
    assert_eq!(orders.pagination.total_count, 5);
    assert_eq!(orders.statuses.len(), 5);

    let mut lead = LeadRequest::new("Заявка с сайта");
    lead.phone = Some("79990001122".into());
    lead.name = Some("Олег".into());
    let created = crm.create_lead(&lead).await.unwrap();
    let order_id = created.order_id.clone();
    let orders = crm
        .export_orders(epoch, PageRequest::first())
        .await
        .unwrap();
    assert_eq!(orders.pagination.total_count, 6);
    assert!(orders.orders.iter().any(|o| o.id == order_id));
    assert_eq!(
        crm.export_clients(PageRequest::first())
            .await
            .unwrap()
            .pagination
            .total_count,
        4
    );

    let msg = crm
        .add_message(&MessageRequest::new(order_id.clone(), "Оценка звонка: 75%"))
        .await
        .unwrap();
    let task = crm
        .add_task(&TaskRequest::new(
            order_id.clone(),
            "Отработать возражение о цене",
        ))
        .await
        .unwrap();
    let mut call = CallRequest::new("c-1");
    call.status = Some(CallStatus::parse("answered"));
    call.order_id = Some(order_id.clone());
    let added = crm.add_call(&call).await.unwrap();
    assert_ne!(msg.message_id.as_str(), task.task_id.as_str());

    let state = get_json(&format!("{}/__admin/state", m.crm_url())).await;
    assert_eq!(
        state["crm"]["messages"][0]["request"]["message"],
        "Оценка звонка: 75%"
    );
    assert_eq!(
        state["crm"]["tasks"][0]["request"]["text"],
        "Отработать возражение о цене"
    );
    assert_eq!(state["crm"]["calls"][0]["id"], added.call_id.as_str());
    assert_eq!(state["crm"]["calls"][0]["request"]["status"], "ANSWER");
    assert_eq!(
        state["crm"]["leads"][0]["request"]["title"],
        "Заявка с сайта"
    );

    let tasks = get_json(&format!("{}/__admin/tasks", m.crm_url())).await;
    assert_eq!(tasks["items"][0]["id"], task.task_id.as_str());

    let err = crm
        .add_message(&MessageRequest::new("99999", "нет такой сделки"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_wrong_credentials_with_401() {
    let m = start().await;
    let bad = universe_api::Client::builder()
        .base_url(m.crm_url())
        .credentials("mock", "wrong".to_owned())
        .build()
        .unwrap();
    let err = bad.import_scheme().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_token_auth_is_accepted_only_when_configured() {
    let token = universe_api::ServerAuth::basic("mock", "mock".to_owned()).expected_token();
    let mut config = mock_server::Config::ephemeral();
    config.crm.query_auth = true;
    let m = crate::support::start_with(config).await;
    let url =
        |base: String| format!("{base}/analytics?action=import_scheme&user=mock&token={token}");
    assert_eq!(reqwest::get(url(m.crm_url())).await.unwrap().status(), 200);
    let strict = start().await;
    assert_eq!(
        reqwest::get(url(strict.crm_url())).await.unwrap().status(),
        401
    );
}
