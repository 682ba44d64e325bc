//! Typed indices and codes, so a node index can never be passed where a link index is expected.

use std::fmt;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the dataset's vector.
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// Index of a node in [`crate::Dataset::nodes`].
    NodeId
);
index_type!(
    /// Index of a link in [`crate::Dataset::links`].
    LinkId
);
index_type!(
    /// Index of a commodity in [`crate::Dataset::commodities`].
    CommodityId
);
index_type!(
    /// Index of a grade in [`crate::Dataset::grades`].
    GradeId
);
index_type!(
    /// Index of a bloc in [`crate::Dataset::blocs`].
    BlocId
);
index_type!(
    /// Index of a source in [`crate::Dataset::sources`].
    SourceId
);
index_type!(
    /// Index of a capacity group in [`crate::Dataset::capacity_groups`].
    GroupId
);
index_type!(
    /// Index of a chokepoint in [`crate::Dataset::chokepoints`].
    ChokepointId
);

/// An ISO 3166-1 alpha-2 country code, stored as two upper-case ASCII letters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses two ASCII letters (either case); anything else is `None`.
    pub fn parse(text: &str) -> Option<CountryCode> {
        let bytes = text.trim().as_bytes();
        if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_alphabetic) {
            Some(CountryCode([
                bytes[0].to_ascii_uppercase(),
                bytes[1].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The code as text, e.g. `"KZ"`.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction, so this never fails.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_normalised_and_checked() {
        assert_eq!(
            CountryCode::parse("kz").map(|c| c.to_string()),
            Some("KZ".into())
        );
        assert_eq!(CountryCode::parse("KAZ"), None);
        assert_eq!(CountryCode::parse("K1"), None);
        assert_eq!(CountryCode::parse(""), None);
    }
}
