//! Body decoding for dispatchers: JSON, urlencoded and multipart bodies into one shape.

use bytes::Bytes;
use http::{HeaderMap, Uri, header};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::FieldError;

/// Why a body could not be read. Each maps to a 4xx in the protocol's own error body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is larger than the dispatcher's limit (413).
    #[error("request body is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is empty where fields were expected.
    #[error("request body is empty")]
    Empty,
    /// The `Content-Type` is none the protocol accepts (415).
    #[error(
        "unsupported content type {0:?}: send application/json, application/x-www-form-urlencoded or multipart/form-data"
    )]
    UnsupportedMediaType(String),
    /// The body claims to be JSON but is not.
    #[error("body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The JSON body is valid but not an object.
    #[error("body must be a JSON object")]
    NotAnObject,
    /// The urlencoded body cannot be read.
    #[error("body is not valid application/x-www-form-urlencoded: {0}")]
    InvalidForm(String),
    /// The multipart body cannot be read.
    #[error("body is not valid multipart/form-data: {0}")]
    InvalidMultipart(String),
    /// The body starts like JSON but is declared as a form or not declared (curl's `-d` sends
    /// `application/x-www-form-urlencoded`), and it is not a JSON object.
    #[error(
        "body looks like JSON but is sent as {content_type} and is not a JSON object ({reason}): send Content-Type: application/json"
    )]
    UndeclaredJson {
        /// The declared type, or `no Content-Type`.
        content_type: String,
        /// Why it is not a JSON object.
        reason: String,
    },
}

/// Decodes a request body into one JSON object, whatever form it came in.
///
/// - `application/json` (or no `Content-Type` and a body that starts with `{`): the object itself.
/// - `application/x-www-form-urlencoded`: each field a string; a repeated key becomes an array.
///   A body that starts with `{` or `[` (JSON sent with curl's `-d` default) is read as JSON
///   when it is a JSON object, else refused ([`BodyError::UndeclaredJson`]) with a message
///   that says to send `Content-Type: application/json` — never read as a form whose one
///   key is the whole JSON text.
/// - `multipart/form-data`: text parts as strings (file parts are read as text when they are
///   UTF-8, else skipped), repeated names as arrays.
///
/// An empty body decodes to an empty object; callers then report the first missing field.
pub async fn decode_fields(
    headers: &HeaderMap,
    body: &Bytes,
    limit: usize,
) -> Result<Map<String, Value>, BodyError> {
    if body.len() > limit {
        return Err(BodyError::TooLarge { limit });
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let trimmed = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| body[i]);
    if trimmed.is_none() {
        return Ok(Map::new());
    }
    match mime.as_str() {
        "application/json" | "text/json" => json_object(body),
        m if m.ends_with("+json") => json_object(body),
        "application/x-www-form-urlencoded" | "" | "text/plain"
            if matches!(trimmed, Some(b'{' | b'[')) =>
        {
            undeclared_json(&ctype, body)
        }
        "application/x-www-form-urlencoded" => form_object(body),
        "multipart/form-data" => multipart_object(&ctype, body.clone()).await,
        "" | "text/plain" => form_object(body),
        _ => Err(BodyError::UnsupportedMediaType(ctype)),
    }
}

/// A JSON-looking body declared as a form (or not declared): the object, or why not.
fn undeclared_json(ctype: &str, body: &Bytes) -> Result<Map<String, Value>, BodyError> {
    let content_type = if ctype.trim().is_empty() {
        "no Content-Type".to_owned()
    } else {
        ctype.trim().to_owned()
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(BodyError::UndeclaredJson {
            content_type,
            reason: "not an object".into(),
        }),
        Err(e) => Err(BodyError::UndeclaredJson {
            content_type,
            reason: e.to_string(),
        }),
    }
}

fn json_object(body: &Bytes) -> Result<Map<String, Value>, BodyError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(BodyError::NotAnObject),
        Err(e) => Err(BodyError::InvalidJson(e.to_string())),
    }
}

fn push_field(map: &mut Map<String, Value>, key: String, value: String) {
    match map.get_mut(&key) {
        None => {
            map.insert(key, Value::String(value));
        }
        Some(Value::Array(items)) => items.push(Value::String(value)),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, Value::String(value)]);
        }
    }
}

fn form_object(body: &Bytes) -> Result<Map<String, Value>, BodyError> {
    if let Some(field) = crate::utf8::invalid_utf8_field(body) {
        return Err(BodyError::InvalidForm(format!("{field}: not valid UTF-8")));
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|e| BodyError::InvalidForm(e.to_string()))?;
    let mut map = Map::new();
    for (k, v) in pairs {
        push_field(&mut map, k, v);
    }
    Ok(map)
}

async fn multipart_object(ctype: &str, body: Bytes) -> Result<Map<String, Value>, BodyError> {
    let boundary =
        multer::parse_boundary(ctype).map_err(|e| BodyError::InvalidMultipart(e.to_string()))?;
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut map = Map::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(BodyError::InvalidMultipart(e.to_string())),
        };
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let bytes = field
            .bytes()
            .await
            .map_err(|e| BodyError::InvalidMultipart(e.to_string()))?;
        if let Ok(text) = String::from_utf8(bytes.to_vec()) {
            push_field(&mut map, name, text);
        }
    }
    Ok(map)
}

