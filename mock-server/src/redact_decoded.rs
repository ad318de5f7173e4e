//! Decoding before redaction: a secret key name or value may arrive percent-encoded
//! (`api%4Bey=mock%2Drop%2Dkey`, `crm%5Ftoken=`) or, in JSON, with `\u` escapes
//! (`"crm\u005ftoken"`). The dispatchers decode before they match (tolerant reader: such a key
//! authenticates), so the journal decodes before it matches and scrubs too.

use std::borrow::Cow;

/// `s` with every `%XX` escape decoded (`+` kept as is: paths do not use it), invalid UTF-8
/// replaced. Borrowed when there is nothing to decode.
pub(crate) fn percent_decoded(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let v = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(v).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A form or query component decoded the way the dispatchers read it (`+` is a space).
pub(crate) fn form_decoded(s: &str) -> String {
    percent_decoded(&s.replace('+', " ")).into_owned()
}

/// Whether `body` might hide a secret key name behind an encoding the plain text check misses:
/// percent escapes or JSON `\u` escapes.
pub(crate) fn may_hide_a_key(body: &str) -> bool {
    body.contains('%') || body.contains("\\u")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_and_keeps_the_rest() {
        assert_eq!(
            percent_decoded("api%4Bey=mock%2Drop%2Dkey"),
            "apiKey=mock-rop-key"
        );
        assert_eq!(percent_decoded("100%"), "100%");
        assert_eq!(percent_decoded("%zz/a+b"), "%zz/a+b");
        assert_eq!(form_decoded("crm%5Ftoken"), "crm_token");
        assert_eq!(form_decoded("a+b"), "a b");
        assert!(may_hide_a_key(r#"{"crm\u005ftoken":1}"#) && !may_hide_a_key("a=1"));
    }
}

#[cfg(test)]
mod journal_tests {
    use crate::redact::Redactor;
    use secrecy::SecretString;

    fn redactor() -> Redactor {
        Redactor::for_tests(&[SecretString::from("mock-rop-key")])
    }

    #[test]
    fn a_key_in_the_path_is_scrubbed_however_encoded() {
        let r = redactor();
        assert_eq!(r.path("/api/v1/mock-rop-key/x"), "/api/v1/REDACTED/x");
        assert_eq!(r.path("/api/v1/mock%2Drop%2Dkey/x"), "/api/v1/REDACTED/x");
        assert_eq!(r.path("/api/v1/calls%20x"), "/api/v1/calls%20x");
    }

    #[test]
    fn encoded_key_names_and_values_are_scrubbed() {
        let r = redactor();
        let q = r.query("api%4Bey=mock%2Drop%2Dkey&tab=T");
        assert_eq!(q, "api%4Bey=REDACTED&tab=T");
        let shown = r.body(b"cmd=history&crm%5Ftoken=unknown-tok-1", 2048);
        assert!(!shown.contains("unknown-tok-1"), "{shown}");
        assert!(shown.contains("cmd=history"), "{shown}");
    }

    #[test]
    fn unknown_tokens_in_broken_or_escaped_json_never_show() {
        let r = redactor();
        for body in [
            r#"{"crm_token":"unknown-tok-2""#,
            r#"{"crm_token": "unknown-tok-2", "#,
            r#"{"crm\u005ftoken":"unknown-tok-2"}"#,
            r#"{"crm\u005ftoken":"unknown-tok-2""#,
            r#"{"crm%5Ftoken":"unknown-tok-2""#,
        ] {
            let shown = r.body(body.as_bytes(), 2048);
            assert!(!shown.contains("unknown-tok-2"), "{body} -> {shown}");
        }
        // Nothing secret: shown as sent.
        assert_eq!(r.body(b"a=100%25&b=2", 2048), "a=100%25&b=2");
    }
}
