//! Notification settings: Security Monkey's mail settings as `monkey.toml` keys and `MONKEY_*`
//! variables.
//!
//! | Security Monkey | `monkey.toml` | variable |
//! |---|---|---|
//! | `EMAILS_USE_SMTP` | `mail.use_smtp` | `MONKEY_MAIL_USE_SMTP` |
//! | `SES_REGION` | `mail.ses_region` | `MONKEY_MAIL_SES_REGION` |
//! | `MAIL_SERVER` | `mail.server` | `MONKEY_MAIL_SERVER` |
//! | `MAIL_PORT` | `mail.port` | `MONKEY_MAIL_PORT` |
//! | `MAIL_USE_SSL` (implicit TLS) | `mail.use_ssl` | `MONKEY_MAIL_USE_SSL` |
//! | `MAIL_USE_TLS` (STARTTLS) | `mail.use_tls` | `MONKEY_MAIL_USE_TLS` |
//! | `MAIL_USERNAME` | `mail.username` | `MONKEY_MAIL_USERNAME` |
//! | `MAIL_PASSWORD` | `mail.password_file` | `MONKEY_MAIL_PASSWORD` (or `MONKEY_MAIL_PASSWORD_FILE`) |
//! | `MAIL_DEFAULT_SENDER` | `mail.default_sender` | `MONKEY_MAIL_DEFAULT_SENDER` |
//! | `DISABLE_EMAILS` | `mail.disable` | `MONKEY_MAIL_DISABLE` |
//! | `SECURITY_TEAM_EMAIL` | `mail.security_team` | `MONKEY_MAIL_SECURITY_TEAM` |
//! | `BASE_URL` | `mail.base_url` | `MONKEY_MAIL_BASE_URL` |
//! | — | `mail.timeout_seconds` | `MONKEY_MAIL_TIMEOUT_SECONDS` |
//! | — | `mail.daily_report_at` (UTC `HH:MM`) | `MONKEY_MAIL_DAILY_REPORT_AT` |
//! | — | `mail.daily_report_justified` | `MONKEY_MAIL_DAILY_REPORT_JUSTIFIED` |
//! | — | `webhook.url` | `MONKEY_WEBHOOK_URL` |
//!
//! The password is never written in `monkey.toml` (a file that is often shared): it comes from
//! the environment or from a file of its own, and no `Debug` output shows it.

use std::fmt;
use std::time::Duration;

/// A setting that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {reason} (got {input:?})")]
pub struct SettingsError {
    /// The variable (`MONKEY_MAIL_PORT`).
    pub variable: &'static str,
    /// What was given.
    pub input: String,
    /// What was expected.
    pub reason: String,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// TLS from the first byte (`use_ssl`, usually port 465).
    Implicit,
    /// A plain connection upgraded with STARTTLS, refused if the server cannot (`use_tls`).
    StartTls,
    /// No encryption (a relay on loopback).
    None,
}

/// A secret that never shows in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An SMTP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Host name (also the name its certificate must carry).
    pub server: String,
    /// Port.
    pub port: u16,
    /// Encryption.
    pub tls: Tls,
    /// User name and password, when the server wants a login.
    pub credentials: Option<(String, Secret)>,
    /// Connect and command timeout.
    pub timeout: Duration,
}

/// How mail leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// An SMTP server.
    Smtp(SmtpSettings),
    /// Amazon SES in this region, with monkey's own AWS credentials.
    Ses {
        /// The region.
        region: String,
    },
}

/// The daily report's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyReportSettings {
    /// Hour (UTC).
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Whether justified issues are listed too.
    pub include_justified: bool,
}

/// Every notification setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    /// How mail leaves; `None` when mail is disabled.
    pub mail: Option<MailTransport>,
    /// The sender address of every mail.
    pub sender: String,
    /// Addresses that get every change mail and the full daily report.
    pub security_team: Vec<String>,
    /// Base URL of the web UI, for links to items.
    pub base_url: Option<String>,
    /// When the daily report goes out.
    pub daily_report: DailyReportSettings,
    /// A Slack-compatible incoming-webhook URL that gets every change notice.
    pub webhook: Option<String>,
}