/// Decodes a typed value from decoded fields; the error names the failing field's path.
pub fn from_fields<T: DeserializeOwned>(value: Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde says "missing field `x`" at the parent's path: name the field itself.
        let field = match inner
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            Some(missing) if path == "." => missing.to_owned(),
            Some(missing) => format!("{path}.{missing}"),
            None => path,
        };
        FieldError {
            field,
            message: inner,
        }
    })
}

/// The query string's pairs, percent-decoded, in order.
pub fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The query string as an object of strings (a repeated key becomes an array), ready for
/// [`from_fields`].
pub fn query_map(uri: &Uri) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in query_pairs(uri) {
        push_field(&mut map, k, v);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        h
    }

    #[tokio::test]
    async fn decodes_json_form_and_multipart_alike() {
        let json = decode_fields(
            &headers("application/json"),
            &Bytes::from(r#"{"a":"1","b":2}"#),
            1024,
        )
        .await
        .unwrap();
        assert_eq!(json["a"], "1");
        assert_eq!(json["b"], 2);

        let form = decode_fields(
            &headers("application/x-www-form-urlencoded; charset=utf-8"),
            &Bytes::from("a=1&b=%D0%BF%D1%80%D0%B8&t=x&t=y"),
            1024,
        )
        .await
        .unwrap();
        assert_eq!(form["a"], "1");
        assert_eq!(form["b"], "при");
        assert_eq!(form["t"], serde_json::json!(["x", "y"]));

        let mp_body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"call_id\"\r\n\r\nc-1\r\n--XyZ--\r\n";
        let mp = decode_fields(
            &headers("multipart/form-data; boundary=XyZ"),
            &Bytes::from(mp_body),
            1024,
        )
        .await
        .unwrap();
        assert_eq!(mp["a"], "1");
        assert_eq!(mp["call_id"], "c-1");
    }

    #[tokio::test]
    async fn rejects_bad_bodies_with_the_reason() {
        let e = decode_fields(&headers("application/json"), &Bytes::from("{nope"), 1024).await;
        assert!(matches!(e, Err(BodyError::InvalidJson(_))));
        let e = decode_fields(&headers("application/json"), &Bytes::from("[1]"), 1024).await;
        assert_eq!(e, Err(BodyError::NotAnObject));
        let e = decode_fields(&headers("application/xml"), &Bytes::from("<a/>"), 1024).await;
        assert!(matches!(e, Err(BodyError::UnsupportedMediaType(_))));
        let e = decode_fields(
            &headers("application/json"),
            &Bytes::from(vec![b' '; 11]),
            10,
        )
        .await;
        assert_eq!(e, Err(BodyError::TooLarge { limit: 10 }));
        let e = decode_fields(&headers("multipart/form-data"), &Bytes::from("x"), 10).await;
        assert!(matches!(e, Err(BodyError::InvalidMultipart(_))));
    }

    #[tokio::test]
    async fn untyped_json_body_is_detected() {
        let m = decode_fields(&HeaderMap::new(), &Bytes::from(r#" {"a":1}"#), 100)
            .await
            .unwrap();
        assert_eq!(m["a"], 1);
        let m = decode_fields(&HeaderMap::new(), &Bytes::from("a=1"), 100)
            .await
            .unwrap();
        assert_eq!(m["a"], "1");
    }

    #[tokio::test]
    async fn json_sent_as_a_form_by_curl_is_read_as_json_or_refused_with_the_fix() {
        let form = headers("application/x-www-form-urlencoded");
        let body = Bytes::from(r#"{"phone":"79161234567","user":"admin"}"#);
        let m = decode_fields(&form, &body, 100).await.unwrap();
        assert_eq!(
            (m["phone"].as_str(), m["user"].as_str()),
            (Some("79161234567"), Some("admin"))
        );
        for bad in [r#"{"phone":"7916"#, "[1,2]"] {
            let e = decode_fields(&form, &Bytes::from(bad), 100)
                .await
                .unwrap_err();
            assert!(matches!(e, BodyError::UndeclaredJson { .. }), "{e:?}");
            let text = e.to_string();
            assert!(
                text.contains("send Content-Type: application/json"),
                "{text}"
            );
            assert!(text.contains("application/x-www-form-urlencoded"), "{text}");
        }
        let e = decode_fields(&HeaderMap::new(), &Bytes::from("{oops"), 100)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("no Content-Type"), "{e}");
        let m = decode_fields(&form, &Bytes::from("a=%7B&b=2"), 100)
            .await
            .unwrap();
        assert_eq!(m["a"], "{");
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Req {
        call_id: String,
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    #[test]
    fn field_errors_name_the_field() {
        let e = from_fields::<Req>(serde_json::json!({"items": []})).unwrap_err();
        assert_eq!(e.field, "call_id");
        let e = from_fields::<Req>(serde_json::json!({"call_id": "c", "items": [{}]})).unwrap_err();
        assert_eq!(e.field, "items[0].id");
        let e = from_fields::<Req>(serde_json::json!({"call_id": 5, "items": []})).unwrap_err();
        assert_eq!(e.field, "call_id");
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }

    #[test]
    fn query_is_decoded() {
        let uri: Uri = "/x?tab=T%201&call=8&apiKey=k".parse().unwrap();
        let m = query_map(&uri);
        assert_eq!(m["tab"], "T 1");
        assert_eq!(query_pairs(&uri).len(), 3);
    }
}
