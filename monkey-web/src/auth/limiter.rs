//! Login rate limiting: after [`FAILURES_ALLOWED`] failed logins for one e-mail or from one
//! address within [`WINDOW`], further attempts are refused until the window has passed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per key within [`WINDOW`].
pub const FAILURES_ALLOWED: usize = 5;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed logins per key (an e-mail, a client address).
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        // A poisoned lock only means a panic elsewhere; the counts are intact.
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How long until any of `keys` may try again; `None` when all may now.
    pub fn blocked_for(&self, keys: &[&str]) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.lock();
        keys.iter()
            .filter_map(|key| {
                let times = failures.get_mut(*key)?;
                times.retain(|t| now.duration_since(*t) < WINDOW);
                (times.len() >= FAILURES_ALLOWED).then(|| times.first().map(|t| WINDOW - now.duration_since(*t)))?
            })
            .max()
    }

    /// Records a failed attempt under each of `keys`.
    pub fn failed(&self, keys: &[&str]) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < WINDOW));
        }
        for key in keys {
            failures.entry((*key).to_owned()).or_default().push(now);
        }
    }

    /// Forgets the failures of `key` (a successful login).
    pub fn succeeded(&self, key: &str) {
        self.lock().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_key() {
        let limiter = LoginLimiter::default();
        for _ in 0..FAILURES_ALLOWED - 1 {
            limiter.failed(&["a@example.com", "10.0.0.1"]);
        }
        assert_eq!(limiter.blocked_for(&["a@example.com"]), None);
        limiter.failed(&["a@example.com", "10.0.0.1"]);
        assert!(limiter.blocked_for(&["a@example.com"]).is_some_and(|d| d <= WINDOW));
        assert!(limiter.blocked_for(&["b@example.com", "10.0.0.1"]).is_some(), "the address is blocked too");
        limiter.succeeded("a@example.com");
        assert_eq!(limiter.blocked_for(&["a@example.com"]), None);
    }
}
