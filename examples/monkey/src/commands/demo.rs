//! `monkey demo`: the whole pipeline on embedded defaults with no AWS account.
//!
//! One simulated account is fed by replay watchers from the recorded estate shipped in the
//! binary; a short story of changes (`demo/story.json`) is played over it, one step every few
//! seconds, and each step's changes, diffs and issues are printed as monkey finds them. The
//! store is a normal one: `monkey --data-dir DIR status|export|audit-changes` read it after.

use crate::Failure;
use crate::output::say;
use anyhow::Context;
use async_trait::async_trait;
use monkey_core::audit::Transition;
use monkey_core::diff::{diff_canonical, unified};
use monkey_core::engine::{Monkey, RunObserver, UnitReport};
use monkey_core::model::{Account, AccountName, AccountNumber, Technology};
use monkey_core::store::{ChangeKind, Store};
use monkey_core::watcher::Watcher;
use monkey_watchers::ReplayWatcher;
use serde::Deserialize;
use serde_json::Value;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The recorded estate, one file per technology, built into the binary so the demo runs anywhere.
const ESTATE: &[(&str, &str)] = &[
    ("ebsencryption", include_str!("../../../../testdata/estate/recording/111122223333/ebsencryption.json")),
    ("ebssnapshot", include_str!("../../../../testdata/estate/recording/111122223333/ebssnapshot.json")),
    ("ebsvolume", include_str!("../../../../testdata/estate/recording/111122223333/ebsvolume.json")),
    ("ec2image", include_str!("../../../../testdata/estate/recording/111122223333/ec2image.json")),
    ("ec2instance", include_str!("../../../../testdata/estate/recording/111122223333/ec2instance.json")),
    ("elasticip", include_str!("../../../../testdata/estate/recording/111122223333/elasticip.json")),
    ("flowlog", include_str!("../../../../testdata/estate/recording/111122223333/flowlog.json")),
    ("iamaccount", include_str!("../../../../testdata/estate/recording/111122223333/iamaccount.json")),
    ("iamgroup", include_str!("../../../../testdata/estate/recording/111122223333/iamgroup.json")),
    ("iamrole", include_str!("../../../../testdata/estate/recording/111122223333/iamrole.json")),
    ("iamssl", include_str!("../../../../testdata/estate/recording/111122223333/iamssl.json")),
    ("iamuser", include_str!("../../../../testdata/estate/recording/111122223333/iamuser.json")),
    ("keypair", include_str!("../../../../testdata/estate/recording/111122223333/keypair.json")),
    ("networkacl", include_str!("../../../../testdata/estate/recording/111122223333/networkacl.json")),
    ("policy", include_str!("../../../../testdata/estate/recording/111122223333/policy.json")),
    ("routetable", include_str!("../../../../testdata/estate/recording/111122223333/routetable.json")),
    ("s3", include_str!("../../../../testdata/estate/recording/111122223333/s3.json")),
    ("samlprovider", include_str!("../../../../testdata/estate/recording/111122223333/samlprovider.json")),
    ("securitygroup", include_str!("../../../../testdata/estate/recording/111122223333/securitygroup.json")),
    ("subnet", include_str!("../../../../testdata/estate/recording/111122223333/subnet.json")),
    ("vpc", include_str!("../../../../testdata/estate/recording/111122223333/vpc.json")),
];

const STORY: &str = include_str!("../../demo/story.json");

/// The simulated account: the recording's.
const ACCOUNT: &str = "111122223333";

/// Marks a directory as the demo's, so a second demo may start it afresh.
const MARKER: &str = ".monkey-demo";

