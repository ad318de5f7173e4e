//! Newtypes for the identifiers of the protocol.
//!
//! Every id is text on the wire. Readers also accept a number (`"manager_id": 12345`) and keep
//! its decimal text; writers always emit a JSON string.

http_plumbing::string_id!(
    /// A call's id in the CRM (`call_id`, R5's `call`), e.g. `call_789456`.
    CallId
);
http_plumbing::string_id!(
    /// A manager's id in the CRM (`manager_id`, office member lists).
    ManagerId
);
http_plumbing::string_id!(
    /// A deal's id in the CRM (`deal_id`).
    DealId
);
http_plumbing::string_id!(
    /// A deal stage's id in the CRM (`deal_stage_id`).
    DealStageId
);
http_plumbing::string_id!(
    /// An analytics table's id in ROP (`table_id`, R5's `tab`), e.g. `TBL_1755863365`.
    TableId
);
http_plumbing::string_id!(
    /// An office's id in the CRM (`office_id`).
    OfficeId
);
http_plumbing::string_id!(
    /// A checklist stage's id in ROP (`stage_id`), e.g. `URC_S_1755863272`.
    StageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_strings_and_numbers_and_write_strings() {
        let a: CallId = serde_json::from_str("\"call_1\"").unwrap();
        let b: ManagerId = serde_json::from_str("12345").unwrap();
        assert_eq!(a.as_str(), "call_1");
        assert_eq!(b.to_string(), "12345");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"12345\"");
        assert_eq!(CallId::from("x"), CallId::new(String::from("x")));
        assert_eq!(String::from(TableId::from("t")), "t");
    }
}
