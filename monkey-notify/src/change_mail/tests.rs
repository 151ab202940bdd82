use super::*;
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, IssueKey, Justification, Technology, Timestamp,
};
use serde_json::json;

fn account() -> Account {
    Account::new(AccountName::parse("prod").unwrap(), AccountNumber::parse("123456789012").unwrap())
}

fn key(name: &str) -> ItemKey {
    ItemKey::new(
        Technology::parse("securitygroup").unwrap(),
        AccountNumber::parse("123456789012").unwrap(),
        "us-east-1",
        name,
    )
}

fn issue(key: &ItemKey, justified: bool) -> Issue {
    Issue {
        key: IssueKey {
            item: key.clone(),
            check: "securitygroup-ingress-open-to-world".into(),
            notes: "ingress:tcp:22".into(),
        },
        score: 10,
        category: Category::InternetAccessible,
        message: "Security group allows ingress from 0.0.0.0/0".into(),
        links: vec![],
        fixed: false,
        justification: justified.then(|| Justification {
            by: "a@b.c".into(),
            at: Timestamp::from_unix_nanos(0),
            reason: "bastion".into(),
        }),
        first_seen: Timestamp::from_unix_nanos(0),
        last_seen: Timestamp::from_unix_nanos(0),
    }
}

fn item(key: &ItemKey, kind: ChangeKind, old: Option<Value>, new: Value) -> ChangedItem {
    ChangedItem { key: key.clone(), kind, old, new, new_issues: vec![], fixed_issues: vec![], existing_issues: vec![] }
}

fn changes(items: Vec<ChangedItem>) -> UnitChanges {
    UnitChanges {
        account: account(),
        technology: Technology::parse("securitygroup").unwrap(),
        since: Timestamp::from_unix_nanos(0),
        items,
    }
}

#[test]
fn subjects_follow_security_monkey() {
    let k = key("web");
    let (old, new) = (json!({"port": 80}), json!({"port": 22}));
    let unjustified = issue(&k, false);
    let justified = issue(&k, true);
    let mut changed = item(&k, ChangeKind::Changed, Some(old), new);
    let subject = |changed: &ChangedItem| {
        let changes = changes(vec![changed.clone()]);
        ChangeMail { changes: &changes, base_url: None }.subject()
    };
    assert_eq!(subject(&changed), "[prod] Changes in securitygroup");
    changed.existing_issues = vec![justified];
    assert_eq!(subject(&changed), "[prod] Changes w/justified issues in securitygroup");
    changed.existing_issues = vec![unjustified.clone()];
    assert_eq!(subject(&changed), "[prod] Changes w/existing issues in securitygroup");
    changed.new_issues = vec![unjustified];
    assert_eq!(subject(&changed), "NEW ISSUE - [prod] Changes in securitygroup");
}

#[test]
fn ephemeral_changes_make_no_mail() {
    let k = key("web");
    let changes = changes(vec![item(&k, ChangeKind::Ephemeral, Some(json!({})), json!({}))]);
    assert!(ChangeMail { changes: &changes, base_url: None }.is_empty());
}

#[test]
fn renders_both_parts_with_escaped_names_and_links() {
    let k = key("<script>alert(1)</script>");
    let (old, new) = (json!({"port": 80}), json!({"port": 22, "<b>": "x"}));
    let mut changed = item(&k, ChangeKind::Changed, Some(old), new);
    changed.new_issues = vec![issue(&k, false)];
    let changes = changes(vec![changed]);
    let mail = ChangeMail { changes: &changes, base_url: Some("https://monkey.example.com/") };
    let message = mail.render("run-1/prod", vec!["team@example.com".into()]);
    assert_eq!(message.id, "run-1/prod");
    let html = message.html.unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("New Audit Items"));
    assert!(html.contains(
        "https://monkey.example.com/items/securitygroup/123456789012/us-east-1/%3Cscript%3Ealert%281%29%3C%2Fscript%3E"
    ));
    assert!(message.text.contains("Changed: securitygroup us-east-1 <script>alert(1)</script>"));
    assert!(message.text.contains("New issue [10]"));
    assert!(message.text.contains("--- old\n+++ new\n"), "{}", message.text);
    assert!(message.text.lines().any(|l| l.starts_with('-') && l.contains("\"port\": 80")), "{}", message.text);
    assert!(message.text.lines().any(|l| l.starts_with('+') && l.contains("\"port\": 22")), "{}", message.text);
}
