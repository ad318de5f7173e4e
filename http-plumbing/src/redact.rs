//! Secret redaction for URLs that carry a key in their query string.

use url::Url;

/// What a redacted secret is replaced with.
pub const REDACTED: &str = "REDACTED";

/// The URL as a string with the values of the named query parameters replaced by [`REDACTED`].
///
/// Parameter names compare case-insensitively (`apikey` and `apiKey` are the same secret).
/// Other parameters, the path and the order of parameters are kept.
pub fn redact_query(url: &Url, secret_params: &[&str]) -> String {
    if url.query().is_none() {
        return url.to_string();
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = secret_params.iter().any(|s| s.eq_ignore_ascii_case(&k));
            let v = if secret {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    let mut out = url.clone();
    out.query_pairs_mut().clear().extend_pairs(pairs);
    out.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_secret_parameters() {
        let url = Url::parse("http://h/p?APIKEY=abc&tab=T1&call=8").unwrap();
        let s = redact_query(&url, &["apiKey"]);
        assert_eq!(s, "http://h/p?APIKEY=REDACTED&tab=T1&call=8");
        assert!(!s.contains("abc"));
    }

    #[test]
    fn url_without_query_is_unchanged() {
        let url = Url::parse("http://h/p").unwrap();
        assert_eq!(redact_query(&url, &["apiKey"]), "http://h/p");
    }
}
