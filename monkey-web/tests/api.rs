//! The REST API under /api/1, through the router over a real redb store: every route's roles
//! (401 without login, 403 one role below, success with the role), filters and pagination,
//! comparisons, justifications, comment ownership, CSV defusing, conflicts, hostile names and
//! malformed input.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::model::{Category, Hash, Issue, IssueKey, ItemKey, Role, Technology, Timestamp, User};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, Store};
use monkey_web::auth::password::hash_password;
use monkey_web::{AppState, router};
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";
const XSS: &str = "<script>alert(1)</script>";
const XSS_PATH: &str = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
const FORMULA: &str = "=cmd|' /C calc'!A0";
const PROD: &str = "111111111111";

monkey_core::declare_check! {
    /// The check behind the bucket's issue, registered so that auditor settings know it.
    pub static S3_PUBLIC_READ = Check {
        id: "s3-public-read",
        technology: "s3",
        title: "S3PublicRead",
        category: Category::InternetAccessible,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "",
    };
}

static TEST_CHECKS: [&Check; 1] = [&S3_PUBLIC_READ];

/// The auditor that runs [`S3_PUBLIC_READ`], registered so that `techmethods` names it.
#[derive(Default)]
struct TestAuditor;

#[async_trait]
impl Auditor for TestAuditor {
    fn technology(&self) -> &'static str {
        "s3"
    }
    fn checks(&self) -> &'static [&'static Check] {
        &TEST_CHECKS
    }
    async fn audit(&self, _: &AuditedItem<'_>, _: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        Ok(vec![])
    }
}

monkey_core::register_auditor!(TestAuditor);

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
    body: Value,
}

/// A logged-in user: the cookie and the CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

async fn call(app: &axum::Router, method: Method, path: &str, body: Option<Value>, who: Option<&Session>) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(who) = who {
        request = request.header("cookie", &who.cookie).header("x-csrf-token", &who.csrf);
    }
    let request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, text, body }
}

async fn login(app: &axum::Router, store: &dyn Store, email: &str, role: Role) -> Session {
    let mut user = User::new(email, role).unwrap();
    user.password_hash = Some(hash_password(PASSWORD).unwrap());
    store.put_user(&user).await.unwrap();
    let reply =
        call(app, Method::POST, "/api/1/login", Some(json!({"email": email, "password": PASSWORD})), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    Session {
        cookie: cookie.split(';').next().unwrap().to_owned(),
        csrf: reply.body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_700_000_000 + seconds) * 1_000_000_000)
}

fn key(technology: &str, region: &str, name: &str) -> ItemKey {
    ItemKey::new(Technology::parse(technology).unwrap(), PROD.parse().unwrap(), region, name)
}

fn change(key: &ItemKey, kind: ChangeKind, arn: &str, config: Value, hash: u8) -> ItemChange {
    ItemChange {
        key: key.clone(),
        arn: Some(arn.into()),
        kind,
        config,
        durable_hash: Hash([hash; 32]),
        complete_hash: Hash([hash; 32]),
    }
}

fn issue(key: &ItemKey, check: &str, notes: &str, score: u32) -> Issue {
    Issue {
        key: IssueKey { item: key.clone(), check: check.into(), notes: notes.into() },
        score,
        category: Category::InternetAccessible,
        message: format!("{check}: {notes}"),
        links: vec![],
        fixed: false,
        justification: None,
        first_seen: at(10),
        last_seen: at(10),
    }
}

struct World {
    app: axum::Router,
    store: Arc<dyn Store>,
    _dir: Arc<tempfile::TempDir>,
    view: Session,
    comment: Session,
    justify: Session,
    admin: Session,
    /// The security group's two revisions, oldest first.
    sg_revisions: (u64, u64),
}

/// An account `prod` with three items: a security group with a hostile name (two revisions,
/// an issue of 10), a bucket whose name is a spreadsheet formula (an issue of 5), and an IAM
/// role without issues; a user of each role, logged in.
async fn world() -> World {
    let (store, dir) = common::redb_store();
    store.put_account(&common::account("prod", PROD)).await.unwrap();
    let (sg, bucket, role) =
        (key("securitygroup", "us-east-1", XSS), key("s3", "us-east-1", FORMULA), key("iamrole", "universal", "admin"));
    let first = store
        .commit_changeset(&Changeset {
            at: at(1),
            changes: vec![
                change(&sg, ChangeKind::Created, "arn:sg", json!({"rules": [{"port": 22, "cidr": "10.0.0.0/8"}]}), 1),
                change(&bucket, ChangeKind::Created, "arn:aws:s3:::bucket", json!({"Grants": ["AllUsers"]}), 2),
            ],
        })
        .await
        .unwrap();
    let second = store
        .commit_changeset(&Changeset {
            at: at(2),
            changes: vec![
                change(&sg, ChangeKind::Changed, "arn:sg", json!({"rules": [{"port": 22, "cidr": "0.0.0.0/0"}]}), 3),
                change(&role, ChangeKind::Created, "arn:aws:iam::111111111111:role/admin", json!({"Path": "/"}), 4),
            ],
        })
        .await
        .unwrap();
    store
        .commit_audit(&AuditCommit {
            at: at(10),
            items: vec![
                ItemAudit { item: sg.clone(), issues: vec![issue(&sg, "sg-open-to-world", "tcp/22", 10)] },
                ItemAudit { item: bucket.clone(), issues: vec![issue(&bucket, "s3-public-read", "AllUsers", 5)] },
            ],
        })
        .await
        .unwrap();
    let app = router(AppState::new(Arc::clone(&store)));
    let view = login(&app, store.as_ref(), "view@example.com", Role::View).await;
    let comment = login(&app, store.as_ref(), "comment@example.com", Role::Comment).await;
    let justify = login(&app, store.as_ref(), "justify@example.com", Role::Justify).await;
    let admin = login(&app, store.as_ref(), "admin@example.com", Role::Admin).await;
    World {
        app,
        store,
        _dir: dir,
        view,
        comment,
        justify,
        admin,
        sg_revisions: (first.revisions[0].1.0, second.revisions[0].1.0),
    }
}

