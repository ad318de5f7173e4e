//! `GET`/`PUT`/`POST /__admin/config`: where the PBX pushes and where the ROP delivers its
//! webhooks, changeable at runtime (`POST /__admin/reset` restores the configured values).

use std::sync::Mutex;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::json_response;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::{PushEncoding, PushFormat};
use crate::host::admin_error;

/// Answers `sub == "config"`: `GET` shows the targets, `PUT`/`POST` apply a JSON update
/// (absent keys unchanged) and show the result; anything else is `None`.
pub(crate) fn route<U: DeserializeOwned>(
    sub: &str,
    req: &Request<Bytes>,
    apply: impl FnOnce(U) -> Result<(), String>,
    show: impl FnOnce() -> Value,
) -> Option<Response<Bytes>> {
    if sub != "config" {
        return None;
    }
    Some(match *req.method() {
        Method::GET => json_response(StatusCode::OK, &show()),
        Method::PUT | Method::POST => {
            let body = if req.body().iter().all(u8::is_ascii_whitespace) {
                &b"{}"[..]
            } else {
                &req.body()[..]
            };
            let mut de = serde_json::Deserializer::from_slice(body);
            match serde_path_to_error::deserialize::<_, U>(&mut de) {
                Ok(update) => match apply(update) {
                    Ok(()) => json_response(StatusCode::OK, &show()),
                    Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
                },
                Err(e) => {
                    let path = e.path().to_string();
                    let msg = if path == "." {
                        format!("body: {}", e.inner())
                    } else {
                        format!("{path}: {}", e.inner())
                    };
                    admin_error(StatusCode::BAD_REQUEST, &msg)
                }
            }
        }
        _ => admin_error(StatusCode::METHOD_NOT_ALLOWED, "GET, PUT or POST"),
    })
}

/// Checks that `value` of `field` is an absolute `http`/`https` URL with a host.
pub(crate) fn absolute_url(field: &str, value: &str) -> Result<String, String> {
    let url =
        url::Url::parse(value.trim()).map_err(|e| format!("{field}: not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{field}: must be an absolute http(s) URL"));
    }
    Ok(url.to_string())
}

/// A URL as the admin API shows it: secret query parameters redacted.
pub(crate) fn shown_url(value: &str) -> String {
    url::Url::parse(value)
        .map(|u| http_plumbing::redact_query(&u, &["crm_token", "token", "apiKey", "password"]))
        .unwrap_or_else(|_| value.to_owned())
}

/// Parses a push format in any case (`v1`, `legacy`).
pub(crate) fn push_format(value: &str) -> Result<PushFormat, String> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("v1") => Ok(PushFormat::V1),
        v if v.eq_ignore_ascii_case("legacy") => Ok(PushFormat::Legacy),
        v => Err(format!("push_format: {v:?} is not v1 or legacy")),
    }
}

/// Parses a v1 push encoding in any case (`json`, `form`).
pub(crate) fn push_encoding(value: &str) -> Result<PushEncoding, String> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("json") => Ok(PushEncoding::Json),
        v if v.eq_ignore_ascii_case("form") => Ok(PushEncoding::Form),
        v => Err(format!("push_encoding: {v:?} is not json or form")),
    }
}

/// The canonical name of a push encoding.
pub(crate) fn push_encoding_name(e: PushEncoding) -> &'static str {
    match e {
        PushEncoding::Json => "json",
        PushEncoding::Form => "form",
    }
}

/// The canonical name of a push format.
pub(crate) fn push_format_name(f: PushFormat) -> &'static str {
    match f {
        PushFormat::V1 => "v1",
        PushFormat::Legacy => "legacy",
    }
}

/// Where the PBX pushes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PushTarget {
    /// Push URL.
    pub(crate) url: String,
    /// Push form.
    pub(crate) format: PushFormat,
    /// Body encoding of v1 pushes.
    pub(crate) encoding: PushEncoding,
}

/// Body of the PBX's `PUT /__admin/config`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PbxUpdate {
    crm_url: Option<String>,
    push_format: Option<String>,
    push_encoding: Option<String>,
}

