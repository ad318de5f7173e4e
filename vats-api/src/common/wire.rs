//! Client-side plumbing shared by the notifiers and the legacy client: the HTTP client and its
//! settings, error mapping of non-success answers, form encoding.

use crate::{Error, Result};
use http_plumbing::{HttpConfig, RawResponse, SendPolicy, send};
use serde::Serialize;
use serde_json::Value;

/// The transport settings of the notifiers and the legacy client: 10 s per attempt, the
/// default retry policy, `vats-api/<version>`.
pub(crate) fn send_settings() -> HttpConfig {
    HttpConfig::for_sender(concat!("vats-api/", env!("CARGO_PKG_VERSION")))
}

/// The `reqwest::Client` and retry policy `config` describes.
pub(crate) fn sender(config: &HttpConfig) -> Result<Sender> {
    let http = config.build_client()?;
    Ok(Sender {
        http,
        retry: config.send_policy(),
    })
}

/// A `reqwest::Client` with its retry policy: POSTs a body, retrying, and fails on a non-2xx.
pub(crate) struct Sender {
    http: reqwest::Client,
    pub(crate) retry: SendPolicy,
}

/// How [`Sender::post`] encodes the body.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Encoding {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/json`.
    Json,
}

impl Sender {
    /// POSTs `body` to `url` with retries; a non-2xx answer is an error (see [`check`]).
    pub(crate) async fn post<B: Serialize + ?Sized>(
        &self,
        url: &url::Url,
        encoding: Encoding,
        body: &B,
    ) -> Result<RawResponse> {
        let raw = send(&self.retry, || {
            let request = self.http.post(url.clone());
            match encoding {
                Encoding::Form => request.form(body),
                Encoding::Json => request.json(body),
            }
        })
        .await?;
        check(raw)
    }
}

/// Parses and checks an `http`/`https` URL given to a builder.
pub(crate) fn parse_url(what: &str, text: Option<&str>) -> Result<url::Url> {
    let text = text.ok_or_else(|| Error::Config(format!("{what} is required")))?;
    let url = url::Url::parse(text.trim())
        .map_err(|e| Error::Config(format!("{what} is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!("{what} must be http or https")));
    }
    Ok(url)
}

/// Maps a non-success answer to an error by status; the message is the documented body's
/// `error` (with its `detail`), else the start of the body. Status and raw body are kept.
pub(crate) fn error_from(raw: &RawResponse) -> Error {
    let documented = serde_json::from_slice::<Value>(&raw.body)
        .ok()
        .and_then(|v| {
            let error = v.get("error").and_then(Value::as_str)?.to_owned();
            Some(match v.get("detail").and_then(Value::as_str) {
                Some(detail) => format!("{error}: {detail}"),
                None => error,
            })
        });
    let retry_after = raw
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(http_plumbing::parse_retry_after);
    Error::from_answer(raw.status, retry_after, documented, &raw.body)
}

/// Fails with [`error_from`] unless the answer is a 2xx.
pub(crate) fn check(raw: RawResponse) -> Result<RawResponse> {
    if raw.status.is_success() {
        Ok(raw)
    } else {
        Err(error_from(&raw))
    }
}

/// Decodes a JSON answer, naming the failing path and keeping the status and body.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        Error::decode(
            Some(raw.status),
            path,
            e.into_inner().to_string(),
            &raw.body,
        )
    })
}

/// A serialisable message as form pairs, in the struct's field order: strings as they are,
/// numbers and booleans as text, `None` left out.
pub(crate) fn form_pairs<T: Serialize>(value: &T) -> Result<Vec<(String, String)>> {
    let text = serde_urlencoded::to_string(value)
        .map_err(|e| Error::invalid_input(".", format!("cannot form-encode: {e}")))?;
    serde_urlencoded::from_str(&text)
        .map_err(|e| Error::invalid_input(".", format!("cannot form-encode: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::from(body.to_owned()),
            attempts: 1,
        }
    }

    #[test]
    fn documented_error_bodies_give_the_message() {
        let e = error_from(&raw(401, r#"{"error":"Autorization failed"}"#));
        assert!(
            matches!(e, Error::Unauthorized { ref message, .. } if message == "Autorization failed")
        );
        let e = error_from(&raw(
            400,
            r#"{"error":"Invalid parameters","detail":"phone: digits"}"#,
        ));
        assert!(
            matches!(e, Error::Api { ref message, .. } if message == "Invalid parameters: phone: digits")
        );
        let e = error_from(&raw(502, "<html>bad</html>"));
        assert!(matches!(e, Error::Api { ref body, .. } if body == "<html>bad</html>"));
        assert!(check(raw(204, "")).is_ok());
    }

    #[test]
    fn form_pairs_keep_field_order_and_skip_none() {
        #[derive(Serialize)]
        struct M {
            b: &'static str,
            a: u32,
            n: Option<u32>,
        }
        let pairs = form_pairs(&M {
            b: "x y",
            a: 7,
            n: None,
        })
        .unwrap();
        assert_eq!(
            pairs,
            [
                ("b".to_owned(), "x y".to_owned()),
                ("a".to_owned(), "7".to_owned())
            ]
        );
    }

    #[test]
    fn decode_names_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct A {
            items: Vec<u32>,
        }
        let e = decode::<A>(&raw(200, r#"{"items":[1,"x"]}"#)).unwrap_err();
        assert!(
            matches!(e, Error::Decode { ref path, .. } if path == "items[1]"),
            "{e:?}"
        );
    }
}
