//! Who a policy lets in: principals, and the callers its narrowing conditions name.

use std::fmt;

use serde::Serialize;

use super::arn;
use super::document::Statement;
use super::principal::{PrincipalKind, Principals};
use super::text::{OwnedText, PolicyText};

/// Something a policy grants access to: a principal, or a caller named by a condition.
///
/// `S` is the text type of the policy it comes from ([`PolicyText`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Entity<S = OwnedText> {
    /// What `value` is.
    pub kind: EntityKind,
    /// The principal or condition value as written (`"*"` for [`EntityKind::Any`]).
    pub value: S,
}

/// The kinds of [`Entity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// Everyone: `"Principal": "*"` or a `NotPrincipal`.
    Any,
    /// An ARN: an IAM principal, or a source ARN (`arn:aws:iam::123456789012:role/x`).
    Arn,
    /// A 12-digit account.
    Account,
    /// An AWS service principal (`cloudtrail.amazonaws.com`).
    Service,
    /// A federated identity provider.
    Federated,
    /// An S3 canonical user id.
    CanonicalUser,
    /// An IAM unique id (`AIDA...`, `AROA...:session`), from `aws:userid` or a deleted principal.
    UserId,
    /// A source IP range (`aws:SourceIp`).
    Cidr,
    /// A source VPC (`aws:SourceVpc`).
    Vpc,
    /// A source VPC endpoint (`aws:SourceVpce`).
    Vpce,
    /// An AWS Organizations id (`aws:PrincipalOrgID`).
    OrgId,
    /// An AWS Organizations path (`aws:PrincipalOrgPaths`).
    OrgPath,
}

impl EntityKind {
    /// The lower-case name used in [`Entity`]'s display (`principal`, `cidr`, ...; `*` for `Any`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "*",
            Self::Arn => "principal",
            Self::Account => "account",
            Self::Service => "service",
            Self::Federated => "federated",
            Self::CanonicalUser => "canonical",
            Self::UserId => "userid",
            Self::Cidr => "cidr",
            Self::Vpc => "vpc",
            Self::Vpce => "vpce",
            Self::OrgId => "orgid",
            Self::OrgPath => "orgpath",
        }
    }
}

impl Entity {
    /// An entity of `kind` with `value`.
    pub fn new(kind: EntityKind, value: impl Into<OwnedText>) -> Self {
        Entity { kind, value: value.into() }
    }
}

impl<S: AsRef<str>> Entity<S> {
    /// The 12-digit account this entity belongs to: an account, or an ARN that names one.
    pub fn account(&self) -> Option<&str> {
        let value = self.value.as_ref();
        match self.kind {
            EntityKind::Account if arn::is_account_id(value) => Some(value),
            EntityKind::Arn => arn::account(value),
            _ => None,
        }
    }

    /// Whether this is an account's root: a bare account id, or `arn:aws:iam::<account>:root`.
    pub fn is_root(&self) -> bool {
        match self.kind {
            EntityKind::Account => arn::is_account_id(self.value.as_ref()),
            EntityKind::Arn => arn::split(self.value.as_ref()).is_some_and(|[_, service, _, account, resource]| {
                service == "iam" && resource == "root" && arn::is_account_id(account)
            }),
            _ => false,
        }
    }

    /// Whether this is an AWS service principal.
    pub fn is_aws_service(&self) -> bool {
        self.kind == EntityKind::Service
    }

    /// The entity a value of an `AWS` principal names.
    fn aws_principal(value: &S) -> Self
    where
        S: Clone,
    {
        let text = value.as_ref();
        let kind = if text == "*" {
            EntityKind::Any
        } else if arn::is_account_id(text) {
            EntityKind::Account
        } else if text.starts_with("arn:") {
            EntityKind::Arn
        } else {
            // IAM shows a deleted principal by its unique id.
            EntityKind::UserId
        };
        Entity { kind, value: value.clone() }
    }
}

impl<S: AsRef<str>> fmt::Display for Entity<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            EntityKind::Any => f.write_str("*"),
            kind => {
                f.write_str(kind.as_str())?;
                f.write_str(":")?;
                f.write_str(self.value.as_ref())
            }
        }
    }
}

impl<S: PolicyText> Statement<S> {
    /// Who this statement lets in, sorted and de-duplicated; empty for a Deny.
    ///
    /// Its principals (everyone for `"*"` or a `NotPrincipal`) and the values of its narrowing
    /// conditions (source IPs, VPCs, VPC endpoints, organisations, accounts, ARNs, user ids).
    pub fn whos_allowed(&self) -> Vec<Entity<S>> {
        let mut who = Vec::new();
        self.whos_allowed_into(&mut who);
        who
    }

    /// [`Statement::whos_allowed`] into `who`, cleared first: one list serves every statement
    /// of a policy audited in bulk.
    pub fn whos_allowed_into(&self, who: &mut Vec<Entity<S>>) {
        who.clear();
        self.add_whos_allowed(who);
        if who.len() > 1 {
            who.sort_unstable();
            who.dedup();
        }
    }

    /// How many entities this statement can add at most, were it an Allow.
    pub(crate) fn who_bound(&self) -> usize {
        let principals = |principals: &Option<Principals<S>>| match principals {
            Some(Principals::Kinds(kinds)) => kinds.iter().map(|(_, values)| values.len()).sum(),
            Some(Principals::Any) => 1,
            None => 0,
        };
        let conditions: usize = self.conditions.iter().map(|condition| condition.values.len()).sum();
        principals(&self.principal) + usize::from(self.not_principal.is_some()) + conditions
    }

    /// Appends who this statement lets in, unsorted.
    pub(crate) fn add_whos_allowed(&self, who: &mut Vec<Entity<S>>) {
        if !self.is_allow() {
            return;
        }
        let anyone = || Entity { kind: EntityKind::Any, value: S::from_static("*") };
        if self.not_principal.is_some() {
            who.push(anyone());
        }
        match &self.principal {
            Some(Principals::Any) => who.push(anyone()),
            Some(Principals::Kinds(kinds)) => {
                for (kind, values) in kinds.iter() {
                    who.extend(values.iter().map(|value| match kind {
                        PrincipalKind::Aws => Entity::aws_principal(value),
                        PrincipalKind::Service => Entity { kind: EntityKind::Service, value: value.clone() },
                        PrincipalKind::Federated => Entity { kind: EntityKind::Federated, value: value.clone() },
                        PrincipalKind::CanonicalUser => {
                            Entity { kind: EntityKind::CanonicalUser, value: value.clone() }
                        }
                    }));
                }
            }
            None => {}
        }
        for condition in &self.conditions {
            if let Some(kind) = condition.narrowing_kind() {
                who.extend(condition.values.iter().map(|value| Entity { kind, value: value.clone() }));
            }
        }
    }
}
