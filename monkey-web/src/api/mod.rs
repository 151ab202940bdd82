//! The JSON REST API under `/api/1`: items, revisions, issues and their justifications,
//! comments, accounts, autocomplete, settings, CSV exports and the OpenAPI description.
//!
//! Every route takes a [`Caller`] (401 when nobody is logged in) and checks the caller's role
//! before it reads anything else of the request, so a caller below the role gets 403 whatever
//! they send. Roles are Security Monkey's: View reads everything; Comment adds comments and
//! deletes revision comments; Justify justifies issues and deletes its own item comments;
//! Admin manages accounts and settings (and deletes anyone's item comments).
//!
//! Bodies, paths and queries that cannot be read are answered 400 with a message naming the
//! field; values the model refuses are 422 ([`ApiError`]). Every text a user or a watched
//! resource controls is returned as JSON data, never as markup: the UI escapes it.
//!
//! An item is addressed by its key in the path, `/api/1/items/{technology}/{account}/{region}/{name}`
//! (each segment percent-decoded; the account by name or number), the shape of the web UI's
//! links in change mails.

mod accounts;
mod auditor_settings;
mod checks;
mod comments;
mod distinct;
mod export;
mod issues;
mod items;
pub(crate) mod openapi;
mod revisions;
mod settings;

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use monkey_core::model::{
    Account, AccountNumber, Issue, Item, ItemKey, Justification, RevisionId, Technology, Timestamp,
};
use monkey_core::store::{ItemQuery, RevisionQuery, Store, StoreExt};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The routes of the API.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(items::routes())
        .merge(revisions::routes())
        .merge(issues::routes())
        .merge(comments::routes())
        .merge(accounts::routes())
        .merge(distinct::routes())
        .merge(settings::routes())
        .merge(auditor_settings::routes())
        .merge(checks::routes())
        .merge(export::routes())
        .merge(openapi::routes())
}

/// Results per page unless a query says `count`.
pub(crate) const DEFAULT_COUNT: usize = 30;
/// The most results a page holds.
pub(crate) const MAX_COUNT: usize = 1000;

/// A JSON body, or 400 saying what is wrong with it (serde names the field).
pub(crate) fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(value)| value).map_err(|e| ApiError::bad_request(format!("the request body: {}", e.body_text())))
}

/// Path parameters, or 400.
pub(crate) fn path<T>(path: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    path.map(|Path(value)| value).map_err(|e| ApiError::bad_request(format!("the path: {}", e.body_text())))
}

/// Query parameters, or 400.
pub(crate) fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query.map(|Query(value)| value).map_err(|e| ApiError::bad_request(format!("the query: {}", e.body_text())))
}

/// 400 naming `field`.
pub(crate) fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("{field}: {reason}"))
}

/// A comma-separated list, blanks dropped.
fn list(text: Option<&str>) -> Vec<&str> {
    text.map(|t| t.split(',').map(str::trim).filter(|v| !v.is_empty()).collect()).unwrap_or_default()
}

/// A whole number, or 400 naming `field`.
fn number<T: std::str::FromStr>(field: &str, text: Option<&str>) -> Result<Option<T>, ApiError> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<T>().map_err(|_| invalid(field, format!("{t:?} is not a whole number in range"))))
        .transpose()
}

/// `true` or `false`, or 400 naming `field`.
fn boolean(field: &str, text: Option<&str>) -> Result<Option<bool>, ApiError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(invalid(field, format!("{other:?} is neither true nor false"))),
    }
}

/// The account named or numbered `text`: a stored account first (by name, then number), else
/// any valid number; 400 naming `field` otherwise.
pub(crate) async fn account_number(store: &dyn Store, field: &str, text: &str) -> Result<AccountNumber, ApiError> {
    if let Some(account) = store.find_account(text).await? {
        return Ok(account.number);
    }
    AccountNumber::parse(text).map_err(|_| invalid(field, format!("no account is named or numbered {text:?}")))
}

/// A technology, or 400 naming `field`.
pub(crate) fn technology(field: &str, text: &str) -> Result<Technology, ApiError> {
    Technology::parse(text.trim()).map_err(|e| invalid(field, e))
}

