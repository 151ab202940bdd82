//! IAM policy documents: parsing, who they let in, whether the internet can reach what they
//! guard, and the catalogue of IAM actions with their access levels.
//!
//! [`Policy::parse`] reads every spelling IAM accepts (a lone statement or a list, a string or
//! a list wherever a set of strings goes, a JSON or URL-encoded string for the whole document)
//! into one normalised form, and never panics, whatever the input.
//! [`Policy::parse_borrowed`] gives the same policy with its text borrowed from the document
//! ([`PolicyText`]), for auditors that read a policy on every audit.
//!
//! # Internet accessible
//!
//! A statement is internet accessible when it is an Allow, applies to any principal
//! (`"Principal": "*"`, `{"AWS": "*"}`, or any `NotPrincipal`) and has no *narrowing
//! condition*. That answers "is this S3 bucket public?" for bucket policies and "can anyone
//! assume this role?" for trust policies.
//!
//! A narrowing condition restricts the statement to named callers. It uses a positive
//! operator — `StringEquals`, `StringLike`, `StringEqualsIgnoreCase`, `ArnEquals`, `ArnLike`,
//! or `IpAddress` for `aws:SourceIp` — optionally with `ForAnyValue:`, on one of these keys:
//!
//! | Key | Names |
//! |-----|-------|
//! | `aws:SourceIp` | [`EntityKind::Cidr`] |
//! | `aws:SourceVpc` | [`EntityKind::Vpc`] |
//! | `aws:SourceVpce` | [`EntityKind::Vpce`] |
//! | `aws:PrincipalOrgID`, `aws:SourceOrgID` | [`EntityKind::OrgId`] |
//! | `aws:PrincipalOrgPaths`, `aws:SourceOrgPaths` | [`EntityKind::OrgPath`] |
//! | `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceOwner`, `kms:CallerAccount`, `s3:DataAccessPointAccount` | [`EntityKind::Account`] |
//! | `aws:SourceArn`, `aws:PrincipalArn` | [`EntityKind::Arn`] |
//! | `aws:userid` | [`EntityKind::UserId`] |
//! | `aws:PrincipalServiceName` | [`EntityKind::Service`] |
//!
//! These do not narrow, because they hold for callers that lack the key or match everyone:
//! - `...IfExists` operators and `ForAllValues:` (both true when the key is absent);
//! - negated operators (`StringNotEquals`, `NotIpAddress`, ...), `Null`, `Bool`, and keys not
//!   listed (`aws:ResourceOrgID` restricts resources, not callers; `aws:SecureTransport`);
//! - conditions whose values include an open one: wildcards only (`*`, `*:*`), perhaps after
//!   an id's fixed prefix (`vpce-*`, `o-*`); an ARN with a wildcard account
//!   (`arn:aws:iam::*:role/x`), or without an account and with a wildcard resource
//!   (`arn:aws:s3:::*`), or of fewer than six parts (`arn:aws:*`); source IPs that together
//!   cover all of IPv4 or all of IPv6 (`0.0.0.0/0`, `::/0`, two `/1` halves).
//!
//! Wildcards count as open even under `StringEquals`, where they are literal: a false alarm is
//! cheaper than a missed one.
//!
//! A policy is internet accessible when one of its statements is and no Deny statement
//! *neutralises* it. A Deny neutralises an Allow when it applies to `"Principal": "*"`, its
//! `Action` patterns cover every action of the Allow, its `Resource` patterns cover every
//! resource of the Allow, and all its conditions (at least one) are negated narrowing
//! conditions: `StringNotEquals`, `StringNotLike`, `StringNotEqualsIgnoreCase`,
//! `ArnNotEquals`, `ArnNotLike`, or `NotIpAddress` for `aws:SourceIp`, on a key above, with
//! concrete values — "deny everyone unless they come through vpce-1".
//!
//! # Who is allowed
//!
//! [`Policy::whos_allowed`] lists, over Allow statements, the principals (accounts, ARNs,
//! services, federated providers, canonical users, `"*"`) and the values of narrowing
//! conditions, as [`Entity`] values displayed Security Monkey style (`cidr:10.0.0.0/8`).
//!
//! # Actions
//!
//! [`actions()`] is the catalogue of every documented IAM action with its [`AccessLevel`],
//! compiled in from `monkey-core/data/iam_actions.txt` (see the README there for its source
//! and licence). Patterns match case-insensitively, with `*` for any run of characters and `?`
//! for one.

mod actions;
mod arn;
mod condition;
mod document;
mod glob;
mod internet;
mod json_text;
mod principal;
mod text;
mod who;

#[cfg(test)]
mod tests;

pub use actions::{AccessLevel, ActionCatalogue, ActionInfo, actions};
pub use arn::Arn;
pub use condition::{Condition, ConditionSet};
pub(crate) use document::decode_policy_text;
pub use document::{Effect, Policy, PolicyError, Statement};
pub use principal::{PrincipalKind, PrincipalMap, Principals};
pub use text::{OwnedText, PolicyText, TextList};
pub use who::{Entity, EntityKind};
