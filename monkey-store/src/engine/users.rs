//! Users, keyed by their lower-cased e-mail.

use super::keys::{Key, table};
use super::records;
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::User;
use monkey_core::store::StoreResult;

fn key(email: &str) -> Key {
    Key::new(table::USER).str(&email.trim().to_lowercase())
}

/// Inserts or replaces the user with this e-mail; the e-mail is validated and stored
/// lower-cased, as the model says it is.
pub(crate) fn put(w: &mut dyn KvWrite, user: &User) -> StoreResult<()> {
    let email = User::new(&user.email, user.role)?.email;
    let user = User { email, ..user.clone() };
    records::put(w, &key(&user.email), &user)
}

/// The user with this e-mail, compared lower-cased.
pub(crate) fn get(r: &dyn KvRead, email: &str) -> StoreResult<Option<User>> {
    records::get(r, &key(email))
}

/// Every user, by e-mail.
pub(crate) fn all(r: &dyn KvRead) -> StoreResult<Vec<User>> {
    records::list(r, &Key::new(table::USER))
}

/// Deletes a user.
pub(crate) fn delete(w: &mut dyn KvWrite, email: &str) -> StoreResult<bool> {
    records::remove(w, &key(email))
}
