//! S3 watcher (`s3`): one item per bucket (being written).
