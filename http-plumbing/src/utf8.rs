//! Strict UTF-8 for urlencoded text: `url::form_urlencoded` replaces invalid sequences with
//! `U+FFFD`, so `call_id=%FF%FE` would be read as `"��"`. These checks find the field first, so
//! a dispatcher answers 400 naming it instead.

use crate::handler_error::HandlerError;
use http::Uri;

/// The first field of an `application/x-www-form-urlencoded` text whose name or value is not
/// valid UTF-8 once percent-decoded (the name shown with replacement characters when the name
/// itself is broken), or `None` when everything is valid.
///
/// ```
/// assert_eq!(http_plumbing::invalid_utf8_field(b"a=1&call_id=%FF%FE"), Some("call_id".into()));
/// assert_eq!(http_plumbing::invalid_utf8_field("a=%D0%AF".as_bytes()), None);
/// ```
pub fn invalid_utf8_field(form: &[u8]) -> Option<String> {
    for pair in form.split(|b| *b == b'&') {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let key = decode(k);
        match String::from_utf8(key) {
            Err(e) => return Some(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Ok(name) if std::str::from_utf8(&decode(v)).is_err() => return Some(name),
            Ok(_) => {}
        }
    }
    None
}

/// 400 naming the first query field that is not valid UTF-8 (see [`invalid_utf8_field`]).
pub fn check_query_utf8(uri: &Uri) -> Result<(), HandlerError> {
    match uri.query().and_then(|q| invalid_utf8_field(q.as_bytes())) {
        Some(field) => Err(HandlerError::invalid(field, "not valid UTF-8")),
        None => Ok(()),
    }
}

/// Percent-decodes one form component (`+` is a space), keeping bytes as they are.
fn decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match (
            s[i],
            s.get(i + 1).copied().and_then(hex),
            s.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_whose_value_or_name_is_broken() {
        assert_eq!(invalid_utf8_field(b"call_id=%FF"), Some("call_id".into()));
        assert_eq!(
            invalid_utf8_field(b"ok=1&x\xff=1"),
            Some("x\u{fffd}".into())
        );
        assert_eq!(invalid_utf8_field(b"a=%D0%AF+b&c"), None);
        let uri: Uri = "/analytics?call_id=%C3%28".parse().unwrap();
        let e = check_query_utf8(&uri).unwrap_err();
        assert_eq!(e.field(), Some("call_id"));
        assert!(check_query_utf8(&"/x?a=b".parse().unwrap()).is_ok());
    }
}