impl NotifySettings {
    /// Settings from `MONKEY_MAIL_*` and `MONKEY_WEBHOOK_*` variables looked up by `var`, over
    /// the defaults (SMTP to localhost:25 without TLS, the report at 09:00 UTC).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let invalid = |variable: &'static str, input: &str, reason: &str| SettingsError {
            variable,
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let flag = |variable: &'static str, default: bool| -> Result<bool, SettingsError> {
            match get(variable) {
                None => Ok(default),
                Some(text) => match text.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" => Ok(true),
                    "false" | "no" | "0" => Ok(false),
                    _ => Err(invalid(variable, &text, "expected true or false")),
                },
            }
        };
        let use_smtp = flag("MONKEY_MAIL_USE_SMTP", true)?;
        let disabled = flag("MONKEY_MAIL_DISABLE", false)?;
        let tls = match (flag("MONKEY_MAIL_USE_SSL", false)?, flag("MONKEY_MAIL_USE_TLS", false)?) {
            (true, true) => {
                return Err(invalid("MONKEY_MAIL_USE_SSL", "true", "use_ssl and use_tls exclude each other"));
            }
            (true, false) => Tls::Implicit,
            (false, true) => Tls::StartTls,
            (false, false) => Tls::None,
        };
        let port = match get("MONKEY_MAIL_PORT") {
            None => match tls {
                Tls::Implicit => 465,
                Tls::StartTls => 587,
                Tls::None => 25,
            },
            Some(text) => text
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| invalid("MONKEY_MAIL_PORT", &text, "expected a port number between 1 and 65535"))?,
        };
        let timeout = match get("MONKEY_MAIL_TIMEOUT_SECONDS") {
            None => Duration::from_secs(30),
            Some(text) => {
                text.parse::<u64>().ok().filter(|s| *s > 0).map(Duration::from_secs).ok_or_else(|| {
                    invalid("MONKEY_MAIL_TIMEOUT_SECONDS", &text, "expected a whole number of seconds")
                })?
            }
        };
        let password = match (var("MONKEY_MAIL_PASSWORD"), get("MONKEY_MAIL_PASSWORD_FILE")) {
            (Some(password), _) if !password.is_empty() => Some(Secret(password)),
            (_, Some(path)) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| invalid("MONKEY_MAIL_PASSWORD_FILE", &path, &format!("cannot read it: {e}")))?;
                Some(Secret(text.trim_end_matches(['\r', '\n']).to_owned()))
            }
            _ => None,
        };
        let credentials = match (get("MONKEY_MAIL_USERNAME"), password) {
            (Some(user), Some(password)) => Some((user, password)),
            (Some(user), None) => {
                return Err(invalid(
                    "MONKEY_MAIL_PASSWORD",
                    "",
                    &format!(
                        "mail.username is {user} but no password is set (MONKEY_MAIL_PASSWORD or mail.password_file)"
                    ),
                ));
            }
            (None, Some(_)) => {
                return Err(invalid("MONKEY_MAIL_USERNAME", "", "a mail password is set without mail.username"));
            }
            (None, None) => None,
        };
        let mail = match (disabled, use_smtp) {
            (true, _) => None,
            (false, true) => Some(MailTransport::Smtp(SmtpSettings {
                server: get("MONKEY_MAIL_SERVER").unwrap_or_else(|| "localhost".to_owned()),
                port,
                tls,
                credentials,
                timeout,
            })),
            (false, false) => Some(MailTransport::Ses {
                region: get("MONKEY_MAIL_SES_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
            }),
        };
        let sender = get("MONKEY_MAIL_DEFAULT_SENDER").unwrap_or_else(|| "securitymonkey@example.com".to_owned());
        if !is_address(&sender) {
            return Err(invalid(
                "MONKEY_MAIL_DEFAULT_SENDER",
                &sender,
                "expected an address such as monkey@example.com",
            ));
        }
        let security_team: Vec<String> = get("MONKEY_MAIL_SECURITY_TEAM")
            .map(|t| t.split(',').map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()).collect())
            .unwrap_or_default();
        if let Some(bad) = security_team.iter().find(|a| !is_address(a)) {
            return Err(invalid("MONKEY_MAIL_SECURITY_TEAM", bad, "expected comma-separated addresses"));
        }
        let base_url = get("MONKEY_MAIL_BASE_URL");
        if let Some(url) = &base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid("MONKEY_MAIL_BASE_URL", url, "expected an http:// or https:// URL"));
        }
        let (hour, minute) = match get("MONKEY_MAIL_DAILY_REPORT_AT") {
            None => (9, 0),
            Some(text) => parse_time_of_day(&text)
                .ok_or_else(|| invalid("MONKEY_MAIL_DAILY_REPORT_AT", &text, "expected a UTC time such as 08:30"))?,
        };
        let webhook = get("MONKEY_WEBHOOK_URL");
        if let Some(url) = &webhook
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid("MONKEY_WEBHOOK_URL", url, "expected an http:// or https:// URL"));
        }
        Ok(Self {
            mail,
            sender,
            security_team,
            base_url,
            daily_report: DailyReportSettings {
                hour,
                minute,
                include_justified: flag("MONKEY_MAIL_DAILY_REPORT_JUSTIFIED", false)?,
            },
            webhook,
        })
    }
}

