//! The admin API: the running monkey's store, for other processes of its owner on the same
//! machine, and the owner-only file that tells them where it is and which token to show.
//!
//! `POST /api/1/admin/store` takes a [`StoreCall`] as JSON, with `Authorization: Bearer
//! <token>`, and answers the call's result as JSON (200), or `{"error": WireError}` with a
//! status that fits it: 400 for a call that cannot be read, 401 without a token, 403 with a
//! wrong one (or when the process takes no admin calls), 404 not found, 409 name taken, 422
//! invalid input, 503 for a retryable failure, 500 otherwise. See [`monkey_core::store_rpc`]
//! for the format.
//!
//! The token travels in clear over plain HTTP: the admin API is meant for loopback. Whoever can
//! read the [`AdminFile`] (its owner; the file is mode 0600) can do anything to the store.

use crate::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monkey_core::store_rpc::{StoreCall, WireError, WireErrorKind, dispatch};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use subtle::ConstantTimeEq;

/// The route of the admin API's store calls.
pub const STORE_PATH: &str = "/api/1/admin/store";

/// The name of the [`AdminFile`] in the data directory.
pub const ADMIN_FILE_NAME: &str = "monkey.api";

/// The largest call body taken: a whole watcher run's changeset fits with room to spare.
pub(crate) const MAX_CALL_BYTES: usize = 256 << 20;

/// The secret admin calls carry: 32 random bytes from the operating system, in hex.
///
/// Its `Debug` hides it, and it has no `Display`, so it does not end up in logs by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminToken(String);

impl AdminToken {
    /// A new token from the operating system's random source.
    pub fn generate() -> io::Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| io::Error::other(format!("no random bytes for the admin token: {e}")))?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A token given as text (from a file or the environment): `None` if it is empty or has
    /// characters other than visible ASCII, which an HTTP header cannot carry.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let valid = !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic());
        valid.then(|| Self(text.to_owned()))
    }

    /// The secret itself, to put in a request; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this token, in time that does not depend on where they differ.
    fn accepts(&self, given: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(given.as_bytes()))
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(..)")
    }
}

impl Serialize for AdminToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AdminToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("an admin token is visible ASCII, not empty"))
    }
}

/// Where the running monkey's admin API listens and the token it takes, as written to
/// `<data dir>/monkey.api` (JSON, owner-only).
///
/// ```
/// use monkey_web::admin::{AdminFile, AdminToken};
///
/// let dir = tempfile::tempdir()?;
/// let file = AdminFile::new("0.0.0.0:8080".parse().unwrap(), AdminToken::generate()?);
/// assert_eq!(file.address.to_string(), "127.0.0.1:8080");
/// let published = file.clone().publish(dir.path())?;
/// assert_eq!(AdminFile::read(dir.path())?, Some(file));
/// drop(published);
/// assert_eq!(AdminFile::read(dir.path())?, None);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminFile {
    /// Where the admin API listens.
    pub address: SocketAddr,
    /// The token it takes.
    pub token: AdminToken,
}

impl AdminFile {
    /// The file for a server listening on `address`; a wildcard address (`0.0.0.0`, `::`)
    /// becomes the loopback address of its family, which is where local clients reach it.
    pub fn new(address: SocketAddr, token: AdminToken) -> Self {
        let mut address = address;
        if address.ip().is_unspecified() {
            address.set_ip(match address {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        Self { address, token }
    }

    /// Where the file of the monkey using `data_dir` is.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(ADMIN_FILE_NAME)
    }

    /// Writes the file into `data_dir` atomically (a reader sees the old file or the new one,
    /// never a part) and durably, readable and writable by its owner only (mode 0600 on Unix;
    /// elsewhere the directory's permissions apply); returns its path.
    pub fn write(&self, data_dir: &Path) -> io::Result<PathBuf> {
        let path = Self::path(data_dir);
        let temp = data_dir.join(format!(".{ADMIN_FILE_NAME}.{}.tmp", std::process::id()));
        // A temporary file left by a crashed process of the same id may have other permissions,
        // and permissions only apply when a file is created.
        match fs::remove_file(&temp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let written = (|| {
            let mut file = owner_only().write(true).create_new(true).open(&temp)?;
            let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
            file.write_all(&json)?;
            file.sync_all()?;
            fs::rename(&temp, &path)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())));
        }
        // The rename is durable once the directory is; not every platform can sync one.
        if let Ok(dir) = File::open(data_dir) {
            let _ = dir.sync_all();
        }
        Ok(path)
    }

    /// Reads the file of `data_dir`: `None` when there is none (no monkey is running there).
    pub fn read(data_dir: &Path) -> io::Result<Option<Self>> {
        let path = Self::path(data_dir);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))),
        };
        serde_json::from_slice(&text).map(Some).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{} is not a monkey admin file: {e}", path.display()))
        })
    }

    /// Writes the file into `data_dir` and returns a guard that removes it when dropped (or
    /// by [`AdminFileGuard::remove`]), unless another process has replaced it since.
    pub fn publish(self, data_dir: &Path) -> io::Result<AdminFileGuard> {
        let path = self.write(data_dir)?;
        Ok(AdminFileGuard { data_dir: data_dir.to_owned(), path, token: self.token, removed: false })
    }
}

