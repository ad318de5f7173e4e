//! `GET /__admin/` (and `/__admin`): the QA dashboard, one self-contained HTML page.
//!
//! The page is static (inline CSS and vanilla JavaScript, no external asset, no build step);
//! it asks `/__admin/health` which service it is on and shows that service's sections, reading
//! and writing through the ordinary admin API. Journal data reach the page only through
//! `textContent`, never as markup; the `Content-Security-Policy` header forbids any asset or
//! connection outside the service itself.

use bytes::Bytes;
use http::{Response, StatusCode};

/// The page.
const PAGE: &str = include_str!("dashboard.html");

/// Scripts and styles inline only; fetches to the service itself only; nothing else.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

/// The admin sub-path of `path` (`""` for the dashboard itself), or `None` outside `/__admin`.
pub(crate) fn admin_sub(path: &str) -> Option<&str> {
    if path == "/__admin" {
        return Some("");
    }
    path.strip_prefix("/__admin/")
}

/// The dashboard page.
pub(crate) fn page() -> Response<Bytes> {
    Response::builder()
        .status(StatusCode::OK)
        .header(http::header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(http::header::CONTENT_SECURITY_POLICY, CSP)
        .header(http::header::CACHE_CONTROL, "no-store")
        .body(Bytes::from_static(PAGE.as_bytes()))
        .unwrap_or_else(|_| Response::new(Bytes::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_paths_are_recognised_with_and_without_the_slash() {
        assert_eq!(admin_sub("/__admin"), Some(""));
        assert_eq!(admin_sub("/__admin/"), Some(""));
        assert_eq!(admin_sub("/__admin/health"), Some("health"));
        assert_eq!(admin_sub("/__administrator"), None);
        assert_eq!(admin_sub("/crmapi/v1/users"), None);
    }

    #[test]
    fn the_page_has_no_external_url_and_never_uses_inner_html() {
        for needle in [
            "http://",
            "https://",
            "//cdn",
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ] {
            assert!(!PAGE.contains(needle), "{needle} in the dashboard");
        }
    }
}
