//! Watcher configuration: how often a technology is watched and whether at all.

use super::{AccountNumber, Technology};
use crate::ModelError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// How often a watcher runs: 15 minutes to one week, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Interval(u32);

impl Interval {
    /// Every 15 minutes, the shortest interval.
    pub const MIN: Interval = Interval(15);
    /// Every hour, the default.
    pub const HOURLY: Interval = Interval(60);
    /// Every week, the longest interval.
    pub const MAX: Interval = Interval(7 * 24 * 60);

    /// An interval of `minutes`, which must lie between 15 and 10080.
    pub fn from_minutes(minutes: u32) -> Result<Self, ModelError> {
        if !(Self::MIN.0..=Self::MAX.0).contains(&minutes) {
            return Err(ModelError::Interval {
                input: minutes.to_string(),
                reason: "an interval lies between 15 minutes and 1 week",
            });
        }
        Ok(Self(minutes))
    }

    /// The interval in minutes.
    pub fn minutes(self) -> u32 {
        self.0
    }

    /// The interval as a duration.
    pub fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.0) * 60)
    }
}

impl Default for Interval {
    fn default() -> Self {
        Self::HOURLY
    }
}

impl FromStr for Interval {
    type Err = ModelError;

    /// Parses `15m`, `1h`, `12h`, `1d`, `1w`, or a bare number of minutes (`60`, as Security
    /// Monkey's `add_watcher_config -i` takes).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let error = |reason| ModelError::Interval { input: s.to_owned(), reason };
        let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: u32 = number.parse().map_err(|_| error("expected a number such as 15m, 1h, 1d or 1w"))?;
        let factor = match unit.trim() {
            "" | "m" | "min" | "minute" | "minutes" => 1,
            "h" | "hour" | "hours" => 60,
            "d" | "day" | "days" => 24 * 60,
            "w" | "week" | "weeks" => 7 * 24 * 60,
            _ => return Err(error("the unit must be m, h, d or w")),
        };
        let minutes = number.checked_mul(factor).ok_or_else(|| error("it is too long"))?;
        Self::from_minutes(minutes).map_err(|_| error("an interval lies between 15 minutes and 1 week"))
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0;
        if m.is_multiple_of(7 * 24 * 60) {
            write!(f, "{}w", m / (7 * 24 * 60))
        } else if m.is_multiple_of(24 * 60) {
            write!(f, "{}d", m / (24 * 60))
        } else if m.is_multiple_of(60) {
            write!(f, "{}h", m / 60)
        } else {
            write!(f, "{m}m")
        }
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::from_minutes(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A technology's schedule, changeable at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatcherConfig {
    /// The technology.
    pub technology: Technology,
    /// How often it runs.
    pub interval: Interval,
    /// Whether it runs at all.
    pub enabled: bool,
    /// Intervals of particular accounts, overriding `interval` for them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub account_intervals: BTreeMap<AccountNumber, Interval>,
}

impl WatcherConfig {
    /// An enabled technology at `interval` for every account.
    pub fn new(technology: Technology, interval: Interval) -> Self {
        Self { technology, interval, enabled: true, account_intervals: BTreeMap::new() }
    }

    /// The interval of `account`: its own, or the technology's.
    pub fn interval_for(&self, account: &AccountNumber) -> Interval {
        self.account_intervals.get(account).copied().unwrap_or(self.interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_and_display() {
        for (text, minutes, shown) in [
            ("15m", 15, "15m"),
            ("1h", 60, "1h"),
            ("12h", 720, "12h"),
            ("1d", 1440, "1d"),
            ("1w", 10080, "1w"),
            ("60", 60, "1h"),
            ("90m", 90, "90m"),
        ] {
            let interval: Interval = text.parse().unwrap();
            assert_eq!(interval.minutes(), minutes);
            assert_eq!(interval.to_string(), shown);
        }
        for bad in ["", "5m", "2w", "1y", "h", "-1h", "99999999999d"] {
            assert!(bad.parse::<Interval>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Interval>("5").is_err());
    }
}
