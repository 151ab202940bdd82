//! The checks linked into this program as the API shows them: per technology, with the auditor
//! that runs each (Security Monkey's `techmethods`).

use super::{list, query, technology};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::routing::get;
use axum::{Json, Router};
use monkey_core::auditor::{AuditorRegistration, Check, CheckStatus, registered_checks};
use monkey_core::model::{Category, Role};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/1/techmethods", get(techmethods))
}

/// A registered check and the name of the auditor that runs it (none when no linked auditor
/// lists it).
pub(crate) struct Registered {
    pub(crate) check: &'static Check,
    pub(crate) auditor: Option<&'static str>,
}

/// Every check linked into this program, by id; read from the link-time registries once,
/// since they cannot change while the program runs.
pub(crate) fn registry() -> &'static [Registered] {
    static REGISTRY: OnceLock<Vec<Registered>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut auditors: HashMap<&'static str, &'static str> = HashMap::new();
        for registration in monkey_core::inventory::iter::<AuditorRegistration> {
            for check in (registration.make)().checks() {
                auditors.entry(check.id).or_insert(registration.name);
            }
        }
        registered_checks()
            .into_iter()
            .map(|check| Registered { check, auditor: auditors.get(check.id).copied() })
            .collect()
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    /// Technologies, comma-separated; every technology with checks when absent.
    technologies: Option<String>,
}

/// A check as `techmethods` lists it.
#[derive(Debug, Serialize)]
struct CheckView {
    id: &'static str,
    title: &'static str,
    auditor: Option<&'static str>,
    category: Category,
    default_score: u32,
    status: CheckStatus,
}

#[derive(Debug, Serialize)]
struct TechMethods {
    /// Each technology's checks, by id.
    technologies: BTreeMap<String, Vec<CheckView>>,
}

/// `GET /api/1/techmethods?technologies=`: the registered checks of each technology asked for
/// (an empty list for one without checks), or of every technology that has checks.
async fn techmethods(
    caller: Caller,
    params: Result<Query<Params>, QueryRejection>,
) -> Result<Json<TechMethods>, ApiError> {
    caller.require(Role::View)?;
    let params = query(params)?;
    let asked = list(params.technologies.as_deref())
        .into_iter()
        .map(|t| technology("technologies", t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut technologies: BTreeMap<String, Vec<CheckView>> =
        asked.iter().map(|t| (t.to_string(), Vec::new())).collect();
    for Registered { check, auditor } in registry() {
        if !asked.is_empty() && !asked.iter().any(|t| t.as_str() == check.technology) {
            continue;
        }
        technologies.entry(check.technology.to_owned()).or_default().push(CheckView {
            id: check.id,
            title: check.title,
            auditor: *auditor,
            category: check.category,
            default_score: check.default_score,
            status: check.status,
        });
    }
    Ok(Json(TechMethods { technologies }))
}
