//! Settings: the ignore list, the network whitelist, audit scores (score overrides) and watcher
//! configuration. Reading them takes the View role (watcher configuration: Admin, as in
//! Security Monkey); changing them, Admin.
//!
//! Each entry is addressed by its natural key: (technology, prefix), name, (technology, check),
//! technology. `POST` adds (409 if the key is taken), `PUT` replaces (404 if absent).

use super::{body, invalid, path, technology};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use monkey_core::model::{
    AccountNumber, AccountPattern, IgnoreEntry, Interval, NetworkWhitelistEntry, Role, ScoreOverride, WatcherConfig,
};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/ignorelist", get(ignore_list).post(add_ignore))
        .route("/api/1/ignorelist/{technology}/{prefix}", put(replace_ignore).delete(delete_ignore))
        .route("/api/1/whitelist", get(whitelist).post(add_network))
        .route("/api/1/whitelist/{name}", put(replace_network).delete(delete_network))
        .route("/api/1/auditscores", get(audit_scores).post(add_score))
        .route("/api/1/auditscores/{technology}/{check}", put(replace_score).delete(delete_score))
        .route("/api/1/watcher_config", get(watcher_configs))
        .route("/api/1/watcher_config/{technology}", put(put_watcher_config))
}

fn conflict(what: String) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, format!("{what} already exists: change it with PUT"))
}

fn poke(state: &AppState) {
    if let Some(poke) = &state.poke {
        poke();
    }
}

// The ignore list.

#[derive(Debug, Deserialize)]
struct IgnoreForm {
    technology: Option<String>,
    prefix: Option<String>,
    #[serde(default)]
    notes: String,
}

async fn ignore_list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<IgnoreEntry>>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(state.store.ignore_entries().await?))
}

/// `POST /api/1/ignorelist` with `{technology, prefix, notes}`.
async fn add_ignore(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Json<IgnoreForm>, JsonRejection>,
) -> Result<(StatusCode, Json<IgnoreEntry>), ApiError> {
    caller.require(Role::Admin)?;
    let form = body(form)?;
    let tech = technology("technology", form.technology.as_deref().unwrap_or_default())?;
    let entry = IgnoreEntry::new(tech, form.prefix.unwrap_or_default(), form.notes)?;
    let store = state.store.as_ref();
    if store.ignore_entries().await?.iter().any(|e| e.technology == entry.technology && e.prefix == entry.prefix) {
        return Err(conflict(format!("the ignore entry {}/{}", entry.technology, entry.prefix)));
    }
    store.put_ignore_entry(&entry).await?;
    poke(&state);
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `PUT /api/1/ignorelist/{technology}/{prefix}` with `{notes}`.
async fn replace_ignore(
    State(state): State<AppState>,
    caller: Caller,
    key: Result<Path<(String, String)>, PathRejection>,
    form: Result<Json<IgnoreForm>, JsonRejection>,
) -> Result<Json<IgnoreEntry>, ApiError> {
    caller.require(Role::Admin)?;
    let (tech, prefix) = path(key)?;
    let form = body(form)?;
    let store = state.store.as_ref();
    let tech = technology("technology", &tech)?;
    if !store.ignore_entries().await?.iter().any(|e| e.technology == tech && e.prefix == prefix) {
        return Err(ApiError::not_found(format!("ignore entry {tech}/{prefix}")));
    }
    let entry = IgnoreEntry::new(tech, prefix, form.notes)?;
    store.put_ignore_entry(&entry).await?;
    poke(&state);
    Ok(Json(entry))
}

async fn delete_ignore(
    State(state): State<AppState>,
    caller: Caller,
    key: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Admin)?;
    let (tech, prefix) = path(key)?;
    let tech = technology("technology", &tech)?;
    if !state.store.delete_ignore_entry(&tech, &prefix).await? {
        return Err(ApiError::not_found(format!("ignore entry {tech}/{prefix}")));
    }
    poke(&state);
    Ok(StatusCode::NO_CONTENT)
}

// The network whitelist.

#[derive(Debug, Deserialize)]
struct NetworkForm {
    name: Option<String>,
    cidr: Option<String>,
    #[serde(default)]
    notes: String,
}

async fn whitelist(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<NetworkWhitelistEntry>>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(state.store.whitelist().await?))
}

/// `POST /api/1/whitelist` with `{name, cidr, notes}`.
async fn add_network(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Json<NetworkForm>, JsonRejection>,
) -> Result<(StatusCode, Json<NetworkWhitelistEntry>), ApiError> {
    caller.require(Role::Admin)?;
    let form = body(form)?;
    let entry = NetworkWhitelistEntry::new(
        form.name.unwrap_or_default(),
        form.cidr.as_deref().unwrap_or_default(),
        form.notes,
    )?;
    let store = state.store.as_ref();
    if store.whitelist().await?.iter().any(|e| e.name == entry.name) {
        return Err(conflict(format!("the whitelist entry {:?}", entry.name)));
    }
    store.put_whitelist_entry(&entry).await?;
    poke(&state);
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `PUT /api/1/whitelist/{name}` with `{cidr, notes}`.
async fn replace_network(
    State(state): State<AppState>,
    caller: Caller,
    name: Result<Path<String>, PathRejection>,
    form: Result<Json<NetworkForm>, JsonRejection>,
) -> Result<Json<NetworkWhitelistEntry>, ApiError> {
    caller.require(Role::Admin)?;
    let name = path(name)?;
    let form = body(form)?;
    let store = state.store.as_ref();
    if !store.whitelist().await?.iter().any(|e| e.name == name) {
        return Err(ApiError::not_found(format!("whitelist entry {name:?}")));
    }
    let entry = NetworkWhitelistEntry::new(name, form.cidr.as_deref().unwrap_or_default(), form.notes)?;
    store.put_whitelist_entry(&entry).await?;
    poke(&state);
    Ok(Json(entry))
}

async fn delete_network(
    State(state): State<AppState>,
    caller: Caller,
    name: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Admin)?;
    let name = path(name)?;
    if !state.store.delete_whitelist_entry(&name).await? {
        return Err(ApiError::not_found(format!("whitelist entry {name:?}")));
    }
    poke(&state);
    Ok(StatusCode::NO_CONTENT)
}

