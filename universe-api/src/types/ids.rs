//! Identifier newtypes. The protocol sends every id as a string; peers sometimes send numbers,
//! which are read as their text.

http_plumbing::string_id!(
    /// A deal status id (`statuses[].id`, `orders[].status`).
    StatusId
);
http_plumbing::string_id!(
    /// An additional deal field id (`fields[].id`, the keys of `orders[].fields`).
    FieldId
);
http_plumbing::string_id!(
    /// A manager id (`managers[].id`, `manager_id`).
    ManagerId
);
http_plumbing::string_id!(
    /// A CRM client (customer) id (`clients[].id`, `orders[].client_id`).
    ClientId
);
http_plumbing::string_id!(
    /// A deal (order, lead) id: `orders[].id`, the `order_id` a `lead` answers, `leadId`,
    /// `element_id`.
    OrderId
);
http_plumbing::string_id!(
    /// A comment id, answered by `message`.
    MessageId
);
http_plumbing::string_id!(
    /// A task id, answered by `task`.
    TaskId
);
http_plumbing::string_id!(
    /// A call id: the external id sent in `call`'s `id`, and the CRM's id it answers.
    CallId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_numbers_as_text_and_write_strings() {
        let id: OrderId = serde_json::from_str("803").unwrap();
        assert_eq!(id.as_str(), "803");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""803""#);
        let id: OrderId = serde_json::from_str(r#""x-1""#).unwrap();
        assert_eq!(id.to_string(), "x-1");
    }
}
