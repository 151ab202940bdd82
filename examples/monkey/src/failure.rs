//! How a command fails: bad input (exit 2, nothing written) or a failure to do it (exit 1).

use monkey_core::ModelError;
use monkey_core::store::StoreError;
use std::fmt;

/// A command's failure and its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The input was invalid; nothing was written.
    Usage(String),
    /// The command could not be carried out.
    Runtime(anyhow::Error),
}

impl Failure {
    /// 2 for invalid input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Runtime(_) => 1,
        }
    }

    /// Invalid input.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) => f.write_str(message),
            Self::Runtime(error) => write!(f, "{error:#}"),
        }
    }
}

impl From<ModelError> for Failure {
    fn from(error: ModelError) -> Self {
        Self::Usage(error.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid(e) => Self::Usage(e.to_string()),
            e @ StoreError::NameTaken { .. } => Self::Usage(e.to_string()),
            e => Self::Runtime(e.into()),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Self::Runtime(error)
    }
}
