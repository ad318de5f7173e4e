//! Serde types of `/crmapi/v1`, one file per resource.
//!
//! Readers are tolerant (numbers as strings, enum values in any case, unknown enum values kept as
//! `Other`, missing optional fields, unknown extra fields); writers emit the vendor document's canonical form.

pub(crate) mod blacklist;
pub(crate) mod calls;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod history_csv;
pub(crate) mod history_filters;
pub(crate) mod ids;
pub(crate) mod list;
pub(crate) mod period;
pub(crate) mod sims;
pub(crate) mod telnums;
mod type_alias;
pub(crate) mod users;

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    S(String),
    U(u64),
    I(i64),
    F(f64),
    B(bool),
}

fn scalar_text(s: Scalar) -> String {
    match s {
        Scalar::S(s) => s,
        Scalar::U(n) => n.to_string(),
        Scalar::I(n) => n.to_string(),
        Scalar::F(n) => n.to_string(),
        Scalar::B(b) => b.to_string(),
    }
}

/// A text field: strings kept as they are, numbers and booleans as their text, `null` as `""`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?
        .map(scalar_text)
        .unwrap_or_default())
}

/// Overwrites `target` with `value` when the partial update sent one (`apply_to` of updates).
pub(crate) fn set_if_sent<T: Clone>(target: &mut T, value: Option<&T>) {
    if let Some(v) = value {
        target.clone_from(v);
    }
}

/// A boolean field read leniently (`true`, `"1"`, `"yes"`…); `null` and `""` are `false`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    http_plumbing::lenient::opt_bool(d).map(Option::unwrap_or_default)
}

/// A number field read leniently (`5` or `"5"`); `null` and `""` are zero.
pub(crate) fn count<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr + Default,
    T::Err: std::fmt::Display,
{
    http_plumbing::lenient::opt_from_str(d).map(Option::unwrap_or_default)
}

/// An optional text field that keeps `""` as `Some("")` (so a peer's `"telnum": ""` and an absent
/// `telnum` both survive a round trip); numbers and booleans become their text.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(scalar_text))
}
