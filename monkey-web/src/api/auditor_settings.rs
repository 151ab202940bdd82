//! Auditor settings (Security Monkey's tab of that name): every check in every account with
//! whether it runs and its open issues; enabling and disabling a check (Justify role).
//!
//! Whether a check runs is the `disabled` flag of its score override, the one place that fact
//! lives: the audit engine reads it there. So a check is disabled in every account at once
//! (Security Monkey kept one flag per account), and the rows of one check change together.
//! Disabling takes effect at the next audit, which fixes the check's open issues; until then
//! they count here as open.

use super::checks::registry;
use super::{PageView, Paging, account_number, body, boolean, list, path, query, technology};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use monkey_core::model::{AccountNumber, Role, ScoreOverride, Technology};
use monkey_core::store::ItemQuery;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/auditorsettings", get(settings))
        .route("/api/1/auditorsettings/{technology}/{check}", put(set))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Filters {
    /// Account names or numbers, comma-separated.
    accounts: Option<String>,
    /// Technologies, comma-separated.
    technologies: Option<String>,
    /// `true`: checks that run; `false`: disabled ones.
    enabled: Option<String>,
    /// A case-insensitive substring of the check id.
    check: Option<String>,
    page: Option<String>,
    count: Option<String>,
}

/// One check in one account.
#[derive(Debug, Serialize)]
struct SettingRow {
    account: AccountNumber,
    account_name: String,
    technology: String,
    check: String,
    /// The registered check's title; none for a check this program does not link.
    title: Option<&'static str>,
    disabled: bool,
    /// Its open issues on the account's items.
    open_issues: usize,
}

/// `GET /api/1/auditorsettings`: a row per account and check (registered, overridden or with
/// open issues), by account name, technology and check; paginated.
async fn settings(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<Filters>, QueryRejection>,
) -> Result<Json<PageView<SettingRow>>, ApiError> {
    caller.require(Role::View)?;
    let filters = query(filters)?;
    let paging = Paging::parse(filters.page.as_deref(), filters.count.as_deref())?;
    let enabled = boolean("enabled", filters.enabled.as_deref())?;
    let store = state.store.as_ref();
    let mut accounts = Vec::new();
    for text in list(filters.accounts.as_deref()) {
        accounts.push(account_number(store, "accounts", text).await?);
    }
    let technologies: Vec<Technology> = list(filters.technologies.as_deref())
        .into_iter()
        .map(|t| technology("technologies", t))
        .collect::<Result<_, _>>()?;
    let needle = filters.check.as_deref().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty());

    let overrides: HashMap<(String, String), ScoreOverride> =
        store.score_overrides().await?.into_iter().map(|o| ((o.technology.to_string(), o.check.clone()), o)).collect();
    let search = ItemQuery {
        accounts: accounts.clone(),
        technologies: technologies.clone(),
        min_score: Some(1),
        ..ItemQuery::default()
    };
    let mut open: HashMap<(AccountNumber, String, String), usize> = HashMap::new();
    for issue in super::issues::open_issues(store, search, |_| true).await? {
        let item = &issue.key.item;
        *open.entry((item.account.clone(), item.technology.to_string(), issue.key.check.clone())).or_default() += 1;
    }

    // Every known (technology, check), with its title when registered.
    let mut checks: BTreeMap<(String, String), Option<&'static str>> = BTreeMap::new();
    for registered in registry() {
        checks.insert(
            (registered.check.technology.to_owned(), registered.check.id.to_owned()),
            Some(registered.check.title),
        );
    }
    for key in overrides.keys().cloned().chain(open.keys().map(|(_, t, c)| (t.clone(), c.clone()))) {
        checks.entry(key).or_insert(None);
    }
    let wanted_accounts: BTreeSet<&AccountNumber> = accounts.iter().collect();
    let mut rows = Vec::new();
    let stored = store.accounts().await?;
    for account in stored.iter().filter(|a| wanted_accounts.is_empty() || wanted_accounts.contains(&a.number)) {
        for ((tech, check), title) in &checks {
            let disabled = overrides.get(&(tech.clone(), check.clone())).is_some_and(|o| o.disabled);
            let keep = (technologies.is_empty() || technologies.iter().any(|t| t.as_str() == tech))
                && needle.as_ref().is_none_or(|n| check.to_lowercase().contains(n.as_str()))
                && enabled.is_none_or(|e| e != disabled);
            if !keep {
                continue;
            }
            rows.push(SettingRow {
                account: account.number.clone(),
                account_name: account.name.to_string(),
                technology: tech.clone(),
                check: check.clone(),
                title: *title,
                disabled,
                open_issues: open.get(&(account.number.clone(), tech.clone(), check.clone())).copied().unwrap_or(0),
            });
        }
    }
    Ok(Json(PageView {
        total: rows.len(),
        items: rows.into_iter().skip(paging.offset()).take(paging.count).collect(),
        page: paging.page,
        count: paging.count,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Switch {
    disabled: bool,
}

/// What a change answers: the check and whether it now runs.
#[derive(Debug, Serialize)]
struct CheckSetting {
    technology: Technology,
    check: String,
    disabled: bool,
}

/// `PUT /api/1/auditorsettings/{technology}/{check}` with `{disabled}`: turns a check off or on
/// in every account, through its score override (created when needed, and removed again when
/// enabling leaves it changing nothing). 404 for a check neither registered nor overridden.
async fn set(
    State(state): State<AppState>,
    caller: Caller,
    key: Result<Path<(String, String)>, PathRejection>,
    form: Result<Json<Switch>, JsonRejection>,
) -> Result<Json<CheckSetting>, ApiError> {
    caller.require(Role::Justify)?;
    let (tech, check) = path(key)?;
    let disabled = body(form)?.disabled;
    let tech = technology("technology", &tech)?;
    let store = state.store.as_ref();
    let current = store.score_overrides().await?.into_iter().find(|o| o.technology == tech && o.check == check);
    let registered = registry().iter().any(|r| r.check.technology == tech.as_str() && r.check.id == check);
    if current.is_none() && !registered {
        return Err(ApiError::not_found(format!("check {check} of technology {tech}")));
    }
    let mut setting = current.unwrap_or_else(|| ScoreOverride {
        technology: tech.clone(),
        check: check.clone(),
        score: None,
        disabled,
        account_patterns: Vec::new(),
    });
    setting.disabled = disabled;
    if !disabled && setting.score.is_none() && setting.account_patterns.is_empty() {
        store.delete_score_override(&tech, &check).await?;
    } else {
        store.put_score_override(&setting).await?;
    }
    if let Some(poke) = &state.poke {
        poke();
    }
    Ok(Json(CheckSetting { technology: tech, check, disabled }))
}