/// The filters of item searches, issue lists and exports, as the query string has them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ItemFilters {
    /// Account names or numbers, comma-separated.
    accounts: Option<String>,
    /// Technologies, comma-separated.
    technologies: Option<String>,
    /// Regions, comma-separated.
    regions: Option<String>,
    /// One substring of the name, case-insensitive.
    names: Option<String>,
    /// ARNs, comma-separated.
    arns: Option<String>,
    /// `true` or `false`.
    active: Option<String>,
    /// A case-insensitive substring of the latest configuration's JSON text.
    searchconfig: Option<String>,
    /// Item score at least.
    min_score: Option<String>,
    /// Item unjustified score at least.
    min_unjustified_score: Option<String>,
    /// For issue lists: `true` or `false`.
    justified: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Results per page.
    count: Option<String>,
}

/// A page asked for: its number (from 1) and size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub(crate) page: usize,
    pub(crate) count: usize,
}

impl Paging {
    /// The page `page` (from 1, default 1) of `count` results (1 to 1000, default 30); 400
    /// naming the field otherwise.
    pub(crate) fn parse(page: Option<&str>, count: Option<&str>) -> Result<Self, ApiError> {
        let page = number::<usize>("page", page)?.unwrap_or(1);
        if page == 0 {
            return Err(invalid("page", "pages are numbered from 1"));
        }
        let count = number::<usize>("count", count)?.unwrap_or(DEFAULT_COUNT);
        if !(1..=MAX_COUNT).contains(&count) {
            return Err(invalid("count", format!("a page holds 1 to {MAX_COUNT} results")));
        }
        Ok(Self { page, count })
    }

    /// Results to skip; saturates, so a huge page number is an empty page, not an overflow.
    pub(crate) fn offset(self) -> usize {
        (self.page - 1).saturating_mul(self.count)
    }
}

impl ItemFilters {
    /// The store query of these filters (without pagination).
    pub(crate) async fn to_query(&self, store: &dyn Store) -> Result<ItemQuery, ApiError> {
        let mut accounts = Vec::new();
        for text in list(self.accounts.as_deref()) {
            accounts.push(account_number(store, "accounts", text).await?);
        }
        let technologies = list(self.technologies.as_deref())
            .into_iter()
            .map(|t| technology("technologies", t))
            .collect::<Result<_, _>>()?;
        let text = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        Ok(ItemQuery {
            accounts,
            technologies,
            regions: list(self.regions.as_deref()).into_iter().map(str::to_owned).collect(),
            name_contains: text(&self.names),
            arns: list(self.arns.as_deref()).into_iter().map(str::to_owned).collect(),
            min_score: number("min_score", self.min_score.as_deref())?,
            min_unjustified_score: number("min_unjustified_score", self.min_unjustified_score.as_deref())?,
            config_contains: text(&self.searchconfig),
            active: boolean("active", self.active.as_deref())?,
            offset: 0,
            limit: 0,
        })
    }

    /// `justified`, for issue lists.
    pub(crate) fn justified(&self) -> Result<Option<bool>, ApiError> {
        boolean("justified", self.justified.as_deref())
    }

    /// The page asked for: `page` from 1 (default 1), `count` 1 to 1000 (default 30).
    pub(crate) fn paging(&self) -> Result<Paging, ApiError> {
        Paging::parse(self.page.as_deref(), self.count.as_deref())
    }

    /// The store query of these filters for revision lists (without pagination); 400 naming a
    /// filter that revisions do not have (scores, ARNs, configuration text, justification).
    pub(crate) async fn to_revision_query(&self, store: &dyn Store) -> Result<RevisionQuery, ApiError> {
        let item_only = [
            ("arns", &self.arns),
            ("searchconfig", &self.searchconfig),
            ("min_score", &self.min_score),
            ("min_unjustified_score", &self.min_unjustified_score),
            ("justified", &self.justified),
        ];
        if let Some((field, _)) = item_only.iter().find(|(_, v)| v.as_deref().is_some_and(|v| !v.trim().is_empty())) {
            return Err(invalid(field, "revision lists do not filter on it"));
        }
        let items = self.to_query(store).await?;
        Ok(RevisionQuery {
            accounts: items.accounts,
            technologies: items.technologies,
            regions: items.regions,
            name_contains: items.name_contains,
            active: items.active,
            offset: 0,
            limit: 0,
        })
    }
}

