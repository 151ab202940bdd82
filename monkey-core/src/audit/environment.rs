//! What an audit knows of accounts and networks, to say how an account, canonical id, network,
//! VPC or principal relates to the audited item's account.

use crate::model::{Account, AccountNumber, Category, NetworkWhitelistEntry};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How something that is granted access relates to the audited item's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The item's own account, an AWS service, or a whitelisted network.
    Same,
    /// Another account of ours (stored and not third party).
    Friendly,
    /// A known account that is not ours (stored and marked third party).
    ThirdParty,
    /// Anything nobody registered.
    Unknown,
}

impl Relation {
    /// The issue category of access granted to it; `None` for the same account.
    pub fn category(self) -> Option<Category> {
        match self {
            Self::Same => None,
            Self::Friendly => Some(Category::FriendlyCrossAccount),
            Self::ThirdParty => Some(Category::ThirdpartyCrossAccount),
            Self::Unknown => Some(Category::UnknownAccess),
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Same => "same account",
            Self::Friendly => "friendly account",
            Self::ThirdParty => "third-party account",
            Self::Unknown => "unknown account",
        })
    }
}

/// Accounts, the network whitelist, and networks, VPCs and VPC endpoints learned from stored
/// items, indexed for classification.
///
/// ```
/// use monkey_core::audit::{Environment, Relation};
/// use monkey_core::model::{Account, AccountName, AccountNumber, NetworkWhitelistEntry};
///
/// let ours = AccountNumber::parse("111111111111").unwrap();
/// let mut vendor = Account::new(AccountName::parse("vendor").unwrap(), AccountNumber::parse("222222222222").unwrap());
/// vendor.third_party = true;
/// let office = NetworkWhitelistEntry::new("office", "198.51.100.0/24", "").unwrap();
/// let env = Environment::new(vec![vendor], vec![office]);
/// assert_eq!(env.classify_account(&ours, "111111111111"), Relation::Same);
/// assert_eq!(env.classify_account(&ours, "222222222222"), Relation::ThirdParty);
/// assert_eq!(env.classify_account(&ours, "333333333333"), Relation::Unknown);
/// assert_eq!(env.classify_cidr(&ours, "198.51.100.7/32"), Relation::Same);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Environment {
    accounts: Vec<Account>,
    by_number: HashMap<String, usize>,
    by_canonical_id: HashMap<String, usize>,
    by_s3_name: HashMap<String, usize>,
    whitelist: Vec<NetworkWhitelistEntry>,
    networks: Vec<(IpNet, AccountNumber)>,
    vpcs: HashMap<String, AccountNumber>,
    organizations: Vec<String>,
}

impl Environment {
    /// An environment of these accounts and whitelisted networks.
    pub fn new(accounts: Vec<Account>, whitelist: Vec<NetworkWhitelistEntry>) -> Self {
        let mut env = Self { whitelist, ..Self::default() };
        for account in accounts {
            env.add_account(account);
        }
        env
    }

    fn add_account(&mut self, account: Account) {
        let index = self.accounts.len();
        self.by_number.insert(account.number.as_str().to_owned(), index);
        if let Some(id) = account.canonical_id.as_deref().filter(|id| !id.is_empty()) {
            self.by_canonical_id.insert(id.to_ascii_lowercase(), index);
        }
        if let Some(name) = account.s3_name.as_deref().filter(|name| !name.is_empty()) {
            self.by_s3_name.insert(name.to_lowercase(), index);
        }
        self.accounts.push(account);
    }

    /// Every account, as given.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The networks that count as ours.
    pub fn whitelist(&self) -> &[NetworkWhitelistEntry] {
        &self.whitelist
    }

    /// The stored account with this 12-digit number.
    pub fn account(&self, number: &str) -> Option<&Account> {
        self.by_number.get(number).map(|&i| &self.accounts[i])
    }

    /// Records that `network` belongs to `owner` (a VPC's CIDR, an Elastic IP).
    pub fn learn_network(&mut self, network: IpNet, owner: AccountNumber) {
        self.networks.push((network, owner));
    }

    /// Records that the VPC or VPC endpoint `id` belongs to `owner`.
    pub fn learn_vpc(&mut self, id: &str, owner: AccountNumber) {
        self.vpcs.insert(id.to_owned(), owner);
    }