#[derive(Debug, Deserialize)]
struct Story {
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
struct Step {
    title: String,
    changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
struct Change {
    technology: String,
    name: String,
    patch: json_patch::Patch,
}

/// Plays the story into a store under `dir`, `pause` apart.
pub(crate) async fn demo(dir: &Path, pause: Duration) -> Result<(), Failure> {
    let story: Story = serde_json::from_str(STORY).context("the built-in demo story is invalid")?;
    prepare(dir)?;
    let steps = write_steps(dir, &story)?;
    let store = monkey_store::open(&format!("redb:{}", dir.join("monkey.redb").display()))?;
    let account = Account::new(AccountName::parse("demo")?, AccountNumber::parse(ACCOUNT)?);
    store.put_account(&account).await?;

    let mut watchers: Vec<Arc<dyn Watcher>> = Vec::new();
    for (technology, _) in ESTATE {
        watchers.push(Arc::new(ReplayWatcher::sequence(Technology::parse(technology)?, steps.clone())?));
    }
    let printer = Arc::new(Printer::new(Arc::clone(&store)));
    let monkey = Arc::new(
        Monkey::builder(Arc::clone(&store))
            .watchers(watchers)
            .observer(Arc::clone(&printer) as Arc<dyn RunObserver>)
            .build()
            .context("cannot assemble the demo")?,
    );

    say!(
        "monkey demo: one simulated account ({ACCOUNT}, \"demo\"), {} technologies, store {}",
        ESTATE.len(),
        dir.display()
    );
    for (index, step) in
        std::iter::once("The account as first seen").chain(story.steps.iter().map(|s| s.title.as_str())).enumerate()
    {
        if index > 0 {
            tokio::time::sleep(pause).await;
        }
        say!("\n== step {index}: {step}");
        let results = monkey.find_changes(std::slice::from_ref(&account), &[], 4, &|_| {}).await;
        for result in results {
            if let Err(error) = result {
                eprintln!("warning: {error}");
            }
        }
        printer.flush(index == 0).await;
    }
    say!(
        "\nThe store keeps every revision and issue: try\n  monkey --data-dir {dir} status\n  monkey --data-dir {dir} export --format csv\n  monkey --data-dir {dir} audit-changes -a all -m all",
        dir = dir.display()
    );
    Ok(())
}

/// Empties a previous demo's directory (only one marked as the demo's) or creates it.
fn prepare(dir: &Path) -> Result<(), Failure> {
    if dir.exists() {
        let is_demo = dir.join(MARKER).exists();
        let is_empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !is_demo && !is_empty {
            return Err(Failure::usage(format!(
                "{} exists and is not a monkey demo directory; choose another with --dir",
                dir.display()
            )));
        }
        if is_demo {
            std::fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join(MARKER), "created by `monkey demo`; it may delete this directory\n")
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    Ok(())
}

/// Writes the estate and each step of the story as replay recordings `story/step-N`.
fn write_steps(dir: &Path, story: &Story) -> Result<Vec<PathBuf>, Failure> {
    let mut recordings: Vec<(String, Value)> = Vec::new();
    for (technology, text) in ESTATE {
        let slurp: Value =
            serde_json::from_str(text).with_context(|| format!("the built-in {technology} recording is invalid"))?;
        recordings.push(((*technology).to_owned(), slurp));
    }
    let mut steps = Vec::new();
    for index in 0..=story.steps.len() {
        if index > 0 {
            for change in &story.steps[index - 1].changes {
                apply(&mut recordings, change)?;
            }
        }
        let step_dir = dir.join("story").join(format!("step-{index}"));
        let account_dir = step_dir.join(ACCOUNT);
        std::fs::create_dir_all(&account_dir).with_context(|| format!("cannot create {}", account_dir.display()))?;
        for (technology, slurp) in &recordings {
            let path = account_dir.join(format!("{technology}.json"));
            std::fs::write(&path, serde_json::to_vec_pretty(slurp).context("cannot encode a recording")?)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        steps.push(step_dir);
    }
    Ok(steps)
}

fn apply(recordings: &mut [(String, Value)], change: &Change) -> Result<(), Failure> {
    let item = recordings
        .iter_mut()
        .filter(|(technology, _)| technology == &change.technology)
        .flat_map(|(_, slurp)| slurp["items"].as_array_mut().into_iter().flatten())
        .find(|item| item["name"] == change.name.as_str())
        .with_context(|| {
            format!("the demo story changes {} {:?}, which the estate lacks", change.technology, change.name)
        })?;
    json_patch::patch(&mut item["config"], &change.patch)
        .with_context(|| format!("the demo story's patch of {} {:?} does not apply", change.technology, change.name))?;
    Ok(())
}

/// Prints what each step changed and found, in the order units finish.
struct Printer {
    store: Arc<dyn Store>,
    reports: Mutex<Vec<UnitReport>>,
    colour: bool,
}

#[async_trait]
impl RunObserver for Printer {
    async fn on_unit_finished(&self, report: &UnitReport) {
        self.reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(report.clone());
    }
}

impl Printer {
    fn new(store: Arc<dyn Store>) -> Self {
        Self { store, reports: Mutex::new(Vec::new()), colour: std::io::stdout().is_terminal() }
    }

    /// Prints the reports gathered since the last flush: counts only for the first step.
    async fn flush(&self, summary_only: bool) {
        let mut reports = std::mem::take(&mut *self.reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        reports.sort_by(|a, b| a.run.technology.cmp(&b.run.technology));
        if summary_only {
            let items: usize = reports.iter().map(|r| r.run.items).sum();
            let issues: usize = reports.iter().map(|r| r.run.issues_new).sum();
            say!("{items} items collected, {issues} issues found");
            return;
        }
        for report in &reports {
            for change in &report.changeset.changes {
                let verb = match change.kind {
                    ChangeKind::Created => "created",
                    ChangeKind::Changed => "changed",
                    ChangeKind::Deleted => "deleted",
                    ChangeKind::Ephemeral => continue,
                };
                say!("{} {} {verb}", change.key.technology, change.key.name);
                self.print_diff(&change.key).await;
            }
            for (key, transition) in &report.audit.transitions {
                let (sign, what) = match transition {
                    Transition::New => ("+", "new issue"),
                    Transition::Regressed => ("+", "issue back"),
                    Transition::Fixed => ("-", "fixed"),
                    Transition::Existing => continue,
                };
                let issue = self
                    .store
                    .issues(&key.item)
                    .await
                    .ok()
                    .and_then(|issues| issues.into_iter().find(|i| &i.key == key));
                let score = issue.as_ref().map_or(0, |i| i.score);
                let message = issue.map(|i| i.message).unwrap_or_default();
                say!("  {sign} {what} [{score}] {}: {message} ({})", key.check, key.notes);
            }
        }
    }

    async fn print_diff(&self, key: &monkey_core::model::ItemKey) {
        let Ok(revisions) = self.store.revisions(key).await else { return };
        let (Some(new), Some(old)) = (revisions.first(), revisions.get(1)) else { return };
        let (old, new) = diff_canonical(&old.config, &new.config);
        for line in unified(&old, &new, 1).lines().skip(2) {
            let line: String = line.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            match (self.colour, line.chars().next()) {
                (true, Some('+')) => say!("    \x1b[32m{line}\x1b[0m"),
                (true, Some('-')) => say!("    \x1b[31m{line}\x1b[0m"),
                _ => say!("    {line}"),
            }
        }
    }
}
