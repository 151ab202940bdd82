//! Amazon Resource Names: `arn:partition:service:region:account:resource`.

use std::fmt;

use super::PolicyError;

/// An ARN split into its six parts; the resource keeps any further `:` and `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The service prefix (`iam`, `s3`).
    pub service: String,
    /// The region, empty for global services.
    pub region: String,
    /// The 12-digit account, empty for S3 buckets and other account-less ARNs.
    pub account: String,
    /// Everything after the fifth `:` (`role/path/name`, `bucket/key`, `root`).
    pub resource: String,
}

impl Arn {
    /// The partition, service, region, account and resource of what [`Arn::parse`] accepts,
    /// borrowed from `text` instead of copied.
    ///
    /// ```
    /// use monkey_core::policy::Arn;
    ///
    /// let [_, service, _, account, resource] = Arn::parts("arn:aws:iam::123456789012:role/ci").unwrap();
    /// assert_eq!((service, account, resource), ("iam", "123456789012", "role/ci"));
    /// assert_eq!(Arn::parts("arn::s3:::bucket"), None);
    /// ```
    pub fn parts(text: &str) -> Option<[&str; 5]> {
        split(text)
    }

    /// Parses `arn:partition:service:region:account:resource`; partition and service must be non-empty.
    pub fn parse(text: &str) -> Result<Arn, PolicyError> {
        let parts = split(text).ok_or_else(|| {
            PolicyError::new("ARN", format!("expected arn:partition:service:region:account:resource, got {text:?}"))
        })?;
        let [partition, service, region, account, resource] = parts.map(str::to_owned);
        Ok(Arn { partition, service, region, account, resource })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arn:{}:{}:{}:{}:{}", self.partition, self.service, self.region, self.account, self.resource)
    }
}

/// The partition, service, region, account and resource of an ARN, borrowed from it.
pub(crate) fn split(text: &str) -> Option<[&str; 5]> {
    let rest = text.strip_prefix("arn:")?;
    let [a, b, c, d] = first_colons(rest)?;
    let parts = [rest.get(..a)?, rest.get(a + 1..b)?, rest.get(b + 1..c)?, rest.get(c + 1..d)?, rest.get(d + 1..)?];
    (!parts[0].is_empty() && !parts[1].is_empty()).then_some(parts)
}

/// Where the first four `:` of `text` are; ASCII, so every cut there is on a character boundary.
///
/// ARNs are split several times per policy audit, so the search looks at eight bytes at a time.
fn first_colons(text: &str) -> Option<[usize; 4]> {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COLONS: u64 = u64::from_le_bytes([b':'; 8]);
    let mut colons = [0; 4];
    let mut found = 0;
    let mut note = |index: usize| -> Option<bool> {
        *colons.get_mut(found)? = index;
        found += 1;
        Some(found == 4)
    };
    let mut chunks = text.as_bytes().chunks_exact(8);
    let mut start = 0;
    for chunk in chunks.by_ref() {
        let x = chunk.try_into().map_or(0, u64::from_le_bytes) ^ COLONS;
        // The high bit of each byte that is zero in `x`, that is a colon in the chunk (exact:
        // no carry crosses from one byte into the next).
        let mut colon_bits = !(((x & LOW) + LOW) | x | LOW);
        while colon_bits != 0 {
            if note(start + colon_bits.trailing_zeros() as usize / 8)? {
                return Some(colons);
            }
            colon_bits &= colon_bits - 1;
        }
        start += 8;
    }
    for (offset, &byte) in chunks.remainder().iter().enumerate() {
        if byte == b':' && note(start + offset)? {
            return Some(colons);
        }
    }
    None
}

/// The account an ARN names, when it is 12 digits.
pub(crate) fn account(text: &str) -> Option<&str> {
    split(text).map(|[_, _, _, account, _]| account).filter(|account| is_account_id(account))
}

/// Whether `text` is a 12-digit account id.
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}
