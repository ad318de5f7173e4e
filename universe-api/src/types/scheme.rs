//! U1 `import_scheme`: the CRM's deal statuses, additional fields and managers.

use crate::types::ids::{FieldId, ManagerId, StatusId};
use serde::{Deserialize, Serialize};

/// A deal status (`statuses[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Status {
    /// The status id deals refer to in `orders[].status` (`"1"`).
    pub id: StatusId,
    /// The status name (`"Новая"`).
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub name: String,
}

/// An additional deal field (`fields[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Field {
    /// The field id; the key of the field's value in `orders[].fields`.
    pub id: FieldId,
    /// The field name (`"utmSource"`).
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub name: String,
}

/// A manager responsible for deals (`managers[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Manager {
    /// The manager id deals refer to in `orders[].manager_id` (`"72"`).
    pub id: ManagerId,
    /// The manager's full name.
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub name: String,
}

/// U1's answer, also the first three lists of every `export` page.
///
/// Missing lists (and `null`) read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Scheme {
    /// The deal statuses (funnel stages) the CRM knows, in its order.
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub statuses: Vec<Status>,
    /// Additional deal fields.
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub fields: Vec<Field>,
    /// The managers (sales people) deals can be assigned to.
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub managers: Vec<Manager>,
}
