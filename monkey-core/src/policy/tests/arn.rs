use crate::policy::Arn;

#[test]
fn parses_six_parts_keeping_colons_in_the_resource() {
    let arn = Arn::parse("arn:aws:sns:us-east-1:123456789012:topic:subscription").unwrap();
    assert_eq!(arn.partition, "aws");
    assert_eq!(arn.service, "sns");
    assert_eq!(arn.region, "us-east-1");
    assert_eq!(arn.account, "123456789012");
    assert_eq!(arn.resource, "topic:subscription");
    assert_eq!(arn.to_string(), "arn:aws:sns:us-east-1:123456789012:topic:subscription");
}

#[test]
fn account_less_arns() {
    let arn = Arn::parse("arn:aws:s3:::bucket/key").unwrap();
    assert_eq!((arn.region.as_str(), arn.account.as_str(), arn.resource.as_str()), ("", "", "bucket/key"));
}

#[test]
fn refuses_what_is_no_arn() {
    for text in ["", "arn", "arn:aws:s3", "arn:aws:s3::", "urn:aws:s3:::b", "arn::s3:::b", "arn:aws::::x"] {
        let error = Arn::parse(text).unwrap_err();
        assert_eq!(error.path, "ARN", "{text}");
        assert!(error.reason.contains("arn:partition"), "{text}");
    }
}

proptest::proptest! {
    #[test]
    fn splits_as_a_plain_split_does(text in "(arn:)?([a-zé*]{0,9}:){0,6}[a-z:é]{0,9}") {
        let expected = text.strip_prefix("arn:").and_then(|rest| {
            let mut parts = rest.splitn(5, ':');
            let parts = [parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?];
            (!parts[0].is_empty() && !parts[1].is_empty()).then_some(parts)
        });
        proptest::prop_assert_eq!(Arn::parts(&text), expected);
    }
}
