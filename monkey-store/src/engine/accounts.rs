//! Accounts: records by number, the unique-name index, and deletion with everything the account owns.

use super::keys::{Key, table};
use super::{items, records};
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{Account, AccountName, AccountNumber};
use monkey_core::store::{StoreError, StoreResult};

fn key(number: &AccountNumber) -> Key {
    Key::new(table::ACCOUNT).str(number.as_str())
}

fn name_key(name: &AccountName) -> Key {
    Key::new(table::ACCOUNT_BY_NAME).str(name.as_str())
}

/// The number holding `name`, per the name index.
fn number_of(r: &dyn KvRead, name: &AccountName) -> StoreResult<Option<AccountNumber>> {
    let key = name_key(name);
    let Some(bytes) = r.get(&key)? else { return Ok(None) };
    let corrupt = || StoreError::Corrupt {
        what: format!("the value of {} is not an account number", super::keys::describe(&key)),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt())?;
    AccountNumber::parse(text).map(Some).map_err(|_| corrupt())
}

/// Inserts or replaces by number; refuses a name another number holds.
pub(crate) fn put(w: &mut dyn KvWrite, account: &Account) -> StoreResult<()> {
    account.validate()?;
    if let Some(holder) = number_of(w, &account.name)?
        && holder != account.number
    {
        return Err(StoreError::NameTaken { name: account.name.clone(), number: holder });
    }
    if let Some(old) = by_number(w, &account.number)?
        && old.name != account.name
    {
        w.delete(&name_key(&old.name))?;
    }
    records::put(w, &key(&account.number), account)?;
    w.put(&name_key(&account.name), account.number.as_str().as_bytes())
}

/// The account with this number.
pub(crate) fn by_number(r: &dyn KvRead, number: &AccountNumber) -> StoreResult<Option<Account>> {
    records::get(r, &key(number))
}

/// The account with this name.
pub(crate) fn by_name(r: &dyn KvRead, name: &AccountName) -> StoreResult<Option<Account>> {
    match number_of(r, name)? {
        Some(number) => by_number(r, &number),
        None => Ok(None),
    }
}

/// Every account, by name.
pub(crate) fn all(r: &dyn KvRead) -> StoreResult<Vec<Account>> {
    let mut accounts: Vec<Account> = records::list(r, &Key::new(table::ACCOUNT))?;
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(accounts)
}

/// Deletes the account and its items with their revisions, issues and comments.
pub(crate) fn delete(w: &mut dyn KvWrite, number: &AccountNumber) -> StoreResult<bool> {
    let Some(account) = by_number(w, number)? else { return Ok(false) };
    for item in items::keys_of_account(w, number)? {
        items::purge(w, &item)?;
    }
    super::runs::delete_account(w, number)?;
    w.delete(&name_key(&account.name))?;
    w.delete(&key(number))?;
    Ok(true)
}

/// Names of stored accounts starting with `prefix` (case-insensitive), sorted, at most `limit`.
pub(crate) fn names_starting_with(r: &dyn KvRead, prefix: &str, limit: usize) -> StoreResult<Vec<String>> {
    let prefix = prefix.to_lowercase();
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    r.scan(&Key::new(table::ACCOUNT_BY_NAME), &mut |key, _| {
        let name = super::keys::Reader::new(key).str()?;
        if name.to_lowercase().starts_with(&prefix) {
            out.push(name.into_owned());
        }
        Ok(out.len() < limit)
    })?;
    Ok(out)
}
