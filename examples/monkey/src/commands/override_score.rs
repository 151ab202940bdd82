//! Score overrides: `monkey override-score add|list|remove` and Security Monkey's
//! `add_override_score` and `add_override_scores` (CSV).

use crate::Failure;
use crate::cli::{Format, OverrideScoreCommand};
use crate::output;
use crate::output::say;
use monkey_core::auditor::{Check, registered_checks};
use monkey_core::model::{AccountPattern, ScoreOverride, Technology};
use monkey_core::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

/// `monkey override-score ...`.
pub(crate) async fn run(store: &dyn Store, command: OverrideScoreCommand) -> Result<(), Failure> {
    match command {
        OverrideScoreCommand::Add { technology, check, score, disabled, patterns } => {
            let (technology, check) = registered_check(&technology, &check)?;
            let account_patterns = parse_patterns(&patterns)?;
            if score.is_none() && !disabled && account_patterns.is_empty() {
                return Err(Failure::usage("nothing to override: give --score, --disabled or --pattern"));
            }
            let entry = ScoreOverride { technology, check: check.id.to_owned(), score, disabled, account_patterns };
            store.put_score_override(&entry).await?;
            print_applied(&entry);
            Ok(())
        }
        OverrideScoreCommand::List { format } => list(store, format).await,
        OverrideScoreCommand::Remove { technology, check } => {
            let technology = Technology::parse(&technology)?;
            if !store.delete_score_override(&technology, &check).await? {
                return Err(Failure::usage(format!(
                    "no override of {check} for {technology}; `monkey override-score list` shows them"
                )));
            }
            say!(
                "Removed the override of {check} for {technology}; run `monkey audit_changes -m {technology}` to apply it"
            );
            Ok(())
        }
    }
}

/// Security Monkey's `add_override_score`: sets the score and `disabled`, and adds the
/// patterns to the stored ones (replacing any with the same field and value), as it did.
pub(crate) async fn add_override_score(
    store: &dyn Store,
    technology: &str,
    check: &str,
    score: Option<u32>,
    disabled: bool,
    patterns: &[String],
) -> Result<(), Failure> {
    let (technology, check) = registered_check(technology, check)?;
    let patterns = parse_patterns(patterns)?;
    if score.is_none() && !disabled {
        return Err(Failure::usage("either a score (-s) or disabled (-b) is required"));
    }
    let mut entry = store
        .score_overrides()
        .await?
        .into_iter()
        .find(|o| o.technology == technology && o.check == check.id)
        .unwrap_or_else(|| ScoreOverride {
            technology,
            check: check.id.to_owned(),
            score: None,
            disabled: false,
            account_patterns: Vec::new(),
        });
    entry.score = score;
    entry.disabled = disabled;
    for pattern in patterns {
        match entry.account_patterns.iter_mut().find(|p| p.field == pattern.field && p.value == pattern.value) {
            Some(old) => old.score = pattern.score,
            None => entry.account_patterns.push(pattern),
        }
    }
    store.put_score_override(&entry).await?;
    print_applied(&entry);
    Ok(())
}

/// Security Monkey's `add_override_scores -f CSV [-m MAPPINGS]`: every row is checked, then
/// the file's overrides replace all stored ones.
pub(crate) async fn add_override_scores(store: &dyn Store, file: &Path, mappings: Option<&str>) -> Result<(), Failure> {
    let text =
        std::fs::read_to_string(file).map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let entries = overrides_from_csv(&text, mappings)
        .map_err(|errors| Failure::usage(format!("{}: nothing written:\n  {}", file.display(), errors.join("\n  "))))?;
    let old = store.score_overrides().await?;
    for entry in &old {
        store.delete_score_override(&entry.technology, &entry.check).await?;
    }
    for entry in &entries {
        store.put_score_override(entry).await?;
    }
    say!(
        "Replaced {} score overrides with the {} of {}; run `monkey audit_changes` to apply them",
        old.len(),
        entries.len(),
        file.display()
    );
    Ok(())
}

