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

    /// Manage the users of the web UI and API: create, list, set a role or password, (de)activate,
    /// delete, make API tokens.
    #[command(subcommand)]
    User(UserCommand),

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

    /// Re-audit stored items, e.g. after a score override (Security Monkey's `audit_changes`).
    #[command(name = "audit-changes", alias = "audit_changes")]
    AuditChanges {
        /// Comma-separated account names or numbers, or `all`.
        #[arg(short = 'a', long = "accounts", value_delimiter = ',', default_value = "all")]
        accounts: Vec<String>,
        /// Comma-separated technologies, or `all`.
        #[arg(short = 'm', long = "monitors", alias = "technologies", value_delimiter = ',', default_value = "all")]
        technologies: Vec<String>,
        /// Print the report of open issues of the audited items after the audit.
        #[arg(short = 'r', long = "send_report", num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, default_value = "false")]
        send_report: bool,
        /// Accepted for compatibility; stored items are always audited in one pass.
        #[arg(short = 's', long = "skip_batch", num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, default_value = "true")]
        skip_batch: bool,
    },

    /// Watch now: collect, detect changes, audit (Security Monkey's `find_changes`); through
    /// the running monkey when one holds the store.
    #[command(name = "find-changes", alias = "find_changes")]
    FindChanges {
        /// Comma-separated account names or numbers, or `all` (active, not third party).
        #[arg(short = 'a', long = "accounts", value_delimiter = ',', default_value = "all")]
        accounts: Vec<String>,
        /// Comma-separated technologies, or `all`.
        #[arg(short = 'm', long = "monitors", alias = "technologies", value_delimiter = ',', default_value = "all")]
        technologies: Vec<String>,
    },

    /// The daemon: every watched account and technology on schedule, until SIGINT or SIGTERM.
    Run(DaemonArgs),

    /// The daemon with the API (and, once built, the web UI) on `--listen`.
    Serve(DaemonArgs),

    /// The outbox: change mails, daily reports and webhook notices, newest first, with their
    /// delivery state, attempts and last error.
    Outbox {
        /// Entries to show at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// The latest run of every account and technology, and the recent failures.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// The whole pipeline on embedded defaults with no AWS account: a simulated account whose
    /// recorded configuration changes over a short story, audited as it goes.
    Demo {
        /// Where the demo keeps its store (emptied first if a previous demo made it).
        #[arg(long, default_value = "./monkey-demo")]
        dir: PathBuf,
        /// Seconds between the story's steps.
        #[arg(long, default_value_t = 15)]
        pause: u64,
    },

    /// Watcher schedules: how often each technology is watched, and whether at all.
    #[command(subcommand)]
    WatcherConfig(WatcherConfigCommand),

    /// Set a watcher's schedule (Security Monkey's `add_watcher_config -t TECH -i MINUTES [-d]`).
    #[command(name = "add_watcher_config", hide = true)]
    AddWatcherConfig {
        /// The technology.
        #[arg(short = 't', long = "tech_name", alias = "tech-name")]
        technology: String,
        /// Minutes between runs.
        #[arg(short = 'i', long, default_value = "60", value_parser = ["15", "60", "720", "1440", "10080"])]
        interval: String,
        /// Stop watching the technology.
        #[arg(short = 'd', long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, default_value = "false")]
        disabled: bool,
    },

    /// Item names a watcher skips: add, list or remove name prefixes.
    #[command(subcommand)]
    Ignore(IgnoreCommand),

    /// Networks that count as ours (audits treat access from them as friendly).
    #[command(subcommand)]
    Whitelist(WhitelistCommand),

    /// Sync the whitelist from a JSON file (Security Monkey's `sync_networks -i FILE [-a]`).
    #[command(name = "sync_networks", hide = true)]
    SyncNetworks {
        /// A JSON object of name to CIDR.
        #[arg(short = 'i', long = "input-filename", alias = "input_filename", default_value = "networks.json")]
        input: PathBuf,
        /// Delete entries that are not in the file.
        #[arg(short = 'a', long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, default_value = "false")]
        authoritative: bool,
        /// Not supported: download the file and pass it with -i.
        #[arg(short = 'b', long = "bucket-name", alias = "bucket_name")]
        bucket: Option<String>,
    },

    /// Score overrides: change a check's score for a technology, per account, or disable it.
    #[command(subcommand)]
    OverrideScore(OverrideScoreCommand),

    /// Add a score override (Security Monkey's `add_override_score -t TECH -m CHECK -s SCORE`).
    #[command(name = "add_override_score", hide = true)]
    AddOverrideScore {
        /// The technology.
        #[arg(short = 't', long = "tech_name", alias = "tech-name")]
        technology: String,
        /// The check's id (`monkey checks` lists them).
        #[arg(short = 'm', long = "method", alias = "check")]
        check: String,
        /// Security Monkey's auditor class: accepted and ignored, a check id is unique.
        #[arg(short = 'a', long)]
        auditor: Option<String>,
        /// The score for accounts no pattern matches.
        #[arg(short = 's', long)]
        score: Option<u32>,
        /// Do not run the check; its open issues become fixed at the next audit.
        #[arg(short = 'b', long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, default_value = "false")]
        disabled: bool,
        /// Comma-separated `type.field.value=score` (e.g. `aws.name.prod=10`); added to the
        /// override's patterns, replacing one with the same field and value.
        #[arg(short = 'p', long = "pattern_scores", alias = "pattern-scores", value_delimiter = ',')]
        patterns: Vec<String>,
    },

    /// Replace every score override with a CSV file's (Security Monkey's `add_override_scores -f CSV`).
    #[command(name = "add_override_scores", hide = true)]
    AddOverrideScores {
        /// The CSV file, with a header row.
        #[arg(short = 'f', long = "file_name", alias = "file-name")]
        file: PathBuf,
        /// Columns of the file: `tech=COL,check=COL,score=COL,disabled=COL` (`method` is
        /// `check`), plus `type.field.value=COL` for a column of per-account scores.
        #[arg(short = 'm', long = "mappings")]
        mappings: Option<String>,
    },

    /// Export every item with its scores and open issues, as JSON or CSV.
    Export(ExportArgs),

    /// Configuration: check monkey.toml and MONKEY_* and show the effective settings.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WatcherConfigCommand {
    /// List every watched technology with its interval (stored, or the watcher's default).
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Set a technology's interval or whether it runs, or one account's interval.
    Set {
        /// The technology (`monkey watcher-config list` shows them).
        technology: String,
        /// 15m, 1h, 12h, 1d, 1w (or minutes); with --account, `default` removes the
        /// account's own interval.
        #[arg(long)]
        interval: Option<String>,
        /// Whether the technology is watched at all.
        #[arg(long, action = ArgAction::Set, value_parser = parse_bool)]
        enabled: Option<bool>,
        /// Set this account's interval only (name or number).
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum IgnoreCommand {
    /// Skip items of a technology whose name starts with PREFIX (case-insensitive).
    Add {
        /// The technology.
        technology: String,
        /// The name prefix.
        prefix: String,
        /// Why they are skipped.
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// List the ignore entries.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Watch items with this prefix again.
    Remove {
        /// The technology.
        technology: String,
        /// The name prefix, as listed.
        prefix: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum WhitelistCommand {
    /// Add a named network, or change the one with this name.
    Add {
        /// A unique name, 1 to 50 characters.
        name: String,
        /// `10.0.0.0/8`, `2001:db8::/32`, or an address for a single host.
        cidr: String,
        /// Free text [default: the entry's current notes].
        #[arg(long)]
        notes: Option<String>,
    },
    /// List the whitelist.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Remove a named network.
    Remove {
        /// The entry's name.
        name: String,
    },
    /// Add or change the entries of a JSON file (`{"name": "CIDR", ...}`); every entry is
    /// checked before any is written.
    Sync {
        /// The JSON file.
        file: PathBuf,
        /// Delete entries that are not in the file.
        #[arg(long)]
        authoritative: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum OverrideScoreCommand {
    /// Set (or replace) the override of one check for one technology.
    Add {
        /// The technology.
        technology: String,
        /// The check's id (`monkey checks` lists them).
        check: String,
        /// The score for accounts no pattern matches [default: the check's].
        #[arg(long)]
        score: Option<u32>,
        /// Do not run the check; its open issues become fixed at the next audit.
        #[arg(long)]
        disabled: bool,
        /// `field.value=score` (e.g. `name.prod=10`, `third_party.true=0`; a value ending in
        /// `*` matches a prefix); repeatable, the first matching pattern wins.
        #[arg(long = "pattern")]
        patterns: Vec<String>,
    },
    /// List the overrides.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Remove the override of one check, restoring its default score.
    Remove {
        /// The technology.
        technology: String,
        /// The check's id.
        check: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub(crate) format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    pub(crate) output: Option<PathBuf>,
    /// Comma-separated account names or numbers, or `all`.
    #[arg(short = 'a', long = "accounts", value_delimiter = ',', default_value = "all")]
    pub(crate) accounts: Vec<String>,
    /// Comma-separated technologies, or `all`.
    #[arg(short = 'm', long = "technologies", alias = "monitors", value_delimiter = ',', default_value = "all")]
    pub(crate) technologies: Vec<String>,
    /// Include deleted items (they have no open issues).
    #[arg(long)]
    pub(crate) include_deleted: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Check the configuration and print every effective setting with its source.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Items with their issues nested.
    Json,
    /// One row per open issue.
    Csv,
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

    /// Whether monkey watches the account [default: true]; `--active` alone means true.
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool)]
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

/// `monkey user ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Create a user; the password is asked for (or read from standard input).
    Create {
        /// The user's e-mail address.
        #[arg(long)]
        email: String,
        /// View, Comment, Justify or Admin.
        #[arg(long, default_value = "View")]
        role: String,
        /// Read the password from standard input (one line) instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
        /// No password: the user logs in through a trusted proxy only.
        #[arg(long, conflicts_with = "password_stdin")]
        no_password: bool,
    },
    /// List users.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Set a user's role.
    SetRole {
        /// The user's e-mail address.
        email: String,
        /// View, Comment, Justify or Admin.
        role: String,
    },
    /// Set a user's password (asked for, or read from standard input).
    Password {
        /// The user's e-mail address.
        email: String,
        /// Read the password from standard input (one line) instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Let a user log in again.
    Activate {
        /// The user's e-mail address.
        email: String,
    },
    /// Stop a user from logging in (their comments and justifications stay).
    Deactivate {
        /// The user's e-mail address.
        email: String,
    },
    /// Delete a user.
    Delete {
        /// The user's e-mail address.
        email: String,
    },
    /// Make an API token for a user's scripts; it is shown once.
    Token {
        /// The user's e-mail address.
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
}

/// Options of `monkey run` and `monkey serve`.
#[derive(Debug, Args)]
pub(crate) struct DaemonArgs {
    /// Address of the API [default: 127.0.0.1:8080 for serve, a free loopback port for run].
    #[arg(long, env = "MONKEY_LISTEN")]
    pub(crate) listen: Option<std::net::SocketAddr>,
    /// Units of work running at once.
    #[arg(long, default_value_t = 8)]
    pub(crate) concurrency: usize,
    /// Units of work running at once in one account.
    #[arg(long, default_value_t = 2)]
    pub(crate) per_account: usize,
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
