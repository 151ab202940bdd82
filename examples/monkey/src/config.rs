//! `monkey.toml` and `MONKEY_*` variables: the file gives values, the environment overrides them.
//!
//! Every key of the file has a variable of the same meaning: `[aws] endpoint_url` is
//! `MONKEY_AWS_ENDPOINT_URL`. Unknown sections or keys are refused, so a typo is an error and
//! not a silently ignored setting.

use crate::Failure;
use monkey_notify::NotifySettings;
use monkey_watchers::aws::AwsSettings;
use monkey_web::auth::AuthSettings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The keys the file may hold, by section.
pub(crate) const KNOWN: &[(&str, &[&str])] = &[
    ("aws", &["endpoint_url", "default_region", "regions", "assume_role", "max_attempts", "concurrency"]),
    (
        "mail",
        &[
            "use_smtp",
            "ses_region",
            "server",
            "port",
            "use_ssl",
            "use_tls",
            "username",
            "password_file",
            "default_sender",
            "disable",
            "security_team",
            "base_url",
            "timeout_seconds",
            "daily_report_at",
            "daily_report_justified",
        ],
    ),
    ("webhook", &["url"]),
    ("web", &["secure_cookies", "proxy_header", "trusted_proxies", "proxy_default_role"]),
];

/// Configuration values by variable name (`MONKEY_AWS_ENDPOINT_URL`).
#[derive(Debug, Default)]
pub(crate) struct Config {
    values: BTreeMap<String, String>,
}

impl Config {
    /// Reads `path`, or `./monkey.toml` if it exists when no path is given.
    pub(crate) fn load(path: Option<&Path>) -> Result<Self, Failure> {
        let (path, required) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => (PathBuf::from("monkey.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Self::default()),
            Err(e) => return Err(Failure::usage(format!("cannot read the configuration {}: {e}", path.display()))),
        };
        Self::parse(&text)
            .map_err(|reason| Failure::usage(format!("invalid configuration {}: {reason}", path.display())))
    }

    /// Parses the file's text.
    fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let mut values = BTreeMap::new();
        for (section, body) in &table {
            let keys = KNOWN
                .iter()
                .find(|(name, _)| name == section)
                .map(|(_, keys)| *keys)
                .ok_or_else(|| format!("unknown section [{section}]; known: {}", known_sections()))?;
            let body = body.as_table().ok_or_else(|| format!("{section} must be a [section]"))?;
            for (key, value) in body {
                if section == "mail" && key == "password" {
                    return Err("mail.password is not read from the file (a file is easily shared): set \
                                MONKEY_MAIL_PASSWORD or name a file holding it with mail.password_file"
                        .into());
                }
                if !keys.contains(&key.as_str()) {
                    return Err(format!("unknown key {section}.{key}; known in [{section}]: {}", keys.join(", ")));
                }
                let text = match value {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|i| {
                            i.as_str().map(str::to_owned).ok_or_else(|| format!("{section}.{key} must list strings"))
                        })
                        .collect::<Result<Vec<_>, _>>()?
                        .join(","),
                    other => return Err(format!("{section}.{key} cannot be a {}", other.type_str())),
                };
                values.insert(format!("MONKEY_{}_{}", section.to_uppercase(), key.to_uppercase()), text);
            }
        }
        Ok(Self { values })
    }

    /// The value of a setting: its environment variable, else the file's.
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().or_else(|| self.values.get(name).cloned())
    }

    /// How to reach AWS.
    pub(crate) fn aws(&self) -> Result<AwsSettings, Failure> {
        Ok(AwsSettings::from_vars(|name| self.var(name))?)
    }

    /// How the web UI and API authenticate callers (`[web]`).
    pub(crate) fn auth(&self) -> Result<AuthSettings, Failure> {
        AuthSettings::from_vars(|name| self.var(name)).map_err(|e| Failure::usage(e.to_string()))
    }

    /// Mail, daily report and webhook settings.
    pub(crate) fn notify(&self) -> Result<NotifySettings, Failure> {
        NotifySettings::from_vars(|name| self.var(name)).map_err(|e| Failure::usage(e.to_string()))
    }
}

fn known_sections() -> String {
    KNOWN.iter().map(|(name, _)| format!("[{name}]")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_keys_become_variables() {
        let config = Config::parse(
            "[aws]\nendpoint_url = \"http://127.0.0.1:5000\"\nregions = [\"us-east-1\", \"eu-west-1\"]\nassume_role = false\nmax_attempts = 2\n",
        )
        .unwrap();
        assert_eq!(config.values["MONKEY_AWS_ENDPOINT_URL"], "http://127.0.0.1:5000");
        assert_eq!(config.values["MONKEY_AWS_REGIONS"], "us-east-1,eu-west-1");
        let settings = AwsSettings::from_vars(|n| config.values.get(n).cloned()).unwrap();
        assert!(!settings.assume_role);
        assert_eq!(settings.max_attempts, 2);
    }

    #[test]
    fn mail_keys_are_security_monkeys_settings() {
        let config = Config::parse(
            "[mail]\nserver = \"smtp.example.com\"\nuse_tls = true\nsecurity_team = [\"sec@example.com\"]\n\
             daily_report_at = \"07:15\"\n[webhook]\nurl = \"https://hooks.example.com/x\"\n",
        )
        .unwrap();
        let settings = NotifySettings::from_vars(|n| config.values.get(n).cloned()).unwrap();
        assert_eq!(settings.security_team, ["sec@example.com"]);
        assert_eq!((settings.daily_report.hour, settings.daily_report.minute), (7, 15));
        assert_eq!(settings.webhook.as_deref(), Some("https://hooks.example.com/x"));
        assert!(matches!(settings.mail, Some(monkey_notify::MailTransport::Smtp(ref smtp)) if smtp.port == 587));
    }

    #[test]
    fn unknown_or_malformed_settings_are_refused() {
        for (text, message) in [
            ("[aws]\nendpoint = \"x\"", "unknown key aws.endpoint"),
            ("[database]\nurl = \"x\"", "unknown section [database]"),
            ("aws = 3", "must be a [section]"),
            ("[aws]\nregions = [1]", "must list strings"),
            ("[aws\n", "expected"),
            ("[mail]\npassword = \"hunter2\"", "MONKEY_MAIL_PASSWORD"),
            ("[mail]\nsmtp_server = \"x\"", "unknown key mail.smtp_server"),
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(err.contains(message), "{text}: {err}");
        }
    }
}