impl World {
    fn session(&self, role: Role) -> &Session {
        match role {
            Role::View => &self.view,
            Role::Comment => &self.comment,
            Role::Justify => &self.justify,
            Role::Admin => &self.admin,
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>, role: Role) -> Reply {
        call(&self.app, method, path, body, Some(self.session(role))).await
    }

    async fn get(&self, path: &str) -> Reply {
        let reply = self.call(Method::GET, path, None, Role::View).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.text);
        reply
    }
}

fn below(role: Role) -> Option<Role> {
    match role {
        Role::View => None,
        Role::Comment => Some(Role::View),
        Role::Justify => Some(Role::Comment),
        Role::Admin => Some(Role::Justify),
    }
}

#[tokio::test]
async fn every_route_needs_a_login_and_its_role() {
    let w = world().await;
    let sg = format!("/api/1/items/securitygroup/prod/us-east-1/{XSS_PATH}");
    let (old, new) = w.sg_revisions;
    // Item and revision comments to delete, by the Justify user.
    let item_comment =
        w.call(Method::POST, &format!("{sg}/comments"), Some(json!({"text": "mine"})), Role::Justify).await;
    assert_eq!(item_comment.status, StatusCode::CREATED, "{}", item_comment.text);
    let item_comment = item_comment.body["id"].as_u64().unwrap();
    let rev_comment = w
        .call(Method::POST, &format!("/api/1/revisions/{new}/comments"), Some(json!({"text": "r"})), Role::Comment)
        .await;
    let rev_comment = rev_comment.body["id"].as_u64().unwrap();
    let flat_comment = w
        .call(Method::POST, &format!("/api/1/revisions/{new}/comments"), Some(json!({"text": "f"})), Role::Comment)
        .await;
    let flat_comment = flat_comment.body["id"].as_u64().unwrap();
    let issue = json!({"technology": "s3", "account": "prod", "region": "us-east-1", "name": FORMULA,
        "check": "s3-public-read", "notes": "AllUsers", "reason": "a public website"});
    let account = json!({"name": "staging", "number": "222222222222"});

    // (method, path, body, role needed, success status), in an order where each succeeds.
    let routes: Vec<(Method, String, Option<Value>, Role, StatusCode)> = vec![
        (Method::GET, "/api/1/items".into(), None, Role::View, StatusCode::OK),
        (Method::GET, sg.clone(), None, Role::View, StatusCode::OK),
        (Method::POST, format!("{sg}/comments"), Some(json!({"text": "hi"})), Role::Comment, StatusCode::CREATED),
        (Method::DELETE, format!("{sg}/comments/{item_comment}"), None, Role::Justify, StatusCode::NO_CONTENT),
        (Method::GET, format!("/api/1/revisions/{new}?compare={old}"), None, Role::View, StatusCode::OK),
        (
            Method::POST,
            format!("/api/1/revisions/{old}/comments"),
            Some(json!({"text": "x"})),
            Role::Comment,
            StatusCode::CREATED,
        ),
        (
            Method::DELETE,
            format!("/api/1/revisions/{new}/comments/{rev_comment}"),
            None,
            Role::Comment,
            StatusCode::NO_CONTENT,
        ),
        (Method::DELETE, format!("/api/1/comments/{flat_comment}"), None, Role::Comment, StatusCode::NO_CONTENT),
        (Method::GET, "/api/1/revisions?technologies=securitygroup".into(), None, Role::View, StatusCode::OK),
        (Method::GET, "/api/1/issues".into(), None, Role::View, StatusCode::OK),
        (
            Method::GET,
            format!("/api/1/issues/securitygroup/prod/us-east-1/{XSS_PATH}/sg-open-to-world?notes=tcp%2F22"),
            None,
            Role::View,
            StatusCode::OK,
        ),
        (Method::POST, "/api/1/issues/justification".into(), Some(issue.clone()), Role::Justify, StatusCode::OK),
        (Method::DELETE, "/api/1/issues/justification".into(), Some(issue.clone()), Role::Justify, StatusCode::OK),
        (Method::GET, "/api/1/accounts".into(), None, Role::View, StatusCode::OK),
        (Method::POST, "/api/1/accounts".into(), Some(account), Role::Admin, StatusCode::CREATED),
        (Method::GET, "/api/1/accounts/staging".into(), None, Role::View, StatusCode::OK),
        (Method::PUT, "/api/1/accounts/222222222222".into(), Some(json!({"notes": "n"})), Role::Admin, StatusCode::OK),
        (Method::PUT, "/api/1/accounts_bulk".into(), Some(json!({"staging": false})), Role::Admin, StatusCode::OK),
        (Method::DELETE, "/api/1/accounts/staging".into(), None, Role::Admin, StatusCode::NO_CONTENT),
        (Method::GET, "/api/1/distinct/technology?prefix=s".into(), None, Role::View, StatusCode::OK),
        (Method::GET, "/api/1/ignorelist".into(), None, Role::View, StatusCode::OK),
        (
            Method::POST,
            "/api/1/ignorelist".into(),
            Some(json!({"technology": "s3", "prefix": "logs-"})),
            Role::Admin,
            StatusCode::CREATED,
        ),
        (
            Method::PUT,
            "/api/1/ignorelist/s3/logs-".into(),
            Some(json!({"notes": "noise"})),
            Role::Admin,
            StatusCode::OK,
        ),
        (Method::DELETE, "/api/1/ignorelist/s3/logs-".into(), None, Role::Admin, StatusCode::NO_CONTENT),
        (Method::GET, "/api/1/whitelist".into(), None, Role::View, StatusCode::OK),
        (
            Method::POST,
            "/api/1/whitelist".into(),
            Some(json!({"name": "office", "cidr": "10.0.0.0/8"})),
            Role::Admin,
            StatusCode::CREATED,
        ),
        (
            Method::PUT,
            "/api/1/whitelist/office".into(),
            Some(json!({"cidr": "10.1.0.0/16"})),
            Role::Admin,
            StatusCode::OK,
        ),
        (Method::DELETE, "/api/1/whitelist/office".into(), None, Role::Admin, StatusCode::NO_CONTENT),
        (Method::GET, "/api/1/auditscores".into(), None, Role::View, StatusCode::OK),
        (
            Method::POST,
            "/api/1/auditscores".into(),
            Some(
                json!({"technology": "s3", "check": "s3-public-read", "score": 2, "account_patterns": ["name.prod=9"]}),
            ),
            Role::Admin,
            StatusCode::CREATED,
        ),
        (
            Method::PUT,
            "/api/1/auditscores/s3/s3-public-read".into(),
            Some(json!({"disabled": true})),
            Role::Admin,
            StatusCode::OK,
        ),
        (Method::DELETE, "/api/1/auditscores/s3/s3-public-read".into(), None, Role::Admin, StatusCode::NO_CONTENT),
        (Method::GET, "/api/1/auditorsettings".into(), None, Role::View, StatusCode::OK),
        (
            Method::PUT,
            "/api/1/auditorsettings/s3/s3-public-read".into(),
            Some(json!({"disabled": true})),
            Role::Justify,
            StatusCode::OK,
        ),
        (Method::GET, "/api/1/techmethods?technologies=s3".into(), None, Role::View, StatusCode::OK),
        (Method::GET, "/api/1/watcher_config".into(), None, Role::Admin, StatusCode::OK),
        (
            Method::PUT,
            "/api/1/watcher_config/s3".into(),
            Some(json!({"interval": "1d", "account_intervals": {PROD: 15}})),
            Role::Admin,
            StatusCode::OK,
        ),
        (Method::GET, "/api/1/export/items.csv".into(), None, Role::View, StatusCode::OK),
        (Method::GET, "/api/1/export/issues.csv".into(), None, Role::View, StatusCode::OK),
        (Method::GET, "/api/1/openapi.json".into(), None, Role::View, StatusCode::OK),
    ];
    let document = w.get("/api/1/openapi.json").await.body;
    for (method, path, body, role, success) in routes {
        let described = path.split('?').next().unwrap();
        let nobody = call(&w.app, method.clone(), &path, body.clone(), None).await;
        assert_eq!(nobody.status, StatusCode::UNAUTHORIZED, "{method} {path} without login: {}", nobody.text);
        if let Some(lower) = below(role) {
            let denied = w.call(method.clone(), &path, body.clone(), lower).await;
            assert_eq!(denied.status, StatusCode::FORBIDDEN, "{method} {path} as {lower}: {}", denied.text);
            assert!(denied.body["error"].as_str().unwrap().contains(&role.to_string()), "{}", denied.text);
        }
        let ok = w.call(method.clone(), &path, body, role).await;
        assert_eq!(ok.status, success, "{method} {path} as {role}: {}", ok.text);
        let templated = document["paths"].as_object().unwrap().iter().any(|(template, ops)| {
            ops.get(method.as_str().to_lowercase()).is_some() && matches_template(template, described)
        });
        assert!(templated, "{method} {described} is not in openapi.json");
    }
}

