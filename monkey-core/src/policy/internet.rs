//! Whether a policy lets anyone on the internet in, and with which actions.

use super::document::{Policy, Statement};
use super::glob;
use super::text::PolicyText;

impl<S: PolicyText> Statement<S> {
    /// Whether this statement alone lets anyone in: an Allow for any principal without a
    /// narrowing condition (Deny statements of the policy are not considered here).
    pub fn is_internet_accessible(&self) -> bool {
        self.is_allow()
            && self.allows_any_principal()
            && !self.conditions.iter().any(|condition| condition.is_narrowing())
    }

    /// Whether this Deny statement takes away from everyone but named callers all that `allow` grants.
    ///
    /// Conservative: the Deny must apply to `Principal: "*"`, use `Action` patterns that cover
    /// every action of the Allow (`"*"` for a `NotAction` Allow), `Resource` patterns that
    /// cover every resource of the Allow (`"*"` for a `NotResource` Allow), and carry only
    /// negated narrowing conditions ("deny unless the caller comes through vpce-1"): any other
    /// condition could make the Deny not apply.
    fn neutralises(&self, allow: &Statement<S>) -> bool {
        let everyone = self.principal.as_ref().is_some_and(|principal| principal.is_any());
        if self.is_allow() || !everyone || self.uses_not_principal() || self.uses_not_action() {
            return false;
        }
        if self.conditions.is_empty() || !self.conditions.iter().all(|condition| condition.is_negated_narrowing()) {
            return false;
        }
        let any_action =
            self.actions.iter().any(|pattern| glob::is_star(pattern.as_ref()) || pattern.as_ref() == "*:*");
        let actions_covered = any_action
            || (!allow.uses_not_action()
                && !allow.actions.is_empty()
                && allow.actions.iter().all(|granted| {
                    self.actions.iter().any(|denied| glob::covers(denied.as_ref(), granted.as_ref(), true))
                }));
        let any_resource = self.resources.iter().any(|pattern| glob::is_star(pattern.as_ref()));
        // Resource ARNs are case-sensitive.
        let resources_covered = any_resource
            || (!allow.uses_not_resource()
                && !allow.resources.is_empty()
                && allow.resources.iter().all(|granted| {
                    self.resources.iter().any(|denied| glob::covers(denied.as_ref(), granted.as_ref(), false))
                }));
        actions_covered && resources_covered && !self.uses_not_resource()
    }
}

impl<S: PolicyText> Policy<S> {
    /// Whether any Allow statement lets anyone in (see [`Statement::is_internet_accessible`])
    /// and no Deny statement of the policy takes that back (see the module docs).
    pub fn is_internet_accessible(&self) -> bool {
        self.open_statements().next().is_some()
    }

    /// The action patterns anyone may use, lower-cased, sorted and de-duplicated; a `NotAction`
    /// statement contributes `"*"`, as it grants all but a few actions.
    pub fn internet_accessible_actions(&self) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for statement in self.open_statements() {
            if statement.actions.is_empty() && statement.uses_not_action() {
                found.push("*".to_owned());
            }
            found.extend(statement.actions.iter().map(|action| action.as_ref().to_ascii_lowercase()));
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The statements that let anyone in and are not neutralised by a Deny.
    fn open_statements(&self) -> impl Iterator<Item = &Statement<S>> {
        self.statements.iter().filter(|statement| {
            statement.is_internet_accessible() && !self.statements.iter().any(|deny| deny.neutralises(statement))
        })
    }
}
