//! Statement conditions, and which of them narrow who can use a statement.

use std::borrow::Cow;
use std::net::IpAddr;

use ipnet::IpNet;

use super::arn;
use super::text::{OwnedText, PolicyText, TextList, owned_cow};
use super::who::EntityKind;

/// One condition of a statement: an operator applied to one key and its values; `S` is the
/// text type, as for [`Policy`](super::Policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition<S = OwnedText> {
    /// The base operator, without set prefix or `IfExists` (`StringEquals`, `IpAddress`, `Null`).
    pub operator: S,
    /// Whether the operator ended in `IfExists` (true when the key is absent).
    pub if_exists: bool,
    /// The `ForAllValues:` / `ForAnyValue:` prefix, if any.
    pub set: Option<ConditionSet>,
    /// The condition key, lower-cased (`aws:sourceip`); IAM compares keys case-insensitively.
    pub key: S,
    /// The values, booleans and numbers as text (`"true"`, `"3600"`).
    pub values: TextList<S>,
}

/// The set operator prefix of a multi-valued condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionSet {
    /// `ForAllValues:`: every request value must match; true when the key is absent.
    ForAllValues,
    /// `ForAnyValue:`: at least one request value must match; false when the key is absent.
    ForAnyValue,
}

/// Condition keys policies often spell with capitals, lower-cased once here so that a policy
/// borrowing its text from the document needs no copy of them.
const KNOWN_KEYS: [&str; 20] = [
    "aws:multifactorauthpresent",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:resourceorgid",
    "aws:securetransport",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "kms:calleraccount",
    "s3:dataaccesspointaccount",
    "sts:externalid",
];

// `lower_case_key` folds only the written key: the known keys must be lower case.
const _: () = {
    let mut index = 0;
    while index < KNOWN_KEYS.len() {
        let bytes = KNOWN_KEYS[index].as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            assert!(!bytes[at].is_ascii_uppercase(), "known condition keys are lower case");
            at += 1;
        }
        index += 1;
    }
};

/// The longest of [`KNOWN_KEYS`].
const LONGEST_KNOWN_KEY: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < KNOWN_KEYS.len() {
        if KNOWN_KEYS[index].len() > longest {
            longest = KNOWN_KEYS[index].len();
        }
        index += 1;
    }
    longest
};

/// `key` lower-cased, borrowed when it already is or when it is a known key.
fn lower_case_key<'a, S: PolicyText + From<&'a str> + From<String>>(key: &'a str) -> S {
    if !key.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return S::from(key);
    }
    // Folded once into a buffer on the stack, then compared whole: folding both sides of every
    // comparison cost more than the rest of the condition.
    let mut buffer = [0; LONGEST_KNOWN_KEY];
    if let Some(folded) = buffer.get_mut(..key.len()) {
        for (to, from) in folded.iter_mut().zip(key.bytes()) {
            *to = from.to_ascii_lowercase();
        }
        if let Some(known) = KNOWN_KEYS.iter().find(|known| known.as_bytes() == folded) {
            return S::from_static(known);
        }
    }
    S::from(key.to_ascii_lowercase())
}

impl Condition {
    /// The same condition, its text owned by `Cow`s.
    pub(crate) fn into_cow<'a>(self) -> Condition<Cow<'a, str>> {
        Condition {
            operator: owned_cow(self.operator),
            if_exists: self.if_exists,
            set: self.set,
            key: owned_cow(self.key),
            values: self.values.into_iter().map(owned_cow).collect(),
        }
    }
}

