//! The OpenAPI 3.1 description of this API, built from one table of its routes.
//!
//! A test reads the route definitions of every module of the API and checks that each method
//! and path is in the table, so that a route cannot be added without being described.

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::routing::get;
use axum::{Json, Router};
use monkey_core::model::Role;
use serde_json::{Map, Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/1/openapi.json", get(openapi))
}

/// One route: method, path, the role it needs, what it does.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    role: Role,
    summary: &'static str,
}

const fn e(method: &'static str, path: &'static str, role: Role, summary: &'static str) -> Endpoint {
    Endpoint { method, path, role, summary }
}

const ITEM: &str = "/api/1/items/{technology}/{account}/{region}/{name}";

/// Every route of the API.
const ENDPOINTS: &[Endpoint] = &[
    e("get", "/api/1/items", Role::View, "Items matching the item filters, newest change first, paginated"),
    e(
        "get",
        ITEM,
        Role::View,
        "An item with its revisions (newest first, each with its comments), issues and comments",
    ),
    e("post", "/api/1/items/{technology}/{account}/{region}/{name}/comments", Role::Comment, "Comments on an item"),
    e(
        "delete",
        "/api/1/items/{technology}/{account}/{region}/{name}/comments/{id}",
        Role::Justify,
        "Deletes an item comment: the author's own, or any with the Admin role",
    ),
    e(
        "get",
        "/api/1/revisions",
        Role::View,
        "Revisions of the items matching accounts, technologies, regions and names, filtered on active, newest first, paginated",
    ),
    e(
        "get",
        "/api/1/revisions/{id}",
        Role::View,
        "A revision with its configuration; ?compare={id} adds diff_html and json_patch",
    ),
    e("post", "/api/1/revisions/{id}/comments", Role::Comment, "Comments on a revision"),
    e("delete", "/api/1/revisions/{id}/comments/{comment_id}", Role::Comment, "Deletes a revision comment"),
    e(
        "delete",
        "/api/1/comments/{id}",
        Role::Comment,
        "Deletes a comment by id: the caller's own (an item comment needs the Justify role), or any with the Admin role",
    ),
    e(
        "get",
        "/api/1/issues",
        Role::View,
        "Open issues of the items matching the item filters, with justified and min_score",
    ),
    e(
        "get",
        "/api/1/issues/{technology}/{account}/{region}/{name}/{check}",
        Role::View,
        "One issue, open or fixed, by its item, check and notes (?notes=, empty by default)",
    ),
    e(
        "post",
        "/api/1/issues/justification",
        Role::Justify,
        "Justifies an issue: {technology, account, region, name, check, notes, reason}",
    ),
    e(
        "delete",
        "/api/1/issues/justification",
        Role::Justify,
        "Removes an issue's justification: {technology, account, region, name, check, notes}",
    ),
    e("get", "/api/1/accounts", Role::View, "Every account, by name"),
    e("post", "/api/1/accounts", Role::Admin, "Adds an account; 409 if its name or number is taken"),
    e("get", "/api/1/accounts/{account}", Role::View, "An account, by name or number"),
    e(
        "put",
        "/api/1/accounts/{account}",
        Role::Admin,
        "Changes the given fields of an account; 409 if the new name is taken",
    ),
    e("delete", "/api/1/accounts/{account}", Role::Admin, "Deletes an account with its items"),
    e(
        "put",
        "/api/1/accounts_bulk",
        Role::Admin,
        "Enables and disables accounts {name or number: active}; all or nothing, 404 naming an unknown account",
    ),
    e(
        "get",
        "/api/1/distinct/{field}",
        Role::View,
        "Distinct technologies, account names, regions or names for autocomplete (?prefix=&limit=)",
    ),
    e("get", "/api/1/ignorelist", Role::View, "The ignore list"),
    e("post", "/api/1/ignorelist", Role::Admin, "Adds an ignore entry {technology, prefix, notes}"),
    e("put", "/api/1/ignorelist/{technology}/{prefix}", Role::Admin, "Replaces an ignore entry's notes"),
    e("delete", "/api/1/ignorelist/{technology}/{prefix}", Role::Admin, "Deletes an ignore entry"),
    e("get", "/api/1/whitelist", Role::View, "The network whitelist"),
    e("post", "/api/1/whitelist", Role::Admin, "Adds a whitelist entry {name, cidr, notes}"),
    e("put", "/api/1/whitelist/{name}", Role::Admin, "Replaces a whitelist entry's CIDR and notes"),
    e("delete", "/api/1/whitelist/{name}", Role::Admin, "Deletes a whitelist entry"),
    e("get", "/api/1/auditscores", Role::View, "Audit scores (score overrides)"),
    e(
        "post",
        "/api/1/auditscores",
        Role::Admin,
        "Adds an audit score {technology, check, score, disabled, account_patterns}",
    ),
    e("put", "/api/1/auditscores/{technology}/{check}", Role::Admin, "Replaces an audit score"),
    e("delete", "/api/1/auditscores/{technology}/{check}", Role::Admin, "Deletes an audit score"),
    e(
        "get",
        "/api/1/auditorsettings",
        Role::View,
        "Every check in every account: disabled or not, with its open issues (?accounts=&technologies=&enabled=&check=&page=&count=)",
    ),
    e(
        "put",
        "/api/1/auditorsettings/{technology}/{check}",
        Role::Justify,
        "Disables or enables a check in every account {disabled}, through its audit score; effective at the next audit",
    ),
    e(
        "get",
        "/api/1/techmethods",
        Role::View,
        "The registered checks of each technology with their auditors (?technologies=)",
    ),
    e("get", "/api/1/watcher_config", Role::Admin, "Stored watcher configurations"),
    e(
        "put",
        "/api/1/watcher_config/{technology}",
        Role::Admin,
        "Sets a technology's interval, enabled flag and account intervals",
    ),
    e("get", "/api/1/export/items.csv", Role::View, "Items matching the item filters as CSV"),
    e("get", "/api/1/export/issues.csv", Role::View, "Open issues of the items matching the item filters as CSV"),
    e("get", "/api/1/openapi.json", Role::View, "This description"),
];

