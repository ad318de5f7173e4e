//! `GET /__admin/openapi.json`: each service serves its API's document, pointing at itself.

use crate::support::{get_json, http, start};

#[tokio::test]
async fn each_service_serves_its_document_with_its_own_address_as_server() {
    let m = start().await;
    let rop = get_json(&format!("{}/__admin/openapi.json", m.rop_url())).await;
    assert_eq!(rop, {
        let mut d = rop_api::openapi::document();
        d["servers"] = rop["servers"].clone();
        d
    });
    assert_eq!(rop["servers"][0]["url"], m.rop_url());
    let v1 = get_json(&format!("{}/__admin/openapi.json", m.pbx_url())).await;
    assert_eq!(
        v1["servers"][0]["url"],
        format!("{}/crmapi/v1", m.pbx_url())
    );
    assert!(v1["paths"]["/makecall"]["post"].is_object());
    let legacy = get_json(&format!("{}/__admin/openapi-legacy.json", m.pbx_url())).await;
    assert_eq!(legacy["servers"][0]["url"], m.pbx_url());
    assert!(legacy["webhooks"]["L7"]["post"].is_object());
    let crm = get_json(&format!("{}/__admin/openapi.json", m.crm_url())).await;
    assert_eq!(crm["servers"][0]["url"], m.crm_url());
    assert!(crm["paths"]["/analytics"]["get"].is_object());
    let missing = http()
        .get(format!("{}/__admin/openapi-legacy.json", m.crm_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
