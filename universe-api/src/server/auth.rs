//! Caller authentication: HTTP Basic, and optionally Roistat's `user` + `token=md5(login+password)`.

use base64::Engine;
use http::HeaderMap;
use http_plumbing::constant_time_eq;
use md5::{Digest, Md5};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use std::fmt;

/// The credentials a dispatcher accepts.
///
/// By default only HTTP Basic auth; [`with_token_auth`](Self::with_token_auth) also accepts the
/// query parameters `user=<login>&token=<md5(login + password) in hex>` that Roistat-style
/// callers send. Comparisons are constant-time; the password never appears in `Debug`.
#[derive(Clone)]
pub struct ServerAuth {
    /// The login Basic auth must present (compared in constant time).
    pub login: String,
    /// The password Basic auth must present (compared in constant time; never in `Debug`).
    pub password: SecretString,
    /// Whether `user` + `token` query parameters are accepted besides Basic auth (off by default).
    pub allow_token_auth: bool,
}

impl ServerAuth {
    /// Basic auth with a login and password.
    pub fn basic(login: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self {
            login: login.into(),
            password: password.into(),
            allow_token_auth: false,
        }
    }

    /// Also accept (or not) `user` + `token=md5(login + password)` query parameters.
    #[must_use]
    pub fn with_token_auth(mut self, allow: bool) -> Self {
        self.allow_token_auth = allow;
        self
    }

    /// The token a Roistat-style caller sends: lower-case hex of `md5(login + password)`.
    pub fn expected_token(&self) -> String {
        let digest = Md5::digest(format!("{}{}", self.login, self.password.expose_secret()));
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether the request's credentials match.
    pub(crate) fn check(&self, headers: &HeaderMap, params: &Map<String, Value>) -> bool {
        if let Some((login, password)) = basic_credentials(headers) {
            let ok_login = constant_time_eq(&login, &self.login);
            let ok_password = constant_time_eq(&password, self.password.expose_secret());
            if ok_login & ok_password {
                return true;
            }
        }
        if self.allow_token_auth {
            let user = params.get("user").and_then(Value::as_str);
            let token = params.get("token").and_then(Value::as_str);
            if let (Some(user), Some(token)) = (user, token) {
                let ok_user = constant_time_eq(user, &self.login);
                let ok_token =
                    constant_time_eq(&token.trim().to_ascii_lowercase(), &self.expected_token());
                return ok_user & ok_token;
            }
        }
        false
    }
}

impl fmt::Debug for ServerAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerAuth")
            .field("login", &self.login)
            .field("password", &http_plumbing::REDACTED)
            .field("allow_token_auth", &self.allow_token_auth)
            .finish()
    }
}

/// The login and password of an `Authorization: Basic …` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let encoded = encoded.trim();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (login, password) = text.split_once(':')?;
    Some((login.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_md5_of_login_and_password() {
        let auth = ServerAuth::basic("user", "pass");
        // md5("userpass")
        assert_eq!(auth.expected_token(), "63e780c3f321d13109c71bf81805476e");
    }

    #[test]
    fn debug_hides_the_password() {
        let auth = ServerAuth::basic("user", "TOPSECRET");
        assert!(!format!("{auth:?}").contains("TOPSECRET"));
    }
}
