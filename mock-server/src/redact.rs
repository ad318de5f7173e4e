//! Redaction of what the request journal keeps: secret fields of JSON and form bodies, secret
//! query parameters, and every occurrence of a configured secret value.
//!
//! The whole body is redacted *before* it is cut to `journal_body_limit`: a cut JSON document
//! no longer parses, and would otherwise be shown as is.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::config::{Config, DEFAULT_LOGIN, DEFAULT_PASSWORD};
use crate::redact_decoded::{form_decoded, may_hide_a_key, percent_decoded};

/// Query and form keys whose values never reach the journal.
const SECRET_KEYS: &[&str] = &["apikey", "token", "crm_token", "password"];

/// Configured secret values shorter than this are not scrubbed textually (a one- or
/// two-character "secret" would blank out most of a body); field-based redaction still applies.
const MIN_SCRUBBED_LEN: usize = 3;

/// Redacts journal bodies and queries of one set of services.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Configured secret values, in every form they can appear in a body: raw, URL-encoded and
    /// JSON-escaped (deduplicated, longest first).
    values: Vec<SecretString>,
    /// One automaton over all `values`, leftmost-longest: a path or body is scanned once, not
    /// once per value (it holds copies of the values: like them, never printed).
    finder: Option<aho_corasick::AhoCorasick>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("values", &self.values.len())
            .finish()
    }
}

impl Redactor {
    /// Scrubs the configured keys, tokens and passwords. The public default login/password
    /// (`mock`) is not a secret and would blank out every mention of the mocks: it is skipped.
    pub(crate) fn from_config(config: &Config) -> Self {
        Self::new([
            &config.rop.api_key,
            &config.pbx.api_key,
            &config.pbx.crm_token,
            &config.pbx.legacy_password,
            &config.crm.password,
            &config.crm.crm_token,
        ])
    }

    /// A redactor of exactly these secrets (tests of other modules).
    #[cfg(test)]
    pub(crate) fn for_tests(secrets: &[SecretString]) -> Self {
        Self::new(secrets)
    }

    fn new<'a>(secrets: impl IntoIterator<Item = &'a SecretString>) -> Self {
        let mut forms: Vec<String> = Vec::new();
        for s in secrets {
            let raw = s.expose_secret();
            if raw.len() < MIN_SCRUBBED_LEN || raw == DEFAULT_PASSWORD || raw == DEFAULT_LOGIN {
                continue;
            }
            let url: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
            let json = serde_json::to_string(raw).unwrap_or_default();
            let json = json
                .strip_prefix('"')
                .and_then(|j| j.strip_suffix('"'))
                .unwrap_or(raw)
                .to_owned();
            forms.extend([raw.to_owned(), url, json]);
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        let finder = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&forms)
            .ok()
            .filter(|_| !forms.is_empty());
        Self {
            values: forms.into_iter().map(SecretString::from).collect(),
            finder,
        }
    }

    /// The journal form of a body: redacted in full, then cut to at most `limit` bytes (on a
    /// character boundary).
    pub(crate) fn body(&self, body: &[u8], limit: usize) -> String {
        if body.is_empty() {
            return String::new();
        }
        let text = String::from_utf8_lossy(body);
        let redacted = self.scrub(redact_body(&text));
        truncate(redacted, limit)
    }

    /// The journal form of a query string.
    pub(crate) fn query(&self, q: &str) -> String {
        self.scrub(redact_query_string(q))
    }

    /// The journal form of a path: a configured secret in it (`/api/v1/<key>/x`), raw or
    /// percent-encoded in any way, is replaced (the path is then shown decoded).
    pub(crate) fn path(&self, path: &str) -> String {
        let scrubbed = self.scrub(path.to_owned());
        if !scrubbed.contains('%') {
            // Nothing encoded: the scrubbed path is also the decoded one.
            return scrubbed;
        }
        let decoded = percent_decoded(&scrubbed);
        if decoded == scrubbed {
            return scrubbed;
        }
        let again = self.scrub(decoded.into_owned());
        if again.contains(http_plumbing::REDACTED) {
            again
        } else {
            scrubbed
        }
    }

    /// Replaces every occurrence of every configured secret value.
    fn scrub(&self, text: String) -> String {
        match &self.finder {
            Some(finder) if finder.is_match(&text) => {
                let with = vec![http_plumbing::REDACTED; self.values.len()];
                finder.replace_all(&text, &with)
            }
            Some(_) => text,
            // The automaton could not be built (it always can for a handful of short
            // values): scrub value by value.
            None => self.scrub_each(text),
        }
    }

    fn scrub_each(&self, mut text: String) -> String {
        for v in &self.values {
            let v = v.expose_secret();
            if text.contains(v) {
                text = text.replace(v, http_plumbing::REDACTED);
            }
        }
        text
    }
}