    /// Records an AWS Organizations id (`o-...`) as ours: `aws:PrincipalOrgID` conditions naming
    /// it grant access to friendly accounts only.
    pub fn learn_organization(&mut self, id: &str) {
        self.organizations.push(id.to_owned());
    }

    /// Learns every network, VPC and organization `other` learned (its accounts and
    /// whitelist are not taken): environments learned per account and technology are merged
    /// this way.
    pub fn learn_from(&mut self, other: &Environment) {
        self.networks.extend(other.networks.iter().cloned());
        self.vpcs.extend(other.vpcs.iter().map(|(id, owner)| (id.clone(), owner.clone())));
        self.organizations.extend(other.organizations.iter().cloned());
    }

    /// Learns networks and VPCs from the latest configuration of a stored item: VPC CIDR
    /// blocks and ids (`vpc`), Elastic IPs (`elasticip`), gateway VPC endpoints (`routetable`);
    /// other technologies teach nothing.
    pub fn learn_from_item(&mut self, technology: &str, owner: &AccountNumber, config: &Value) {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        match technology {
            "vpc" => {
                if let Some(id) = text(config, "VpcId") {
                    self.learn_vpc(&id, owner.clone());
                }
                let mut blocks: Vec<String> = text(config, "CidrBlock").into_iter().collect();
                for list in ["CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet"] {
                    for association in config.get(list).and_then(Value::as_array).into_iter().flatten() {
                        blocks.extend(text(association, "CidrBlock"));
                        blocks.extend(text(association, "Ipv6CidrBlock"));
                    }
                }
                blocks.sort();
                blocks.dedup();
                for block in blocks {
                    if let Ok(network) = block.parse::<IpNet>() {
                        self.learn_network(network, owner.clone());
                    }
                }
            }
            // Gateway VPC endpoints (S3, DynamoDB) show up as route targets: bucket policies
            // limited to `aws:SourceVpce` name them.
            "routetable" => {
                for route in config.get("Routes").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(endpoint) = text(route, "GatewayId").filter(|id| id.starts_with("vpce-")) {
                        self.learn_vpc(&endpoint, owner.clone());
                    }
                }
            }
            "elasticip" => {
                for key in ["PublicIp", "CarrierIp"] {
                    if let Some(address) = text(config, key).and_then(|a| a.parse::<IpAddr>().ok()) {
                        self.learn_network(IpNet::from(address), owner.clone());
                    }
                }
            }
            _ => {}
        }
    }

    /// Technologies whose items [`Environment::learn_from_item`] learns from.
    pub const LEARNS_FROM: [&'static str; 3] = ["elasticip", "routetable", "vpc"];

    /// How the account numbered `other` relates to `ours`.
    pub fn classify_account(&self, ours: &AccountNumber, other: &str) -> Relation {
        if other == ours.as_str() {
            return Relation::Same;
        }
        match self.account(other) {
            Some(account) if account.third_party => Relation::ThirdParty,
            Some(_) => Relation::Friendly,
            None => Relation::Unknown,
        }
    }

    /// How the owner of an S3 canonical user id relates to `ours`.
    pub fn classify_canonical_id(&self, ours: &AccountNumber, canonical_id: &str) -> Relation {
        self.classify_index(ours, self.by_canonical_id.get(&canonical_id.to_ascii_lowercase()))
    }

    /// How the account with this S3 display name (legacy ACL grants) relates to `ours`.
    pub fn classify_s3_name(&self, ours: &AccountNumber, s3_name: &str) -> Relation {
        self.classify_index(ours, self.by_s3_name.get(&s3_name.to_lowercase()))
    }

    fn classify_index(&self, ours: &AccountNumber, index: Option<&usize>) -> Relation {
        match index {
            Some(&i) => self.classify_account(ours, self.accounts[i].number.as_str()),
            None => Relation::Unknown,
        }
    }

    /// The account that owns this canonical id, if stored.
    pub fn account_of_canonical_id(&self, canonical_id: &str) -> Option<&Account> {
        self.by_canonical_id.get(&canonical_id.to_ascii_lowercase()).map(|&i| &self.accounts[i])
    }

    /// How a network (CIDR or bare address) relates to `ours`: whitelisted networks are ours;
    /// a network inside one learned from an account's VPC or Elastic IP is that account's;
    /// anything else (including the whole internet, which callers report separately) is
    /// unknown. Text that is not a network is unknown.
    pub fn classify_cidr(&self, ours: &AccountNumber, cidr: &str) -> Relation {
        let Some(network) = parse_network(cidr) else {
            return Relation::Unknown;
        };
        if self.whitelist.iter().any(|entry| entry.cidr.contains(&network)) {
            return Relation::Same;
        }
        let owners = self.networks.iter().filter(|(known, _)| known.contains(&network));
        // The closest relation wins: a range learned from our own VPC is ours even if another
        // account reuses the same private range.
        owners.map(|(_, owner)| self.classify_account(ours, owner.as_str())).min().unwrap_or(Relation::Unknown)
    }

    /// How a VPC or VPC endpoint id relates to `ours`.
    pub fn classify_vpc(&self, ours: &AccountNumber, id: &str) -> Relation {
        match self.vpcs.get(id) {
            Some(owner) => self.classify_account(ours, owner.as_str()),
            None => Relation::Unknown,
        }
    }

    /// How an AWS Organizations id relates to us: friendly when learned, else unknown.
    pub fn classify_organization(&self, id: &str) -> Relation {
        if self.organizations.iter().any(|known| known == id) { Relation::Friendly } else { Relation::Unknown }
    }

    /// `Account: [<number>/<name>] ` for a stored account, `Account: [<number>] ` for another
    /// 12-digit number, nothing otherwise: the prefix of Security Monkey's entity notes.
    pub fn account_notes(&self, number: Option<&str>) -> String {
        match number {
            Some(n) => match self.account(n) {
                Some(account) => format!("Account: [{n}/{}] ", account.name),
                None => format!("Account: [{n}] "),
            },
            None => String::new(),
        }
    }
}

