//! Report formats: SARIF valid against the SARIF 2.1.0 schema, CSV and text that survive
//! hostile resource names, JSON that reads back.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::{AccountNumber, Category, Issue, IssueKey, ItemKey, Justification, Technology, Timestamp};
use monkey_core::report::{Format, Report, ReportItem};
use serde_json::Value;

monkey_core::declare_check! {
    /// A check for the report tests.
    pub static REPORT_DEMO = Check {
        id: "s3-report-demo",
        technology: "s3",
        title: "S3ReportDemo",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\nDemo buckets.\n\n## Why it matters\nx\n\n## Example\nx\n\n## How to fix\nx\n\n## References\n- x\n",
    };
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn report() -> Report {
    let key = |name: &str| ItemKey {
        technology: Technology::parse("s3").unwrap(),
        account: AccountNumber::parse("111111111111").unwrap(),
        region: "us-east-1".into(),
        name: name.into(),
    };
    let issue = |item: &ItemKey, check: &str, notes: &str, score: u32, justified: bool| Issue {
        key: IssueKey { item: item.clone(), check: check.into(), notes: notes.into() },
        score,
        category: Category::InternetAccessible,
        message: "Bucket is public, says \"<script>alert(1)</script>\"".into(),
        links: vec![],
        fixed: false,
        justification: justified.then(|| Justification {
            by: "sec@example.com".into(),
            at: at("2026-01-02T00:00:00Z"),
            reason: "public website, by design".into(),
        }),
        first_seen: at("2026-01-01T00:00:00Z"),
        last_seen: at("2026-01-01T00:00:00Z"),
    };
    let hostile = key("=cmd|' /C calc'!A0,\"\n<b>");
    let plain = key("quiet-bucket");
    let items = vec![
        ReportItem::new(
            &hostile,
            Some("arn:aws:s3:::hostile".into()),
            vec![
                issue(&hostile, "s3-report-demo", "Entity: [principal:*] Actions: [\"s3:getobject\"]", 10, false),
                issue(&hostile, "s3-report-demo", "Entity: [principal:*] Actions: [\"s3:putobject\"]", 10, true),
                issue(&hostile, "s3-unregistered-check", "notes", 2, false),
            ],
        ),
        ReportItem::new(&plain, None, vec![]),
    ];
    Report::new(items, at("2026-01-03T00:00:00Z"))
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let mut schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    // The published schema's `language` patterns have a stray `]` that strict regex engines
    // refuse; the intended pattern is two letters with an optional region.
    let fixed = fix_patterns(&mut schema, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    assert_eq!(fixed, 2, "the schema changed: review this fix");
    let validator = jsonschema::draft7::new(&schema).expect("the SARIF schema compiles");
    let sarif: Value = serde_json::from_str(&report().render(Format::Sarif)).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2, "one rule per check used");
    assert_eq!(rules[0]["id"], "s3-report-demo");
    assert_eq!(rules[0]["fullDescription"]["text"], "Demo buckets.");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "arn:aws:s3:::hostile");
    assert!(results.iter().filter(|r| r.get("suppressions").is_some()).count() == 1, "the justified issue");
    let prints: std::collections::HashSet<&str> =
        results.iter().map(|r| r["partialFingerprints"]["monkeyIssue/v1"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), 3, "fingerprints are distinct per issue");
    assert_eq!(results[2]["ruleIndex"], 1);

    // A broken document is caught, so the validation above can fail.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "catastrophic".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn csv_has_one_row_per_issue_and_defuses_formulas() {
    let csv = report().render(Format::Csv);
    assert!(csv.starts_with("technology,account,region,name,arn,item_score,item_unjustified_score,check,"));
    assert!(csv.contains("\"'=cmd|' /C calc'!A0,\"\"\n<b>\""), "{csv}");
    let rows = csv.split("\r\n").filter(|r| !r.is_empty()).count();
    assert_eq!(rows, 1 + 3 + 1, "header, three issues, one item without issues");
    assert!(csv.contains("true,\"public website, by design (sec@example.com, 2026-01-02T00:00:00Z)\""));
}

#[test]
fn text_escapes_control_characters_and_json_reads_back() {
    let text = report().render(Format::Text);
    assert!(text.contains("\\n<b>"), "{text}");
    assert!(text.contains("[justified]"));
    assert!(text.ends_with("2 items audited, 1 with issues, 3 open issues\n"));
    let json: Value = serde_json::from_str(&report().render(Format::Json)).unwrap();
    assert_eq!(json["items"][0]["score"], 22);
    assert_eq!(json["items"][0]["unjustified_score"], 12);
    assert_eq!(json["items"][1]["issues"], serde_json::json!([]));
}

fn fix_patterns(value: &mut Value, broken: &str, fixed: &str) -> usize {
    match value {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, child)| {
                if key == "pattern" && child == broken {
                    *child = fixed.into();
                    1
                } else {
                    fix_patterns(child, broken, fixed)
                }
            })
            .sum(),
        Value::Array(list) => list.iter_mut().map(|child| fix_patterns(child, broken, fixed)).sum(),
        _ => 0,
    }
}
