//! Policy documents: parsing any spelling IAM accepts into one normalised form.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use smallvec::{SmallVec, smallvec};

use super::actions::{ActionInfo, actions};
use super::condition::Condition;
use super::glob;
use super::json_text;
use super::principal::{PrincipalKind, PrincipalMap, Principals};
use super::text::{OwnedText, PolicyText, TextList, owned_cow};
use super::who::Entity;

/// An IAM policy document: identity policy, resource policy or trust policy.
///
/// ```
/// use monkey_core::policy::Policy;
///
/// let bucket_policy = serde_json::json!({
///     "Version": "2012-10-17",
///     "Statement": [{
///         "Effect": "Allow",
///         "Principal": "*",
///         "Action": ["s3:GetObject", "s3:ListBucket"],
///         "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
///         "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
///     }]
/// });
/// let policy = Policy::parse(&bucket_policy)?;
/// // Everyone, but only through one VPC endpoint: not open to the internet.
/// assert!(!policy.is_internet_accessible());
/// let who: Vec<String> = policy.whos_allowed().iter().map(ToString::to_string).collect();
/// assert_eq!(who, ["*", "vpce:vpce-1a2b3c4d"]);
/// # Ok::<(), monkey_core::policy::PolicyError>(())
/// ```
///
/// `S` is the text type ([`PolicyText`]): [`OwnedText`] by default, `Cow<'a, str>` for a policy that
/// borrows its text from the document ([`Policy::parse_borrowed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy<S = OwnedText> {
    /// The `Version` element (`2012-10-17`), if present.
    pub version: Option<S>,
    /// The `Id` element, if present.
    pub id: Option<S>,
    /// The statements, in the order written.
    pub statements: Vec<Statement<S>>,
}

/// A policy that could not be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct PolicyError {
    /// Where in the document, such as `Statement[2].Principal.AWS[0]` (`(document)` for the whole).
    pub path: String,
    /// What was wrong there.
    pub reason: String,
}

impl PolicyError {
    /// An error at `path`.
    pub(crate) fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        PolicyError { path: path.into(), reason: reason.into() }
    }
}

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

/// One statement, with every string-or-list element as a list, as written; `S` is the text
/// type, as for [`Policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<S = OwnedText> {
    /// The `Sid`, if present.
    pub sid: Option<S>,
    /// Allow or Deny.
    pub effect: Effect,
    /// The `Principal` element (resource and trust policies).
    pub principal: Option<Principals<S>>,
    /// The `NotPrincipal` element.
    pub not_principal: Option<Principals<S>>,
    /// The `Action` patterns, as written.
    pub actions: TextList<S>,
    /// The `NotAction` patterns, as written.
    pub not_actions: TextList<S>,
    /// The `Resource` patterns, as written.
    pub resources: TextList<S>,
    /// The `NotResource` patterns, as written.
    pub not_resources: TextList<S>,
    /// The conditions, one per (operator, key), all of which must hold.
    pub conditions: SmallVec<[Condition<S>; 1]>,
}

impl Policy {
    /// Parses a policy document: a JSON object, a JSON text string (as S3 returns policies) or a
    /// URL-encoded JSON string (as IAM returns them).
    ///
    /// Unknown keys are ignored, as AWS ignores some; a known key holding the wrong type is an
    /// error naming its place.
    pub fn parse(document: &Value) -> Result<Policy, PolicyError> {
        match document {
            Value::Object(map) => parse_document(map),
            Value::String(text) => {
                let Some(json) = policy_json(text) else {
                    return Err(no_document());
                };
                if let Some(policy) = json_text::parse(&json) {
                    return Ok(policy);
                }
                // The tree path names the error, or accepts what the direct read gave up on.
                match serde_json::from_str(&json) {
                    Ok(Value::Object(map)) if map.contains_key("Statement") => parse_document(&map),
                    _ => Err(no_document()),
                }
            }
            other => Err(PolicyError::new(ROOT, format!("expected an object, found {}", type_name(other)))),
        }
    }

