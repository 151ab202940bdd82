//! The network whitelist: named CIDRs that audits treat as our own networks.

use crate::ModelError;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// A named network that counts as ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkWhitelistEntry {
    /// Unique name.
    pub name: String,
    /// The network.
    pub cidr: IpNet,
    /// Free text.
    #[serde(default)]
    pub notes: String,
}

impl NetworkWhitelistEntry {
    /// Validates the name (1 to 50 characters) and parses the CIDR (`10.0.0.0/8`, `2001:db8::/32`;
    /// a bare address means a single host).
    pub fn new(name: impl Into<String>, cidr: &str, notes: impl Into<String>) -> Result<Self, ModelError> {
        let name = name.into();
        if name.trim().is_empty() || name.chars().count() > 50 {
            return Err(ModelError::Name {
                field: "whitelist name",
                input: name,
                reason: "a name has 1 to 50 characters".into(),
            });
        }
        let text = cidr.trim();
        let cidr = text
            .parse::<IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
            .map_err(|e| ModelError::Cidr { input: cidr.to_owned(), reason: e.to_string() })?;
        Ok(Self { name, cidr, notes: notes.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_parse_or_are_refused() {
        let entry = NetworkWhitelistEntry::new("office", "10.0.0.0/8", "").unwrap();
        assert_eq!(entry.cidr.to_string(), "10.0.0.0/8");
        let host = NetworkWhitelistEntry::new("vpn", "192.0.2.7", "").unwrap();
        assert_eq!(host.cidr.to_string(), "192.0.2.7/32");
        assert!(NetworkWhitelistEntry::new("v6", "2001:db8::/32", "").is_ok());
        for bad in ["10.0.0.0/33", "300.1.1.1/8", "office", ""] {
            let err = NetworkWhitelistEntry::new("x", bad, "").unwrap_err();
            assert!(matches!(err, ModelError::Cidr { .. }), "{bad}: {err}");
        }
        assert!(NetworkWhitelistEntry::new("", "10.0.0.0/8", "").is_err());
    }
}
