//! Policy documents written as JSON text (as S3 returns them): read straight into a policy.
//!
//! Building a JSON tree first costs an allocation per key and per string, and a tree of
//! `BTreeMap`s, only to copy every string again into the policy. This reads the text once,
//! borrowing what it can, and gives up (`None`) on anything unusual: an element of the wrong
//! type, a key written with escapes, conditions not written in the order the tree would sort
//! them, or anything else the tree would refuse. The caller then takes the tree path, which
//! names the error, so both paths give the same policy or the same error.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use smallvec::{SmallVec, smallvec};

use super::condition::Condition;
use super::document::{Effect, Policy, Statement};
use super::principal::{PrincipalKind, PrincipalMap, Principals};
use super::text::{PolicyText, TextList};

/// The policy `text` (a JSON object) holds, or `None` when the tree path must decide.
pub(crate) fn parse<'de, S>(text: &'de str) -> Option<Policy<S>>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    let mut reader = serde_json::Deserializer::from_str(text);
    let policy = reader.deserialize_map(DocumentVisitor(PhantomData)).ok()?;
    reader.end().ok()?;
    Some(policy)
}

/// The error that sends the caller to the tree path; its text is never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("")
}

/// The top level: `Version`, `Id`, `Statement`.
struct DocumentVisitor<S>(PhantomData<S>);

impl<'de, S> Visitor<'de> for DocumentVisitor<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Policy<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a policy document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut version, mut id, mut statements) = (None, None, None);
        // A repeated key keeps its last value, as in a JSON tree.
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "Version" => version = Some(map.next_value_seed(TextSeed(PhantomData))?),
                "Id" => id = Some(map.next_value_seed(TextSeed(PhantomData))?),
                "Statement" => statements = Some(map.next_value_seed(StatementsSeed(PhantomData))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let statements = statements.ok_or_else(give_up)?;
        Ok(Policy { version, id, statements })
    }
}

/// A string, borrowed when the text spells it without escapes.
struct TextSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for TextSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = S;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, S> Visitor<'de> for TextSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<S, E> {
        Ok(S::from(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<S, E> {
        Ok(S::from(text.to_owned()))
    }
}

/// `Statement`: one object or a list of them.
struct StatementsSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for StatementsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Vec<Statement<S>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for StatementsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Vec<Statement<S>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a statement or a list of statements")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(vec![StatementVisitor(PhantomData).visit_map(map)?])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let mut statements = Vec::with_capacity(items.size_hint().unwrap_or(4));
        while let Some(statement) = items.next_element_seed(StatementSeed(PhantomData))? {
            statements.push(statement);
        }
        Ok(statements)
    }
}

/// One statement object.
struct StatementSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for StatementSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Statement<S>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(StatementVisitor(PhantomData))
    }
}

struct StatementVisitor<S>(PhantomData<S>);

impl<'de, S> Visitor<'de> for StatementVisitor<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Statement<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a statement")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut statement = Statement::blank();
        let mut effect = None;
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "Sid" => statement.sid = Some(map.next_value_seed(TextSeed(PhantomData))?),
                "Effect" => effect = Some(map.next_value_seed(EffectSeed)?),
                "Principal" => statement.principal = Some(map.next_value_seed(PrincipalsSeed(PhantomData))?),
                "NotPrincipal" => statement.not_principal = Some(map.next_value_seed(PrincipalsSeed(PhantomData))?),
                "Action" => statement.actions = map.next_value_seed(ListSeed(PhantomData))?,
                "NotAction" => statement.not_actions = map.next_value_seed(ListSeed(PhantomData))?,
                "Resource" => statement.resources = map.next_value_seed(ListSeed(PhantomData))?,
                "NotResource" => statement.not_resources = map.next_value_seed(ListSeed(PhantomData))?,
                "Condition" => statement.conditions = map.next_value_seed(ConditionsSeed(PhantomData))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        statement.effect = effect.ok_or_else(give_up)?;
        Ok(statement)
    }
}

/// `Effect`, any casing of `Allow` or `Deny`.
struct EffectSeed;

impl<'de> DeserializeSeed<'de> for EffectSeed {
    type Value = Effect;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Effect, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for EffectSeed {
    type Value = Effect;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"Allow\" or \"Deny\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Effect, E> {
        if text.eq_ignore_ascii_case("Allow") {
            Ok(Effect::Allow)
        } else if text.eq_ignore_ascii_case("Deny") {
            Ok(Effect::Deny)
        } else {
            Err(give_up())
        }
    }
}

