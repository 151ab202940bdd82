//! Which regions to watch: the configured list, or every region enabled in the account.

use super::{AwsSession, describe};
use aws_config::SdkConfig;

/// The regions of the account, sorted: the settings' list if given, else DescribeRegions
/// (enabled regions only) called in the default region.
pub async fn regions(session: &AwsSession, config: &SdkConfig) -> Result<Vec<String>, String> {
    if let Some(regions) = &session.settings().regions {
        let mut regions = regions.clone();
        regions.sort();
        regions.dedup();
        return Ok(regions);
    }
    let client = session.ec2(config, &session.settings().default_region);
    let answer = client
        .describe_regions()
        .all_regions(false)
        .send()
        .await
        .map_err(|e| format!("DescribeRegions failed: {}", describe(&e)))?;
    let mut regions: Vec<String> = answer.regions().iter().filter_map(|r| r.region_name().map(str::to_owned)).collect();
    regions.sort();
    Ok(regions)
}