fn is_address(text: &str) -> bool {
    text.parse::<lettre::Address>().is_ok()
}

fn parse_time_of_day(text: &str) -> Option<(u8, u8)> {
    let (hour, minute) = text.split_once(':')?;
    let (hour, minute) = (hour.parse::<u8>().ok()?, minute.parse::<u8>().ok()?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<NotifySettings, SettingsError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        NotifySettings::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_are_smtp_to_localhost() {
        let s = settings(&[]).unwrap();
        let Some(MailTransport::Smtp(smtp)) = s.mail else { panic!("smtp expected") };
        assert_eq!((smtp.server.as_str(), smtp.port, smtp.tls, smtp.credentials), ("localhost", 25, Tls::None, None));
        assert_eq!((s.daily_report.hour, s.daily_report.minute), (9, 0));
    }

    #[test]
    fn security_monkey_settings_map() {
        let s = settings(&[
            ("MONKEY_MAIL_SERVER", "smtp.example.com"),
            ("MONKEY_MAIL_USE_TLS", "true"),
            ("MONKEY_MAIL_USERNAME", "monkey"),
            ("MONKEY_MAIL_PASSWORD", "hunter2"),
            ("MONKEY_MAIL_DEFAULT_SENDER", "monkey@example.com"),
            ("MONKEY_MAIL_SECURITY_TEAM", "Sec@Example.com, soc@example.com"),
            ("MONKEY_MAIL_DAILY_REPORT_AT", "07:45"),
            ("MONKEY_WEBHOOK_URL", "https://hooks.example.com/x"),
        ])
        .unwrap();
        let Some(MailTransport::Smtp(smtp)) = &s.mail else { panic!("smtp expected") };
        assert_eq!((smtp.port, smtp.tls), (587, Tls::StartTls));
        assert_eq!(s.security_team, ["sec@example.com", "soc@example.com"]);
        assert_eq!((s.daily_report.hour, s.daily_report.minute), (7, 45));
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2") && shown.contains("***"), "{shown}");
        let ses = settings(&[("MONKEY_MAIL_USE_SMTP", "false"), ("MONKEY_MAIL_SES_REGION", "eu-west-1")]).unwrap();
        assert_eq!(ses.mail, Some(MailTransport::Ses { region: "eu-west-1".into() }));
        assert_eq!(settings(&[("MONKEY_MAIL_DISABLE", "yes")]).unwrap().mail, None);
    }

    #[test]
    fn the_password_may_come_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("password");
        std::fs::write(&path, "s3cret\n").unwrap();
        let s = settings(&[("MONKEY_MAIL_USERNAME", "monkey"), ("MONKEY_MAIL_PASSWORD_FILE", path.to_str().unwrap())])
            .unwrap();
        let Some(MailTransport::Smtp(smtp)) = s.mail else { panic!("smtp expected") };
        assert_eq!(smtp.credentials.map(|(_, p)| p.expose().to_owned()).as_deref(), Some("s3cret"));
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (vars, variable) in [
            (vec![("MONKEY_MAIL_PORT", "99999")], "MONKEY_MAIL_PORT"),
            (vec![("MONKEY_MAIL_USE_SSL", "maybe")], "MONKEY_MAIL_USE_SSL"),
            (vec![("MONKEY_MAIL_USE_SSL", "true"), ("MONKEY_MAIL_USE_TLS", "true")], "MONKEY_MAIL_USE_SSL"),
            (vec![("MONKEY_MAIL_USERNAME", "u")], "MONKEY_MAIL_PASSWORD"),
            (vec![("MONKEY_MAIL_PASSWORD", "p")], "MONKEY_MAIL_USERNAME"),
            (vec![("MONKEY_MAIL_DEFAULT_SENDER", "nobody")], "MONKEY_MAIL_DEFAULT_SENDER"),
            (vec![("MONKEY_MAIL_SECURITY_TEAM", "a@b.c, nope")], "MONKEY_MAIL_SECURITY_TEAM"),
            (vec![("MONKEY_MAIL_DAILY_REPORT_AT", "25:00")], "MONKEY_MAIL_DAILY_REPORT_AT"),
            (
                vec![("MONKEY_MAIL_PASSWORD_FILE", "/nonexistent/pw"), ("MONKEY_MAIL_USERNAME", "u")],
                "MONKEY_MAIL_PASSWORD_FILE",
            ),
            (vec![("MONKEY_WEBHOOK_URL", "ftp://x")], "MONKEY_WEBHOOK_URL"),
        ] {
            let error = settings(&vars).unwrap_err();
            assert_eq!(error.variable, variable, "{vars:?}: {error}");
        }
        let error = settings(&[("MONKEY_MAIL_PASSWORD", "hunter2")]).unwrap_err();
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
}
