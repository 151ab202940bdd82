//! `iamaccount`: one item per account for its own IAM settings: the password policy, the
//! account summary, and what the credential report says about the root user.
//!
//! Calls per account: GetAccountPasswordPolicy, GetAccountSummary, GenerateCredentialReport
//! (repeated, with a growing pause, until the report is complete: at most about half a minute)
//! and GetCredentialReport: 4 or more. Name: `account`; ARN: the root user's, from the
//! credential report.
//!
//! Config: `PasswordPolicy` (GetAccountPasswordPolicy's fields, or null when the account has
//! none), `AccountSummary` {SummaryMap key: value} (the usage counts `Users`, `Roles`, ... are
//! ephemeral; the flags such as `AccountMFAEnabled` and `AccountAccessKeysPresent`, and the
//! quotas, are not), `CredentialReport` {`GeneratedTime` (ephemeral), `RootAccount`: the
//! `<root_account>` row under the report's own column names (`mfa_active`,
//! `access_key_1_active`, `password_last_used`, ...; `true`/`false` as booleans, `N/A` as
//! null; last-use columns ephemeral) or null when the report has no such row, `RootLastUsed`:
//! the latest of the root password's and access keys' last use, or null (ephemeral)}.
//!
//! moto's credential report lists users only, without the `<root_account>` row, so against
//! moto `RootAccount` is null; the row's parsing is tested on a recorded report below.

use super::{Collector, Detailed, Problems, date, failed, universal_item};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{PasswordPolicy, ReportStateType};
use monkey_core::model::AccountNumber;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// The `iamaccount` technology.
#[derive(Debug)]
pub struct AccountSettings;

/// The item's name: there is one per account, and the account is part of its identity.
const NAME: &str = "account";

/// The user name the credential report gives the root user.
const ROOT_USER: &str = "<root_account>";

/// The report's columns that say when the root user last signed in or used a key.
const ROOT_LAST_USE: [&str; 3] = ["password_last_used", "access_key_1_last_used_date", "access_key_2_last_used_date"];

#[async_trait]
impl Collector for AccountSettings {
    const TECHNOLOGY: &'static str = "iamaccount";
    const EPHEMERAL_PATHS: &'static [&'static str] = &[
        "AccountSummary.Users",
        "AccountSummary.Groups",
        "AccountSummary.Roles",
        "AccountSummary.Policies",
        "AccountSummary.PolicyVersionsInUse",
        "AccountSummary.InstanceProfiles",
        "AccountSummary.ServerCertificates",
        "AccountSummary.Providers",
        "AccountSummary.MFADevices",
        "AccountSummary.MFADevicesInUse",
        "CredentialReport.GeneratedTime",
        "CredentialReport.RootLastUsed",
        "CredentialReport.RootAccount.password_last_used",
        "CredentialReport.RootAccount.access_key_1_last_used_date",
        "CredentialReport.RootAccount.access_key_1_last_used_region",
        "CredentialReport.RootAccount.access_key_1_last_used_service",
        "CredentialReport.RootAccount.access_key_2_last_used_date",
        "CredentialReport.RootAccount.access_key_2_last_used_region",
        "CredentialReport.RootAccount.access_key_2_last_used_service",
    ];

    type Listed = ();

    async fn list(_client: &Client, _account: &AccountNumber) -> Result<Vec<()>, String> {
        Ok(vec![()])
    }

    fn name(_: &()) -> &str {
        NAME
    }

    async fn detail(client: Client, _: ()) -> Detailed {
        let mut problems = Problems::default();
        let password_policy = match client.get_account_password_policy().send().await {
            Ok(answer) => answer.password_policy.as_ref().map_or(Value::Null, password_policy),
            // How IAM says the account has no password policy.
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => Value::Null,
            Err(e) => {
                problems.push(failed("GetAccountPasswordPolicy", &e));
                Value::Null
            }
        };
        let summary = problems
            .take(client.get_account_summary().send().await.map_err(|e| failed("GetAccountSummary", &e)))
            .and_then(|answer| answer.summary_map)
            .map_or(Value::Null, |map| {
                Value::Object(map.into_iter().map(|(key, value)| (key.as_str().to_owned(), json!(value))).collect())
            });
        let report = problems.take(credential_report(&client).await);
        let root_arn = report.as_ref().and_then(|r| r["RootAccount"]["arn"].as_str()).map(str::to_owned);
        let config = json!({
            "PasswordPolicy": password_policy,
            "AccountSummary": summary,
            "CredentialReport": report,
        });
        Detailed { item: universal_item(NAME, root_arn.as_deref(), config), problems }
    }
}

/// The password policy's fields under AWS's names.
fn password_policy(policy: &PasswordPolicy) -> Value {
    json!({
        "MinimumPasswordLength": policy.minimum_password_length(),
        "RequireSymbols": policy.require_symbols(),
        "RequireNumbers": policy.require_numbers(),
        "RequireUppercaseCharacters": policy.require_uppercase_characters(),
        "RequireLowercaseCharacters": policy.require_lowercase_characters(),
        "AllowUsersToChangePassword": policy.allow_users_to_change_password(),
        "ExpirePasswords": policy.expire_passwords(),
        "MaxPasswordAge": policy.max_password_age(),
        "PasswordReusePrevention": policy.password_reuse_prevention(),
        "HardExpiry": policy.hard_expiry(),
    })
}

