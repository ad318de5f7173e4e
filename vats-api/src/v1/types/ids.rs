//! Id newtypes of `/crmapi/v1`.

http_plumbing::string_id! {
    /// An employee's login (`admin`, `u704`); the API also accepts the extension (`701`) wherever
    /// a login is expected.
    Login
}

http_plumbing::string_id! {
    /// A department's id (`sales`, `g_0a922987-…`).
    GroupId
}

http_plumbing::string_id! {
    /// A company phone number or SIM number as the PBX writes it (`79007775555`).
    Telnum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_numbers_and_write_strings() {
        let l: Login = serde_json::from_str("701").unwrap();
        assert_eq!(l.as_str(), "701");
        assert_eq!(serde_json::to_string(&l).unwrap(), "\"701\"");
        let g = GroupId::from("sales");
        assert_eq!(g.to_string(), "sales");
        assert_eq!(g.as_ref(), "sales");
        assert_eq!(Telnum::new(String::from("7900")).into_string(), "7900");
    }
}