    /// The same policy, its text owned by `Cow`s.
    fn into_cow<'a>(self) -> Policy<Cow<'a, str>> {
        Policy {
            version: self.version.map(owned_cow),
            id: self.id.map(owned_cow),
            statements: self.statements.into_iter().map(Statement::into_cow).collect(),
        }
    }
}

impl<'a> Policy<Cow<'a, str>> {
    /// Parses a policy document as [`Policy::parse`] does, with the same result and errors,
    /// borrowing its text from `document` instead of copying it: for a policy read on every
    /// audit and dropped after. A document written as JSON text is borrowed from too, where its
    /// strings have no escapes; URL-encoded text is decoded, so its policy owns its text.
    ///
    /// ```
    /// use monkey_core::policy::Policy;
    ///
    /// let document = serde_json::json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}});
    /// let policy = Policy::parse_borrowed(&document)?;
    /// assert!(policy.is_internet_accessible());
    /// assert_eq!(policy.statements[0].actions[..], ["s3:GetObject"]);
    /// # Ok::<(), monkey_core::policy::PolicyError>(())
    /// ```
    pub fn parse_borrowed(document: &'a Value) -> Result<Self, PolicyError> {
        match document {
            Value::Object(map) => parse_document(map),
            Value::String(text) => match policy_json(text) {
                Some(Cow::Borrowed(json)) => match json_text::parse(json) {
                    Some(policy) => Ok(policy),
                    None => Policy::parse(document).map(Policy::into_cow),
                },
                _ => Policy::parse(document).map(Policy::into_cow),
            },
            other => Policy::parse(other).map(Policy::into_cow),
        }
    }
}

impl<S: PolicyText> Policy<S> {
    /// Who the Allow statements let in, sorted and de-duplicated (see [`Statement::whos_allowed`]).
    pub fn whos_allowed(&self) -> Vec<Entity<S>> {
        // At most this many: one allocation, rather than one per doubling.
        let bound: usize =
            self.statements.iter().filter(|statement| statement.is_allow()).map(Statement::who_bound).sum();
        let mut who = Vec::with_capacity(bound);
        for statement in &self.statements {
            statement.add_whos_allowed(&mut who);
        }
        who.sort_unstable();
        who.dedup();
        who
    }
}

impl Statement {
    /// The same statement, its text owned by `Cow`s.
    fn into_cow<'a>(self) -> Statement<Cow<'a, str>> {
        let all = |texts: TextList<OwnedText>| texts.into_iter().map(owned_cow).collect();
        Statement {
            sid: self.sid.map(owned_cow),
            effect: self.effect,
            principal: self.principal.map(Principals::into_cow),
            not_principal: self.not_principal.map(Principals::into_cow),
            actions: all(self.actions),
            not_actions: all(self.not_actions),
            resources: all(self.resources),
            not_resources: all(self.not_resources),
            conditions: self.conditions.into_iter().map(Condition::into_cow).collect(),
        }
    }
}

impl<S: PolicyText> Statement<S> {
    /// An Allow statement with no elements yet, for a parser to fill in.
    pub(crate) fn blank() -> Self {
        Statement {
            sid: None,
            effect: Effect::Allow,
            principal: None,
            not_principal: None,
            actions: TextList::new(),
            not_actions: TextList::new(),
            resources: TextList::new(),
            not_resources: TextList::new(),
            conditions: SmallVec::new(),
        }
    }

    /// Whether this is an Allow statement.
    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    /// Whether it uses `NotAction`.
    pub fn uses_not_action(&self) -> bool {
        !self.not_actions.is_empty()
    }

    /// Whether it uses `NotResource`.
    pub fn uses_not_resource(&self) -> bool {
        !self.not_resources.is_empty()
    }

    /// Whether it uses `NotPrincipal`.
    pub fn uses_not_principal(&self) -> bool {
        self.not_principal.is_some()
    }

    /// Whether it applies to everyone: `Principal` `"*"` or `{"AWS": "*"}`, or an Allow with `NotPrincipal`.
    pub fn allows_any_principal(&self) -> bool {
        self.principal.as_ref().is_some_and(Principals::is_any) || (self.is_allow() && self.uses_not_principal())
    }

