//! Realistic configurations for monkey's benchmarks: IAM policies, security groups, S3 buckets.

pub mod fixtures;
