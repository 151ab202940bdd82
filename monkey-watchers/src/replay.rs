//! The replay watcher: items read from recorded snapshot files instead of a cloud API.
//!
//! A recording is a directory with one file per account and technology,
//! `<dir>/<account number>/<technology>.json`, holding a [`Slurp`] as JSON
//! (`{"items": [{"region": ..., "name": ..., "arn": ..., "config": {...}}], "failures": []}`).
//! A watcher given several directories plays them in order, one per slurp, and then keeps
//! replaying the last one: a story of changes.

use async_trait::async_trait;
use monkey_core::ModelError;
use monkey_core::model::{AccountNumber, Interval, Technology};
use monkey_core::watcher::{Failure, FailureScope, Slurp, WatchContext, Watcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Plays recorded snapshots of one technology.
#[derive(Debug)]
pub struct ReplayWatcher {
    technology: Technology,
    steps: Vec<PathBuf>,
    next: AtomicUsize,
    ephemeral_paths: Vec<&'static str>,
    interval: Interval,
}

impl ReplayWatcher {
    /// Replays the recording in `dir` at every slurp.
    pub fn new(technology: Technology, dir: impl Into<PathBuf>) -> Self {
        Self::build(technology, vec![dir.into()])
    }

    /// Plays `steps` in order, one per slurp, then keeps replaying the last; at least one step.
    pub fn sequence(technology: Technology, steps: Vec<PathBuf>) -> Result<Self, ModelError> {
        if steps.is_empty() {
            return Err(ModelError::Field {
                field: "replay steps",
                input: String::new(),
                reason: "a replay needs at least one recording directory".into(),
            });
        }
        Ok(Self::build(technology, steps))
    }

    fn build(technology: Technology, steps: Vec<PathBuf>) -> Self {
        Self { technology, steps, next: AtomicUsize::new(0), ephemeral_paths: Vec::new(), interval: Interval::HOURLY }
    }

    /// Declares the technology's ephemeral paths, as the live watcher would.
    pub fn with_ephemeral_paths(mut self, paths: Vec<&'static str>) -> Self {
        self.ephemeral_paths = paths;
        self
    }

    /// Sets the default interval.
    pub fn with_interval(mut self, interval: Interval) -> Self {
        self.interval = interval;
        self
    }

    /// The step the next slurp plays (0-based).
    pub fn position(&self) -> usize {
        self.next.load(Ordering::SeqCst).min(self.steps.len() - 1)
    }
}

/// Writes `slurp` as the recording of `technology` in `account` under `dir`, in the layout
/// [`ReplayWatcher`] reads (`<dir>/<account number>/<technology>.json`); returns the file.
pub fn write_recording(
    dir: &Path,
    account: &AccountNumber,
    technology: &Technology,
    slurp: &Slurp,
) -> std::io::Result<PathBuf> {
    let account_dir = dir.join(account.as_str());
    std::fs::create_dir_all(&account_dir)?;
    let path = account_dir.join(format!("{technology}.json"));
    // Written beside and renamed, so a reader never sees half a recording.
    let partial = account_dir.join(format!(".{technology}.json.partial"));
    std::fs::write(&partial, serde_json::to_vec_pretty(slurp).map_err(std::io::Error::other)?)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// The (account, technology) pairs recorded under `dir`, sorted; entries that are not a
/// 12-digit account directory or a `<technology>.json` file are skipped.
pub fn recording_contents(dir: &Path) -> std::io::Result<Vec<(AccountNumber, Technology)>> {
    let mut contents = Vec::new();
    for account_dir in std::fs::read_dir(dir)? {
        let account_dir = account_dir?;
        let Some(account) = account_dir.file_name().to_str().and_then(|n| AccountNumber::parse(n).ok()) else {
            continue;
        };
        if !account_dir.file_type()?.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(account_dir.path())? {
            let name = file?.file_name();
            let Some(technology) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
                .filter(|n| !n.starts_with('.'))
                .and_then(|n| Technology::parse(n).ok())
            else {
                continue;
            };
            contents.push((account.clone(), technology));
        }
    }
    contents.sort();
    Ok(contents)
}

#[async_trait]
impl Watcher for ReplayWatcher {
    fn technology(&self) -> &Technology {
        &self.technology
    }

    fn ephemeral_paths(&self) -> &[&str] {
        &self.ephemeral_paths
    }

    fn default_interval(&self) -> Interval {
        self.interval
    }

    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        let step = self.next.fetch_add(1, Ordering::SeqCst).min(self.steps.len() - 1);
        let path = self.steps[step].join(ctx.account.number.as_str()).join(format!("{}.json", self.technology));
        let failed = |message: String| Slurp {
            items: Vec::new(),
            failures: vec![Failure { scope: FailureScope::Account, message }],
        };
        let bytes = match tokio::fs::read(&path).await {
            Ok(bytes) => bytes,
            // A missing file is "not recorded", never "no items": that would delete them all.
            Err(e) => return failed(format!("cannot read the recording {}: {e}", path.display())),
        };
        let mut slurp: Slurp = match serde_json::from_slice(&bytes) {
            Ok(slurp) => slurp,
            Err(e) => return failed(format!("invalid recording {}: {e}", path.display())),
        };
        slurp.items.retain(|item| !ctx.is_ignored(&self.technology, &item.name));
        slurp
    }
}