    /// The conditions that restrict who can use it (see [`Condition::is_narrowing`]).
    pub fn narrowing_conditions(&self) -> Vec<&Condition<S>> {
        self.conditions.iter().filter(|condition| condition.is_narrowing()).collect()
    }

    /// Whether its `Action` (or `NotAction`) covers `action` (`service:Name`, any case).
    pub fn action_matches(&self, action: &str) -> bool {
        if !self.actions.is_empty() {
            self.actions.iter().any(|pattern| glob::matches(pattern.as_ref(), action, true))
        } else if !self.not_actions.is_empty() {
            !self.not_actions.iter().any(|pattern| glob::matches(pattern.as_ref(), action, true))
        } else {
            false
        }
    }

    /// Whether it applies to any resource: `Resource` holds `"*"`, or `NotResource` is used.
    pub fn resource_is_any(&self) -> bool {
        self.uses_not_resource() || self.resources.iter().any(|resource| resource.as_ref() == "*")
    }

    /// Every catalogue action its `Action` covers (all but those `NotAction` matches), in
    /// catalogue order; patterns the catalogue does not know add nothing.
    pub fn expanded_actions(&self) -> Vec<&'static ActionInfo> {
        let catalogue = actions();
        let mut matched = Vec::new();
        let patterns = if self.actions.is_empty() { &self.not_actions } else { &self.actions };
        for pattern in patterns {
            catalogue.each_match(pattern.as_ref(), |index| matched.push(index));
        }
        matched.sort_unstable();
        matched.dedup();
        let all = catalogue.all();
        if !self.actions.is_empty() {
            matched.into_iter().map(|index| &all[index]).collect()
        } else if !self.not_actions.is_empty() {
            // `matched` is sorted: walk it alongside the catalogue to take the complement.
            let mut excluded = matched.into_iter().peekable();
            let mut kept = Vec::with_capacity(all.len());
            for (index, action) in all.iter().enumerate() {
                if excluded.next_if_eq(&index).is_none() {
                    kept.push(action);
                }
            }
            kept
        } else {
            Vec::new()
        }
    }
}

/// The path of errors about the document as a whole.
const ROOT: &str = "(document)";

/// The error for a string that holds no policy document.
fn no_document() -> PolicyError {
    PolicyError::new(ROOT, "a string that holds no JSON or URL-encoded policy document")
}

/// The policy document a string holds, as IAM (URL-encoded, `%7B...`) or S3 (JSON text) return
/// it: an object with a `Statement` key, or `None`.
pub(crate) fn decode_policy_text(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(&policy_json(text)?).ok()? {
        Value::Object(map) if map.contains_key("Statement") => Some(map),
        _ => None,
    }
}

/// The JSON text of what may be a policy document written as a string: the string itself
/// (borrowed) or its URL-decoding; `None` for a string that cannot hold one.
fn policy_json(text: &str) -> Option<Cow<'_, str>> {
    // Most strings fail on their first byte; the rest must at least mention "Statement"
    // (readable in both encodings) before being parsed.
    let trimmed = match text.as_bytes().first() {
        Some(b'{' | b'%') => text,
        // Only then pay for Unicode-aware trimming.
        Some(first) if first.is_ascii_whitespace() => text.trim_start(),
        _ => return None,
    };
    let url_encoded = match trimmed.as_bytes() {
        [b'{', ..] => false,
        [b'%', b'7', b'B' | b'b', ..] => true,
        _ => return None,
    };
    if !trimmed.contains("Statement") {
        return None;
    }
    if url_encoded { percent_decode_str(trimmed).decode_utf8().ok() } else { Some(Cow::Borrowed(trimmed)) }
}

