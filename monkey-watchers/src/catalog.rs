//! Every AWS watcher monkey has, built over one session.

use crate::aws::AwsSession;
use crate::ec2::SecurityGroupWatcher;
use monkey_core::watcher::Watcher;
use std::sync::Arc;

/// One watcher per AWS technology, sharing `session`, sorted by technology.
pub fn aws_watchers(session: &Arc<AwsSession>) -> Vec<Box<dyn Watcher>> {
    let mut watchers: Vec<Box<dyn Watcher>> = vec![Box::new(SecurityGroupWatcher::new(Arc::clone(session)))];
    watchers.sort_by(|a, b| a.technology().cmp(b.technology()));
    watchers
}
