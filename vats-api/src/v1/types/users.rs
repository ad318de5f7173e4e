//! Employees (vendor document §6–7): users, their departments, subscriptions and DND.

use super::ids::{GroupId, Login};
use super::{flag, set_if_sent, text};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;

http_plumbing::tolerant_enum! {
    /// An employee's rights (`role`).
    #[derive(Default)]
    #[non_exhaustive]
    Role {
        /// `admin`: full access to the PBX settings.
        Admin = "admin",
        /// `user` (the default for new employees).
        #[default]
        User = "user",
        /// `restricted_user`: calls only, no settings.
        RestrictedUser = "restricted_user",
    }
}

/// Forwarding to the employee's mobile (`mobile_redirect`, vendor document §7.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MobileRedirect {
    /// Forwarding on or off.
    #[serde(default, deserialize_with = "flag")]
    pub enabled: bool,
    /// `true`: only to the mobile; `false`: all devices at once (default `false`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_bool"
    )]
    pub forward: Option<bool>,
    /// Delay before forwarding, seconds: 0, 5, 10 or 15 (default 0).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub delay: Option<u32>,
}

/// The delays `mobile_redirect.delay` allows.
pub const REDIRECT_DELAYS: [u32; 4] = [0, 5, 10, 15];

/// An employee as the PBX shows it (P6, P7 and the answers of P8, P9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct User {
    /// The employee's login (`admin`, `u704`); also accepted: the extension.
    pub login: Login,
    /// Full name as the PBX shows it (`Иванова Марина`).
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// Position (`Менеджер`).
    #[serde(default, deserialize_with = "text")]
    pub position: String,
    /// E-mail.
    #[serde(default, deserialize_with = "text")]
    pub email: String,
    /// Extension (`701`).
    #[serde(default, deserialize_with = "text")]
    pub ext: String,
    /// Direct number (absent in some of the vendor document's answers, `""` in others: both kept).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::opt_text"
    )]
    pub telnum: Option<String>,
    /// Access rights (`admin`, `user`, `restricted_user`).
    #[serde(default)]
    pub role: Role,
    /// Mobile number, digits with the country code (`79101234567`); empty when none.
    #[serde(default, deserialize_with = "text")]
    pub mobile: String,
    /// Forwarding to the mobile.
    #[serde(default)]
    pub mobile_redirect: MobileRedirect,
}

/// A password sent to the PBX: a secret, never shown by `Debug` or `Display`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Password(SecretString);

impl Password {
    /// Wraps a password.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The password itself, for the wire.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(REDACTED)")
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        // Equality of values in memory, for tests and diffing; never used to check credentials.
        self.expose() == other.expose()
    }
}

impl Eq for Password {}

impl Serialize for Password {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

/// A new employee (P8 `POST users`). Only `name` is required; the PBX picks the rest:
/// login `u` + extension, the first free extension, position `Менеджер`, role `user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NewUser {
    /// Name (required).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// Login (default `u` + extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Login>,
    /// Password (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Password>,
    /// Position (default `Менеджер`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub position: Option<String>,
    /// E-mail.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub email: Option<String>,
    /// Extension (default: the first free one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// Rights (default `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Mobile number (needed for `mobile_redirect`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub mobile: Option<String>,
    /// Forwarding to the mobile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_redirect: Option<MobileRedirect>,
}

impl NewUser {
    /// A new employee with only a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A partial update of an employee (P9 `PUT users/{login}`): only the fields sent change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserUpdate {
    /// New full name (`Иванова Марина`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub name: Option<String>,
    /// New password (never shown in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Password>,
    /// New position (`Менеджер`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub position: Option<String>,
    /// E-mail.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub email: Option<String>,
    /// New extension (`705`: three or four digits, free on this PBX).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// New access rights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// New mobile number, digits with the country code (`79101234567`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub mobile: Option<String>,
    /// Forwarding to the mobile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_redirect: Option<MobileRedirect>,
}

impl UserUpdate {
    /// Applies the update to a user (what a PBX does on P9).
    pub fn apply_to(&self, user: &mut User) {
        set_if_sent(&mut user.name, self.name.as_ref());
        set_if_sent(&mut user.position, self.position.as_ref());
        set_if_sent(&mut user.email, self.email.as_ref());
        set_if_sent(&mut user.ext, self.ext.as_ref());
        set_if_sent(&mut user.role, self.role.as_ref());
        set_if_sent(&mut user.mobile, self.mobile.as_ref());
        set_if_sent(&mut user.mobile_redirect, self.mobile_redirect.as_ref());
    }
}

/// A department an employee belongs to (P11 `GET users/{login}/groups`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserGroup {
    /// The department's id (`sales`).
    pub id: GroupId,
    /// The department's name (`Отдел продаж`).
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// The department's extension (`800`).
    #[serde(default, deserialize_with = "text")]
    pub ext: String,
}

/// The answer of P12 (subscription), P15 (DND) and P38 (anonymous-call blocking):
/// `{"state": true}` when the feature is on. The client and handler methods take and return
/// the `bool` itself.
#[cfg(any(feature = "client", feature = "server"))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    /// `true`: on (subscribed, DND on, anonymous calls blocked).
    #[serde(default, deserialize_with = "flag")]
    pub(crate) state: bool,
}

/// Whether the value is one of [`REDIRECT_DELAYS`].
pub fn is_valid_redirect_delay(delay: u32) -> bool {
    REDIRECT_DELAYS.contains(&delay)
}