/// Parses the top level of a document, taking its text as `S` (copied or borrowed).
fn parse_document<'a, S>(map: &'a Map<String, Value>) -> Result<Policy<S>, PolicyError>
where
    S: PolicyText + From<&'a str> + From<String>,
{
    // One pass over the document's few keys rather than a tree search per known key.
    let (mut version, mut id, mut statement) = (None, None, None);
    for (key, value) in map {
        match key.as_str() {
            "Version" => version = Some(value),
            "Id" => id = Some(value),
            "Statement" => statement = Some(value),
            _ => {}
        }
    }
    let version = optional_string(version, || "Version".to_owned())?;
    let id = optional_string(id, || "Id".to_owned())?;
    let statements = match statement {
        Some(Value::Object(statement)) => {
            let mut statements = Vec::with_capacity(1);
            parse_statement(statement, None, &mut statements)?;
            statements
        }
        Some(Value::Array(items)) => {
            let mut statements = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let Value::Object(statement) = item else {
                    return Err(PolicyError::new(
                        format!("Statement[{index}]"),
                        format!("expected an object, found {}", type_name(item)),
                    ));
                };
                parse_statement(statement, Some(index), &mut statements)?;
            }
            statements
        }
        Some(other) => {
            return Err(PolicyError::new(
                "Statement",
                format!("expected an object or a list of objects, found {}", type_name(other)),
            ));
        }
        None => return Err(PolicyError::new("Statement", "missing")),
    };
    Ok(Policy { version, id, statements })
}

/// Parses one statement onto the end of `statements`; `index` is its place in a `Statement`
/// list, `None` for a lone object.
///
/// The statement is filled in where it ends up: a statement is some two hundred bytes, and
/// returning it costs a copy per statement of every policy read.
fn parse_statement<'a, S>(
    map: &'a Map<String, Value>,
    index: Option<usize>,
    statements: &mut Vec<Statement<S>>,
) -> Result<(), PolicyError>
where
    S: PolicyText + From<&'a str> + From<String>,
{
    // Paths are only built on error, so a valid statement costs no formatting.
    let at = |field: &str| match index {
        Some(index) => format!("Statement[{index}].{field}"),
        None => format!("Statement.{field}"),
    };
    statements.push(Statement::blank());
    let Some(statement) = statements.last_mut() else {
        return Ok(());
    };
    let mut effect = None;
    // One pass over the statement's few keys rather than a lookup per known key.
    for (key, value) in map {
        let key = key.as_str();
        match key {
            "Sid" => statement.sid = optional_string(Some(value), || at(key))?,
            "Effect" => effect = Some(parse_effect(value, || at(key))?),
            "Principal" => statement.principal = Some(parse_principals(value, || at(key))?),
            "NotPrincipal" => statement.not_principal = Some(parse_principals(value, || at(key))?),
            "Action" => statement.actions = string_list(value, || at(key))?,
            "NotAction" => statement.not_actions = string_list(value, || at(key))?,
            "Resource" => statement.resources = string_list(value, || at(key))?,
            "NotResource" => statement.not_resources = string_list(value, || at(key))?,
            "Condition" => statement.conditions = parse_conditions(value, || at(key))?,
            _ => {}
        }
    }
    statement.effect = effect.ok_or_else(|| PolicyError::new(at("Effect"), "missing"))?;
    Ok(())
}

/// Parses `Effect`; IAM writes `Allow` / `Deny`, other casings are read the same rather than refused.
fn parse_effect(value: &Value, path: impl Fn() -> String) -> Result<Effect, PolicyError> {
    match value.as_str() {
        Some(text) if text.eq_ignore_ascii_case("Allow") => Ok(Effect::Allow),
        Some(text) if text.eq_ignore_ascii_case("Deny") => Ok(Effect::Deny),
        Some(text) => Err(PolicyError::new(path(), format!("expected \"Allow\" or \"Deny\", found {text:?}"))),
        None => Err(PolicyError::new(path(), format!("expected \"Allow\" or \"Deny\", found {}", type_name(value)))),
    }
}

