//! Account commands: add, list, show, enable, disable, delete.

use crate::Failure;
use crate::cli::{AccountsCommand, AddAccountAws, Format};
use crate::output;
use crate::output::say;
use monkey_core::model::{Account, AccountName, AccountNumber};
use monkey_core::store::{Store, StoreExt};

/// `monkey accounts ...`.
pub(crate) async fn run(store: &dyn Store, command: AccountsCommand) -> Result<(), Failure> {
    match command {
        AccountsCommand::List { format } => list(store, format).await,
        AccountsCommand::Show { account, format } => show(store, &account, format).await,
        AccountsCommand::Enable { accounts } => set_active(store, &accounts, true).await,
        AccountsCommand::Disable { accounts } => set_active(store, &accounts, false).await,
        AccountsCommand::Delete { account } => delete(store, &account).await,
    }
}

/// `monkey add-account-aws`: validates everything before touching the store.
pub(crate) async fn add_aws(store: &dyn Store, args: AddAccountAws) -> Result<(), Failure> {
    let number = AccountNumber::parse(&args.number)?;
    let name = AccountName::parse(&args.name)?;
    let existing = store.account_by_number(&number).await?;
    if existing.is_some() && !args.force {
        let existing = existing.as_ref().map(|a| a.name.to_string()).unwrap_or_default();
        return Err(Failure::Runtime(anyhow::anyhow!(
            "An account with number {number} already exists (named {existing}); nothing changed. Pass --force to overwrite it"
        )));
    }
    let mut account = existing.unwrap_or_else(|| Account::new(name.clone(), number.clone()));
    account.name = name;
    if let Some(s3_name) = args.s3_name {
        account.s3_name = Some(s3_name).filter(|s| !s.is_empty());
    }
    if let Some(canonical_id) = args.canonical_id {
        account.canonical_id = Some(canonical_id).filter(|s| !s.is_empty());
    }
    if let Some(role_name) = args.role_name {
        account.role_name = role_name;
    }
    if let Some(external_id) = args.external_id {
        account.external_id = Some(external_id).filter(|s| !s.is_empty());
    }
    if let Some(notes) = args.notes {
        account.notes = notes;
    }
    if let Some(active) = args.active {
        account.active = active;
    }
    if args.third_party {
        account.third_party = true;
    }
    account.validate()?;
    store.put_account(&account).await?;
    say!("Successfully added account {}", account.name);
    Ok(())
}

async fn list(store: &dyn Store, format: Format) -> Result<(), Failure> {
    let accounts = store.accounts().await?;
    match format {
        Format::Json => output::json(&accounts)?,
        Format::Table => {
            let rows: Vec<Vec<String>> = accounts
                .iter()
                .map(|a| {
                    vec![
                        a.name.to_string(),
                        a.number.to_string(),
                        yes_no(a.active),
                        yes_no(a.third_party),
                        a.role_name.clone(),
                        a.notes.clone(),
                    ]
                })
                .collect();
            output::table(&["NAME", "NUMBER", "ACTIVE", "THIRD PARTY", "ROLE", "NOTES"], &rows);
        }
    }
    Ok(())
}

async fn show(store: &dyn Store, which: &str, format: Format) -> Result<(), Failure> {
    let account = find(store, which).await?;
    match format {
        Format::Json => output::json(&account)?,
        Format::Table => {
            let optional = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            let rows = vec![
                vec!["name".into(), account.name.to_string()],
                vec!["number".into(), account.number.to_string()],
                vec!["type".into(), "aws".into()],
                vec!["active".into(), yes_no(account.active)],
                vec!["third party".into(), yes_no(account.third_party)],
                vec!["role".into(), account.role_arn()],
                // The external id is a shared secret with the account's owner: never printed.
                vec!["external id".into(), account.external_id.as_ref().map_or("-", |_| "(set)").into()],
                vec!["s3 name".into(), optional(&account.s3_name)],
                vec!["canonical id".into(), optional(&account.canonical_id)],
                vec!["notes".into(), account.notes.clone()],
            ];
            output::table(&["FIELD", "VALUE"], &rows);
        }
    }
    Ok(())
}

/// Sets `active` on the named accounts (or all), validating every name before changing any.
pub(crate) async fn set_active(store: &dyn Store, which: &[String], active: bool) -> Result<(), Failure> {
    let accounts = if which.iter().any(|w| w.eq_ignore_ascii_case("all")) {
        store.accounts().await?
    } else {
        let mut found = Vec::with_capacity(which.len());
        for name in which {
            found.push(find(store, name.trim()).await?);
        }
        found
    };
    for mut account in accounts {
        if account.active != active {
            account.active = active;
            store.put_account(&account).await?;
        }
        say!("{} {}", if active { "Enabled" } else { "Disabled" }, account.name);
    }
    Ok(())
}

/// Deletes one account and everything stored under it.
pub(crate) async fn delete(store: &dyn Store, which: &str) -> Result<(), Failure> {
    let account = find(store, which).await?;
    store.delete_account(&account.number).await?;
    say!("Deleted account {} ({})", account.name, account.number);
    Ok(())
}

async fn find(store: &dyn Store, which: &str) -> Result<Account, Failure> {
    store.find_account(which).await?.ok_or_else(|| {
        Failure::usage(format!("no account named or numbered {which:?}; `monkey accounts list` shows them"))
    })
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.into()
}
