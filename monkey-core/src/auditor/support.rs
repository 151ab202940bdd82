//! The support items of an audit, with lookups by a configuration field.
//!
//! An auditor looks support items up once per audited item (an instance's security groups, an
//! attached policy by ARN): over tens of thousands of support items a scan per lookup would
//! make auditing an account quadratic, so each (technology, field) is indexed on first use.

use super::SupportItem;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

/// Positions of the support items of one technology, by the text of one top-level field.
type FieldIndex = HashMap<String, Vec<u32>>;

/// The index of one (technology, field).
type Indexed = ((String, &'static str), Arc<FieldIndex>);

/// Support items and the field indexes built so far.
#[derive(Default)]
pub struct Support {
    items: Vec<SupportItem>,
    indexes: Mutex<Vec<Indexed>>,
}

impl fmt::Debug for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Support").field("items", &self.items.len()).finish()
    }
}

impl From<Vec<SupportItem>> for Support {
    fn from(items: Vec<SupportItem>) -> Self {
        Self { items, indexes: Mutex::new(Vec::new()) }
    }
}

impl Deref for Support {
    type Target = [SupportItem];
    fn deref(&self) -> &[SupportItem] {
        &self.items
    }
}

impl Support {
    /// The support items of `technology` whose top-level string field `field` is `value`, in
    /// the order they were given.
    pub fn find(&self, technology: &str, field: &'static str, value: &str) -> Vec<&SupportItem> {
        let index = self.index(technology, field);
        index
            .get(value)
            .map(|positions| positions.iter().filter_map(|&p| self.items.get(p as usize)).collect())
            .unwrap_or_default()
    }

    fn index(&self, technology: &str, field: &'static str) -> Arc<FieldIndex> {
        let mut indexes = self.indexes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, index)) = indexes.iter().find(|((t, f), _)| t == technology && *f == field) {
            return Arc::clone(index);
        }
        let mut index = FieldIndex::new();
        for (position, item) in self.items.iter().enumerate() {
            if item.key.technology.as_str() != technology {
                continue;
            }
            let (Some(text), Ok(position)) = (item.config.get(field).and_then(Value::as_str), u32::try_from(position))
            else {
                continue;
            };
            index.entry(text.to_owned()).or_default().push(position);
        }
        let index = Arc::new(index);
        indexes.push(((technology.to_owned(), field), Arc::clone(&index)));
        index
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::model::{AccountNumber, ItemKey, Technology};
    use serde_json::json;

    fn item(technology: &str, name: &str, config: Value) -> SupportItem {
        let account = AccountNumber::parse("111111111111").unwrap();
        SupportItem { key: ItemKey::new(Technology::parse(technology).unwrap(), account, "us-east-1", name), config }
    }

    #[test]
    fn finds_items_by_field_within_their_technology() {
        let support = Support::from(vec![
            item("securitygroup", "web", json!({"GroupId": "sg-1"})),
            item("securitygroup", "db", json!({"GroupId": "sg-2"})),
            item("securitygroup", "web-copy", json!({"GroupId": "sg-1"})),
            item("ec2image", "ami", json!({"GroupId": "sg-1", "ImageId": "ami-1"})),
            item("securitygroup", "odd", json!({"GroupId": 7})),
        ]);
        let names = |found: Vec<&SupportItem>| found.iter().map(|s| s.key.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(support.find("securitygroup", "GroupId", "sg-1")), ["web", "web-copy"]);
        assert_eq!(names(support.find("securitygroup", "GroupId", "sg-2")), ["db"]);
        assert_eq!(names(support.find("ec2image", "ImageId", "ami-1")), ["ami"]);
        assert!(support.find("securitygroup", "GroupId", "sg-9").is_empty());
        assert!(support.find("securitygroup", "GroupId", "7").is_empty(), "only string fields are indexed");
        assert!(support.find("flowlog", "GroupId", "sg-1").is_empty());
        assert_eq!(support.len(), 5);
    }
}