fn truncate(mut s: String, limit: usize) -> String {
    if s.len() > limit {
        let mut at = limit;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// A body with the values of secret keys replaced: JSON keys at any depth, or form pairs whose
/// key is a secret or whose value mentions one (a `payload=<json>` field). Other text naming a
/// secret key (multipart, broken JSON) is not shown at all.
fn redact_body(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    if !SECRET_KEYS.iter().any(|k| lower.contains(k)) && !may_hide_a_key(body) {
        return body.to_owned();
    }
    if let Ok(mut value) = serde_json::from_str::<Value>(body) {
        redact_json(&mut value);
        return value.to_string();
    }
    let looks_like_a_form = !body.contains(char::is_whitespace)
        && !body.starts_with(['{', '['])
        && body
            .split('&')
            .all(|kv| kv.contains('=') || !mentions_secret(&form_decoded(kv)));
    if looks_like_a_form {
        return body
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, v))
                    if is_secret_key(&form_decoded(k)) || mentions_secret(&form_decoded(v)) =>
                {
                    format!("{k}={}", http_plumbing::REDACTED)
                }
                _ => kv.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
    }
    if !mentions_secret(&form_decoded(body)) && !body.contains("\\u") {
        return body.to_owned();
    }
    // Multipart or text mentioning a secret key: not shown.
    format!("({} bytes, may carry a secret: not shown)", body.len())
}

fn is_secret_key(k: &str) -> bool {
    SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(k))
}

fn mentions_secret(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|k| lower.contains(k))
}

fn redact_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if is_secret_key(k) {
                    *x = Value::String(http_plumbing::REDACTED.to_owned());
                } else {
                    redact_json(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(s) if mentions_secret(s) => {
            // A JSON document inside a string (`payload`): redact inside it, else hide it.
            *s = match serde_json::from_str::<Value>(s) {
                Ok(mut inner) => {
                    redact_json(&mut inner);
                    inner.to_string()
                }
                Err(_) => http_plumbing::REDACTED.to_owned(),
            };
        }
        _ => {}
    }
}

fn redact_query_string(q: &str) -> String {
    let secret_pair = |kv: &str| {
        kv.split_once('=')
            .is_some_and(|(k, _)| is_secret_key(&form_decoded(k)))
    };
    if !q.split('&').any(secret_pair) {
        return q.to_owned();
    }
    q.split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if is_secret_key(&form_decoded(k)) => {
                format!("{k}={}", http_plumbing::REDACTED)
            }
            _ => kv.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_body_redacts_secret_fields_in_json_and_forms() {
        let json = redact_body(r#"{"crm_token":"s3cr3t","cmd":"history"}"#);
        assert!(
            !json.contains("s3cr3t") && json.contains("history"),
            "{json}"
        );
        let form = redact_body("cmd=event&crm_token=s3cr3t&phone=7900");
        assert!(
            !form.contains("s3cr3t") && form.contains("phone=7900"),
            "{form}"
        );
        assert_eq!(redact_body("plain=1"), "plain=1");
        assert!(!redact_body("--x\r\nname=\"password\"\r\n\r\ns3cr3t").contains("s3cr3t"));
    }

    #[test]
    fn journal_query_redacts_secrets_only() {
        assert_eq!(redact_query_string("a=1&b=2"), "a=1&b=2");
        assert_eq!(
            redact_query_string("apiKey=s3cr3t&tab=T1"),
            format!("apiKey={}&tab=T1", http_plumbing::REDACTED)
        );
    }

    #[test]
    fn redacts_a_json_body_longer_than_the_limit_before_cutting_it() {
        let r = Redactor::default();
        let long = "x".repeat(5000);
        let body =
            serde_json::json!({"url": long, "password": "pw-s3cr3t", "crm_token": "tk-s3cr3t"})
                .to_string();
        // serde_json sorts keys: the secrets come after the long url, past the limit.
        let shown = r.body(body.as_bytes(), 2048);
        assert!(shown.len() <= 2048, "{}", shown.len());
        let full = r.body(body.as_bytes(), usize::MAX);
        for secret in ["pw-s3cr3t", "tk-s3cr3t"] {
            assert!(!shown.contains(secret) && !full.contains(secret));
        }
        assert!(full.contains(http_plumbing::REDACTED), "{full}");
    }

    #[test]
    fn scrubs_configured_secret_values_from_unparsable_bodies_and_queries() {
        let key = SecretString::from("k3y/with space");
        let r = Redactor::new([&key, &SecretString::from("ab")]);
        // Not JSON, no secret key name: only the value scrub can catch it, in any encoding.
        let body = format!(
            "{{\"broken\": \"k3y/with space\", auth=k3y%2Fwith+space {}",
            "y".repeat(3000)
        );
        let shown = r.body(body.as_bytes(), 100);
        assert!(!shown.contains("k3y"), "{shown}");
        assert!(shown.len() <= 100);
        assert_eq!(r.query("auth=k3y%2Fwith+space&ab=1"), "auth=REDACTED&ab=1");
        assert!(!format!("{r:?}").contains("k3y"));
    }

    #[test]
    fn cuts_on_a_character_boundary() {
        let r = Redactor::default();
        assert_eq!(r.body("ёёё".as_bytes(), 3), "ё");
    }
}
