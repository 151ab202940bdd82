//! The command-line grammar (clap), with Security Monkey's spellings as aliases.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// monkey watches cloud accounts, keeps every revision of every resource's configuration,
/// and audits each one for insecure settings.
#[derive(Debug, Parser)]
#[command(name = "monkey", version, propagate_version = true)]
pub(crate) struct Cli {
    /// Directory holding the embedded store and runtime files.
    #[arg(long, global = true, env = "MONKEY_DATA_DIR", default_value = "./monkey-data")]
    pub(crate) data_dir: PathBuf,

    /// Configuration file [default: ./monkey.toml when present]; MONKEY_* variables override it.
    #[arg(long, global = true, env = "MONKEY_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// Store to use: `redb:PATH` (the default, `<data-dir>/monkey.redb`) or `sled:PATH`.
    #[arg(long, global = true, env = "MONKEY_STORE")]
    pub(crate) store: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add an AWS account (or overwrite one with --force).
    #[command(alias = "add_account_aws")]
    AddAccountAws(AddAccountAws),

    /// List, show, enable, disable or delete accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),

    /// Enable accounts (Security Monkey's `enable_accounts -a NAMES`).
    #[command(name = "enable_accounts", hide = true)]
    EnableAccounts(AccountSelection),

    /// Disable accounts (Security Monkey's `disable_accounts -a NAMES`).
    #[command(name = "disable_accounts", hide = true)]
    DisableAccounts(AccountSelection),

    /// Delete an account (Security Monkey's `delete_account -n NAME`).
    #[command(name = "delete_account", hide = true)]
    DeleteAccount {
        /// The account's name or number.
        #[arg(short = 'n', long = "name")]
        name: String,
    },

    /// Record an account's live configuration for replay (offline audits, demos, tests).
    Record {
        /// The account's name or number.
        #[arg(short = 'a', long)]
        account: String,
        /// The recording directory (`<out>/<account number>/<technology>.json`).
        #[arg(short = 'o', long)]
        out: PathBuf,
        /// Comma-separated technologies, or `all`.
        #[arg(short = 'm', long = "technologies", alias = "monitors", value_delimiter = ',', default_value = "all")]
        technologies: Vec<String>,
    },

    /// Audit a recording offline (`monkey record` writes one) with every linked-in check.
    Audit {
        /// The recording directory (`<dir>/<account number>/<technology>.json`).
        #[arg(short = 'i', long)]
        input: PathBuf,
        /// Report format.
        #[arg(short = 'f', long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write the report to this file instead of standard output.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Leave out issues scoring below this.
        #[arg(long, default_value_t = 0)]
        min_score: u32,
    },

    /// List every registered check (built-in and linked-in plugins).
    Checks {
        /// Output format; `markdown` is the reference page with every check's docs.
        #[arg(long, value_enum, default_value_t = ChecksFormat::Table)]
        format: ChecksFormat,
    },
}

/// `-a NAME,NAME` as Security Monkey's bulk commands take it.
#[derive(Debug, Args)]
pub(crate) struct AccountSelection {
    /// Comma-separated account names or numbers, or `all`.
    #[arg(short = 'a', long = "accounts", value_delimiter = ',', required = true)]
    pub(crate) accounts: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AddAccountAws {
    /// The 12-digit AWS account number (hyphens allowed).
    #[arg(long, alias = "id")]
    pub(crate) number: String,

    /// A unique name, 1 to 50 characters.
    #[arg(short = 'n', long)]
    pub(crate) name: String,

    /// The name S3 ACL grants show for this account.
    #[arg(long, alias = "s3_name")]
    pub(crate) s3_name: Option<String>,

    /// The account's S3 canonical user id.
    #[arg(long, alias = "canonical_id")]
    pub(crate) canonical_id: Option<String>,

    /// The IAM role monkey assumes in the account [default: SecurityMonkey].
    #[arg(long, alias = "role_name")]
    pub(crate) role_name: Option<String>,

    /// The external id passed to sts:AssumeRole.
    #[arg(long, alias = "external_id")]
    pub(crate) external_id: Option<String>,

    /// Free text, at most 256 characters.
    #[arg(long)]
    pub(crate) notes: Option<String>,

    /// Whether monkey watches the account [default: true].
    #[arg(long, action = ArgAction::Set, value_parser = parse_bool)]
    pub(crate) active: Option<bool>,

    /// The account is known but not ours (a vendor, a partner).
    #[arg(long, alias = "thirdparty")]
    pub(crate) third_party: bool,

    /// Overwrite an existing account with this number; options not given keep their values.
    #[arg(long, alias = "update-existing")]
    pub(crate) force: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AccountsCommand {
    /// List accounts.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Show one account.
    Show {
        /// Name or number.
        account: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Start watching accounts.
    Enable {
        /// Names or numbers, or `all`.
        #[arg(required = true, value_delimiter = ',')]
        accounts: Vec<String>,
    },
    /// Stop watching accounts (their history is kept).
    Disable {
        /// Names or numbers, or `all`.
        #[arg(required = true, value_delimiter = ',')]
        accounts: Vec<String>,
    },
    /// Delete an account with all its items, revisions, issues and comments.
    Delete {
        /// Name or number.
        account: String,
    },
}

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// JSON for programs.
    Json,
}

/// How the list of checks is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ChecksFormat {
    /// Aligned columns for people.
    Table,
    /// JSON for programs.
    Json,
    /// The Markdown reference page.
    Markdown,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Aligned text for people.
    Text,
    /// JSON for programs.
    Json,
    /// One row per open issue.
    Csv,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
}

fn parse_bool(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn security_monkey_spellings_parse() {
        let cli = Cli::try_parse_from([
            "monkey",
            "add_account_aws",
            "--id",
            "123456789012",
            "--name",
            "foo",
            "--update-existing",
            "--thirdparty",
            "--active",
            "false",
            "--s3_name",
            "foo",
            "--canonical_id",
            "abc",
        ])
        .unwrap();
        let Command::AddAccountAws(args) = cli.command else { panic!("wrong command") };
        assert!(args.force && args.third_party);
        assert_eq!(args.active, Some(false));
        assert!(
            Cli::try_parse_from(["monkey", "add-account-aws", "--number", "1", "--name", "x", "--active", "maybe"])
                .is_err()
        );
    }
}
