//! Reaching AWS: settings, one session per account (STS AssumeRole), clients per region,
//! region discovery and how SDK errors become scoped failures.

mod error;
pub(crate) mod regional;
mod regions;
mod session;

pub use error::describe;
pub use regions::regions;
pub use session::{AwsSession, AwsSettings};
