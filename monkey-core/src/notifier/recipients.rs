//! Who gets what: Security Monkey's subscription rules.

use crate::model::{Account, ChangeMails, User};
use std::collections::BTreeSet;

/// The recipients of a change mail for `account`: active users subscribed to it who want every
/// change, or changes with issues when `carries_issues`; and the security team, always.
/// Sorted, lower-cased, without duplicates.
pub fn change_recipients(users: &[User], account: &Account, carries_issues: bool, team: &[String]) -> Vec<String> {
    let mut out: BTreeSet<String> = team.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
    for user in users {
        if !user.active || !user.subscriptions.accounts.contains(&account.name) {
            continue;
        }
        let wanted = match user.subscriptions.change_mails {
            ChangeMails::All => true,
            ChangeMails::Issues => carries_issues,
            ChangeMails::None => false,
        };
        if wanted {
            out.insert(user.email.to_lowercase());
        }
    }
    out.into_iter().collect()
}

/// The users who get the daily report, each with the accounts it covers (their subscribed
/// accounts that exist), by e-mail.
pub fn daily_report_recipients<'a>(users: &'a [User], accounts: &'a [Account]) -> Vec<(&'a User, Vec<&'a Account>)> {
    let mut out: Vec<(&User, Vec<&Account>)> = users
        .iter()
        .filter(|u| u.active && u.subscriptions.daily_report)
        .map(|u| (u, accounts.iter().filter(|a| u.subscriptions.accounts.contains(&a.name)).collect::<Vec<_>>()))
        .filter(|(_, accounts)| !accounts.is_empty())
        .collect();
    out.sort_by(|a, b| a.0.email.cmp(&b.0.email));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::model::{AccountName, AccountNumber, Role};

    fn account(name: &str, number: &str) -> Account {
        Account::new(AccountName::parse(name).unwrap(), AccountNumber::parse(number).unwrap())
    }

    fn user(email: &str, accounts: &[&Account], mails: ChangeMails, daily: bool) -> User {
        let mut user = User::new(email, Role::View).unwrap();
        user.subscriptions.accounts = accounts.iter().map(|a| a.name.clone()).collect();
        user.subscriptions.change_mails = mails;
        user.subscriptions.daily_report = daily;
        user
    }

    #[test]
    fn subscriptions_decide_who_gets_what() {
        let (prod, test) = (account("prod", "111111111111"), account("test", "222222222222"));
        let mut inactive = user("gone@example.com", &[&prod], ChangeMails::All, true);
        inactive.active = false;
        let users = vec![
            user("all@example.com", &[&prod], ChangeMails::All, false),
            user("issues@example.com", &[&prod, &test], ChangeMails::Issues, true),
            user("none@example.com", &[&prod], ChangeMails::None, true),
            user("other@example.com", &[&test], ChangeMails::All, false),
            inactive,
        ];
        let team = vec!["Team@Example.com".to_owned(), " ".to_owned(), "all@example.com".to_owned()];
        assert_eq!(change_recipients(&users, &prod, false, &team), ["all@example.com", "team@example.com"]);
        assert_eq!(
            change_recipients(&users, &prod, true, &team),
            ["all@example.com", "issues@example.com", "team@example.com"]
        );
        assert_eq!(change_recipients(&users, &test, false, &[]), ["other@example.com"]);

        let accounts = vec![prod.clone(), test.clone()];
        let daily = daily_report_recipients(&users, &accounts);
        let shown: Vec<(&str, Vec<&str>)> =
            daily.iter().map(|(u, a)| (u.email.as_str(), a.iter().map(|a| a.name.as_str()).collect())).collect();
        assert_eq!(shown, [("issues@example.com", vec!["prod", "test"]), ("none@example.com", vec!["prod"])]);
    }
}
