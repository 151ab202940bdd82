//! SARIF 2.1.0: one run of the `monkey` tool, a rule per check, a result per open issue.

use super::Report;
use crate::auditor::Check;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The SARIF 2.1.0 schema the output declares.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF levels by score: a dashboard sorts on them.
fn level(score: u32) -> &'static str {
    match score {
        8.. => "error",
        3..=7 => "warning",
        1..=2 => "note",
        0 => "none",
    }
}

/// The first paragraph after `## What it finds`, or the title.
fn summary(check: &Check) -> String {
    let after = check.docs.split_once("## What it finds").map(|(_, rest)| rest).unwrap_or(check.docs);
    let paragraph = after.trim_start().split("\n\n").next().unwrap_or_default().trim();
    let paragraph = paragraph.split("\n## ").next().unwrap_or_default().trim();
    if paragraph.is_empty() { check.title.to_owned() } else { paragraph.to_owned() }
}

fn rule(id: &str, check: Option<&Check>) -> Value {
    match check {
        Some(check) => json!({
            "id": check.id,
            "name": check.title,
            "shortDescription": {"text": check.title},
            "fullDescription": {"text": summary(check)},
            "help": {"text": check.docs, "markdown": check.docs},
            "defaultConfiguration": {"level": level(check.default_score)},
            "properties": {
                "category": check.category.as_str(),
                "technology": check.technology,
                "defaultScore": check.default_score,
                "security-severity": format!("{:.1}", check.default_score.min(10)),
                "tags": ["security", check.category.as_str()],
            },
        }),
        None => json!({"id": id, "shortDescription": {"text": id}}),
    }
}

pub(super) fn render(report: &Report, checks: &[&'static Check]) -> Value {
    let known: BTreeMap<&str, &Check> = checks.iter().map(|c| (c.id, *c)).collect();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &report.items {
        for issue in &item.issues {
            let next = used.len();
            used.entry(issue.key.check.as_str()).or_insert(next);
        }
    }
    let mut rules = vec![Value::Null; used.len()];
    for (id, index) in &used {
        rules[*index] = rule(id, known.get(id).copied());
    }
    let mut results = Vec::new();
    for item in &report.items {
        let qualified = item
            .arn
            .clone()
            .unwrap_or_else(|| format!("{}/{}/{}/{}", item.technology, item.account, item.region, item.name));
        for issue in &item.issues {
            let fingerprint =
                blake3::hash(format!("{}\u{0}{}\u{0}{}", qualified, issue.key.check, issue.key.notes).as_bytes())
                    .to_hex()
                    .to_string();
            let mut result = json!({
                "ruleId": issue.key.check,
                "ruleIndex": used.get(issue.key.check.as_str()).copied().unwrap_or_default(),
                "level": level(issue.score),
                "message": {"text": format!("{} ({})", issue.message, issue.key.notes)},
                "locations": [{
                    "logicalLocations": [{
                        "name": item.name,
                        "fullyQualifiedName": qualified,
                        "kind": "resource",
                    }],
                }],
                "partialFingerprints": {"monkeyIssue/v1": fingerprint},
                "properties": {
                    "score": issue.score,
                    "category": issue.category.as_str(),
                    "technology": item.technology,
                    "account": item.account,
                    "region": item.region,
                    "notes": issue.key.notes,
                    "firstSeen": issue.first_seen.to_string(),
                },
            });
            if let Some(justification) = &issue.justification {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{} ({}, {})", justification.reason, justification.by, justification.at),
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "monkey",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/monkey-sec/monkey",
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": true, "endTimeUtc": report.generated_at.to_string()}],
            "results": results,
        }],
    })
}
