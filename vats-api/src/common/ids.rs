//! Id-like newtypes: [`Phone`] and [`CallId`].

use http_plumbing::lenient;

http_plumbing::string_id! {
    /// A telephone number as the PBX writes it: digits, country code first, no `+`
    /// (`79101234567`).
    ///
    /// Reading is tolerant: a JSON number (`79101234567`) is read as its digits, and the text is
    /// kept exactly as sent (no data loss) — use [`Phone::digits`] for the bare digits and
    /// [`Phone::is_digits`] to validate where the protocol demands digits only (e.g. `makecall`,
    /// where a leading `+` is a 400).
    ///
    /// ```
    /// use vats_api::Phone;
    ///
    /// let p: Phone = serde_json::from_str("79101234567")?;
    /// assert_eq!(p.as_str(), "79101234567");
    /// assert!(p.is_digits());
    /// assert_eq!(Phone::from("+7 (910) 123-45-67").digits(), "79101234567");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    Phone
}

impl Phone {
    /// Only the ASCII digits of the number (`+7 (910) 123-45-67` → `79101234567`).
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }

    /// The canonical wire form of a number a person or a CRM typed: a leading `+` and the
    /// separators (spaces, `-`, `(`, `)`, `.`) dropped, when what is left is digits
    /// (`+7 (910) 123-45-67` → `79101234567`); any other text is kept as it is, so that
    /// validation still refuses it.
    ///
    /// ```
    /// use vats_api::Phone;
    /// assert_eq!(Phone::from("+79101234567").normalized().as_str(), "79101234567");
    /// assert_eq!(Phone::from("+7 abc").normalized().as_str(), "+7 abc");
    /// ```
    #[must_use]
    pub fn normalized(&self) -> Phone {
        let t = self.0.trim();
        let body = t.strip_prefix('+').unwrap_or(t);
        let ok = body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'));
        let digits = self.digits();
        if ok && !digits.is_empty() {
            Phone(digits)
        } else {
            self.clone()
        }
    }

    /// Whether the number is non-empty and digits only (the canonical wire form).
    pub fn is_digits(&self) -> bool {
        !self.0.is_empty() && self.0.bytes().all(|b| b.is_ascii_digit())
    }
}

http_plumbing::string_id! {
    /// The PBX's unique id of a call (`B10D0EB124F4E64AF4EA-1511`); the same for all legs of
    /// one call. Read from a string or a number.
    CallId
}

/// An optional phone: `null`, absent and `""` are `None`; numbers are read as digits.
pub(crate) fn opt_phone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Phone>, D::Error> {
    Ok(lenient::opt_string(d)?.map(Phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_reads_numbers_and_strings() {
        let p: Phone = serde_json::from_str("79101234567").unwrap();
        assert_eq!(p, Phone::from("79101234567"));
        let p: Phone = serde_json::from_str("\"79101234567\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"79101234567\"");
        assert!(!Phone::from("+79101234567").is_digits());
        assert!(!Phone::from("").is_digits());
    }

    #[test]
    fn call_id_is_transparent() {
        let c: CallId = serde_json::from_str("1511").unwrap();
        assert_eq!(c.as_str(), "1511");
        assert_eq!(c.to_string(), "1511");
        assert_eq!(
            serde_json::to_string(&CallId::from("x-1")).unwrap(),
            "\"x-1\""
        );
    }
}
