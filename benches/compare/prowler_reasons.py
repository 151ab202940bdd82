"""What monkey's checks cover of Prowler's, beyond the ids their docs list, and why monkey does
not flag what Prowler flags, per Prowler check (read by prowler_compare.py)."""

# Prowler check -> monkey checks, where a monkey check's docs name it in prose.
COVERED_BY = {
    # "Prowler `ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports` and the per-port checks"
    **{f"ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_{p}": ["securitygroup-high-risk-port-open-to-world"]
       for p in ["22", "3389", "21", "20", "23", "25", "110", "135", "143", "445", "3306", "1433_1434", "1521_2483_2484",
                 "5432", "6379", "7199_9160_8888", "9200_9300_5601", "11211", "27017_27018", "2049", "9092", "389_636",
                 "9042", "8080"]},
    # "Prowler `iam_policy_no_full_access_to_kms`, `iam_policy_no_full_access_to_cloudtrail` and their inline variants"
    "iam_inline_policy_no_full_access_to_kms": ["iamuser-policy-allows-service-wildcard", "iamrole-policy-allows-service-wildcard",
                                                "iamgroup-policy-allows-service-wildcard"],
    "iam_inline_policy_no_full_access_to_cloudtrail": ["iamuser-policy-allows-service-wildcard",
                                                       "iamrole-policy-allows-service-wildcard",
                                                       "iamgroup-policy-allows-service-wildcard"],
}

REASONS = {}

# Prowler check -> monkey checks that flag the same resources for the same cause under another
# name: prowler_compare.py counts a resource flagged by one of these as found "under another check".
ADMIN = ["iamuser-policy-allows-admin", "iamrole-policy-allows-admin", "iamgroup-policy-allows-admin", "policy-allows-admin"]
ALSO = {
    "s3_bucket_cross_account_access": ["s3-bucket-policy-internet-accessible", "s3-bucket-public-policy-blocked"],
    "s3_bucket_default_encryption": ["s3-bucket-default-encryption-not-kms"],
    "iam_inline_policy_no_full_access_to_kms": ADMIN,
    "iam_inline_policy_no_full_access_to_cloudtrail": ADMIN,
    "iam_policy_no_full_access_to_kms": ADMIN,
    "iam_policy_no_full_access_to_cloudtrail": ADMIN,
    "iam_inline_policy_no_wildcard_marketplace_subscribe": ADMIN,
    "iam_policy_no_wildcard_marketplace_subscribe": ADMIN,
    "iam_no_custom_policy_permissive_role_assumption": ADMIN,
}

_STAR = ("the policy grants `*` (every action): monkey reports it once, as `*-policy-allows-admin` (which it does for "
         "each of these), not again for each service the star includes")
_NOT_IN_CATALOGUE = ("not in monkey's catalogue (Security Monkey's checks plus the Prowler, Security Hub and ScoutSuite "
                     "checks monkey's collected data supports)")
REASONS = {
    "ec2_ebs_default_encryption": "moto does not implement GetEbsDefaultKmsKeyId, so monkey's `ebsencryption` unit records a "
        "failure for the region and no item (a failed read is never turned into a finding or a deletion); against AWS, "
        "`ebsencryption-by-default-disabled` flags it (the replayed estate test shows it)",
    "ec2_ebs_snapshots_encrypted": "moto's auto-created snapshots of its built-in AMIs, owned by account 591542846629 (moto "
        "ignores `OwnerIds=self` and returns them to everyone): not this account's snapshots. monkey keeps only snapshots "
        "the account owns; it flags every unencrypted one of those",
    "ec2_ebs_volume_protected_by_backup_plan": "needs AWS Backup plans and selections, which monkey does not collect",
    "ec2_ebs_volume_snapshots_exists": _NOT_IN_CATALOGUE + ": a backup-hygiene check; the data is collected "
        "(ebsvolume, ebssnapshot), so it could be added",
    "ec2_instance_detailed_monitoring_enabled": _NOT_IN_CATALOGUE + ": CloudWatch detailed monitoring is an operational "
        "setting (`Monitoring.State` is collected)",
    "ec2_instance_managed_by_ssm": "needs AWS Systems Manager inventory (DescribeInstanceInformation), which monkey does not collect",
    "ec2_instance_profile_attached": _NOT_IN_CATALOGUE + ": an instance without a role is a practice, not an exposure "
        "(`IamInstanceProfile` is collected, so it could be added)",
    "iam_inline_policy_no_full_access_to_kms": _STAR,
    "iam_inline_policy_no_full_access_to_cloudtrail": _STAR,
    "iam_policy_no_full_access_to_kms": _STAR,
    "iam_policy_no_full_access_to_cloudtrail": _STAR,
    "iam_inline_policy_no_wildcard_marketplace_subscribe": _STAR,
    "iam_policy_no_wildcard_marketplace_subscribe": _STAR,
    "iam_no_custom_policy_permissive_role_assumption": _STAR + " (monkey's `*-policy-allows-assume-any-role` flags "
        "`sts:AssumeRole` on `*` written out)",
    "iam_no_expired_server_certificates_stored": "moto's ListServerCertificates returns a fixed `Expiration` of 2012-05-08 "
        "for every certificate, which Prowler trusts; monkey reads the certificate's own notAfter (20 and 365 days away: "
        "it flags `weak-soon` as `iamssl-expires-within-30-days`, SHA-1 and 1024-bit)",
    "iam_securityaudit_role_created": _NOT_IN_CATALOGUE + ": whether some role holds the SecurityAudit policy is an "
        "organisational practice, not a resource's configuration",
    "iam_user_hardware_mfa_enabled": _NOT_IN_CATALOGUE + ": Prowler wants a hardware MFA device for every user, even "
        "users without a console password; monkey flags console users without any MFA (`iamuser-password-without-mfa`) "
        "and the root account without MFA",
    "s3_bucket_cross_account_access": "the policy grants `Principal: *`: monkey reports it as "
        "`s3-bucket-policy-internet-accessible` (which it does for each of these), not also as cross-account; or, when "
        "the bucket's `RestrictPublicBuckets` confines that policy to the owner's account and AWS services, as "
        "`s3-bucket-public-policy-blocked` (estate-blocked-policy)",
    "s3_bucket_default_encryption": "monkey's `s3-bucket-default-encryption-not-kms` flags every bucket without KMS "
        "default encryption, these included; AWS encrypts every bucket with SSE-S3 since January 2023, so a bucket "
        "without default encryption exists only in moto",
}