/// A string or a list of strings, as a list.
struct ListSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for ListSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = TextList<S>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TextList<S>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for ListSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = TextList<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<TextList<S>, E> {
        Ok(smallvec![S::from(text)])
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<TextList<S>, E> {
        Ok(smallvec![S::from(text.to_owned())])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<TextList<S>, A::Error> {
        let mut list = TextList::with_capacity(items.size_hint().unwrap_or(4));
        while let Some(item) = items.next_element_seed(TextSeed(PhantomData))? {
            list.push(item);
        }
        Ok(list)
    }
}

/// `Principal` / `NotPrincipal`: `"*"` or an object of strings or lists.
struct PrincipalsSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for PrincipalsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Principals<S>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for PrincipalsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = Principals<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"*\" or an object")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        if text == "*" { Ok(Principals::Any) } else { Err(give_up()) }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kinds = PrincipalMap::new();
        while let Some(key) = map.next_key::<&'de str>()? {
            let kind = PrincipalKind::from_key(key).ok_or_else(give_up)?;
            kinds.insert(kind, map.next_value_seed(ListSeed(PhantomData))?);
        }
        Ok(Principals::Kinds(kinds))
    }
}

/// `Condition`: operator → key → value or list of values.
struct ConditionsSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for ConditionsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = SmallVec<[Condition<S>; 1]>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S> Visitor<'de> for ConditionsSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = SmallVec<[Condition<S>; 1]>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of operators")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut conditions = SmallVec::new();
        // The tree sorts operators, and keys within one, and keeps the last of a repeated one:
        // text written in strictly increasing order needs neither.
        let mut previous: Option<&'de str> = None;
        while let Some(operator) = map.next_key::<&'de str>()? {
            if previous.is_some_and(|previous| previous >= operator) {
                return Err(give_up());
            }
            previous = Some(operator);
            map.next_value_seed(OperatorSeed { operator, conditions: &mut conditions })?;
        }
        Ok(conditions)
    }
}

/// The keys of one operator, each added as a condition.
struct OperatorSeed<'c, 'de, S> {
    operator: &'de str,
    conditions: &'c mut SmallVec<[Condition<S>; 1]>,
}

impl<'de, S> DeserializeSeed<'de> for OperatorSeed<'_, 'de, S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S> Visitor<'de> for OperatorSeed<'_, 'de, S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of condition keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut previous: Option<&'de str> = None;
        while let Some(key) = map.next_key::<&'de str>()? {
            if previous.is_some_and(|previous| previous >= key) {
                return Err(give_up());
            }
            previous = Some(key);
            let values = map.next_value_seed(ValuesSeed(PhantomData))?;
            self.conditions.push(Condition::new(self.operator, key, values));
        }
        Ok(())
    }
}

/// A condition value or a list of them: strings, booleans and numbers, as text.
struct ValuesSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for ValuesSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = TextList<S>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TextList<S>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for ValuesSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = TextList<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a condition value or a list of them")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<TextList<S>, A::Error> {
        let mut values = TextList::with_capacity(items.size_hint().unwrap_or(4));
        while let Some(value) = items.next_element_seed(ScalarSeed(PhantomData))? {
            values.push(value);
        }
        Ok(values)
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_borrowed_str(text).map(|value| smallvec![value])
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_str(text).map(|value| smallvec![value])
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_bool(flag).map(|value| smallvec![value])
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_u64(number).map(|value| smallvec![value])
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_i64(number).map(|value| smallvec![value])
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<TextList<S>, E> {
        ScalarSeed(PhantomData).visit_f64(number).map(|value| smallvec![value])
    }
}

/// One condition value as text, booleans and numbers as a JSON tree would write them.
struct ScalarSeed<S>(PhantomData<S>);

impl<'de, S> DeserializeSeed<'de> for ScalarSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = S;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for ScalarSeed<S>
where
    S: PolicyText + From<&'de str> + From<String>,
{
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, boolean or number")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<S, E> {
        Ok(S::from(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<S, E> {
        Ok(S::from(text.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<S, E> {
        Ok(S::from_static(if flag { "true" } else { "false" }))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<S, E> {
        Ok(S::from(Number::from(number).to_string()))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<S, E> {
        Ok(S::from(Number::from(number).to_string()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<S, E> {
        Number::from_f64(number).map(|number| S::from(number.to_string())).ok_or_else(give_up)
    }
}
