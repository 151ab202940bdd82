//! Login sessions: random tokens held in memory, each with its user, its CSRF token and its
//! expiry. A restart logs everyone out, which is the safe failure.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a session lasts without use.
pub const IDLE: Duration = Duration::from_secs(60 * 60);
/// How long a session lasts at most.
pub const ABSOLUTE: Duration = Duration::from_secs(12 * 60 * 60);

/// One logged-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user's e-mail.
    pub email: String,
    /// The token state-changing requests must echo in `X-CSRF-Token`.
    pub csrf: String,
    started: Instant,
    last_used: Instant,
}

/// The sessions of this process.
#[derive(Debug, Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes as hex (session tokens, secrets, first passwords).
pub fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A poisoned lock only means a panic elsewhere; the map itself is intact.
        self.by_token.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a session for `email`; returns its token and the session.
    pub fn start(&self, email: &str) -> Result<(String, Session), getrandom::Error> {
        let token = random_token()?;
        let now = Instant::now();
        let session = Session { email: email.to_owned(), csrf: random_token()?, started: now, last_used: now };
        let mut sessions = self.lock();
        sessions.retain(|_, s| !expired(s, now));
        sessions.insert(token.clone(), session.clone());
        Ok((token, session))
    }

    /// The live session of `token`, touched; `None` when unknown or expired.
    pub fn get(&self, token: &str) -> Option<Session> {
        let now = Instant::now();
        let mut sessions = self.lock();
        match sessions.get_mut(token) {
            Some(session) if !expired(session, now) => {
                session.last_used = now;
                Some(session.clone())
            }
            Some(_) => {
                sessions.remove(token);
                None
            }
            None => None,
        }
    }

    /// Ends the session of `token`.
    pub fn end(&self, token: &str) {
        self.lock().remove(token);
    }

    /// Ends every session of `email` (the user was deleted, deactivated or got a new password).
    pub fn end_all_of(&self, email: &str) {
        self.lock().retain(|_, s| s.email != email);
    }
}

fn expired(session: &Session, now: Instant) -> bool {
    now.duration_since(session.last_used) > IDLE || now.duration_since(session.started) > ABSOLUTE
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn sessions_start_resolve_and_end() {
        let sessions = Sessions::default();
        let (token, session) = sessions.start("a@example.com").unwrap();
        assert_eq!(token.len(), 64);
        assert_eq!(sessions.get(&token).map(|s| s.csrf), Some(session.csrf.clone()));
        assert_ne!(session.csrf, token);
        assert!(sessions.get("nope").is_none());
        sessions.end_all_of("a@example.com");
        assert!(sessions.get(&token).is_none());
        let (token, _) = sessions.start("a@example.com").unwrap();
        sessions.end(&token);
        assert!(sessions.get(&token).is_none());
    }
}
