//! Accounts: listing them, and (Admin) adding, changing, deleting them and turning many on or
//! off at once.

use super::{body, invalid, path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use monkey_core::model::{Account, AccountName, AccountNumber, Role};
use monkey_core::store::{Store, StoreExt};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/accounts", get(list).post(create))
        .route("/api/1/accounts/{account}", get(one).put(update).delete(remove))
        .route("/api/1/accounts_bulk", put(bulk))
}

/// The account form of the user guide. On `POST` `name` and `number` are required and the
/// rest default as [`Account::new`] has them; on `PUT` every field is optional and only the
/// given ones change (the number never does: it is the account's identity).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct AccountForm {
    name: Option<String>,
    number: Option<String>,
    s3_name: Option<String>,
    canonical_id: Option<String>,
    role_name: Option<String>,
    external_id: Option<String>,
    notes: Option<String>,
    active: Option<bool>,
    third_party: Option<bool>,
}

impl AccountForm {
    /// `account` with the form's fields applied (except the number), validated.
    fn apply(self, mut account: Account) -> Result<Account, ApiError> {
        let optional = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        if let Some(name) = self.name {
            account.name = AccountName::parse(&name)?;
        }
        if let Some(s3_name) = self.s3_name {
            account.s3_name = optional(s3_name);
        }
        if let Some(canonical_id) = self.canonical_id {
            account.canonical_id = optional(canonical_id);
        }
        if let Some(role_name) = self.role_name {
            account.role_name = role_name.trim().to_owned();
        }
        if let Some(external_id) = self.external_id {
            account.external_id = optional(external_id);
        }
        if let Some(notes) = self.notes {
            account.notes = notes;
        }
        if let Some(active) = self.active {
            account.active = active;
        }
        if let Some(third_party) = self.third_party {
            account.third_party = third_party;
        }
        account.validate()?;
        Ok(account)
    }
}

fn poke(state: &AppState) {
    if let Some(poke) = &state.poke {
        poke();
    }
}

/// The account named or numbered `text`, or 404.
async fn existing(store: &dyn Store, text: &str) -> Result<Account, ApiError> {
    store.find_account(text).await?.ok_or_else(|| ApiError::not_found(format!("account {text:?}")))
}

/// `GET /api/1/accounts`: every account, by name.
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Account>>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(state.store.accounts().await?))
}

/// `POST /api/1/accounts`: 409 when the name or the number is taken.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Json<AccountForm>, JsonRejection>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    caller.require(Role::Admin)?;
    let form = body(form)?;
    let name = form.name.as_deref().ok_or_else(|| invalid("name", "an account needs a name"))?;
    let number = form.number.as_deref().ok_or_else(|| invalid("number", "an account needs a number"))?;
    let account = Account::new(AccountName::parse(name)?, AccountNumber::parse(number)?);
    let store = state.store.as_ref();
    if let Some(holder) = store.account_by_number(&account.number).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("number: account {} already exists, named {:?}", holder.number, holder.name.as_str()),
        ));
    }
    let account = AccountForm { name: None, number: None, ..form }.apply(account)?;
    store.put_account(&account).await?;
    poke(&state);
    Ok((StatusCode::CREATED, Json(account)))
}

/// `GET /api/1/accounts/{account}`, by name or number.
async fn one(
    State(state): State<AppState>,
    caller: Caller,
    account: Result<Path<String>, PathRejection>,
) -> Result<Json<Account>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(existing(state.store.as_ref(), &path(account)?).await?))
}

/// `PUT /api/1/accounts/{account}`: changes the given fields; 409 when the new name is taken.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    account: Result<Path<String>, PathRejection>,
    form: Result<Json<AccountForm>, JsonRejection>,
) -> Result<Json<Account>, ApiError> {
    caller.require(Role::Admin)?;
    let store = state.store.as_ref();
    let current = existing(store, &path(account)?).await?;
    let form = body(form)?;
    if let Some(number) = &form.number
        && AccountNumber::parse(number)? != current.number
    {
        return Err(invalid("number", "an account's number cannot change: add a new account instead"));
    }
    let account = form.apply(current)?;
    store.put_account(&account).await?;
    poke(&state);
    Ok(Json(account))
}

/// `DELETE /api/1/accounts/{account}`: the account with its items, revisions, issues and comments.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    account: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Admin)?;
    let store = state.store.as_ref();
    let account = existing(store, &path(account)?).await?;
    store.delete_account(&account.number).await?;
    poke(&state);
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/1/accounts_bulk` with `{account name or number: active}`: all or nothing, every
/// account is looked up before any is changed (404 naming the first unknown one); answers the
/// accounts as stored.
async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Json<BTreeMap<String, bool>>, JsonRejection>,
) -> Result<Json<Vec<Account>>, ApiError> {
    caller.require(Role::Admin)?;
    let wanted = body(form)?;
    let store = state.store.as_ref();
    let mut changed = Vec::with_capacity(wanted.len());
    for (text, active) in &wanted {
        let mut account = store
            .find_account(text)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("account {text:?} (no account was changed)")))?;
        account.active = *active;
        changed.push(account);
    }
    for account in &changed {
        store.put_account(account).await?;
    }
    if !changed.is_empty() {
        poke(&state);
    }
    Ok(Json(changed))
}
