//! [`ClientBuilder`].

use super::{Client, Inner, UploadFormat};
use crate::error::{Error, Result};
use http_plumbing::HttpConfig;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use url::Url;

/// Configures a [`Client`]. `base_url` and `api_key` are required.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<SecretString>,
    config: HttpConfig,
    upload_format: UploadFormat,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            api_key: None,
            config: HttpConfig::new(concat!("rop-api/", env!("CARGO_PKG_VERSION"))),
            upload_format: UploadFormat::Json,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().map(|u| match Url::parse(u) {
                    Ok(u) => http_plumbing::redact_query(&u, &["apiKey"]),
                    Err(_) => "<not a URL>".to_owned(),
                }),
            )
            .field(
                "api_key",
                &self.api_key.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("timeout", &self.config.timeout)
            // Always set for this client (default 10 s); shown as a plain duration.
            .field(
                "connect_timeout",
                &self.config.connect_timeout.unwrap_or_default(),
            )
            .field("retry", &self.config.retry)
            .field("user_agent", &self.config.user_agent)
            .field("upload_format", &self.upload_format)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    http_plumbing::http_setters!(config);

    /// The service's address: the host root (`http://10.28.32.81`, which gets `/api/v1/`) or
    /// the full API root (`http://10.28.32.81/api/v1/`); a missing trailing `/` is added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key (a `&str`, `String` or `SecretString`), sent as the `apiKey` query parameter
    /// of every request.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Body format of [`Client::upload_call`] (default JSON).
    pub fn upload_format(mut self, format: UploadFormat) -> Self {
        self.upload_format = format;
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::Config("base_url is required".into()))?;
        let base = normalise_base(&raw)?;
        let api_key = self
            .api_key
            .ok_or_else(|| Error::Config("api_key is required".into()))?;
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::Config("api_key must not be empty".into()));
        }
        let http = self.config.build_client()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                api_key,
                retry: self.config.send_policy(),
                upload_format: self.upload_format,
            }),
        })
    }
}

fn normalise_base(raw: &str) -> Result<Url> {
    let mut url = Url::parse(raw.trim())
        .map_err(|e| Error::Config(format!("base_url is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(
            "base_url must be an http or https URL".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "base_url must not have a query or a fragment (the API key is set with api_key)".into(),
        ));
    }
    if url.path() == "/" || url.path().is_empty() {
        url.set_path("/api/v1/");
    } else if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        assert_eq!(
            normalise_base("http://h:1").unwrap().as_str(),
            "http://h:1/api/v1/"
        );
        assert_eq!(
            normalise_base("http://h/api/v1").unwrap().as_str(),
            "http://h/api/v1/"
        );
        assert!(normalise_base("ftp://h/").is_err());
        assert!(normalise_base("http://h/?apiKey=x").is_err());
    }

    #[test]
    fn build_requires_key_and_url() {
        let e = Client::builder().api_key("k").build().unwrap_err();
        insta::assert_snapshot!(e, @"invalid configuration: base_url is required");
        let e = Client::builder().base_url("http://h").build().unwrap_err();
        insta::assert_snapshot!(e, @"invalid configuration: api_key is required");
    }
}
