//! Builders of test data for the conformance checks: accounts, items, changes, issues.

use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, Hash, Issue, IssueKey, ItemKey, Justification, Technology, Timestamp,
};
use monkey_core::store::{ChangeKind, Changeset, ItemChange};
use serde_json::Value;

/// A fixed instant plus `seconds`, so that orderings are deterministic.
pub(crate) fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_700_000_000 + seconds) * 1_000_000_000)
}

/// The account number `n`, zero-padded to 12 digits.
pub(crate) fn number(n: u64) -> AccountNumber {
    AccountNumber::parse(&format!("{n:012}")).expect("a 12-digit account number")
}

/// A friendly account.
pub(crate) fn account(name: &str, n: u64) -> Account {
    Account::new(AccountName::parse(name).expect("a valid account name"), number(n))
}

/// A technology.
pub(crate) fn technology(name: &str) -> Technology {
    Technology::parse(name).expect("a valid technology")
}

/// An item key.
pub(crate) fn key(tech: &str, account: u64, region: &str, name: &str) -> ItemKey {
    ItemKey::new(technology(tech), number(account), region, name)
}

/// A stand-in for a BLAKE3 digest: FNV-1a spread over 32 bytes (the store only compares them).
pub(crate) fn hash_of(value: &Value) -> Hash {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in value.to_string().bytes() {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        state = state.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        chunk.copy_from_slice(&state.to_be_bytes());
    }
    Hash(out)
}

/// A change of `kind` with hashes of `config` (the durable hash ignores a `"t"` field, as an
/// ephemeral one).
pub(crate) fn change(key: &ItemKey, kind: ChangeKind, arn: Option<&str>, config: Value) -> ItemChange {
    let mut durable = config.clone();
    if let Some(object) = durable.as_object_mut() {
        object.remove("t");
    }
    ItemChange {
        key: key.clone(),
        arn: arn.map(str::to_owned),
        kind,
        durable_hash: hash_of(&durable),
        complete_hash: hash_of(&config),
        config,
    }
}

/// A changeset.
pub(crate) fn changeset(seconds: i64, changes: Vec<ItemChange>) -> Changeset {
    Changeset { at: at(seconds), changes }
}

/// An open, unjustified issue.
pub(crate) fn issue(item: &ItemKey, check: &str, notes: &str, score: u32) -> Issue {
    Issue {
        key: IssueKey { item: item.clone(), check: check.into(), notes: notes.into() },
        score,
        category: Category::InsecureConfiguration,
        message: format!("{check} found {notes}"),
        links: Vec::new(),
        fixed: false,
        justification: None,
        first_seen: at(0),
        last_seen: at(0),
    }
}

/// A justification by `by`.
pub(crate) fn justification(by: &str, reason: &str) -> Justification {
    Justification { by: by.into(), at: at(1), reason: reason.into() }
}
