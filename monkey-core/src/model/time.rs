//! Timestamps: UTC instants, serialised as RFC 3339.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A UTC instant with nanosecond precision, shown and serialised as RFC 3339.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i128);

impl Timestamp {
    /// The instant `nanos` nanoseconds after the Unix epoch.
    pub const fn from_unix_nanos(nanos: i128) -> Self {
        Self(nanos)
    }

    /// The instant `nanos` nanoseconds after the Unix epoch, if RFC 3339 can write it (years
    /// 0 to 9999): for times read from bytes that may be damaged.
    pub fn checked_from_unix_nanos(nanos: i128) -> Option<Self> {
        let time = OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        (0..=9999).contains(&time.year()).then_some(Self(nanos))
    }

    /// Nanoseconds since the Unix epoch.
    pub const fn unix_nanos(self) -> i128 {
        self.0
    }

    /// Whole seconds since the Unix epoch.
    pub const fn unix_seconds(self) -> i64 {
        (self.0 / 1_000_000_000) as i64
    }

    /// Parses an RFC 3339 timestamp.
    pub fn parse_rfc3339(text: &str) -> Result<Self, crate::ModelError> {
        OffsetDateTime::parse(text, &Rfc3339)
            .map(|t| Self(t.unix_timestamp_nanos()))
            .map_err(|e| crate::ModelError::Field { field: "timestamp", input: text.to_owned(), reason: e.to_string() })
    }
}

/// The current instant.
pub fn now() -> Timestamp {
    Timestamp(OffsetDateTime::now_utc().unix_timestamp_nanos())
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match OffsetDateTime::from_unix_timestamp_nanos(self.0).ok().and_then(|t| t.format(&Rfc3339).ok()) {
            Some(text) => f.write_str(&text),
            None => write!(f, "@{}ns", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_times_rfc3339_can_write_are_checked_in() {
        let t = Timestamp::from_unix_nanos(1_700_000_000_123_456_789);
        assert_eq!(Timestamp::checked_from_unix_nanos(t.unix_nanos()), Some(t));
        for nanos in [i128::MAX, i128::MIN, -62_167_219_200_000_000_001, 253_402_300_800_000_000_000] {
            assert_eq!(Timestamp::checked_from_unix_nanos(nanos), None, "{nanos}");
        }
        let first = Timestamp::checked_from_unix_nanos(-62_167_219_200_000_000_000).map(|t| t.to_string());
        assert_eq!(first.as_deref(), Some("0000-01-01T00:00:00Z"));
    }

    #[test]
    fn round_trips_through_rfc3339() {
        let t = Timestamp::from_unix_nanos(1_700_000_000_123_456_789);
        let text = t.to_string();
        assert_eq!(text, "2023-11-14T22:13:20.123456789Z");
        assert_eq!(Timestamp::parse_rfc3339(&text), Ok(t));
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }
}