#[cfg(unix)]
fn owner_only() -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options.mode(0o600);
    options
}

#[cfg(not(unix))]
fn owner_only() -> OpenOptions {
    OpenOptions::new()
}

/// A published [`AdminFile`], removed when this is dropped: on a clean shutdown.
#[derive(Debug)]
pub struct AdminFileGuard {
    data_dir: PathBuf,
    path: PathBuf,
    token: AdminToken,
    removed: bool,
}

impl AdminFileGuard {
    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the file now, unless another process has replaced it with its own.
    pub fn remove(mut self) -> io::Result<()> {
        self.removed = true;
        self.remove_if_ours()
    }

    fn remove_if_ours(&self) -> io::Result<()> {
        // A newer monkey may have started on this data directory and published its own file
        // (ours was stale to it); removing that would cut its clients off.
        match AdminFile::read(&self.data_dir) {
            Ok(Some(file)) if file.token == self.token => match fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl Drop for AdminFileGuard {
    fn drop(&mut self) {
        if !self.removed
            && let Err(e) = self.remove_if_ours()
        {
            tracing::warn!("cannot remove {}: {e}", self.path.display());
        }
    }
}

/// Proof that a request carries the admin token; extracted before the body is read, so a
/// caller without it cannot make the server buffer a large body.
pub(crate) struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let refuse = |kind, message: &str| {
            tracing::warn!("admin call refused: {message}");
            failure(WireError::new(kind, message))
        };
        let Some(expected) = &state.admin_token else {
            return Err(refuse(
                WireErrorKind::Forbidden,
                "this monkey takes no admin calls: it was started without a token",
            ));
        };
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Err(refuse(
                WireErrorKind::Unauthorized,
                "an admin call needs `Authorization: Bearer <token>`, with the token from monkey.api in the data directory",
            ));
        };
        let given = header.to_str().ok().and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        match given {
            None => Err(refuse(WireErrorKind::Unauthorized, "the Authorization header is not `Bearer <token>`")),
            Some(token) if expected.accepts(token) => Ok(Self),
            Some(_) => Err(refuse(
                WireErrorKind::Forbidden,
                "the admin token is wrong (is monkey.api from an earlier run of this monkey?)",
            )),
        }
    }
}

/// `POST /api/1/admin/store`: runs one store call.
pub(crate) async fn store_call(State(state): State<AppState>, _admin: Admin, body: Bytes) -> Response {
    let call: StoreCall = match serde_json::from_slice(&body) {
        Ok(call) => call,
        Err(e) => {
            let message = format!("the call could not be read ({e}); are the client and this monkey the same version?");
            return failure(WireError::new(WireErrorKind::BadCall, message));
        }
    };
    let (method, write) = (call.method(), call.is_write());
    tracing::debug!(method, "admin store call");
    match dispatch(state.store.as_ref(), call).await {
        Ok(result) => {
            if write && let Some(poke) = &state.poke {
                poke();
            }
            (StatusCode::OK, Json(result)).into_response()
        }
        Err(error) => {
            tracing::debug!(method, "admin store call failed: {error}");
            failure(error)
        }
    }
}

/// The `{"error": ...}` answer for `error`, with a status that fits it.
fn failure(error: WireError) -> Response {
    #[derive(Serialize)]
    struct Failure {
        error: WireError,
    }
    let status = match &error.kind {
        WireErrorKind::BadCall => StatusCode::BAD_REQUEST,
        WireErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        WireErrorKind::Forbidden => StatusCode::FORBIDDEN,
        WireErrorKind::NotFound { .. } => StatusCode::NOT_FOUND,
        WireErrorKind::NameTaken { .. } => StatusCode::CONFLICT,
        WireErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        WireErrorKind::Locked { .. } | WireErrorKind::Backend { retryable: true, .. } => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let unauthorized = matches!(error.kind, WireErrorKind::Unauthorized);
    let mut response = (status, Json(Failure { error })).into_response();
    if unauthorized {
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}