impl<S: PolicyText> Condition<S> {
    /// Builds a condition from an operator as written (`ForAnyValue:StringLikeIfExists`) and a key.
    pub(crate) fn new<'a>(written_operator: &'a str, key: &'a str, values: TextList<S>) -> Self
    where
        S: From<&'a str> + From<String>,
    {
        // Set prefixes start with `For`, and `IfExists` ends in `s`: most operators have
        // neither, and a byte says so before any prefix is compared.
        let (set, rest) = match written_operator.as_bytes().first() {
            Some(b'F') => {
                if let Some(rest) = written_operator.strip_prefix("ForAllValues:") {
                    (Some(ConditionSet::ForAllValues), rest)
                } else if let Some(rest) = written_operator.strip_prefix("ForAnyValue:") {
                    (Some(ConditionSet::ForAnyValue), rest)
                } else {
                    (None, written_operator)
                }
            }
            _ => (None, written_operator),
        };
        let (operator, if_exists) = match rest.as_bytes().last() {
            Some(b's') => match rest.strip_suffix("IfExists") {
                Some(base) => (base, true),
                None => (rest, false),
            },
            _ => (rest, false),
        };
        Condition { operator: S::from(operator), if_exists, set, key: lower_case_key(key), values }
    }

    /// Whether this condition restricts who can use its statement to named callers.
    ///
    /// True for a positive operator (`StringEquals`, `StringLike`, `StringEqualsIgnoreCase`,
    /// `ArnEquals`, `ArnLike`; `IpAddress` for `aws:SourceIp`), without `IfExists` or
    /// `ForAllValues:`, on one of the keys listed in the module docs, with values that are not
    /// wildcards (see the module docs).
    pub fn is_narrowing(&self) -> bool {
        self.narrowing_kind().is_some()
    }

    /// The kind of entity this condition names when it is narrowing ([`Condition::is_narrowing`]):
    /// one look at the key serves both questions.
    pub(crate) fn narrowing_kind(&self) -> Option<EntityKind> {
        let kind = narrowing_key(self.key.as_ref())?;
        // Both IfExists and ForAllValues are true when the key is absent, as for anonymous callers.
        let positive = match kind {
            EntityKind::Cidr => self.operator.as_ref() == "IpAddress",
            _ => matches!(
                self.operator.as_ref(),
                "StringEquals" | "StringLike" | "StringEqualsIgnoreCase" | "ArnEquals" | "ArnLike"
            ),
        };
        (positive && !self.if_exists && self.set != Some(ConditionSet::ForAllValues) && self.has_concrete_values(kind))
            .then_some(kind)
    }

    /// Whether this condition, in a Deny statement, denies everyone but named callers.
    ///
    /// A negated operator (`StringNotEquals`, `StringNotLike`, `StringNotEqualsIgnoreCase`,
    /// `ArnNotEquals`, `ArnNotLike`; `NotIpAddress` for `aws:SourceIp`) on a narrowing key with
    /// concrete values. `IfExists` is allowed: a negated operator is true when the key is absent,
    /// with or without it, so the Deny still applies to callers that lack the key.
    pub(crate) fn is_negated_narrowing(&self) -> bool {
        let Some(kind) = narrowing_key(self.key.as_ref()) else {
            return false;
        };
        let negated = match kind {
            EntityKind::Cidr => self.operator.as_ref() == "NotIpAddress",
            _ => matches!(
                self.operator.as_ref(),
                "StringNotEquals" | "StringNotLike" | "StringNotEqualsIgnoreCase" | "ArnNotEquals" | "ArnNotLike"
            ),
        };
        negated && self.set.is_none() && self.has_concrete_values(kind)
    }

    /// Whether every value names something specific, so the values together do not admit everyone.
    fn has_concrete_values(&self, kind: EntityKind) -> bool {
        if self.values.is_empty() {
            return false;
        }
        match kind {
            EntityKind::Cidr => !covers_an_address_family(&self.values),
            _ => self.values.iter().all(|value| !is_open_value(value.as_ref(), kind)),
        }
    }
}

/// The kind of entity a narrowing condition key names, for a lower-cased key.
pub(crate) fn narrowing_key(key: &str) -> Option<EntityKind> {
    Some(match key {
        "aws:sourceip" => EntityKind::Cidr,
        "aws:sourcevpc" => EntityKind::Vpc,
        "aws:sourcevpce" => EntityKind::Vpce,
        "aws:principalorgid" | "aws:sourceorgid" => EntityKind::OrgId,
        "aws:principalorgpaths" | "aws:sourceorgpaths" => EntityKind::OrgPath,
        "aws:principalaccount"
        | "aws:sourceaccount"
        | "aws:sourceowner"
        | "kms:calleraccount"
        | "s3:dataaccesspointaccount" => EntityKind::Account,
        "aws:sourcearn" | "aws:principalarn" => EntityKind::Arn,
        "aws:userid" => EntityKind::UserId,
        "aws:principalservicename" => EntityKind::Service,
        _ => return None,
    })
}