/// The query parameters of the item filters.
const ITEM_FILTERS: [(&str, &str); 11] = [
    ("accounts", "Account names or numbers, comma-separated"),
    ("technologies", "Technologies, comma-separated"),
    ("regions", "Regions, comma-separated"),
    ("names", "A case-insensitive substring of the item name"),
    ("arns", "ARNs, comma-separated"),
    ("active", "true or false"),
    ("searchconfig", "A case-insensitive substring of the latest configuration's compact JSON text"),
    ("min_score", "Minimum score"),
    ("min_unjustified_score", "Minimum unjustified score"),
    ("page", "Page number, from 1 (default 1)"),
    ("count", "Results per page, 1 to 1000 (default 30)"),
];

fn filtered(path: &str) -> bool {
    matches!(path, "/api/1/items" | "/api/1/issues" | "/api/1/export/items.csv" | "/api/1/export/issues.csv")
}

/// The item filters a revision list takes.
const REVISION_FILTERS: [&str; 7] = ["accounts", "technologies", "regions", "names", "active", "page", "count"];

/// The query parameters of the other routes that take some.
const OTHER_PARAMETERS: &[(&str, &str, &str)] = &[
    ("/api/1/issues/{technology}/{account}/{region}/{name}/{check}", "notes", "The issue's notes (default empty)"),
    ("/api/1/auditorsettings", "accounts", "Account names or numbers, comma-separated"),
    ("/api/1/auditorsettings", "technologies", "Technologies, comma-separated"),
    ("/api/1/auditorsettings", "enabled", "true: checks that run; false: disabled checks"),
    ("/api/1/auditorsettings", "check", "A case-insensitive substring of the check id"),
    ("/api/1/auditorsettings", "page", "Page number, from 1 (default 1)"),
    ("/api/1/auditorsettings", "count", "Results per page, 1 to 1000 (default 30)"),
    ("/api/1/techmethods", "technologies", "Technologies, comma-separated (default: every one with checks)"),
];