// Audit scores.

/// A score override as forms send it: account patterns as `field.value=score` text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreForm {
    technology: Option<String>,
    check: Option<String>,
    #[serde(default)]
    score: Option<u32>,
    #[serde(default)]
    disabled: bool,
    #[serde(default)]
    account_patterns: Vec<String>,
}

impl ScoreForm {
    fn into_override(self, tech: &str, check: &str) -> Result<ScoreOverride, ApiError> {
        let check = check.trim();
        if check.is_empty() || check.len() > 100 {
            return Err(invalid("check", "a check id has 1 to 100 characters"));
        }
        let account_patterns =
            self.account_patterns.iter().map(|p| p.parse::<AccountPattern>()).collect::<Result<Vec<_>, _>>()?;
        Ok(ScoreOverride {
            technology: technology("technology", tech)?,
            check: check.to_owned(),
            score: self.score,
            disabled: self.disabled,
            account_patterns,
        })
    }
}

async fn audit_scores(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<ScoreOverride>>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(state.store.score_overrides().await?))
}

/// `POST /api/1/auditscores` with `{technology, check, score, disabled, account_patterns}`.
async fn add_score(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Json<ScoreForm>, JsonRejection>,
) -> Result<(StatusCode, Json<ScoreOverride>), ApiError> {
    caller.require(Role::Admin)?;
    let mut form = body(form)?;
    let (tech, check) = (form.technology.take().unwrap_or_default(), form.check.take().unwrap_or_default());
    let score_override = form.into_override(&tech, &check)?;
    let store = state.store.as_ref();
    let taken = store
        .score_overrides()
        .await?
        .iter()
        .any(|o| o.technology == score_override.technology && o.check == score_override.check);
    if taken {
        return Err(conflict(format!("the audit score of {}/{}", score_override.technology, score_override.check)));
    }
    store.put_score_override(&score_override).await?;
    poke(&state);
    Ok((StatusCode::CREATED, Json(score_override)))
}

/// `PUT /api/1/auditscores/{technology}/{check}` with `{score, disabled, account_patterns}`.
async fn replace_score(
    State(state): State<AppState>,
    caller: Caller,
    key: Result<Path<(String, String)>, PathRejection>,
    form: Result<Json<ScoreForm>, JsonRejection>,
) -> Result<Json<ScoreOverride>, ApiError> {
    caller.require(Role::Admin)?;
    let (tech, check) = path(key)?;
    let score_override = body(form)?.into_override(&tech, &check)?;
    let store = state.store.as_ref();
    let exists = store
        .score_overrides()
        .await?
        .iter()
        .any(|o| o.technology == score_override.technology && o.check == score_override.check);
    if !exists {
        return Err(ApiError::not_found(format!("audit score {tech}/{check}")));
    }
    store.put_score_override(&score_override).await?;
    poke(&state);
    Ok(Json(score_override))
}

async fn delete_score(
    State(state): State<AppState>,
    caller: Caller,
    key: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Admin)?;
    let (tech, check) = path(key)?;
    let tech = technology("technology", &tech)?;
    if !state.store.delete_score_override(&tech, &check).await? {
        return Err(ApiError::not_found(format!("audit score {tech}/{check}")));
    }
    poke(&state);
    Ok(StatusCode::NO_CONTENT)
}

// Watcher configuration.

/// An interval as minutes (`60`) or text (`"1h"`, `"15m"`, `"1d"`, `"1w"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IntervalForm {
    Minutes(u32),
    Text(String),
}

impl IntervalForm {
    fn interval(&self, field: &str) -> Result<Interval, ApiError> {
        match self {
            Self::Minutes(m) => Interval::from_minutes(*m),
            Self::Text(t) => t.parse(),
        }
        .map_err(|e| invalid(field, e))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WatcherForm {
    interval: IntervalForm,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    account_intervals: BTreeMap<String, IntervalForm>,
}

fn yes() -> bool {
    true
}

async fn watcher_configs(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<WatcherConfig>>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json(state.store.watcher_configs().await?))
}

/// `PUT /api/1/watcher_config/{technology}` with `{interval, enabled, account_intervals}`:
/// takes effect at the scheduler's next look, which this call prompts.
async fn put_watcher_config(
    State(state): State<AppState>,
    caller: Caller,
    tech: Result<Path<String>, PathRejection>,
    form: Result<Json<WatcherForm>, JsonRejection>,
) -> Result<Json<WatcherConfig>, ApiError> {
    caller.require(Role::Admin)?;
    let tech = technology("technology", &path(tech)?)?;
    let form = body(form)?;
    let mut config = WatcherConfig::new(tech, form.interval.interval("interval")?);
    config.enabled = form.enabled;
    for (account, interval) in &form.account_intervals {
        let number = AccountNumber::parse(account).map_err(|e| invalid("account_intervals", e))?;
        config.account_intervals.insert(number, interval.interval("account_intervals")?);
    }
    state.store.put_watcher_config(&config).await?;
    poke(&state);
    Ok(Json(config))
}