async fn list(store: &dyn Store, format: Format) -> Result<(), Failure> {
    let overrides = store.score_overrides().await?;
    match format {
        Format::Json => output::json(&overrides)?,
        Format::Table => {
            let checks = registered_checks();
            let rows: Vec<Vec<String>> = overrides
                .iter()
                .map(|o| {
                    let score = match (o.score, checks.iter().find(|c| c.id == o.check)) {
                        (Some(score), _) => score.to_string(),
                        (None, Some(check)) => format!("{} (default)", check.default_score),
                        (None, None) => "default".into(),
                    };
                    let patterns: Vec<String> =
                        o.account_patterns.iter().map(|p| format!("{}.{}={}", p.field, p.value, p.score)).collect();
                    vec![
                        o.technology.to_string(),
                        o.check.clone(),
                        score,
                        if o.disabled { "yes" } else { "no" }.into(),
                        patterns.join(", "),
                    ]
                })
                .collect();
            output::table(&["TECHNOLOGY", "CHECK", "SCORE", "DISABLED", "ACCOUNT PATTERNS"], &rows);
        }
    }
    Ok(())
}

fn print_applied(entry: &ScoreOverride) {
    let what = match (entry.disabled, entry.score) {
        (true, _) => "disabled".to_owned(),
        (false, Some(score)) => format!("score {score}"),
        (false, None) => "default score".to_owned(),
    };
    say!(
        "Override of {} for {}: {what}, {} account patterns; run `monkey audit_changes -m {}` to apply it",
        entry.check,
        entry.technology,
        entry.account_patterns.len(),
        entry.technology
    );
}

/// The registered check `check` of `technology`, or a usage error listing what there is.
fn registered_check(technology: &str, check: &str) -> Result<(Technology, &'static Check), Failure> {
    let parsed = Technology::parse(technology)?;
    let checks = registered_checks();
    let of_technology: Vec<&'static Check> = checks.iter().copied().filter(|c| c.technology == technology).collect();
    if of_technology.is_empty() {
        let mut audited: Vec<&str> = checks.iter().map(|c| c.technology).collect();
        audited.dedup();
        return Err(Failure::usage(format!(
            "no check audits technology {technology:?}; technologies with checks: {}",
            audited.join(", ")
        )));
    }
    match of_technology.iter().find(|c| c.id == check) {
        Some(found) => Ok((parsed, found)),
        None => {
            let ids: Vec<&str> = of_technology.iter().map(|c| c.id).collect();
            Err(Failure::usage(format!("unknown check {check:?} for {technology}; its checks: {}", ids.join(", "))))
        }
    }
}

fn parse_patterns(patterns: &[String]) -> Result<Vec<AccountPattern>, Failure> {
    Ok(patterns.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(str::parse).collect::<Result<_, _>>()?)
}

/// Which columns hold what (Security Monkey's `-m tech=COL,...`).
struct Columns {
    technology: String,
    check: Option<String>,
    score: (String, bool),
    disabled: (String, bool),
    /// A pattern (its score left at 0) and the column holding its score.
    patterns: Vec<(AccountPattern, String)>,
}

impl Columns {
    fn parse(mappings: Option<&str>) -> Result<Self, String> {
        let mut columns = Self {
            technology: "tech".into(),
            check: None,
            score: ("score".into(), false),
            disabled: ("disabled".into(), false),
            patterns: Vec::new(),
        };
        for mapping in mappings.unwrap_or_default().split(',').map(str::trim).filter(|m| !m.is_empty()) {
            let (key, column) = mapping
                .split_once('=')
                .ok_or_else(|| format!("mapping {mapping:?}: expected KEY=COLUMN, e.g. tech=Technology"))?;
            let column = column.trim().to_owned();
            match key.trim() {
                "tech" => columns.technology = column,
                "check" | "method" => columns.check = Some(column),
                "score" => columns.score = (column, true),
                "disabled" => columns.disabled = (column, true),
                // A check id is unique: Security Monkey's auditor class is not needed.
                "auditor" => {}
                pattern => {
                    let parsed = format!("{pattern}=0").parse::<AccountPattern>().map_err(|e| {
                        format!("mapping {mapping:?}: expected tech, check, score, disabled or type.field.value ({e})")
                    })?;
                    columns.patterns.push((parsed, column));
                }
            }
        }
        Ok(columns)
    }
}