/// Parses `Principal` / `NotPrincipal`: `"*"` or an object of string-or-list values.
fn parse_principals<'a, S>(value: &'a Value, path: impl Fn() -> String) -> Result<Principals<S>, PolicyError>
where
    S: PolicyText + From<&'a str>,
{
    match value {
        Value::String(text) if text == "*" => Ok(Principals::Any),
        Value::Object(map) => {
            let mut kinds = PrincipalMap::new();
            for (key, values) in map {
                let kind = PrincipalKind::from_key(key).ok_or_else(|| {
                    PolicyError::new(
                        format!("{}.{key}", path()),
                        "unknown principal type, expected AWS, Service, Federated or CanonicalUser",
                    )
                })?;
                kinds.insert(kind, string_list(values, || format!("{}.{key}", path()))?);
            }
            Ok(Principals::Kinds(kinds))
        }
        other => Err(PolicyError::new(path(), format!("expected \"*\" or an object, found {}", describe(other)))),
    }
}

/// Parses `Condition`: operator → key → value or list of values (strings, booleans, numbers).
fn parse_conditions<'a, S>(
    value: &'a Value,
    path: impl Fn() -> String,
) -> Result<SmallVec<[Condition<S>; 1]>, PolicyError>
where
    S: PolicyText + From<&'a str> + From<String>,
{
    let Value::Object(operators) = value else {
        return Err(PolicyError::new(path(), format!("expected an object, found {}", type_name(value))));
    };
    let mut conditions = SmallVec::with_capacity(operators.len());
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(PolicyError::new(
                format!("{}.{operator}", path()),
                format!("expected an object, found {}", type_name(keys)),
            ));
        };
        for (key, values) in keys {
            let at = || format!("{}.{operator}.{key}", path());
            let values = match values {
                Value::Array(items) => {
                    let mut values = TextList::with_capacity(items.len());
                    for (index, item) in items.iter().enumerate() {
                        values.push(condition_value(item).ok_or_else(|| wrong_element(item, index, SCALAR, at))?);
                    }
                    values
                }
                single => smallvec![condition_value(single).ok_or_else(|| {
                    PolicyError::new(at(), format!("expected {SCALAR} or a list of them, found {}", type_name(single)))
                })?],
            };
            conditions.push(Condition::new(operator, key, values));
        }
    }
    Ok(conditions)
}

/// What a condition value may be.
const SCALAR: &str = "a string, boolean or number";

/// A condition value as text: strings as they are, booleans and numbers as JSON writes them.
fn condition_value<'a, S>(value: &'a Value) -> Option<S>
where
    S: PolicyText + From<&'a str> + From<String>,
{
    match value {
        Value::String(text) => Some(S::from(text.as_str())),
        Value::Bool(flag) => Some(S::from_static(if *flag { "true" } else { "false" })),
        Value::Number(number) => Some(S::from(number.to_string())),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A string or a list of strings, as a list.
fn string_list<'a, S: From<&'a str>>(value: &'a Value, path: impl Fn() -> String) -> Result<TextList<S>, PolicyError> {
    match value {
        Value::String(text) => Ok(smallvec![S::from(text.as_str())]),
        Value::Array(items) => {
            let mut list = TextList::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                list.push(item.as_str().map(S::from).ok_or_else(|| wrong_element(item, index, "a string", &path))?);
            }
            Ok(list)
        }
        other => {
            Err(PolicyError::new(path(), format!("expected a string or a list of strings, found {}", type_name(other))))
        }
    }
}

/// The error for a list element of the wrong type.
fn wrong_element(item: &Value, index: usize, expected: &str, path: impl Fn() -> String) -> PolicyError {
    PolicyError::new(format!("{}[{index}]", path()), format!("expected {expected}, found {}", type_name(item)))
}

/// An optional string element.
fn optional_string<'a, S: From<&'a str>>(
    value: Option<&'a Value>,
    path: impl Fn() -> String,
) -> Result<Option<S>, PolicyError> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(S::from(text.as_str()))),
        Some(other) => Err(PolicyError::new(path(), format!("expected a string, found {}", type_name(other)))),
    }
}

/// A value's JSON type, for error messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value's type, or the string itself when short, for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::String(text) if text.len() <= 64 => format!("{text:?}"),
        other => type_name(other).to_owned(),
    }
}
