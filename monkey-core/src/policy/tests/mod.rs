//! Tests of the policy module, one file per part, plus property tests.

mod actions;
mod arn;
mod condition;
mod document;
mod glob;
mod internet;
mod props;
mod who;

use serde_json::Value;

use super::{Policy, Statement};

/// Parses a document that must be valid.
fn policy(document: Value) -> Policy {
    Policy::parse(&document).unwrap()
}

/// Parses a one-statement document that must be valid, and returns the statement.
fn statement(statement: Value) -> Statement {
    let mut policy = policy(serde_json::json!({ "Statement": statement }));
    policy.statements.remove(0)
}