/// The overrides of a CSV file, or every problem found in it.
fn overrides_from_csv(text: &str, mappings: Option<&str>) -> Result<Vec<ScoreOverride>, Vec<String>> {
    let columns = Columns::parse(mappings).map_err(|e| vec![e])?;
    let mut records = parse_csv(text).map_err(|e| vec![e])?.into_iter();
    let Some((_, header)) = records.next() else { return Err(vec!["the file is empty".into()]) };
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing = |name: &str| format!("no column {name:?} (the columns are: {})", header.join(", "));
    let require = |name: &str, errors: &mut Vec<String>| {
        let at = find(name);
        if at.is_none() {
            errors.push(missing(name));
        }
        at
    };
    let optional = |(name, explicit): &(String, bool), errors: &mut Vec<String>| {
        if *explicit { require(name, errors) } else { find(name) }
    };
    let mut errors = Vec::new();
    let technology_at = require(&columns.technology, &mut errors);
    let check_at = match &columns.check {
        Some(name) => require(name, &mut errors),
        None => find("check").or_else(|| find("method")).or_else(|| {
            errors.push(missing("check"));
            None
        }),
    };
    let score_at = optional(&columns.score, &mut errors);
    let disabled_at = optional(&columns.disabled, &mut errors);
    let patterns_at: Vec<(AccountPattern, Option<usize>)> =
        columns.patterns.iter().map(|(p, name)| (p.clone(), require(name, &mut errors))).collect();
    let (Some(technology_at), Some(check_at)) = (technology_at, check_at) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let cell = |row: &[String], at: Option<usize>| at.and_then(|i| row.get(i)).map_or("", |c| c.trim()).to_owned();
    let mut entries: Vec<ScoreOverride> = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line, row) in records {
        let (technology, check) = (cell(&row, Some(technology_at)), cell(&row, Some(check_at)));
        if technology.is_empty() || check.is_empty() {
            continue;
        }
        let mut problems = Vec::new();
        let score = match cell(&row, score_at).as_str() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(score) => Some(score),
                Err(_) => {
                    problems.push(format!("score {text:?} is not a whole number"));
                    None
                }
            },
        };
        let disabled = match cell(&row, disabled_at).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                problems.push(format!("disabled {other:?} is not true or false"));
                false
            }
        };
        let mut account_patterns = Vec::new();
        for (pattern, at) in &patterns_at {
            match cell(&row, *at).as_str() {
                "" => {}
                text => match text.parse::<u32>() {
                    Ok(score) => account_patterns.push(AccountPattern { score, ..pattern.clone() }),
                    Err(_) => problems.push(format!("pattern score {text:?} is not a whole number")),
                },
            }
        }
        if problems.is_empty() && score.is_none() && !disabled && account_patterns.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert((technology.clone(), check.clone()), line) {
            problems.push(format!("repeats the override of line {first}"));
        }
        let check = match registered_check(&technology, &check) {
            Ok(found) => Some(found),
            Err(e) => {
                problems.push(e.to_string());
                None
            }
        };
        if !problems.is_empty() {
            errors.extend(problems.into_iter().map(|p| format!("line {line}: {p}")));
            continue;
        }
        if let Some((technology, check)) = check {
            entries.push(ScoreOverride { technology, check: check.id.to_owned(), score, disabled, account_patterns });
        }
    }
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// RFC 4180 records with the line each starts on: quoted fields may hold separators, doubled
/// quotes and line breaks.
fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut was_quoted) = (1, 1, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                if record.iter().any(|f| !f.is_empty()) {
                    records.push((start, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("line {start}: a quoted field is not closed"));
    }
    record.push(field);
    if record.iter().any(|f| !f.is_empty()) {
        records.push((start, record));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_unquoted() {
        let records = parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z").unwrap();
        assert_eq!(
            records,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["x, y".into(), "say \"hi\"".into()]),
                (4, vec!["two\nlines".into(), "z".into()]),
            ]
        );
        assert!(parse_csv("a,\"b").is_err());
    }
}