/// Asks for a fresh enough credential report (AWS reuses one up to four hours old) until it
/// is complete, then reads the root user's row from it.
async fn credential_report(client: &Client) -> Result<Value, String> {
    let mut pause = Duration::from_millis(250);
    let mut waited = Duration::ZERO;
    loop {
        let state =
            client.generate_credential_report().send().await.map_err(|e| failed("GenerateCredentialReport", &e))?.state;
        if state == Some(ReportStateType::Complete) {
            break;
        }
        if waited >= Duration::from_secs(25) {
            return Err(format!("the credential report was not ready after {} s", waited.as_secs()));
        }
        tokio::time::sleep(pause).await;
        waited += pause;
        pause = (pause * 2).min(Duration::from_secs(4));
    }
    let answer = client.get_credential_report().send().await.map_err(|e| failed("GetCredentialReport", &e))?;
    let content = answer.content.map(|blob| blob.into_inner()).unwrap_or_default();
    let text = String::from_utf8(content).map_err(|_| "the credential report is not UTF-8 text".to_owned())?;
    let root = root_row(&text)?;
    let last_used = root.as_ref().and_then(|row| {
        ROOT_LAST_USE.iter().filter_map(|column| row.get(*column).and_then(Value::as_str)).filter(|d| is_date(d)).max()
    });
    Ok(json!({
        "GeneratedTime": date(answer.generated_time.as_ref()),
        "RootAccount": root,
        "RootLastUsed": last_used,
    }))
}

/// Whether a report cell holds a date (`2024-01-31T12:00:00+00:00`) rather than `N/A`,
/// `no_information` or `not_supported`.
fn is_date(cell: &str) -> bool {
    cell.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// The `<root_account>` row of a credential report (CSV with a header line), as {column:
/// value}; `None` when the report has no such row.
fn root_row(report: &str) -> Result<Option<Map<String, Value>>, String> {
    let mut records = csv_records(report);
    let header = records.next().ok_or("the credential report is empty")?;
    if header.first().map(String::as_str) != Some("user") {
        return Err("the credential report does not start with its `user` column".to_owned());
    }
    let Some(row) = records.find(|record| record.first().map(String::as_str) == Some(ROOT_USER)) else {
        return Ok(None);
    };
    Ok(Some(header.into_iter().zip(row).map(|(column, cell)| (column, cell_value(cell))).collect()))
}

/// A report cell as JSON: booleans as booleans, `N/A` as null, anything else as text.
fn cell_value(cell: String) -> Value {
    match cell.as_str() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "N/A" => Value::Null,
        _ => Value::String(cell),
    }
}

/// The records of a CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and line
/// breaks; lines end in LF or CRLF). IAM user names may contain commas, so rows can be quoted.
fn csv_records(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        chars.peek()?;
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') if field.is_empty() => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {}
                (false, '\n') => break,
                (false, c) => field.push(c),
            }
        }
        record.push(field);
        Some(record)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A credential report as AWS returns it (decoded from GetCredentialReport's `Content`),
    /// shortened to the root user and two users, one of them with a quoted name.
    const RECORDED: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\r\n\
\"ops,admin\",arn:aws:iam::123456789012:user/ops,2021-03-04T10:00:00+00:00,true,2024-05-01T08:00:00+00:00,2021-03-04T10:05:00+00:00,N/A,true,true,2021-03-04T10:06:00+00:00,2024-05-02T09:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n\
<root_account>,arn:aws:iam::123456789012:root,2014-07-02T18:21:47+00:00,not_supported,2023-06-25T19:32:55+00:00,not_supported,not_supported,false,true,2015-01-09T11:00:00+00:00,2024-04-30T22:10:00+00:00,eu-west-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n\
bob,arn:aws:iam::123456789012:user/bob,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n";

    #[test]
    fn reads_the_root_row_of_a_recorded_report() {
        let root = root_row(RECORDED).expect("parses").expect("root row");
        assert_eq!(root["arn"], "arn:aws:iam::123456789012:root");
        assert_eq!(root["mfa_active"], false);
        assert_eq!(root["access_key_1_active"], true);
        assert_eq!(root["access_key_2_active"], false);
        assert_eq!(root["access_key_1_last_used_date"], "2024-04-30T22:10:00+00:00");
        assert_eq!(root["password_enabled"], "not_supported");
        assert_eq!(root["access_key_2_last_used_date"], Value::Null);
        assert_eq!(root.len(), 22, "every column");
        let last_used = ROOT_LAST_USE.iter().filter_map(|c| root[*c].as_str()).filter(|d| is_date(d)).max();
        assert_eq!(last_used, Some("2024-04-30T22:10:00+00:00"));
    }

    #[test]
    fn a_report_without_root_row_has_none_and_a_foreign_text_is_an_error() {
        let users_only: String = RECORDED.lines().filter(|l| !l.starts_with(ROOT_USER)).collect::<Vec<_>>().join("\n");
        assert_eq!(root_row(&users_only), Ok(None));
        assert!(root_row("").is_err());
        assert!(root_row("<html>throttled</html>").is_err());
    }

    #[test]
    fn csv_fields_may_be_quoted() {
        let records: Vec<Vec<String>> = csv_records("a,\"b,\"\"c\"\"\",\n\"x\ny\",z").collect();
        assert_eq!(records, vec![vec!["a", "b,\"c\"", ""], vec!["x\ny", "z"]]);
    }
}