/// Whether `path` fits an OpenAPI path template (`{x}` matches one segment).
fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

#[tokio::test]
async fn every_described_route_exists() {
    let w = world().await;
    let document = w.get("/api/1/openapi.json").await.body;
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 20);
    for (template, operations) in paths {
        let concrete: String =
            template.split('/').map(|s| if s.starts_with('{') { "1" } else { s }).collect::<Vec<_>>().join("/");
        for method in operations.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let reply = call(&w.app, method.clone(), &concrete, None, None).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {concrete} is not routed: {}", reply.text);
        }
    }
}

#[tokio::test]
async fn items_filter_and_paginate() {
    let w = world().await;
    let all = w.get("/api/1/items").await.body;
    assert_eq!((all["total"].as_u64(), all["page"].as_u64(), all["count"].as_u64()), (Some(3), Some(1), Some(30)));
    let names: Vec<_> = all["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["admin", XSS, FORMULA], "newest first");
    assert_eq!(all["items"][1]["account_name"], "prod");

    let total = |path: &str| {
        let path = path.to_owned();
        let w = &w;
        async move { w.get(&path).await.body["total"].as_u64().unwrap() }
    };
    assert_eq!(total("/api/1/items?technologies=s3,iamrole").await, 2);
    assert_eq!(total(&format!("/api/1/items?accounts={PROD}&regions=universal")).await, 1);
    assert_eq!(total("/api/1/items?accounts=prod&names=SCRIPT").await, 1);
    assert_eq!(total("/api/1/items?arns=arn:sg,arn:aws:s3:::bucket").await, 2);
    assert_eq!(total("/api/1/items?min_score=6").await, 1);
    assert_eq!(total("/api/1/items?min_unjustified_score=1").await, 2);
    assert_eq!(total("/api/1/items?searchconfig=allusers").await, 1);
    assert_eq!(total("/api/1/items?searchconfig=10.0.0.0").await, 0, "only the latest configuration");
    assert_eq!(total("/api/1/items?active=true").await, 3);

    let second = w.get("/api/1/items?page=2&count=2").await.body;
    assert_eq!((second["total"].as_u64(), second["items"].as_array().unwrap().len()), (Some(3), 1));
    assert_eq!(second["items"][0]["name"], FORMULA);
    let far = w.get(&format!("/api/1/items?page={}&count=1000", usize::MAX)).await.body;
    assert_eq!((far["total"].as_u64(), far["items"].as_array().unwrap().len()), (Some(3), 0));

    for (query, field) in [
        ("count=0", "count"),
        ("count=1001", "count"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("min_score=high", "min_score"),
        ("active=yes", "active"),
        ("technologies=S3", "technologies"),
        ("accounts=nobody", "accounts"),
    ] {
        let reply = w.call(Method::GET, &format!("/api/1/items?{query}"), None, Role::View).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text);
        assert!(reply.body["error"].as_str().unwrap().starts_with(&format!("{field}:")), "{query}: {}", reply.text);
    }
}

#[tokio::test]
async fn an_item_page_has_revisions_issues_and_comments_and_hostile_names_come_back_verbatim() {
    let w = world().await;
    let path = format!("/api/1/items/securitygroup/{PROD}/us-east-1/{XSS_PATH}");
    let added = w.call(Method::POST, &format!("{path}/comments"), Some(json!({"text": XSS})), Role::Comment).await;
    assert_eq!(added.status, StatusCode::CREATED);
    let reply = w.get(&path).await;
    assert!(reply.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let page = reply.body;
    assert_eq!(page["item"]["name"], XSS);
    assert_eq!(page["item"]["score"], 10);
    let revisions = page["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0]["id"].as_u64(), Some(w.sg_revisions.1), "newest first");
    assert!(revisions[0].get("config").is_none(), "metadata only");
    assert_eq!(page["issues"][0]["check"], "sg-open-to-world");
    assert_eq!(page["issues"][0]["name"], XSS);
    assert_eq!(page["issues"][0]["justified"], false);
    assert_eq!(page["comments"][0]["text"], XSS);
    assert_eq!(page["comments"][0]["author"], "comment@example.com");
    assert!(!reply.text.contains("&lt;"), "JSON carries the text, not HTML: {}", reply.text);

    let missing = w.call(Method::GET, "/api/1/items/securitygroup/prod/us-east-1/nothing", None, Role::View).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for bad in ["/api/1/items/Security%20Group/prod/r/n", "/api/1/items/s3/nobody/r/n", "/api/1/items/s3/prod/r/%FF%FE"]
    {
        let reply = w.call(Method::GET, bad, None, Role::View).await;
        assert!(reply.status.is_client_error(), "{bad}: {} {}", reply.status, reply.text);
        assert!(reply.body["error"].is_string(), "{bad}: {}", reply.text);
    }
}

#[tokio::test]
async fn revisions_compare_as_html_and_json_patch() {
    let w = world().await;
    let (old, new) = w.sg_revisions;
    let plain = w.get(&format!("/api/1/revisions/{new}")).await.body;
    assert_eq!(plain["config"]["rules"][0]["cidr"], "0.0.0.0/0");
    assert_eq!(plain["item"]["name"], XSS);
    assert!(plain.get("diff_html").is_none() && plain.get("json_patch").is_none());

    let compared = w.get(&format!("/api/1/revisions/{new}?compare={old}")).await.body;
    let html = compared["diff_html"].as_str().unwrap();
    assert!(html.contains("diff-added") && html.contains("0.0.0.0/0"), "{html}");
    assert!(html.contains("diff-removed") && html.contains("10.0.0.0/8"), "{html}");
    assert!(html.contains("#dafbe1") && html.contains("#ffebe9"), "green and red: {html}");
    assert_eq!(compared["json_patch"], json!([{"op": "replace", "path": "/rules/0/cidr", "value": "0.0.0.0/0"}]));

    for (path, status) in [
        ("/api/1/revisions/999999".to_owned(), StatusCode::NOT_FOUND),
        (format!("/api/1/revisions/{new}?compare=999999"), StatusCode::NOT_FOUND),
        ("/api/1/revisions/abc".to_owned(), StatusCode::BAD_REQUEST),
        ("/api/1/revisions/99999999999999999999999".to_owned(), StatusCode::BAD_REQUEST),
        (format!("/api/1/revisions/{new}?compare=x"), StatusCode::BAD_REQUEST),
    ] {
        let reply = w.call(Method::GET, &path, None, Role::View).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.text);
        assert!(reply.body["error"].is_string(), "{path}: {}", reply.text);
    }
}

#[tokio::test]
async fn issues_are_justified_and_unjustified() {
    let w = world().await;
    let open = w.get("/api/1/issues").await.body;
    assert_eq!(open["total"], 2);
    assert_eq!(open["items"][0]["score"], 10, "highest first");
    let key = json!({"technology": "securitygroup", "account": PROD, "region": "us-east-1", "name": XSS,
        "check": "sg-open-to-world", "notes": "tcp/22"});

    let mut with_reason = key.clone();
    with_reason["reason"] = json!("  ");
    let blank = w.call(Method::POST, "/api/1/issues/justification", Some(with_reason.clone()), Role::Justify).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert!(blank.body["error"].as_str().unwrap().starts_with("reason:"), "{}", blank.text);

    with_reason["reason"] = json!("a bastion");
    let justified = w.call(Method::POST, "/api/1/issues/justification", Some(with_reason), Role::Justify).await;
    assert_eq!(justified.status, StatusCode::OK, "{}", justified.text);
    assert_eq!(justified.body["justified"], true);
    assert_eq!(justified.body["justification"]["by"], "justify@example.com");
    assert_eq!(justified.body["justification"]["reason"], "a bastion");
    let item = w.get(&format!("/api/1/items/securitygroup/prod/us-east-1/{XSS_PATH}")).await.body;
    assert_eq!((item["item"]["score"].as_u64(), item["item"]["unjustified_score"].as_u64()), (Some(10), Some(0)));
    assert_eq!(w.get("/api/1/issues?justified=true").await.body["total"], 1);
    assert_eq!(w.get("/api/1/issues?justified=false").await.body["items"][0]["check"], "s3-public-read");
    assert_eq!(w.get("/api/1/issues?min_score=6").await.body["total"], 1);
    assert_eq!(w.get("/api/1/issues?technologies=s3").await.body["total"], 1);
    let second = w.get("/api/1/issues?page=2&count=1").await.body;
    assert_eq!(second["items"][0]["check"], "sg-open-to-world", "unjustified issues first: {second}");

    let back = w.call(Method::DELETE, "/api/1/issues/justification", Some(key.clone()), Role::Justify).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.body["justification"], Value::Null);
    assert_eq!(w.get("/api/1/issues?justified=true").await.body["total"], 0);

    let mut unknown = key.clone();
    unknown["check"] = json!("nothing");
    let missing = w.call(Method::DELETE, "/api/1/issues/justification", Some(unknown), Role::Justify).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed =
        w.call(Method::POST, "/api/1/issues/justification", Some(json!({"technology": "s3"})), Role::Justify).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body["error"].as_str().unwrap().contains("account"), "{}", malformed.text);
}

