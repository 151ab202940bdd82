//! IAM watchers (being written).