/// One page of a list, as every list route answers.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<T> {
    pub(crate) items: Vec<T>,
    pub(crate) page: usize,
    pub(crate) count: usize,
    pub(crate) total: usize,
}

/// Account names by number, to show next to the numbers in item keys.
pub(crate) struct AccountNames(HashMap<AccountNumber, String>);

impl AccountNames {
    /// The names of every stored account.
    pub(crate) async fn load(store: &dyn Store) -> Result<Self, ApiError> {
        Ok(Self::from(store.accounts().await?.as_slice()))
    }

    /// The name of the account numbered `number`, if it is stored.
    pub(crate) fn get(&self, number: &AccountNumber) -> Option<String> {
        self.0.get(number).cloned()
    }
}

impl From<&[Account]> for AccountNames {
    fn from(accounts: &[Account]) -> Self {
        Self(accounts.iter().map(|a| (a.number.clone(), a.name.to_string())).collect())
    }
}

/// An item key as the API shows it: the account's number and, when known, its name.
#[derive(Debug, Serialize)]
pub(crate) struct KeyView {
    pub(crate) technology: String,
    pub(crate) account: String,
    pub(crate) account_name: Option<String>,
    pub(crate) region: String,
    pub(crate) name: String,
}

impl KeyView {
    pub(crate) fn new(key: &ItemKey, names: &AccountNames) -> Self {
        Self {
            technology: key.technology.to_string(),
            account: key.account.to_string(),
            account_name: names.get(&key.account),
            region: key.region.to_string(),
            name: key.name.to_string(),
        }
    }
}

/// An item as lists show it.
#[derive(Debug, Serialize)]
pub(crate) struct ItemView {
    #[serde(flatten)]
    pub(crate) key: KeyView,
    pub(crate) arn: Option<String>,
    pub(crate) active: bool,
    pub(crate) score: u32,
    pub(crate) unjustified_score: u32,
    pub(crate) latest_revision: RevisionId,
    /// When its latest revision was made.
    pub(crate) last_changed: Timestamp,
}

impl ItemView {
    pub(crate) fn new(item: &Item, names: &AccountNames) -> Self {
        Self {
            key: KeyView::new(&item.key, names),
            arn: item.arn.clone(),
            active: item.active,
            score: item.score,
            unjustified_score: item.unjustified_score,
            latest_revision: item.latest_revision,
            last_changed: item.latest_revision_at,
        }
    }
}

/// An issue as the API shows it: its item's key flattened in, its links as keys.
#[derive(Debug, Serialize)]
pub(crate) struct IssueView {
    #[serde(flatten)]
    pub(crate) item: KeyView,
    pub(crate) check: String,
    pub(crate) notes: String,
    pub(crate) score: u32,
    pub(crate) category: monkey_core::model::Category,
    pub(crate) message: String,
    pub(crate) links: Vec<KeyView>,
    pub(crate) fixed: bool,
    pub(crate) justified: bool,
    pub(crate) justification: Option<Justification>,
    pub(crate) first_seen: Timestamp,
    pub(crate) last_seen: Timestamp,
}

impl IssueView {
    pub(crate) fn new(issue: &Issue, names: &AccountNames) -> Self {
        Self {
            item: KeyView::new(&issue.key.item, names),
            check: issue.key.check.clone(),
            notes: issue.key.notes.clone(),
            score: issue.score,
            category: issue.category,
            message: issue.message.clone(),
            links: issue.links.iter().map(|k| KeyView::new(k, names)).collect(),
            fixed: issue.fixed,
            justified: issue.justification.is_some(),
            justification: issue.justification.clone(),
            first_seen: issue.first_seen,
            last_seen: issue.last_seen,
        }
    }
}

/// The item key of a path `{technology}/{account}/{region}/{name}`.
#[derive(Debug, Deserialize)]
pub(crate) struct ItemPath {
    technology: String,
    account: String,
    region: String,
    name: String,
}

impl ItemPath {
    /// The key, with the account resolved by name or number; 400 naming a malformed part.
    pub(crate) async fn key(&self, store: &dyn Store) -> Result<ItemKey, ApiError> {
        Ok(ItemKey::new(
            technology("technology", &self.technology)?,
            account_number(store, "account", &self.account).await?,
            self.region.clone(),
            self.name.clone(),
        ))
    }
}