#[tokio::test]
async fn item_comments_are_deleted_by_their_author_or_an_admin() {
    let w = world().await;
    let other = login(&w.app, w.store.as_ref(), "other@example.com", Role::Justify).await;
    let comments = "/api/1/items/iamrole/prod/universal/admin/comments";
    let mut ids = Vec::new();
    for _ in 0..2 {
        let reply = w.call(Method::POST, comments, Some(json!({"text": "mine"})), Role::Justify).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        ids.push(reply.body["id"].as_u64().unwrap());
    }
    let theirs = call(&w.app, Method::DELETE, &format!("{comments}/{}", ids[0]), None, Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.text);
    let own = w.call(Method::DELETE, &format!("{comments}/{}", ids[0]), None, Role::Justify).await;
    assert_eq!(own.status, StatusCode::NO_CONTENT);
    let again = w.call(Method::DELETE, &format!("{comments}/{}", ids[0]), None, Role::Justify).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let admin = w.call(Method::DELETE, &format!("{comments}/{}", ids[1]), None, Role::Admin).await;
    assert_eq!(admin.status, StatusCode::NO_CONTENT);

    let empty = w.call(Method::POST, comments, Some(json!({"text": ""})), Role::Comment).await;
    assert!(empty.status.is_client_error());
    assert!(empty.body["error"].as_str().unwrap().contains("comment"), "{}", empty.text);
    let nowhere = w
        .call(
            Method::POST,
            "/api/1/items/iamrole/prod/universal/nobody/comments",
            Some(json!({"text": "x"})),
            Role::Comment,
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    // A revision comment is not found under another revision.
    let (old, new) = w.sg_revisions;
    let on_new = w
        .call(Method::POST, &format!("/api/1/revisions/{new}/comments"), Some(json!({"text": "r"})), Role::Comment)
        .await;
    let id = on_new.body["id"].as_u64().unwrap();
    let wrong = w.call(Method::DELETE, &format!("/api/1/revisions/{old}/comments/{id}"), None, Role::Comment).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get(&format!("/api/1/revisions/{new}")).await.body["comments"][0]["text"], "r");
}

