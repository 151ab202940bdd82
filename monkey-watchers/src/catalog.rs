//! Every AWS watcher monkey has, built over one session.

use crate::aws::AwsSession;
use crate::ec2::{
    EbsEncryptionWatcher, ElasticIpWatcher, FlowLogWatcher, ImageWatcher, InstanceWatcher, KeyPairWatcher,
    NetworkAclWatcher, RouteTableWatcher, SecurityGroupWatcher, SnapshotWatcher, SubnetWatcher, VolumeWatcher,
    VpcWatcher,
};
use crate::iam::{
    AccountWatcher, GroupWatcher, ManagedPolicyWatcher, RoleWatcher, SamlProviderWatcher, ServerCertificateWatcher,
    UserWatcher,
};
use crate::s3::S3Watcher;
use monkey_core::watcher::Watcher;
use std::sync::Arc;

/// One watcher per AWS technology, sharing `session`, sorted by technology.
pub fn aws_watchers(session: &Arc<AwsSession>) -> Vec<Box<dyn Watcher>> {
    let s = || Arc::clone(session);
    let mut watchers: Vec<Box<dyn Watcher>> = vec![
        Box::new(SecurityGroupWatcher::new(s())),
        Box::new(InstanceWatcher::new(s())),
        Box::new(SnapshotWatcher::new(s())),
        Box::new(VolumeWatcher::new(s())),
        Box::new(ImageWatcher::new(s())),
        Box::new(VpcWatcher::new(s())),
        Box::new(SubnetWatcher::new(s())),
        Box::new(NetworkAclWatcher::new(s())),
        Box::new(RouteTableWatcher::new(s())),
        Box::new(ElasticIpWatcher::new(s())),
        Box::new(KeyPairWatcher::new(s())),
        Box::new(FlowLogWatcher::new(s())),
        Box::new(EbsEncryptionWatcher::new(s())),
        Box::new(UserWatcher::new(s())),
        Box::new(RoleWatcher::new(s())),
        Box::new(GroupWatcher::new(s())),
        Box::new(ManagedPolicyWatcher::new(s())),
        Box::new(SamlProviderWatcher::new(s())),
        Box::new(ServerCertificateWatcher::new(s())),
        Box::new(AccountWatcher::new(s())),
        Box::new(S3Watcher::new(s())),
    ];
    watchers.sort_by(|a, b| a.technology().cmp(b.technology()));
    watchers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::AwsSettings;

    #[tokio::test]
    async fn every_technology_of_issue_three_is_watched_once() {
        let settings = AwsSettings { static_credentials: Some(("k".into(), "s".into())), ..AwsSettings::default() };
        let watchers = aws_watchers(&Arc::new(AwsSession::new(settings).await));
        let technologies: Vec<&str> = watchers.iter().map(|w| w.technology().as_str()).collect();
        let expected = [
            "ebsencryption",
            "ebssnapshot",
            "ebsvolume",
            "ec2image",
            "ec2instance",
            "elasticip",
            "flowlog",
            "iamaccount",
            "iamgroup",
            "iamrole",
            "iamssl",
            "iamuser",
            "keypair",
            "networkacl",
            "policy",
            "routetable",
            "s3",
            "samlprovider",
            "securitygroup",
            "subnet",
            "vpc",
        ];
        assert_eq!(technologies, expected);
    }
}
