//! Validation errors of the model: what was wrong, in which field, with the rejected input.

/// A value that the model refused to build, naming the field and the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// An account number that is not exactly 12 digits once hyphens are stripped.
    #[error("invalid account number {input:?}: {reason}")]
    AccountNumber {
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A name (account, whitelist entry, ...) that is empty or too long.
    #[error("invalid {field} {input:?}: {reason}")]
    Name {
        /// Which kind of name.
        field: &'static str,
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// A CIDR that does not parse.
    #[error("invalid CIDR {input:?}: {reason}")]
    Cidr {
        /// The text given.
        input: String,
        /// The parser's complaint.
        reason: String,
    },
    /// A role that is not one of View, Comment, Justify, Admin.
    #[error("invalid role {input:?}: expected one of View, Comment, Justify, Admin")]
    Role {
        /// The text given.
        input: String,
    },
    /// A technology index that is empty, too long or has characters other than `a-z 0-9 _ -`.
    #[error("invalid technology {input:?}: {reason}")]
    Technology {
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A watcher interval outside 15 minutes to one week, or not understood.
    #[error("invalid interval {input:?}: {reason}")]
    Interval {
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Any other field whose value is out of its allowed set or range.
    #[error("invalid {field} {input:?}: {reason}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// A validation error another process reported, carried as its message: a running monkey
    /// refused a call sent through its API ([`crate::store_rpc`]). The original variant cannot
    /// be rebuilt on this side (its field names and reasons are `&'static str`), so only its
    /// message crosses; it is shown unchanged.
    #[error("{message}")]
    Remote {
        /// The original error's message.
        message: String,
    },
}
