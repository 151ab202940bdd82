use crate::policy::glob::{covers, has_wildcard, is_star, matches};

#[test]
fn star_and_question_mark() {
    assert!(matches("s3:Get*", "s3:GetObject", true));
    assert!(matches("s3:get*", "S3:GETOBJECT", true));
    assert!(!matches("s3:get*", "s3:GetObject", false));
    assert!(matches("*", "", true));
    assert!(matches("*", "anything:at all", true));
    assert!(matches("iam:pass?ole", "iam:PassRole", true));
    assert!(!matches("iam:pass?ole", "iam:PassRRole", true));
    assert!(matches("*:Get*", "s3:GetObject", true));
    assert!(matches("s3*Object", "s3:GetObject", true));
    assert!(matches("a*b*c", "aXXbYYbZZc", true));
    assert!(!matches("a*b*c", "aXXbYYbZZ", true));
    assert!(!matches("", "a", true));
    assert!(matches("", "", true));
    assert!(matches("**", "x", true));
}

#[test]
fn question_mark_takes_one_whole_character() {
    assert!(matches("a?c", "aéc", false));
    assert!(matches("a??c", "a日本c", false));
    assert!(!matches("a?c", "a日本c", false));
    assert!(matches("*本", "日本", false));
}

#[test]
fn covers_is_sound() {
    assert!(covers("*", "s3:Get*", true));
    assert!(covers("s3:*", "s3:Get*", true));
    assert!(covers("S3:*", "s3:GetObject", true));
    assert!(covers("s3:Get*", "s3:Get*", true));
    assert!(covers("s3:Get?bject", "s3:Get?bject", true));
    // `?` stands for one character, `*` for any number: not covered.
    assert!(!covers("s3:Get?", "s3:Get*", true));
    assert!(!covers("s3:GetObject", "s3:Get*", true));
    assert!(!covers("s3:Put*", "s3:Get*", true));
    assert!(!covers("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/*", false));
}

#[test]
fn wildcard_helpers() {
    assert!(is_star("*") && is_star("***"));
    assert!(!is_star("") && !is_star("*:*"));
    assert!(has_wildcard("s3:?") && has_wildcard("*") && !has_wildcard("s3:GetObject"));
}