#[tokio::test]
async fn csv_exports_defuse_formulas() {
    let w = world().await;
    let items = w.get("/api/1/export/items.csv").await;
    assert!(items.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(items.text.starts_with("technology,account,account_name,region,name,"), "{}", items.text);
    assert!(items.text.contains("\"'=cmd|' /C calc'!A0\""), "{}", items.text);
    assert!(!items.text.contains(",=cmd"), "{}", items.text);
    assert_eq!(items.text.lines().count(), 4);
    let filtered = w.get("/api/1/export/items.csv?technologies=iamrole").await;
    assert_eq!(filtered.text.lines().count(), 2);
    let issues = w.get("/api/1/export/issues.csv").await;
    assert!(issues.text.contains("\"'=cmd|' /C calc'!A0\""), "{}", issues.text);
    assert!(issues.text.contains("sg-open-to-world") && issues.text.contains("s3-public-read"), "{}", issues.text);
    assert_eq!(issues.text.lines().count(), 3, "the header and one row per open issue");
}

#[tokio::test]
async fn accounts_are_created_changed_and_conflicts_refused() {
    let w = world().await;
    let post = |body: Value| w.call(Method::POST, "/api/1/accounts", Some(body), Role::Admin);
    let created = post(json!({"name": XSS, "number": "3333-3333-3333", "third_party": true, "notes": "vendor"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["name"], XSS);
    assert_eq!(created.body["number"], "333333333333");
    assert_eq!(created.body["role_name"], "SecurityMonkey");
    let name_taken = post(json!({"name": "prod", "number": "444444444444"})).await;
    assert_eq!(name_taken.status, StatusCode::CONFLICT, "{}", name_taken.text);
    let number_taken = post(json!({"name": "other", "number": PROD})).await;
    assert_eq!(number_taken.status, StatusCode::CONFLICT, "{}", number_taken.text);
    let bad_number = post(json!({"name": "x", "number": "12"})).await;
    assert!(bad_number.status.is_client_error());
    assert!(bad_number.body["error"].as_str().unwrap().contains("account number"), "{}", bad_number.text);
    let bad_role = post(json!({"name": "x", "number": "555555555555", "role_name": "no spaces"})).await;
    assert!(bad_role.body["error"].as_str().unwrap().contains("role name"), "{}", bad_role.text);
    let no_name = post(json!({"number": "555555555555"})).await;
    assert!(no_name.body["error"].as_str().unwrap().starts_with("name:"), "{}", no_name.text);
    let unknown_field = post(json!({"name": "x", "number": "555555555555", "colour": "red"})).await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
    assert!(unknown_field.body["error"].as_str().unwrap().contains("colour"), "{}", unknown_field.text);

    let renamed =
        w.call(Method::PUT, "/api/1/accounts/333333333333", Some(json!({"name": "vendor"})), Role::Admin).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["third_party"], true, "fields not given are kept");
    let taken = w.call(Method::PUT, "/api/1/accounts/vendor", Some(json!({"name": "prod"})), Role::Admin).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let renumber =
        w.call(Method::PUT, "/api/1/accounts/vendor", Some(json!({"number": "999999999999"})), Role::Admin).await;
    assert_eq!(renumber.status, StatusCode::BAD_REQUEST);
    let listed = w.get("/api/1/accounts").await.body;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(w.get("/api/1/distinct/account?prefix=VEN").await.body["values"], json!(["vendor"]));
    assert_eq!(w.get("/api/1/distinct/technology").await.body["values"], json!(["iamrole", "s3", "securitygroup"]));
    let bad_field = w.call(Method::GET, "/api/1/distinct/colour", None, Role::View).await;
    assert_eq!(bad_field.status, StatusCode::BAD_REQUEST);
    let gone = w.call(Method::DELETE, "/api/1/accounts/prod", None, Role::Admin).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(w.get("/api/1/items").await.body["total"], 0, "its items went with it");
    let missing = w.call(Method::GET, "/api/1/accounts/prod", None, Role::View).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn settings_validate_and_refuse_duplicates() {
    let w = world().await;
    let admin = |method: Method, path: &'static str, body: Value| w.call(method, path, Some(body), Role::Admin);
    let bad_cidr = admin(Method::POST, "/api/1/whitelist", json!({"name": "x", "cidr": "10.0.0.0/33"})).await;
    assert!(bad_cidr.body["error"].as_str().unwrap().contains("CIDR"), "{}", bad_cidr.text);
    assert_eq!(
        admin(Method::POST, "/api/1/whitelist", json!({"name": "vpn", "cidr": "192.0.2.7"})).await.status,
        StatusCode::CREATED
    );
    let again = admin(Method::POST, "/api/1/whitelist", json!({"name": "vpn", "cidr": "192.0.2.8"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(w.get("/api/1/whitelist").await.body[0]["cidr"], "192.0.2.7/32");
    let missing = admin(Method::PUT, "/api/1/whitelist/nothing", json!({"cidr": "10.0.0.0/8"})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let empty_prefix = admin(Method::POST, "/api/1/ignorelist", json!({"technology": "s3", "prefix": ""})).await;
    assert!(empty_prefix.body["error"].as_str().unwrap().contains("prefix"), "{}", empty_prefix.text);
    let bad_tech = admin(Method::POST, "/api/1/ignorelist", json!({"technology": "S 3", "prefix": "x"})).await;
    assert!(bad_tech.body["error"].as_str().unwrap().starts_with("technology:"), "{}", bad_tech.text);

    let bad_pattern = admin(
        Method::POST,
        "/api/1/auditscores",
        json!({"technology": "s3", "check": "c", "account_patterns": ["colour.red=1"]}),
    )
    .await;
    assert!(bad_pattern.body["error"].as_str().unwrap().contains("account field"), "{}", bad_pattern.text);
    let created =
        admin(Method::POST, "/api/1/auditscores", json!({"technology": "s3", "check": "c", "score": 3})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        admin(Method::POST, "/api/1/auditscores", json!({"technology": "s3", "check": "c"})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(w.get("/api/1/auditscores").await.body[0]["score"], 3);

    let short = admin(Method::PUT, "/api/1/watcher_config/s3", json!({"interval": 5})).await;
    assert!(short.body["error"].as_str().unwrap().starts_with("interval:"), "{}", short.text);
    let set = admin(Method::PUT, "/api/1/watcher_config/s3", json!({"interval": "12h", "enabled": false})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    let configs = w.call(Method::GET, "/api/1/watcher_config", None, Role::Admin).await.body;
    assert_eq!((configs[0]["interval"].as_u64(), configs[0]["enabled"].as_bool()), (Some(720), Some(false)));
}

#[tokio::test]
async fn a_session_change_without_its_csrf_token_is_refused() {
    let w = world().await;
    let no_csrf = Session { cookie: w.admin.cookie.clone(), csrf: String::new() };
    let reply = call(
        &w.app,
        Method::POST,
        "/api/1/whitelist",
        Some(json!({"name": "x", "cidr": "10.0.0.0/8"})),
        Some(&no_csrf),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(w.get("/api/1/whitelist").await.body.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn revisions_are_listed_across_items_newest_first() {
    let w = world().await;
    let (old, new) = w.sg_revisions;
    let all = w.get("/api/1/revisions").await.body;
    assert_eq!((all["total"].as_u64(), all["page"].as_u64(), all["count"].as_u64()), (Some(4), Some(1), Some(30)));
    let ids: Vec<_> = all["items"].as_array().unwrap().iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|p| p[0] > p[1]), "newest first: {ids:?}");
    let sg = all["items"].as_array().unwrap().iter().find(|r| r["id"].as_u64() == Some(new)).unwrap();
    assert_eq!(sg["name"], XSS, "names come back verbatim");
    assert_eq!((sg["technology"].as_str(), sg["account_name"].as_str()), (Some("securitygroup"), Some("prod")));
    assert_eq!((sg["active"].as_bool(), sg["created_at"].is_string()), (Some(true), true));
    assert!(sg.get("config").is_none(), "no configuration in a list");

    let ids_of = |body: &Value| -> Vec<u64> {
        body["items"].as_array().unwrap().iter().map(|r| r["id"].as_u64().unwrap()).collect()
    };
    assert_eq!(ids_of(&w.get("/api/1/revisions?technologies=securitygroup").await.body), vec![new, old]);
    assert_eq!(ids_of(&w.get("/api/1/revisions?accounts=prod&names=SCRIPT").await.body), vec![new, old]);
    assert_eq!(w.get(&format!("/api/1/revisions?accounts={PROD}&regions=universal")).await.body["total"], 1);
    assert_eq!(w.get("/api/1/revisions?active=false").await.body["total"], 0);
    assert_eq!(w.get("/api/1/revisions?active=true").await.body["total"], 4);
    let second = w.get("/api/1/revisions?page=2&count=3").await.body;
    assert_eq!((second["total"].as_u64(), ids_of(&second)), (Some(4), vec![old]));
    for (query, field) in [
        ("min_score=1", "min_score"),
        ("searchconfig=x", "searchconfig"),
        ("arns=a", "arns"),
        ("active=maybe", "active"),
        ("count=0", "count"),
        ("accounts=nobody", "accounts"),
    ] {
        let reply = w.call(Method::GET, &format!("/api/1/revisions?{query}"), None, Role::View).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text);
        assert!(reply.body["error"].as_str().unwrap().starts_with(&format!("{field}:")), "{query}: {}", reply.text);
    }
}

#[tokio::test]
async fn one_issue_is_found_by_item_check_and_notes() {
    let w = world().await;
    let base = format!("/api/1/issues/securitygroup/prod/us-east-1/{XSS_PATH}/sg-open-to-world");
    let issue = w.get(&format!("{base}?notes=tcp%2F22")).await.body;
    assert_eq!((issue["check"].as_str(), issue["score"].as_u64()), (Some("sg-open-to-world"), Some(10)));
    assert_eq!((issue["name"].as_str(), issue["notes"].as_str()), (Some(XSS), Some("tcp/22")));
    assert_eq!(issue["justified"], false);
    let by_number = w
        .get(&format!("/api/1/issues/securitygroup/{PROD}/us-east-1/{XSS_PATH}/sg-open-to-world?notes=tcp%2F22"))
        .await;
    assert_eq!(by_number.body["account_name"], "prod");
    for path in [
        base.clone(),
        format!("{base}?notes=tcp%2F23"),
        "/api/1/issues/securitygroup/prod/us-east-1/nothing/sg-open-to-world?notes=tcp%2F22".to_owned(),
    ] {
        let reply = w.call(Method::GET, &path, None, Role::View).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.text);
    }
    let bad = w.call(Method::GET, "/api/1/issues/S%203/prod/r/n/c", None, Role::View).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
}

#[tokio::test]
async fn auditor_settings_disable_and_enable_checks_through_their_scores() {
    let w = world().await;
    let rows = w.get("/api/1/auditorsettings?accounts=prod").await.body;
    let s3 = rows["items"].as_array().unwrap().iter().find(|r| r["check"] == "s3-public-read").unwrap().clone();
    assert_eq!(s3["account"], PROD);
    assert_eq!(s3["account_name"], "prod");
    assert_eq!((s3["technology"].as_str(), s3["title"].as_str()), (Some("s3"), Some("S3PublicRead")));
    assert_eq!((s3["disabled"].as_bool(), s3["open_issues"].as_u64()), (Some(false), Some(1)));
    let sg = rows["items"].as_array().unwrap().iter().find(|r| r["check"] == "sg-open-to-world").unwrap().clone();
    assert_eq!((sg["title"].clone(), sg["open_issues"].as_u64()), (Value::Null, Some(1)), "known from its issue");
    assert_eq!(w.get("/api/1/auditorsettings?check=OPEN-TO&technologies=securitygroup").await.body["total"], 1);
    assert_eq!(w.get("/api/1/auditorsettings?enabled=false").await.body["total"], 0);

    let put = |disabled: bool| {
        w.call(
            Method::PUT,
            "/api/1/auditorsettings/s3/s3-public-read",
            Some(json!({"disabled": disabled})),
            Role::Justify,
        )
    };
    let off = put(true).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(off.body, json!({"technology": "s3", "check": "s3-public-read", "disabled": true}));
    let stored = w.store.score_overrides().await.unwrap();
    assert_eq!(
        stored.iter().map(|o| (o.check.as_str(), o.disabled, o.score)).collect::<Vec<_>>(),
        [("s3-public-read", true, None)]
    );
    let disabled = w.get("/api/1/auditorsettings?enabled=false").await.body;
    assert_eq!((disabled["total"].as_u64(), disabled["items"][0]["check"].as_str()), (Some(1), Some("s3-public-read")));
    assert_eq!(put(false).await.status, StatusCode::OK);
    assert!(w.store.score_overrides().await.unwrap().is_empty(), "an override that changes nothing is removed");

    // A score set by an Admin stays when the check is turned off and on again.
    let scored = w
        .call(
            Method::POST,
            "/api/1/auditscores",
            Some(json!({"technology": "s3", "check": "s3-public-read", "score": 2})),
            Role::Admin,
        )
        .await;
    assert_eq!(scored.status, StatusCode::CREATED);
    assert_eq!(put(true).await.status, StatusCode::OK);
    assert_eq!(put(false).await.status, StatusCode::OK);
    let kept = w.store.score_overrides().await.unwrap();
    assert_eq!(kept.iter().map(|o| (o.disabled, o.score)).collect::<Vec<_>>(), [(false, Some(2))]);

    let unknown = w
        .call(Method::PUT, "/api/1/auditorsettings/s3/no-such-check", Some(json!({"disabled": true})), Role::Justify)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
    let wrong_technology = w
        .call(
            Method::PUT,
            "/api/1/auditorsettings/iamrole/s3-public-read",
            Some(json!({"disabled": true})),
            Role::Justify,
        )
        .await;
    assert_eq!(wrong_technology.status, StatusCode::NOT_FOUND, "{}", wrong_technology.text);
    let malformed = w
        .call(Method::PUT, "/api/1/auditorsettings/s3/s3-public-read", Some(json!({"disabled": "yes"})), Role::Justify)
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST, "{}", malformed.text);
    for (query, field) in [("accounts=nobody", "accounts"), ("enabled=1", "enabled"), ("page=0", "page")] {
        let reply = w.call(Method::GET, &format!("/api/1/auditorsettings?{query}"), None, Role::View).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text);
        assert!(reply.body["error"].as_str().unwrap().starts_with(&format!("{field}:")), "{query}: {}", reply.text);
    }
}

#[tokio::test]
async fn techmethods_list_the_registered_checks_of_each_technology() {
    let w = world().await;
    let answer = w.get("/api/1/techmethods?technologies=s3,iamrole").await.body;
    let s3 = answer["technologies"]["s3"].as_array().unwrap();
    let ours = s3.iter().find(|c| c["id"] == "s3-public-read").unwrap();
    assert_eq!((ours["title"].as_str(), ours["auditor"].as_str()), (Some("S3PublicRead"), Some("TestAuditor")));
    assert_eq!(ours["default_score"], 5);
    assert_eq!(answer["technologies"]["iamrole"], json!([]), "a technology without checks has none");
    let every = w.get("/api/1/techmethods").await.body;
    assert!(every["technologies"]["s3"].is_array());
    let bad = w.call(Method::GET, "/api/1/techmethods?technologies=S3", None, Role::View).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
}

#[tokio::test]
async fn accounts_are_enabled_and_disabled_in_bulk_all_or_nothing() {
    let w = world().await;
    w.store.put_account(&common::account("staging", "222222222222")).await.unwrap();
    let bulk = |body: Value| w.call(Method::PUT, "/api/1/accounts_bulk", Some(body), Role::Admin);
    let off = bulk(json!({"prod": false, "222222222222": false})).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(off.body.as_array().unwrap().len(), 2);
    for account in w.store.accounts().await.unwrap() {
        assert!(!account.active, "{} is disabled", account.name.as_str());
    }
    let unknown = bulk(json!({"prod": true, XSS: true})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
    assert!(unknown.body["error"].as_str().unwrap().contains(XSS), "names the unknown account: {}", unknown.text);
    let prod = w.store.account_by_number(&PROD.parse().unwrap()).await.unwrap().unwrap();
    assert!(!prod.active, "nothing changed");
    let malformed = bulk(json!({"prod": "yes"})).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST, "{}", malformed.text);
    let on = bulk(json!({"prod": true})).await;
    assert_eq!(on.body[0]["active"], true);
    assert!(w.store.account_by_number(&PROD.parse().unwrap()).await.unwrap().unwrap().active);
}

#[tokio::test]
async fn comments_are_deleted_by_id_by_their_author_or_an_admin() {
    let w = world().await;
    let (_, new) = w.sg_revisions;
    let other = login(&w.app, w.store.as_ref(), "other@example.com", Role::Comment).await;
    let on_revision = w
        .call(Method::POST, &format!("/api/1/revisions/{new}/comments"), Some(json!({"text": "r"})), Role::Comment)
        .await;
    let on_revision = on_revision.body["id"].as_u64().unwrap();
    let on_item = w
        .call(
            Method::POST,
            "/api/1/items/iamrole/prod/universal/admin/comments",
            Some(json!({"text": "i"})),
            Role::Comment,
        )
        .await;
    let on_item = on_item.body["id"].as_u64().unwrap();

    let theirs = call(&w.app, Method::DELETE, &format!("/api/1/comments/{on_revision}"), None, Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.text);
    let own_item = w.call(Method::DELETE, &format!("/api/1/comments/{on_item}"), None, Role::Comment).await;
    assert_eq!(own_item.status, StatusCode::FORBIDDEN, "an item comment needs the Justify role: {}", own_item.text);
    assert!(own_item.body["error"].as_str().unwrap().contains("Justify"), "{}", own_item.text);
    let own = w.call(Method::DELETE, &format!("/api/1/comments/{on_revision}"), None, Role::Comment).await;
    assert_eq!(own.status, StatusCode::NO_CONTENT, "{}", own.text);
    let again = w.call(Method::DELETE, &format!("/api/1/comments/{on_revision}"), None, Role::Comment).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let admin = w.call(Method::DELETE, &format!("/api/1/comments/{on_item}"), None, Role::Admin).await;
    assert_eq!(admin.status, StatusCode::NO_CONTENT, "{}", admin.text);
    assert!(w.store.comment(monkey_core::model::CommentId(on_item)).await.unwrap().is_none());
    let bad = w.call(Method::DELETE, "/api/1/comments/x", None, Role::Comment).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
