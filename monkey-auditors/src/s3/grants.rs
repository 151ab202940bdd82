//! ACL grants (`Grants`), classified by grantee: the public groups, the log-delivery group,
//! the bucket owner, and accounts known by canonical id or S3 display name.

use super::Bucket;
use crate::fields::{Fields, Keys, field};
use crate::resource_policy::push_json_list;
use monkey_core::audit::{Environment, Relation};
use monkey_core::auditor::{AuditContext, Check, Finding};
use monkey_core::model::AccountNumber;
use serde_json::Value;

/// Everyone, signed in or anonymous.
pub(crate) const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
/// Anyone with an AWS account.
pub(crate) const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
/// S3 server access log delivery.
pub(crate) const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// Who a grant is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grantee<'a> {
    /// `AllUsers` or `AuthenticatedUsers` (the group's URI, spelt `http://`).
    Public(&'a str),
    /// The log-delivery group (its URI).
    LogDelivery(&'a str),
    /// The bucket owner's own canonical id.
    Owner,
    /// Any other canonical id, e-mail address or group, and how its account relates to the bucket's.
    Other {
        /// The canonical id, e-mail address or group URI.
        entity: &'a str,
        /// Its relation to the bucket's account.
        relation: Relation,
        /// Its account, when known.
        account: Option<&'a str>,
    },
}

/// One grant of the ACL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant<'a> {
    /// Who.
    pub(crate) grantee: Grantee<'a>,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP` or `FULL_CONTROL`.
    pub(crate) permission: &'a str,
}

/// The keys of a grant.
const GRANT: Keys<2> = Keys::new(["Grantee", "Permission"]);
/// The keys of a grantee.
const GRANTEE: Keys<4> = Keys::new(["URI", "DisplayName", "ID", "EmailAddress"]);

/// The grants of a bucket's configuration, classified; grants without a grantee or permission are left out.
pub(crate) fn read<'a>(
    grants_value: Option<&'a Value>,
    owner: Option<&'a Value>,
    ours: &AccountNumber,
    env: &'a Environment,
) -> Vec<Grant<'a>> {
    let owner = owner.and_then(|o| field(o, "ID")).and_then(Value::as_str);
    let listed = grants_value.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let mut grants = Vec::with_capacity(listed.len());
    for grant in listed {
        let grant = Fields::read(grant, &GRANT);
        let (Some(grantee), Some(permission)) =
            (grant.get(0), grant.get(1).and_then(Value::as_str).filter(|p| !p.is_empty()))
        else {
            continue;
        };
        if let Some(grantee) = classify(grantee, owner, ours, env) {
            grants.push(Grant { grantee, permission });
        }
    }
    grants
}

fn classify<'a>(
    grantee: &'a Value,
    owner: Option<&str>,
    ours: &AccountNumber,
    env: &'a Environment,
) -> Option<Grantee<'a>> {
    let fields = Fields::read(grantee, &GRANTEE);
    let text = |index: usize| fields.get(index).and_then(Value::as_str);
    if let Some(uri) = text(0) {
        return Some(match group(uri) {
            Some(known @ (ALL_USERS | AUTHENTICATED_USERS)) => Grantee::Public(known),
            Some(known) => Grantee::LogDelivery(known),
            None => Grantee::Other { entity: uri, relation: Relation::Unknown, account: None },
        });
    }
    let display = text(1).filter(|name| !name.is_empty());
    if let Some(id) = text(2).filter(|id| !id.is_empty()) {
        if owner.is_some_and(|owner| same_ignoring_case(owner, id)) {
            return Some(Grantee::Owner);
        }
        if let Some(account) = env.account_of_canonical_id(id) {
            let relation = env.classify_account(ours, account.number.as_str());
            return Some(Grantee::Other { entity: id, relation, account: Some(account.number.as_str()) });
        }
        let (relation, account) = display.map_or((Relation::Unknown, None), |name| by_s3_name(name, ours, env));
        return Some(Grantee::Other { entity: id, relation, account });
    }
    let email = text(3).filter(|email| !email.is_empty());
    let named = email.or(display)?;
    let (relation, account) = by_s3_name(named, ours, env);
    Some(Grantee::Other { entity: named, relation, account })
}

/// The group a URI names, in its canonical spelling (S3 accepts `http` and `https`).
fn group(uri: &str) -> Option<&'static str> {
    let path = uri.strip_prefix("http://").or_else(|| uri.strip_prefix("https://")).unwrap_or(uri);
    [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]
        .into_iter()
        .find(|known| known.strip_prefix("http://").is_some_and(|known_path| same_ignoring_case(known_path, path)))
}

/// `eq_ignore_ascii_case`, trying the exact comparison first: ids and URIs are nearly always
/// written in one case, and the exact comparison is much cheaper.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a == b || a.eq_ignore_ascii_case(b))
}

/// How the account with this S3 display name (Security Monkey's `s3_name`) relates to ours.
fn by_s3_name<'a>(name: &str, ours: &AccountNumber, env: &'a Environment) -> (Relation, Option<&'a str>) {
    let relation = env.classify_s3_name(ours, name);
    let account = match relation {
        Relation::Unknown => None,
        _ => env
            .accounts()
            .iter()
            .find(|account| account.s3_name.as_deref().is_some_and(|s3_name| s3_name.eq_ignore_ascii_case(name)))
            .map(|account| account.number.as_str()),
    };
    (relation, account)
}

/// `Entity: [ACL:<grantee>] Actions: ["READ"]`, with the account prefix when known.
pub(crate) fn notes(env: &Environment, account: Option<&str>, entity: &str, permissions: &[&str]) -> String {
    let mut notes = env.account_notes(account);
    notes.reserve(entity.len() + 32 + permissions.len() * 16);
    notes.push_str("Entity: [ACL:");
    notes.push_str(entity);
    notes.push_str("] Actions: ");
    push_json_list(&mut notes, permissions);
    notes
}

/// Appends `permissions` separated by `, `, as `join` would, without a String of its own.
pub(crate) fn push_joined(out: &mut String, permissions: &[&str]) {
    for (index, permission) in permissions.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(permission);
    }
}

/// Grants to other accounts, one finding per grantee with all its permissions, to the
/// friendly, third-party or unknown ACL check.
pub(crate) fn cross_account(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for grant in &bucket.grants {
        let Grantee::Other { entity, relation, account } = grant.grantee else {
            continue;
        };
        let check: &'static Check = match relation {
            Relation::Same => continue,
            Relation::Friendly => &super::S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT,
            Relation::ThirdParty => &super::S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT,
            Relation::Unknown => &super::S3_BUCKET_ACL_UNKNOWN_ACCESS,
        };
        if !ctx.is_enabled(check) || seen.contains(&entity) {
            continue;
        }
        seen.push(entity);
        let permissions =
            permissions_of(&bucket.grants, |g| matches!(g, Grantee::Other { entity: e, .. } if *e == entity));
        let notes = notes(&ctx.environment, account, entity, &permissions);
        let message = format!("Bucket ACL grants {} to {entity} ({relation})", permissions.join(", "));
        findings.push(Finding::new(check, message, notes));
    }
}

/// The permissions of the grants whose grantee `matches`, sorted and de-duplicated.
pub(crate) fn permissions_of<'a>(grants: &[Grant<'a>], matches: impl Fn(&Grantee<'a>) -> bool) -> Vec<&'a str> {
    let mut permissions: Vec<&str> = grants.iter().filter(|g| matches(&g.grantee)).map(|g| g.permission).collect();
    permissions.sort_unstable();
    permissions.dedup();
    permissions
}
