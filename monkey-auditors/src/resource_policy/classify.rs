//! How an entity a policy allows relates to the item's account.

use monkey_core::audit::{Environment, Relation};
use monkey_core::model::AccountNumber;
use monkey_core::policy::{Arn, Entity, EntityKind, PolicyError, PrincipalKind, Principals, Statement};

/// What an entity is to the item's account.
pub(super) enum Class {
    /// Not classified here: everyone (the internet check's), AWS services, identity providers.
    Skip,
    /// A principal ARN that is not `arn:partition:service:region:account:resource`.
    BadArn(PolicyError),
    /// Same account, friendly, third party or unknown.
    Related(Relation),
}

/// Classifies `entity`; `names_account` says whether its statement names a 12-digit account,
/// which account-less ARNs (S3 buckets in `aws:SourceArn`) are taken to belong to.
pub(super) fn classify<S: AsRef<str>>(
    entity: &Entity<S>,
    names_account: bool,
    ours: &AccountNumber,
    env: &Environment,
) -> Class {
    let value = entity.value.as_ref();
    let relation = match entity.kind {
        EntityKind::Any | EntityKind::Service => return Class::Skip,
        EntityKind::Account | EntityKind::UserId => {
            if is_account_id(value) {
                env.classify_account(ours, value)
            } else {
                Relation::Unknown
            }
        }
        EntityKind::Arn => return classify_arn(value, names_account, ours, env),
        // Web identity and SAML providers named by domain (`accounts.google.com`) are not accounts.
        EntityKind::Federated if !value.starts_with("arn:") => return Class::Skip,
        EntityKind::Federated => return classify_arn(value, names_account, ours, env),
        EntityKind::CanonicalUser => env.classify_canonical_id(ours, value),
        EntityKind::Cidr => env.classify_cidr(ours, value),
        EntityKind::Vpc | EntityKind::Vpce => env.classify_vpc(ours, value),
        EntityKind::OrgId => env.classify_organization(value),
        EntityKind::OrgPath => env.classify_organization(value.split('/').next().unwrap_or(value)),
    };
    Class::Related(relation)
}

fn classify_arn(value: &str, names_account: bool, ours: &AccountNumber, env: &Environment) -> Class {
    let Some(account) = arn_account(value) else {
        return match Arn::parse(value) {
            Err(error) => Class::BadArn(error),
            // Parsed by the core but not by us: treat as account-less.
            Ok(_) if names_account => Class::Skip,
            Ok(_) => Class::Related(Relation::Unknown),
        };
    };
    if is_account_id(account) {
        Class::Related(env.classify_account(ours, account))
    } else if names_account && account.is_empty() {
        Class::Skip
    } else {
        Class::Related(Relation::Unknown)
    }
}

/// The account part of an ARN (possibly empty), or `None` when it is not an ARN.
fn arn_account(text: &str) -> Option<&str> {
    // `arn:partition:service:region:account:resource`: the core's split, which also insists on
    // a partition and a service.
    Arn::parts(text).map(|[_, _, _, account, _]| account)
}

/// The 12-digit account an entity belongs to, for notes.
pub(super) fn account_of<S: AsRef<str>>(entity: &Entity<S>, env: &Environment) -> Option<String> {
    let value = entity.value.as_ref();
    match entity.kind {
        EntityKind::Account | EntityKind::UserId if is_account_id(value) => Some(value.to_owned()),
        EntityKind::Arn | EntityKind::Federated => {
            arn_account(value).filter(|account| is_account_id(account)).map(str::to_owned)
        }
        EntityKind::CanonicalUser => {
            env.account_of_canonical_id(value).map(|account| account.number.as_str().to_owned())
        }
        _ => None,
    }
}

/// Whether the entities of a statement include a 12-digit account.
pub(super) fn statement_names_account<S: AsRef<str>>(who: &[Entity<S>]) -> bool {
    who.iter().any(|entity| entity.kind == EntityKind::Account && is_account_id(entity.value.as_ref()))
}

/// Whether `value` is one of the statement's `Principal.AWS` values (not a condition value).
pub(super) fn is_principal_value<S: AsRef<str>>(statement: &Statement<S>, value: &str) -> bool {
    match &statement.principal {
        Some(Principals::Kinds(kinds)) => {
            kinds.get(&PrincipalKind::Aws).is_some_and(|values| values.iter().any(|v| v.as_ref() == value))
        }
        _ => false,
    }
}

/// Whether `text` is a 12-digit account id.
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}