fn parse_network(text: &str) -> Option<IpNet> {
    if let Some(network) = plain_ipv4_network(text).or_else(|| plain_ipv6_network(text)) {
        return Some(network);
    }
    let text = text.trim();
    text.parse::<IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// `a.b.c.d/n` in the plain spelling security group rules and whitelists use, read without
/// the general parser (which tries IPv4, then IPv6, through boxed closures): `None` for any
/// other spelling, which [`parse_network`] then reads the general way. Every text read here
/// reads the same there.
fn plain_ipv4_network(text: &str) -> Option<IpNet> {
    // Four octets of 1 to 3 digits up to 255, then a prefix of 1 or 2 digits up to 32: the
    // numbers ipnet's parser accepts. One pass over the bytes: networks are classified for
    // every rule of every group on every audit.
    let mut address = 0u32;
    let (mut number, mut digits, mut part) = (0u32, 0u32, 0u32);
    for &byte in text.as_bytes() {
        if byte.is_ascii_digit() && digits < 3 {
            number = number * 10 + u32::from(byte - b'0');
            digits += 1;
            continue;
        }
        let ends_octet = match byte {
            b'.' => part < 3,
            b'/' => part == 3,
            _ => false,
        };
        if !ends_octet || digits == 0 || number > 255 {
            return None;
        }
        address = address << 8 | number;
        (number, digits, part) = (0, 0, part + 1);
    }
    if part != 4 || !(1..=2).contains(&digits) || number > 32 {
        return None;
    }
    Ipv4Net::new(Ipv4Addr::from(address), u8::try_from(number).ok()?).ok().map(IpNet::V4)
}

/// The number the 1 to `most` ASCII digits at the start of `bytes` write, and the bytes after them.
fn leading_decimal(bytes: &[u8], most: usize) -> Option<(u32, &[u8])> {
    let digits = bytes.iter().take(most + 1).take_while(|byte| byte.is_ascii_digit()).count();
    if digits == 0 || digits > most {
        return None;
    }
    let (number, after) = bytes.split_at(digits);
    Some((number.iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0')), after))
}

/// `x:x:...:x/n` (groups of 1 to 4 hex digits, at most one `::`, no embedded IPv4 address)
/// read without the general parser, as [`plain_ipv4_network`] reads IPv4: `None` for any
/// other spelling.
fn plain_ipv6_network(text: &str) -> Option<IpNet> {
    let bytes = text.as_bytes();
    let slash = bytes.iter().position(|&byte| byte == b'/')?;
    let (address, prefix) = (bytes.get(..slash)?, bytes.get(slash + 1..)?);
    let prefix = match leading_decimal(prefix, 3)? {
        (prefix @ 0..=128, []) => u8::try_from(prefix).ok()?,
        _ => return None,
    };
    // The groups in order, and where `::` stood among them.
    let mut groups = [0u16; 8];
    let (mut count, mut gap) = (0, None);
    let mut at = 0;
    if address.starts_with(b"::") {
        (gap, at) = (Some(0), 2);
    }
    while at < address.len() {
        let digits = address[at..].iter().take(5).take_while(|byte| byte.is_ascii_hexdigit()).count();
        if !(1..=4).contains(&digits) {
            return None;
        }
        let group = address
            .get(at..at + digits)?
            .iter()
            .try_fold(0u16, |value, &byte| Some(value * 16 + u16::try_from(char::from(byte).to_digit(16)?).ok()?))?;
        *groups.get_mut(count)? = group;
        count += 1;
        at += digits;
        match address.get(at..) {
            Some([]) => {}
            Some([b':', b':', ..]) if gap.is_none() => (gap, at) = (Some(count), at + 2),
            Some([b':', _, ..]) => at += 1,
            _ => return None,
        }
    }
    match gap {
        None if count == 8 => {}
        // `::` stands for at least one zero group, as in ipnet's reading.
        Some(gap) if count <= 7 => {
            let tail = count - gap;
            groups.copy_within(gap..count, 8 - tail);
            groups[gap..8 - tail].fill(0);
        }
        _ => return None,
    }
    Ipv6Net::new(Ipv6Addr::from(groups), prefix).ok().map(IpNet::V6)
}

/// Whether `cidr` is the whole IPv4 or IPv6 internet (`/0`).
pub fn is_whole_internet(cidr: &str) -> bool {
    parse_network(cidr).is_some_and(|n| n.prefix_len() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountName;
    use serde_json::json;

    fn number(n: &str) -> AccountNumber {
        AccountNumber::parse(n).unwrap()
    }

    fn env() -> Environment {
        let friendly = Account::new(AccountName::parse("friend").unwrap(), number("222222222222"));
        let mut vendor = Account::new(AccountName::parse("vendor").unwrap(), number("333333333333"));
        vendor.third_party = true;
        vendor.canonical_id = Some("ABCDEF0123".into());
        vendor.s3_name = Some("Vendor-Logs".into());
        let office = NetworkWhitelistEntry::new("office", "198.51.100.0/24", "").unwrap();
        Environment::new(vec![friendly, vendor], vec![office])
    }

    #[test]
    fn accounts_canonical_ids_and_s3_names_are_classified() {
        let env = env();
        let ours = number("111111111111");
        assert_eq!(env.classify_account(&ours, "111111111111"), Relation::Same);
        assert_eq!(env.classify_account(&ours, "222222222222"), Relation::Friendly);
        assert_eq!(env.classify_account(&ours, "333333333333"), Relation::ThirdParty);
        assert_eq!(env.classify_account(&ours, "444444444444"), Relation::Unknown);
        assert_eq!(env.classify_canonical_id(&ours, "abcdef0123"), Relation::ThirdParty);
        assert_eq!(env.classify_canonical_id(&ours, "ffff"), Relation::Unknown);
        assert_eq!(env.classify_s3_name(&ours, "vendor-logs"), Relation::ThirdParty);
        assert_eq!(env.account_notes(Some("222222222222")), "Account: [222222222222/friend] ");
        assert_eq!(env.account_notes(Some("999999999999")), "Account: [999999999999] ");
        assert_eq!(Relation::Unknown.category(), Some(Category::UnknownAccess));
        assert_eq!(Relation::Same.category(), None);
    }

    #[test]
    fn networks_are_ours_when_whitelisted_or_learned() {
        let mut env = env();
        let ours = number("111111111111");
        env.learn_from_item(
            "vpc",
            &ours,
            &json!({"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.9.0.0/16"}]}),
        );
        env.learn_from_item("elasticip", &number("222222222222"), &json!({"PublicIp": "203.0.113.9"}));
        env.learn_from_item("vpc", &number("444444444444"), &json!({"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}));
        assert_eq!(env.classify_cidr(&ours, "198.51.100.0/25"), Relation::Same);
        assert_eq!(env.classify_cidr(&ours, "198.51.0.0/16"), Relation::Unknown);
        assert_eq!(env.classify_cidr(&ours, "10.1.2.0/24"), Relation::Same, "our VPC wins over a stranger's");
        assert_eq!(env.classify_cidr(&ours, "10.9.0.1"), Relation::Same);
        assert_eq!(env.classify_cidr(&ours, "203.0.113.9/32"), Relation::Friendly);
        assert_eq!(env.classify_cidr(&ours, "0.0.0.0/0"), Relation::Unknown);
        assert_eq!(env.classify_cidr(&ours, "not a network"), Relation::Unknown);
        assert_eq!(env.classify_vpc(&ours, "vpc-1"), Relation::Same);
        assert_eq!(env.classify_vpc(&ours, "vpc-2"), Relation::Unknown);
        env.learn_from_item("routetable", &ours, &json!({"Routes": [{"GatewayId": "vpce-9"}, {"GatewayId": "igw-1"}]}));
        assert_eq!(env.classify_vpc(&ours, "vpce-9"), Relation::Same);
        assert_eq!(env.classify_vpc(&ours, "igw-1"), Relation::Unknown);
        assert!(is_whole_internet("::/0") && is_whole_internet("0.0.0.0/0") && !is_whole_internet("10.0.0.0/8"));
    }

    /// How [`parse_network`] reads a text without its plain-spelling shortcuts.
    fn general(text: &str) -> Option<IpNet> {
        let text = text.trim();
        text.parse::<IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
    }

    proptest::proptest! {
        #[test]
        fn plain_readings_agree_with_the_general_parser(
            v4 in "[0-9]{0,4}([.][0-9]{0,4}){0,4}(/[0-9+]{0,3})?",
            v6 in "[0-9a-fA-F]{0,5}(:{1,2}[0-9a-fA-F.]{0,5}){0,9}(/[0-9]{0,4})?",
        ) {
            for text in [v4, v6] {
                proptest::prop_assert_eq!(parse_network(&text), general(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn plain_networks_read_as_the_general_parser_reads_them() {
        for text in [
            "10.0.0.0/8",
            "0.0.0.0/0",
            "203.0.113.9/32",
            "10.1.2.3/24",
            "010.001.0.0/08",
            "255.255.255.255/32",
            "256.0.0.0/8",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "1.2.3.4",
            " 10.0.0.0/8 ",
            "10.0.0.0/+8",
            "10.0.0.0/008",
            "1000.0.0.0/8",
            "::/0",
            "2001:db8::/48",
            "2001:db8:0::/48",
            "2001:DB8:a:b:c:d:e:f/64",
            "1:2:3:4:5:6:7::/128",
            "1:2:3:4:5:6:7::8/128",
            "1:2:3:4:5:6::8/128",
            "::1/128",
            "1::/16",
            "1:::2/16",
            "1::2::3/16",
            ":1::/16",
            "1::2:/16",
            "12345::/16",
            "1:2:3:4:5:6:7/64",
            "1:2:3:4:5:6:7:8:9/64",
            "::ffff:1.2.3.4/128",
            "2001:db8::/129",
            "2001:db8::/0128",
            "2001:db8::/",
            "2001:db8::",
            "g::/16",
            "1::/8",
            "::/8",
            ":1/8",
            "1:/8",
            "1:2::3:4/8",
            "1:::/8",
            "::1:2:3:4:5:6:7/8",
            "",
        ] {
            assert_eq!(parse_network(text), general(text), "{text:?}");
            if let Some(plain) = plain_ipv4_network(text).or_else(|| plain_ipv6_network(text)) {
                assert_eq!(Some(plain), general(text), "{text:?}");
            }
        }
    }
}
