//! Realistic configurations for monkey's benchmarks: IAM policies, security groups, S3 buckets.

pub mod fixtures;

/// The allocator the `monkey` binary uses, so benchmarks measure what users run: glibc's
/// malloc spends more time freeing configurations than monkey spends hashing them.
pub use monkey_alloc::Mimalloc as Allocator;