/// `""` restores the configured value of a URL field; anything else must be an absolute URL.
fn url_or_default(
    field: &str,
    value: Option<String>,
    default: Option<&String>,
) -> Result<Option<Option<String>>, String> {
    match value {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(Some(default.cloned())),
        Some(v) => absolute_url(field, &v).map(|u| Some(Some(u))),
    }
}

/// Validates a PBX update fully, then applies it (all or nothing); `crm_url: ""` restores the
/// configured URL.
pub(crate) fn apply_pbx(
    target: &Mutex<PushTarget>,
    default: &PushTarget,
    u: PbxUpdate,
) -> Result<(), String> {
    let url = url_or_default("crm_url", u.crm_url, Some(&default.url))?.flatten();
    let format = u.push_format.map(|v| push_format(&v)).transpose()?;
    let encoding = u.push_encoding.map(|v| push_encoding(&v)).transpose()?;
    let mut t = crate::journal::lock(target);
    if let Some(encoding) = encoding {
        t.encoding = encoding;
    }
    if let Some(url) = url {
        t.url = url;
    }
    if let Some(format) = format {
        t.format = format;
    }
    Ok(())
}

/// Where the ROP delivers W1/W2 now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebhookTargets {
    /// W1 destination for every checklist; none: the checklist's own, else the CRM sink.
    pub(crate) checklist: Option<String>,
    /// W2 destination for every table; none: the table's own, else the CRM sink.
    pub(crate) table: Option<String>,
}

/// Body of the ROP's `PUT /__admin/config`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RopUpdate {
    checklist_webhook_url: Option<String>,
    table_webhook_url: Option<String>,
}

/// Validates a ROP update fully, then applies it (all or nothing); `""` restores a field's
/// configured value.
pub(crate) fn apply_rop(
    targets: &Mutex<WebhookTargets>,
    default: &WebhookTargets,
    u: RopUpdate,
) -> Result<(), String> {
    let checklist = url_or_default(
        "checklist_webhook_url",
        u.checklist_webhook_url,
        default.checklist.as_ref(),
    )?;
    let table = url_or_default(
        "table_webhook_url",
        u.table_webhook_url,
        default.table.as_ref(),
    )?;
    let mut t = crate::journal::lock(targets);
    if let Some(c) = checklist {
        t.checklist = c;
    }
    if let Some(x) = table {
        t.table = x;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_absolute_http_urls_and_names_the_field() {
        assert!(absolute_url("crm_url", "http://127.0.0.1:8080/x").is_ok());
        assert!(absolute_url("crm_url", "https://crm.example/hook").is_ok());
        for bad in ["/relative", "ftp://x/y", "nonsense", ""] {
            let e = absolute_url("crm_url", bad).unwrap_err();
            assert!(e.starts_with("crm_url:"), "{e}");
        }
    }

    #[test]
    fn push_format_is_read_in_any_case() {
        assert_eq!(push_format("LEGACY"), Ok(PushFormat::Legacy));
        assert_eq!(push_format("V1"), Ok(PushFormat::V1));
        assert!(push_format("v2").unwrap_err().starts_with("push_format:"));
    }

    #[test]
    fn a_bad_update_changes_nothing() {
        let default = PushTarget {
            url: "http://a/".into(),
            format: PushFormat::V1,
            encoding: PushEncoding::Json,
        };
        let t = Mutex::new(default.clone());
        let u = PbxUpdate {
            crm_url: Some("http://b/".into()),
            push_format: Some("v9".into()),
            push_encoding: None,
        };
        assert!(apply_pbx(&t, &default, u).is_err());
        assert_eq!(crate::journal::lock(&t).url, "http://a/");
    }

    #[test]
    fn an_empty_url_restores_the_configured_one() {
        let default = WebhookTargets {
            checklist: None,
            table: Some("http://t/".into()),
        };
        let t = Mutex::new(WebhookTargets {
            checklist: Some("http://c2/".into()),
            table: Some("http://t2/".into()),
        });
        let u = RopUpdate {
            checklist_webhook_url: Some(String::new()),
            table_webhook_url: Some(" ".into()),
        };
        apply_rop(&t, &default, u).unwrap();
        assert_eq!(*crate::journal::lock(&t), default);
    }
}
