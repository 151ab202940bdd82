//! The IAM action catalogue: every action AWS documents, with its access level, and the
//! expansion of wildcard action patterns against it.
//!
//! The data (`monkey-core/data/iam_actions.txt`, from parliament, see the README there) is
//! compiled in and parsed once, on first use. Names stay `&'static str` slices of that text;
//! lookups fold ASCII case byte by byte instead of keeping lower-cased copies.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

use super::glob;

/// The catalogue text: comment lines, then `prefix<TAB>Action:L Action:R ...` per service.
static DATA: &str = include_str!("../../data/iam_actions.txt");

/// The parsed catalogue, built on first use.
static CATALOGUE: OnceLock<ActionCatalogue> = OnceLock::new();

/// The IAM action catalogue compiled into monkey, parsed on first use.
pub fn actions() -> &'static ActionCatalogue {
    CATALOGUE.get_or_init(|| ActionCatalogue::parse(DATA).0)
}

/// What an action lets its caller do, as the AWS Service Authorization Reference classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AccessLevel {
    /// Lists resources (`s3:ListBucket`).
    List,
    /// Reads resources or their contents (`s3:GetObject`).
    Read,
    /// Creates, changes or deletes resources (`iam:PassRole`).
    Write,
    /// Changes who may do what (`iam:PutRolePolicy`).
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    /// Changes tags only (`ec2:CreateTags`).
    Tagging,
}

impl AccessLevel {
    /// Every level, in order.
    pub const ALL: [AccessLevel; 5] = [Self::List, Self::Read, Self::Write, Self::PermissionsManagement, Self::Tagging];

    /// The name AWS uses: "List", "Read", "Write", "Permissions management", "Tagging".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "List",
            Self::Read => "Read",
            Self::Write => "Write",
            Self::PermissionsManagement => "Permissions management",
            Self::Tagging => "Tagging",
        }
    }

    /// The level a catalogue letter stands for.
    fn from_letter(letter: &str) -> Option<Self> {
        Some(match letter {
            "L" => Self::List,
            "R" => Self::Read,
            "W" => Self::Write,
            "P" => Self::PermissionsManagement,
            "T" => Self::Tagging,
            _ => return None,
        })
    }

    /// This level as one bit of a level set.
    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One catalogue action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ActionInfo {
    /// The service prefix, lower case (`s3`).
    pub service: &'static str,
    /// The action name as AWS spells it (`GetObject`).
    pub name: &'static str,
    /// Its access level.
    pub level: AccessLevel,
}

impl fmt::Display for ActionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// Every known IAM action, sorted by service prefix then case-insensitively by name.
#[derive(Debug)]
pub struct ActionCatalogue {
    /// All actions, grouped by service.
    actions: Vec<ActionInfo>,
    /// The services, sorted by prefix, each with its slice of `actions`.
    services: Vec<Service>,
}

/// One service prefix of the catalogue.
#[derive(Debug)]
struct Service {
    /// The prefix (`s3`).
    prefix: &'static str,
    /// Its actions in `ActionCatalogue::actions`.
    range: Range<usize>,
    /// The levels its actions have, one bit per level, so `levels("iam:*")` reads no action.
    levels: u8,
}

impl ActionCatalogue {
    /// Parses catalogue text, returning the catalogue and how many malformed entries were skipped.
    ///
    /// A line without a tab or with an unusable prefix (empty, or not lower case) is skipped
    /// whole; a token without a known level letter or with an unusable name is skipped alone.
    /// Duplicates (ASCII case folded) keep their first spelling.
    pub(crate) fn parse(text: &'static str) -> (Self, usize) {
        let mut actions = Vec::with_capacity(text.len() / 20);
        let mut skipped = 0;
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let usable = |prefix: &str| is_name(prefix) && !prefix.bytes().any(|byte| byte.is_ascii_uppercase());
            let Some((prefix, tokens)) = line.split_once('\t').filter(|(prefix, _)| usable(prefix)) else {
                skipped += 1;
                continue;
            };
            for token in tokens.split(' ').filter(|token| !token.is_empty()) {
                let parsed = token
                    .rsplit_once(':')
                    .and_then(|(name, letter)| Some((name, AccessLevel::from_letter(letter)?)))
                    .filter(|(name, _)| is_name(name));
                match parsed {
                    Some((name, level)) => actions.push(ActionInfo { service: prefix, name, level }),
                    None => skipped += 1,
                }
            }
        }
        let order = |a: &ActionInfo, b: &ActionInfo| cmp_folded(a.service, b.service).then(cmp_folded(a.name, b.name));
        // The committed file is sorted already: checking costs one pass, sorting would cost more.
        if !actions.is_sorted_by(|a, b| order(a, b).is_le()) {
            actions.sort_by(order);
        }
        actions.dedup_by(|later, kept| order(later, kept).is_eq());