/// The description, as JSON.
pub(crate) fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        let mut parameters: Vec<Value> = endpoint
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if filtered(endpoint.path) {
            parameters.extend(
                ITEM_FILTERS.iter().map(|(name, about)| json!({"name": name, "in": "query", "description": about, "schema": {"type": "string"}})),
            );
        }
        if endpoint.path == "/api/1/revisions" {
            parameters.extend(ITEM_FILTERS.iter().filter(|(name, _)| REVISION_FILTERS.contains(name)).map(
                |(name, about)| json!({"name": name, "in": "query", "description": about, "schema": {"type": "string"}}),
            ));
        }
        parameters.extend(OTHER_PARAMETERS.iter().filter(|(path, _, _)| *path == endpoint.path).map(
            |(_, name, about)| json!({"name": name, "in": "query", "description": about, "schema": {"type": "string"}}),
        ));
        if endpoint.path == "/api/1/issues" {
            parameters.push(json!({"name": "justified", "in": "query", "description": "true or false", "schema": {"type": "string"}}));
        }
        let operation = json!({
            "summary": endpoint.summary,
            "x-monkey-role": endpoint.role.to_string(),
            "parameters": parameters,
            "responses": {
                "200": {"description": "Success (201 for a creation, 204 for a deletion)"},
                "400": {"description": "Malformed input; the message names the field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "Nobody is logged in"},
                "403": {"description": format!("The caller has less than the {} role, or a session request lacks its CSRF token", endpoint.role)},
                "404": {"description": "Not found"},
            },
        });
        let entry = paths.entry(endpoint.path).or_insert_with(|| json!({}));
        if let Some(methods) = entry.as_object_mut() {
            methods.insert(endpoint.method.to_owned(), operation);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "monkey",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The REST API of monkey. Log in with POST /api/1/login (session cookie; send X-CSRF-Token on changes) or use an API token (Authorization: Bearer mk_...).",
        },
        "components": {
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}},
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"token": []}],
        "paths": paths,
    })
}

/// `GET /api/1/openapi.json`.
async fn openapi(caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(Role::View)?;
    Ok(Json(document()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The (method, path) pairs that the route calls in `source` define (before its tests).
    fn routes_in(source: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let source = source.split("#[cfg(test)]").next().unwrap_or(source);
        for chunk in source.split(".route(\"").skip(1) {
            let Some((path, rest)) = chunk.split_once('"') else { continue };
            let call = rest.split("\n}").next().unwrap_or(rest);
            for method in ["get", "post", "put", "delete", "patch"] {
                let used = call
                    .match_indices(&format!("{method}("))
                    .any(|(at, _)| at == 0 || !call[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
                if used {
                    out.insert((method.to_owned(), path.to_owned()));
                }
            }
        }
        out
    }

    #[test]
    fn every_route_is_described() {
        let sources = [
            include_str!("items.rs"),
            include_str!("revisions.rs"),
            include_str!("issues.rs"),
            include_str!("comments.rs"),
            include_str!("accounts.rs"),
            include_str!("distinct.rs"),
            include_str!("settings.rs"),
            include_str!("auditor_settings.rs"),
            include_str!("checks.rs"),
            include_str!("export.rs"),
            include_str!("openapi.rs"),
        ];
        let defined: BTreeSet<_> = sources.iter().flat_map(|s| routes_in(s)).collect();
        assert!(defined.len() >= 30, "the route reader found too few routes: {defined:?}");
        let document = document();
        for (method, path) in &defined {
            assert!(document["paths"][path][method].is_object(), "{method} {path} is not in openapi.json");
        }
        let described: BTreeSet<_> = ENDPOINTS.iter().map(|e| (e.method.to_owned(), e.path.to_owned())).collect();
        assert_eq!(described, defined, "the table describes exactly the routes");
    }

    #[test]
    fn the_route_reader_reads_chained_methods() {
        let source = "Router::new()\n .route(\"/a\", put(x).delete(delete_y))\n .route(\"/b\", get(z))\n}\nfn f() { store.get(1) }";
        let found = routes_in(source);
        let expected: BTreeSet<_> = [("put", "/a"), ("delete", "/a"), ("get", "/b")]
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }
}
