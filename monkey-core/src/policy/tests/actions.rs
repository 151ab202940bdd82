use crate::policy::actions::ActionCatalogue;
use crate::policy::{AccessLevel, actions};

#[test]
fn committed_catalogue_parses_fully() {
    let (catalogue, skipped) = ActionCatalogue::parse(include_str!("../../../data/iam_actions.txt"));
    assert_eq!(skipped, 0);
    // 19,050 actions in parliament 1.6.4, 18,397 once services sharing a prefix are merged.
    assert!(catalogue.len() >= 18_000, "{}", catalogue.len());
    assert_eq!(catalogue.len(), actions().len());
    assert!(!actions().is_empty());
}

#[test]
fn known_actions_and_levels() {
    let catalogue = actions();
    let level = |action: &str| catalogue.get(action).map(|info| info.level);
    assert_eq!(level("s3:GetObject"), Some(AccessLevel::Read));
    assert_eq!(level("iam:PassRole"), Some(AccessLevel::Write));
    assert_eq!(level("iam:PutRolePolicy"), Some(AccessLevel::PermissionsManagement));
    assert_eq!(level("s3:ListBucket"), Some(AccessLevel::List));
    assert_eq!(level("ec2:CreateTags"), Some(AccessLevel::Tagging));
    let info = catalogue.get("S3:getobject").unwrap();
    assert_eq!((info.service, info.name), ("s3", "GetObject"));
    assert_eq!(info.to_string(), "s3:GetObject");
    for missing in ["s3:NoSuchAction", "nosuch:GetObject", "s3", "", ":", "s3:Get*", "s3:GetObject:x"] {
        assert!(catalogue.get(missing).is_none(), "{missing}");
    }
}

#[test]
fn expand_patterns() {
    let catalogue = actions();
    let names = |pattern: &str| catalogue.expand(pattern).iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(names("iam:pass?ole"), ["iam:PassRole"]);
    assert_eq!(names("IAM:PASSROLE"), ["iam:PassRole"]);
    let gets = names("s3:Get*");
    assert!(gets.len() > 30 && gets.contains(&"s3:GetObject".to_owned()));
    assert!(gets.iter().all(|name| name.starts_with("s3:Get")));
    assert!(names("*:GetObject").contains(&"s3:GetObject".to_owned()));
    assert!(names("s?:GetObject").contains(&"s3:GetObject".to_owned()));
    // Colon-less patterns match across the colon.
    assert_eq!(names("iam?PassRole"), ["iam:PassRole"]);
    assert!(names("s3*Object").contains(&"s3:GetObject".to_owned()));
    assert_eq!(catalogue.expand("*").len(), catalogue.len());
    assert_eq!(catalogue.expand("*:*").len(), catalogue.len());
    for nothing in ["", "s3:", "nosuch:*", "s3:Get:*", "*:*:*", "s3:NoSuch*"] {
        assert!(catalogue.expand(nothing).is_empty(), "{nothing}");
    }
    let all = catalogue.expand("*");
    assert!(all.windows(2).all(|pair| (pair[0].service, pair[0].name.to_ascii_lowercase())
        < (pair[1].service, pair[1].name.to_ascii_lowercase())));
}

#[test]
fn levels_of_patterns() {
    let catalogue = actions();
    let iam = catalogue.levels("iam:*");
    assert_eq!(
        iam,
        [
            ("iam", AccessLevel::List),
            ("iam", AccessLevel::Read),
            ("iam", AccessLevel::Write),
            ("iam", AccessLevel::PermissionsManagement),
            ("iam", AccessLevel::Tagging),
        ]
    );
    assert_eq!(catalogue.levels("iam:Put*Policy"), [("iam", AccessLevel::PermissionsManagement)]);
    assert_eq!(catalogue.levels("s3:GetObject"), [("s3", AccessLevel::Read)]);
    assert!(catalogue.levels("nosuch:*").is_empty());
    let everything = catalogue.levels("*");
    assert!(everything.contains(&("s3", AccessLevel::Read)) && everything.is_sorted());
    assert_eq!(catalogue.levels("*:*"), everything);
    let gets = catalogue.levels("*:Get*");
    assert!(gets.is_sorted() && gets.contains(&("s3", AccessLevel::Read)));
    assert_eq!(catalogue.levels("iam?PassRole"), [("iam", AccessLevel::Write)]);
    // Same answer as expanding and collecting.
    for pattern in ["ec2:*", "s3:Put*", "*:Tag*", "kms:?ncrypt"] {
        let mut expected: Vec<_> = catalogue.expand(pattern).iter().map(|info| (info.service, info.level)).collect();
        expected.sort();
        expected.dedup();
        assert_eq!(catalogue.levels(pattern), expected, "{pattern}");
    }
}

#[test]
fn access_level_names() {
    let names: Vec<String> = AccessLevel::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["List", "Read", "Write", "Permissions management", "Tagging"]);
    assert_eq!(serde_json::to_value(AccessLevel::PermissionsManagement).unwrap(), "Permissions management");
}

#[test]
fn malformed_entries_are_skipped() {
    let text = "# comment\n\
                s3\tGetObject:R PutObject:X :R Bad*Name:W ListBucket:L\n\
                no tab here\n\
                \tOrphan:R\n\
                iam\tPassRole:W getobject\n\
                S3\tDeleteObject:W\n\
                s3\tgetobject:W DeleteObject:W\n\
                \n";
    let (catalogue, skipped) = ActionCatalogue::parse(text);
    assert_eq!(skipped, 7);
    let names: Vec<String> = catalogue.expand("*").iter().map(ToString::to_string).collect();
    // Sorted by service then name, case folded; the first spelling of a duplicate wins.
    assert_eq!(names, ["iam:PassRole", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"]);
    assert_eq!(catalogue.get("s3:GETOBJECT").map(|info| info.level), Some(AccessLevel::Read));
    let (empty, skipped) = ActionCatalogue::parse("");
    assert!(empty.is_empty() && skipped == 0 && empty.expand("*").is_empty() && empty.levels("*").is_empty());
}

#[test]
fn committed_catalogue_is_stored_in_catalogue_order() {
    // In order, loading needs no sort: check the file against the loaded order, token by token.
    let text = include_str!("../../../data/iam_actions.txt");
    let written =
        text.lines().filter(|line| !line.starts_with('#')).filter_map(|line| line.split_once('\t')).flat_map(
            |(prefix, tokens)| tokens.split(' ').map(move |token| (prefix, token.rsplit_once(':').unwrap().0)),
        );
    let loaded = actions().expand("*").into_iter().map(|info| (info.service, info.name));
    assert!(written.eq(loaded));
}