        let mut services: Vec<Service> = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            match services.last_mut() {
                Some(service) if service.prefix.eq_ignore_ascii_case(action.service) => {
                    service.range.end = index + 1;
                    service.levels |= action.level.bit();
                }
                _ => services.push(Service {
                    prefix: action.service,
                    range: index..index + 1,
                    levels: action.level.bit(),
                }),
            }
        }
        (Self { actions, services }, skipped)
    }

    /// The action named `action` (`service:Name`, any case), if the catalogue knows it.
    pub fn get(&self, action: &str) -> Option<&ActionInfo> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.service(prefix)?;
        let actions = &self.actions[service.range.clone()];
        let index = actions.binary_search_by(|known| cmp_folded(known.name, name)).ok()?;
        actions.get(index)
    }

    /// Every action `pattern` matches (`s3:Get*`, `*:Get*`, `*`, `iam:pass?ole`), in catalogue order.
    pub fn expand(&self, pattern: &str) -> Vec<&ActionInfo> {
        let mut found = Vec::new();
        self.each_match(pattern, |index| found.push(&self.actions[index]));
        found
    }

    /// The distinct (service, level) pairs of the actions `pattern` matches, sorted.
    pub fn levels(&self, pattern: &str) -> Vec<(&'static str, AccessLevel)> {
        let mut found = Vec::new();
        let mut collect = |service: &Service, levels: u8| {
            let pairs = AccessLevel::ALL.into_iter().filter(|level| levels & level.bit() != 0);
            found.extend(pairs.map(|level| (service.prefix, level)));
        };
        match pattern.split_once(':') {
            Some((prefix, name)) if glob::is_star(name) => {
                for service in self.services_matching(prefix) {
                    collect(service, service.levels);
                }
            }
            // A literal name (`s3:GetObject`, most patterns) is one action of each service: a
            // binary search, where matching it against every action costs a hundred comparisons.
            Some((prefix, name)) if !glob::has_wildcard(name) => {
                for service in self.services_matching(prefix) {
                    let actions = &self.actions[service.range.clone()];
                    if let Ok(index) = actions.binary_search_by(|known| cmp_folded(known.name, name)) {
                        collect(service, actions[index].level.bit());
                    }
                }
            }
            Some((prefix, name)) if !name.contains(':') => {
                for service in self.services_matching(prefix) {
                    let mut levels = 0;
                    for action in &self.actions[service.range.clone()] {
                        if levels != service.levels && glob::matches(name, action.name, true) {
                            levels |= action.level.bit();
                        }
                    }
                    if levels != 0 {
                        collect(service, levels);
                    }
                }
            }
            Some(_) => {}
            None if glob::is_star(pattern) => {
                for service in &self.services {
                    collect(service, service.levels);
                }
            }
            None => {
                for service in &self.services {
                    let mut levels = 0;
                    self.each_match_in(pattern, service, |index| levels |= self.actions[index].level.bit());
                    if levels != 0 {
                        collect(service, levels);
                    }
                }
            }
        }
        found
    }

    /// How many actions the catalogue holds.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the catalogue holds no action (only if its data failed to parse).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// All actions, in catalogue order.
    pub(crate) fn all(&self) -> &[ActionInfo] {
        &self.actions
    }

    /// Calls `found` with the index of every action `pattern` matches, in catalogue order.
    pub(crate) fn each_match(&self, pattern: &str, mut found: impl FnMut(usize)) {
        match pattern.split_once(':') {
            Some((prefix, name)) => {
                // Actions hold exactly one `:`, so a pattern's first `:` can only match that
                // one, and a second literal `:` matches nothing.
                if name.contains(':') {
                    return;
                }
                let every = glob::is_star(name);
                for service in self.services_matching(prefix) {
                    for index in service.range.clone() {
                        if every || glob::matches(name, self.actions[index].name, true) {
                            found(index);
                        }
                    }
                }
            }
            None if glob::is_star(pattern) => (0..self.actions.len()).for_each(found),
            None => {
                for service in &self.services {
                    self.each_match_in(pattern, service, &mut found);
                }
            }
        }
    }

    /// Matches a colon-less pattern (`s3*`, `iam?PassRole`) against each `prefix:Name` of a service.
    fn each_match_in(&self, pattern: &str, service: &Service, mut found: impl FnMut(usize)) {
        // The pattern must span the colon with a wildcard, so it needs the joined text; one
        // buffer serves the whole service.
        let mut joined = String::with_capacity(service.prefix.len() + 64);
        for index in service.range.clone() {
            joined.clear();
            joined.push_str(service.prefix);
            joined.push(':');
            joined.push_str(self.actions[index].name);
            if glob::matches(pattern, &joined, true) {
                found(index);
            }
        }
    }

    /// The service with this prefix (any case).
    fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(self.service_index(prefix)?)
    }

    /// The index of the service with this prefix (any case).
    fn service_index(&self, prefix: &str) -> Option<usize> {
        self.services.binary_search_by(|service| cmp_folded(service.prefix, prefix)).ok()
    }

    /// The services whose prefix matches a prefix pattern, in order.
    fn services_matching<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        // A literal prefix (the usual case) is one binary search, not a scan.
        let scan = glob::has_wildcard(prefix);
        let candidates = if scan {
            &self.services[..]
        } else {
            self.service_index(prefix).map_or(&[][..], |index| &self.services[index..=index])
        };
        candidates.iter().filter(move |service| !scan || glob::matches(prefix, service.prefix, true))
    }
}

/// Orders two names as their ASCII lower-case forms would, without building them.
pub(crate) fn cmp_folded(a: &str, b: &str) -> Ordering {
    a.bytes().map(|byte| byte.to_ascii_lowercase()).cmp(b.bytes().map(|byte| byte.to_ascii_lowercase()))
}

/// Whether a service prefix or action name is usable: non-empty, no wildcard, space or colon.
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}
