//! The QA dashboard as HTTP sees it: one self-contained page on every service.

use crate::support::{http, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_service_serves_one_self_contained_dashboard_page() {
    let m = start().await;
    for base in [m.rop_url(), m.pbx_url(), m.crm_url()] {
        for path in ["/__admin/", "/__admin"] {
            let resp = http().get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{base}{path}");
            let headers = resp.headers().clone();
            assert_eq!(headers["content-type"], "text/html; charset=utf-8");
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
                "{csp}"
            );
            let page = resp.text().await.unwrap();
            assert!(page.starts_with("<!doctype html>"));
            for section in [
                "id=\"journal-section\"",
                "id=\"journal-filter\"",
                "id=\"faults-section\"",
                "id=\"fault-form\"",
                "id=\"state-section\"",
                "id=\"pbx-section\"",
                "id=\"simulate-form\"",
                "id=\"rop-section\"",
                "id=\"crm-section\"",
            ] {
                assert!(page.contains(section), "{section} missing on {base}{path}");
            }
            for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
                assert!(!page.contains(external), "{external} in the page");
            }
        }
    }
    // Admin requests, the page included, are never journaled.
    let journal = crate::support::get_json(&format!("{}/__admin/requests", m.pbx_url())).await;
    assert_eq!(journal["count"], 0);
}