/// Whether a value admits (almost) anyone: wildcards only, perhaps after the fixed prefix of
/// its kind of id (`vpce-*`, `o-*`), or an ARN whose account is a wildcard, or which has no
/// account and a wildcard resource.
fn is_open_value(value: &str, kind: EntityKind) -> bool {
    let open = |text: &str| text.bytes().all(|byte| matches!(byte, b'*' | b'?' | b':' | b'/'));
    if let Some([_, _, _, account, resource]) = arn::split(value) {
        // Anyone can create a role of any name in an account of their own: only a fixed
        // account, or a fixed resource in account-less ARNs (S3 buckets), names a caller.
        return if account.is_empty() { open(resource) } else { account.contains(['*', '?']) };
    }
    if value.starts_with("arn:") {
        // Too short to name a resource (`arn:aws:*`): it stands for every ARN.
        return true;
    }
    let fixed_prefix = match kind {
        EntityKind::Vpc => "vpc-",
        EntityKind::Vpce => "vpce-",
        EntityKind::OrgId | EntityKind::OrgPath => "o-",
        _ => "",
    };
    let rest = match value.get(..fixed_prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(fixed_prefix) => &value[fixed_prefix.len()..],
        _ => value,
    };
    open(rest)
}

/// Whether the CIDRs together cover all of IPv4 or all of IPv6 (`0.0.0.0/0`, two `/1` halves).
fn covers_an_address_family<S: AsRef<str>>(values: &[S]) -> bool {
    // Networks can only cover a family together when their sizes add up to it, which most
    // lists are far from: they need no aggregation, and its allocations.
    if values.iter().all(|value| is_narrow_network(value.as_ref())) && values.len() < 1 << 8 {
        return false;
    }
    let (mut v4, mut v6) = (0u64, 0u128);
    for network in values.iter().filter_map(|value| parse_network(value.as_ref())) {
        // A whole family in one network (`0.0.0.0/0`, the usual way to write "anyone") needs
        // no aggregation, nor its allocations.
        if network.prefix_len() == 0 {
            return true;
        }
        match network {
            IpNet::V4(network) => v4 = v4.saturating_add(1 << (32 - u32::from(network.prefix_len()))),
            IpNet::V6(network) => v6 = v6.saturating_add(1 << (128 - u32::from(network.prefix_len()))),
        }
    }
    if v4 < 1 << 32 && v6 < u128::MAX {
        return false;
    }
    let networks: Vec<IpNet> = values.iter().filter_map(|value| parse_network(value.as_ref())).collect();
    IpNet::aggregate(&networks).iter().any(|network| network.prefix_len() == 0)
}

/// Whether `value`, if it is a network at all, is no wider than a `/8`: a lone address or a
/// prefix length of 8 or more, read without parsing the address. Fewer than 256 such networks
/// cannot cover an address family, whatever their addresses.
///
/// Read from the end, byte by byte: the prefix length is all that matters, and trimming the
/// start of a value cannot change what follows its last `/`.
pub(super) fn is_narrow_network(value: &str) -> bool {
    let bytes = value.trim_end().as_bytes();
    let Some(slash) = bytes.iter().rposition(|&byte| byte == b'/') else {
        return true;
    };
    let digits = bytes.get(slash + 1..).unwrap_or_default();
    if !(1..=3).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let length = digits.iter().fold(0u32, |length, &digit| length * 10 + u32::from(digit - b'0'));
    (8..=255).contains(&length)
}

/// A CIDR or a lone address as a network; unparsable values match no address, so they widen nothing.
fn parse_network(value: &str) -> Option<IpNet> {
    let value = value.trim();
    value.parse::<IpNet>().ok().or_else(|| value.parse::<IpAddr>().ok().map(IpNet::from))
}
