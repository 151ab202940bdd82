//! Run history: the runs of each (account, technology), their newest-first time index, and
//! the latest run of each, which the scheduler reads every few seconds.

use super::keys::{Key, table};
use super::records;
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{AccountNumber, RunRecord, Technology};
use monkey_core::store::{RUNS_KEPT, StoreError, StoreResult};

fn unit(account: &AccountNumber, technology: &Technology) -> Key {
    Key::new(table::RUN).str(account.as_str()).str(technology.as_str())
}

fn run_key(run: &RunRecord) -> Key {
    unit(&run.account, &run.technology).time(run.started_at)
}

fn by_time_key(run: &RunRecord) -> Key {
    Key::new(table::RUN_BY_TIME).time_desc(run.started_at).str(run.account.as_str()).str(run.technology.as_str())
}

fn last_key(account: &AccountNumber, technology: &Technology) -> Key {
    Key::new(table::LAST_RUN).str(account.as_str()).str(technology.as_str())
}

/// Stores `run`, makes it the unit's latest if it is the newest, and drops the unit's runs
/// beyond [`RUNS_KEPT`].
pub(crate) fn put(w: &mut dyn KvWrite, run: &RunRecord) -> StoreResult<()> {
    records::put(w, run_key(run).as_ref(), run)?;
    w.put(by_time_key(run).as_ref(), &[])?;
    let last = last_key(&run.account, &run.technology);
    let newest = match records::get::<RunRecord>(w, last.as_ref())? {
        Some(previous) => previous.started_at <= run.started_at,
        None => true,
    };
    if newest {
        records::put(w, last.as_ref(), run)?;
    }
    let read: &dyn KvRead = w;
    let keys = read.keys(unit(&run.account, &run.technology).as_ref())?;
    if keys.len() > RUNS_KEPT {
        for key in &keys[..keys.len() - RUNS_KEPT] {
            if let Some(old) = records::get::<RunRecord>(w, key)? {
                w.delete(by_time_key(&old).as_ref())?;
            }
            w.delete(key)?;
        }
    }
    Ok(())
}

/// At most `limit` runs, newest first.
pub(crate) fn newest(r: &dyn KvRead, limit: usize) -> StoreResult<Vec<RunRecord>> {
    let mut runs = Vec::new();
    if limit == 0 {
        return Ok(runs);
    }
    let mut keys = Vec::new();
    r.scan(&Key::new(table::RUN_BY_TIME).into_bytes(), &mut |key, _| {
        keys.push(key.to_vec());
        Ok(keys.len() < limit)
    })?;
    for key in keys {
        let mut reader = super::keys::Reader::new(&key);
        let started = reader.time_desc()?;
        let corrupt = |e: monkey_core::ModelError| StoreError::Corrupt { what: format!("run index: {e}") };
        let account = AccountNumber::parse(&reader.str()?).map_err(corrupt)?;
        let technology = Technology::parse(&reader.str()?).map_err(corrupt)?;
        if let Some(run) = records::get(r, unit(&account, &technology).time(started).as_ref())? {
            runs.push(run);
        }
    }
    Ok(runs)
}

/// The latest run of every unit, by (account, technology).
pub(crate) fn last(r: &dyn KvRead) -> StoreResult<Vec<RunRecord>> {
    records::list(r, Key::new(table::LAST_RUN).as_ref())
}

/// Deletes every run of `account`.
pub(crate) fn delete_account(w: &mut dyn KvWrite, account: &AccountNumber) -> StoreResult<()> {
    let prefix = Key::new(table::RUN).str(account.as_str());
    let read: &dyn KvRead = w;
    for key in read.keys(prefix.as_ref())? {
        if let Some(run) = records::get::<RunRecord>(w, &key)? {
            w.delete(by_time_key(&run).as_ref())?;
        }
        w.delete(&key)?;
    }
    let read: &dyn KvRead = w;
    for key in read.keys(Key::new(table::LAST_RUN).str(account.as_str()).as_ref())? {
        w.delete(&key)?;
    }
    Ok(())
}
