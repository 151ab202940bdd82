//! An IAM user's credentials as the `iamuser` watcher records them, read once per audit and
//! shared by the credential checks.

use monkey_core::model::Timestamp;
use serde_json::Value;

/// Ninety days, the age beyond which keys and passwords count as old or unused (CIS, Security
/// Monkey, Security Hub IAM.3 and IAM.8).
pub(super) const NINETY_DAYS: i64 = 90 * 86_400;

/// A recorded date: when, and the text it was read from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Date<'a> {
    pub(super) at: Timestamp,
    pub(super) text: &'a str,
}

impl<'a> Date<'a> {
    /// The date a value holds (RFC 3339 text), if any.
    pub(super) fn read(value: Option<&'a Value>) -> Option<Self> {
        let text = value?.as_str()?;
        Timestamp::parse_rfc3339(text).ok().map(|at| Date { at, text })
    }

    /// The day, `YYYY-MM-DD`, for notes that must not change with the clock's precision.
    pub(super) fn day(&self) -> &'a str {
        self.text.get(..10).unwrap_or(self.text)
    }

    /// Whether it is more than `seconds` before `now` (a date exactly that old is not).
    pub(super) fn older_than(&self, now: Timestamp, seconds: i64) -> bool {
        now.unix_seconds().saturating_sub(self.at.unix_seconds()) > seconds
    }
}

/// One access key.
#[derive(Debug, Clone, Copy)]
pub(super) struct AccessKey<'a> {
    pub(super) id: &'a str,
    /// `Status` is `Active` (anything else recorded counts as inactive).
    pub(super) active: bool,
    pub(super) created: Option<Date<'a>>,
    /// Its last use; `None` when never used (or when the date is missing).
    pub(super) last_used: Option<Date<'a>>,
}

/// What the credential checks read of a user.
#[derive(Debug, Default)]
pub(super) struct User<'a> {
    /// The keys that have an id and a status.
    pub(super) keys: Vec<AccessKey<'a>>,
    /// `LoginProfile` is recorded (the user can sign in to the console).
    pub(super) has_password: bool,
    /// When the console password was set (`LoginProfile.CreateDate`).
    pub(super) password_created: Option<Date<'a>>,
    /// `PasswordLastUsed`.
    pub(super) password_last_used: Option<Date<'a>>,
    /// The MFA devices' count; `None` when `MFADevices` is not recorded.
    pub(super) mfa_devices: Option<usize>,
    /// When the user was created.
    pub(super) created: Option<Date<'a>>,
}

impl<'a> User<'a> {
    /// Reads a user configuration; anything missing or of the wrong type is left out.
    pub(super) fn read(config: &'a Value) -> Self {
        let keys = config
            .get("AccessKeys")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(access_key).collect())
            .unwrap_or_default();
        let login = config.get("LoginProfile").filter(|profile| profile.is_object());
        let mfa_devices = match config.get("MFADevices") {
            Some(Value::Array(devices)) => Some(devices.len()),
            Some(Value::Null) => Some(0),
            _ => None,
        };
        User {
            keys,
            has_password: login.is_some(),
            password_created: Date::read(login.and_then(|profile| profile.get("CreateDate"))),
            password_last_used: Date::read(config.get("PasswordLastUsed")),
            mfa_devices,
            created: Date::read(config.get("CreateDate")),
        }
    }

    /// The active keys.
    pub(super) fn active_keys(&self) -> impl Iterator<Item = &AccessKey<'a>> {
        self.keys.iter().filter(|key| key.active)
    }
}

fn access_key(key: &Value) -> Option<AccessKey<'_>> {
    let id = key.get("AccessKeyId")?.as_str()?;
    let active = key.get("Status")?.as_str()? == "Active";
    // The watcher nests the last use (GetAccessKeyLastUsed); older shapes kept it on the key.
    let last_used = key.get("AccessKeyLastUsed").and_then(|used| used.get("LastUsedDate")).or(key.get("LastUsedDate"));
    Some(AccessKey { id, active, created: Date::read(key.get("CreateDate")), last_used: Date::read(last_used) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_watcher_shape_and_survives_any_other() {
        let config = json!({
            "AccessKeys": [
                {"AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": "2025-01-01T00:00:00.5Z",
                 "AccessKeyLastUsed": {"LastUsedDate": "2025-02-01T00:00:00Z"}},
                {"AccessKeyId": "AKIA2", "Status": "Inactive", "CreateDate": 7},
                {"Status": "Active"},
                "junk"
            ],
            "LoginProfile": {"CreateDate": "2024-01-01T00:00:00Z"},
            "MFADevices": null,
            "CreateDate": "not a date"
        });
        let user = User::read(&config);
        assert_eq!(user.keys.len(), 2);
        assert!(user.keys[0].active && !user.keys[1].active);
        assert_eq!(user.keys[0].created.map(|d| d.day()), Some("2025-01-01"));
        assert_eq!(user.keys[0].last_used.map(|d| d.day()), Some("2025-02-01"));
        assert!(user.keys[1].created.is_none());
        assert!(user.has_password);
        assert_eq!(user.mfa_devices, Some(0));
        assert!(user.created.is_none());

        for junk in [json!(null), json!([]), json!({"AccessKeys": {}, "LoginProfile": null, "MFADevices": "x"})] {
            let user = User::read(&junk);
            assert!(user.keys.is_empty() && !user.has_password && user.mfa_devices.is_none());
        }
    }
}
