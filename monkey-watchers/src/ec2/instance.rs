//! `ec2instance`: every instance that is not terminated, with what exposes it (public
//! addresses, security groups, instance profile, instance metadata options).
//!
//! Calls per region: DescribeInstances (paginated); nothing per instance.
//!
//! An instance's state is durable: a security team wants to know that an instance was
//! started or stopped (Security Monkey recorded it so too). What only describes *when* or
//! *why* it last moved is ephemeral: `LaunchTime` (reset by every start),
//! `StateTransitionReason` and `StateReason` (they accompany a state change), the metadata
//! options' `State` (pending while a change applies) and attachment times. A terminated
//! instance is left out: it can never run again and AWS lists it for about an hour only, so
//! it is reported deleted at once rather than after a revision that says only "terminated".

use super::Collector;
use super::shape::{arn, stable_by, tagged_name, tags, time};
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    GroupIdentifier, Instance, InstanceNetworkInterface, InstanceNetworkInterfaceAssociation, InstanceStateName,
    Reservation,
};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `ec2instance` technology.
#[derive(Debug)]
pub struct Instances;

#[async_trait]
impl Collector for Instances {
    const TECHNOLOGY: &'static str = "ec2instance";
    const EPHEMERAL_PATHS: &'static [&'static str] = &[
        "LaunchTime",
        "StateTransitionReason",
        "StateReason",
        "MetadataOptions.State",
        "BlockDeviceMappings.*.Ebs.AttachTime",
        "BlockDeviceMappings.*.Ebs.Status",
        "NetworkInterfaces.*.Attachment.AttachTime",
        "NetworkInterfaces.*.Attachment.Status",
        "NetworkInterfaces.*.Status",
    ];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let reservations: Vec<Reservation> = client
            .describe_instances()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeInstances in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &reservations))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("InstanceId").and_then(Value::as_str)
    }
}

/// The items of one region's DescribeInstances answer.
fn shape(region: &str, account: &AccountNumber, reservations: &[Reservation]) -> Slurp {
    let mut slurp = Slurp::default();
    for reservation in reservations {
        for instance in reservation.instances() {
            if instance.state().and_then(|s| s.name()) == Some(&InstanceStateName::Terminated) {
                continue;
            }
            let Some(id) = instance.instance_id() else {
                let reservation = reservation.reservation_id().unwrap_or("<unknown>");
                slurp.failures.push(item_failure(
                    region,
                    &format!("<an instance of {reservation}>"),
                    "an instance without an InstanceId",
                ));
                continue;
            };
            let arn = arn(region, account.as_str(), &format!("instance/{id}"));
            let config = config(instance, reservation.owner_id(), &arn);
            slurp.items.push(SlurpedItem {
                region: region.to_owned(),
                name: tagged_name(instance.tags(), id),
                arn: Some(arn),
                config,
            });
        }
    }
    slurp
}

/// One instance's config, in AWS's field names.
fn config(instance: &Instance, owner: Option<&str>, arn: &str) -> Value {
    let metadata = instance.metadata_options().map(|m| {
        json!({
            "State": m.state().map(|s| s.as_str()),
            "HttpTokens": m.http_tokens().map(|s| s.as_str()),
            "HttpEndpoint": m.http_endpoint().map(|s| s.as_str()),
            "HttpPutResponseHopLimit": m.http_put_response_hop_limit(),
            "HttpProtocolIpv6": m.http_protocol_ipv6().map(|s| s.as_str()),
            "InstanceMetadataTags": m.instance_metadata_tags().map(|s| s.as_str()),
        })
    });
    let placement = instance.placement().map(|p| {
        json!({
            "AvailabilityZone": p.availability_zone(),
            "Tenancy": p.tenancy().map(|t| t.as_str()),
            "GroupName": p.group_name().filter(|g| !g.is_empty()),
            "HostId": p.host_id(),
        })
    });
    let block_devices = instance
        .block_device_mappings()
        .iter()
        .map(|b| {
            json!({
                "DeviceName": b.device_name(),
                "Ebs": b.ebs().map(|e| json!({
                    "VolumeId": e.volume_id(),
                    "DeleteOnTermination": e.delete_on_termination(),
                    "Status": e.status().map(|s| s.as_str()),
                    "AttachTime": time(e.attach_time()),
                })),
            })
        })
        .collect();
    json!({
        "InstanceId": instance.instance_id(),
        "Arn": arn,
        "OwnerId": owner,
        "ImageId": instance.image_id(),
        "InstanceType": instance.instance_type().map(|t| t.as_str()),
        "Architecture": instance.architecture().map(|a| a.as_str()),
        "Platform": instance.platform().map(|p| p.as_str()),
        "PlatformDetails": instance.platform_details(),
        "InstanceLifecycle": instance.instance_lifecycle().map(|l| l.as_str()),
        "State": instance.state().map(|s| json!({"Code": s.code(), "Name": s.name().map(|n| n.as_str())})),
        "StateTransitionReason": instance.state_transition_reason().filter(|r| !r.is_empty()),
        "StateReason": instance
            .state_reason()
            .filter(|r| r.code().is_some_and(|c| !c.is_empty()))
            .map(|r| json!({"Code": r.code(), "Message": r.message()})),
        "LaunchTime": time(instance.launch_time()),
        "KeyName": instance.key_name(),
        "IamInstanceProfile": instance.iam_instance_profile().map(|p| json!({"Arn": p.arn(), "Id": p.id()})),
        "MetadataOptions": metadata,
        "Placement": placement,
        "VpcId": instance.vpc_id(),
        "SubnetId": instance.subnet_id(),
        "PrivateIpAddress": instance.private_ip_address(),
        "PrivateDnsName": instance.private_dns_name().filter(|n| !n.is_empty()),
        "PublicIpAddress": instance.public_ip_address(),
        "PublicDnsName": instance.public_dns_name().filter(|n| !n.is_empty()),
        "Ipv6Address": instance.ipv6_address(),
        "SecurityGroups": groups(instance.security_groups()),
        "NetworkInterfaces": stable_by(instance.network_interfaces().iter().map(interface).collect(), "NetworkInterfaceId"),
        "SourceDestCheck": instance.source_dest_check(),
        "RootDeviceType": instance.root_device_type().map(|t| t.as_str()),
        "RootDeviceName": instance.root_device_name(),
        "BlockDeviceMappings": stable_by(block_devices, "DeviceName"),
        "EbsOptimized": instance.ebs_optimized(),
        "Monitoring": instance.monitoring().map(|m| json!({"State": m.state().map(|s| s.as_str())})),
        "Tags": tags(instance.tags()),
    })
}

/// Security groups as `{GroupId, GroupName}`, sorted.
fn groups(groups: &[GroupIdentifier]) -> Vec<Value> {
    stable(groups.iter().map(|g| json!({"GroupId": g.group_id(), "GroupName": g.group_name()})).collect())
}

/// A public address bound to an interface or one of its private addresses.
fn association(association: Option<&InstanceNetworkInterfaceAssociation>) -> Value {
    association.map_or(Value::Null, |a| {
        json!({
            "PublicIp": a.public_ip(),
            "PublicDnsName": a.public_dns_name().filter(|n| !n.is_empty()),
            "IpOwnerId": a.ip_owner_id(),
            "CarrierIp": a.carrier_ip(),
            "CustomerOwnedIp": a.customer_owned_ip(),
        })
    })
}

/// One network interface: every public address it carries (secondary ones included, which
/// the instance's own `PublicIpAddress` does not show) and its security groups.
fn interface(interface: &InstanceNetworkInterface) -> Value {
    json!({
        "NetworkInterfaceId": interface.network_interface_id(),
        "InterfaceType": interface.interface_type(),
        "Description": interface.description(),
        "OwnerId": interface.owner_id(),
        "SubnetId": interface.subnet_id(),
        "VpcId": interface.vpc_id(),
        "Status": interface.status().map(|s| s.as_str()),
        "SourceDestCheck": interface.source_dest_check(),
        "PrivateIpAddress": interface.private_ip_address(),
        "Association": association(interface.association()),
        "PrivateIpAddresses": stable(interface.private_ip_addresses().iter().map(|p| json!({
            "PrivateIpAddress": p.private_ip_address(),
            "Primary": p.primary(),
            "Association": association(p.association()),
        })).collect()),
        "Ipv6Addresses": stable(interface.ipv6_addresses().iter().map(|a| json!({"Ipv6Address": a.ipv6_address()})).collect()),
        "Groups": groups(interface.groups()),
        "Attachment": interface.attachment().map(|a| json!({
            "AttachmentId": a.attachment_id(),
            "DeviceIndex": a.device_index(),
            "DeleteOnTermination": a.delete_on_termination(),
            "Status": a.status().map(|s| s.as_str()),
            "AttachTime": time(a.attach_time()),
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{InstanceState, Tag};

    fn instance(id: &str, state: InstanceStateName) -> Instance {
        Instance::builder()
            .instance_id(id)
            .state(InstanceState::builder().name(state).build())
            .tags(Tag::builder().key("Name").value("web").build())
            .security_groups(GroupIdentifier::builder().group_id("sg-2").group_name("b").build())
            .security_groups(GroupIdentifier::builder().group_id("sg-1").group_name("a").build())
            .build()
    }

    #[test]
    fn terminated_instances_are_left_out_and_lists_are_sorted() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let reservation = Reservation::builder()
            .owner_id("123456789012")
            .instances(instance("i-1", InstanceStateName::Running))
            .instances(instance("i-2", InstanceStateName::Terminated))
            .instances(Instance::builder().build())
            .build();
        let slurp = shape("eu-west-1", &account, &[reservation]);
        assert_eq!(slurp.items.len(), 1);
        let item = &slurp.items[0];
        assert_eq!(item.name, "web (i-1)");
        assert_eq!(item.arn.as_deref(), Some("arn:aws:ec2:eu-west-1:123456789012:instance/i-1"));
        assert_eq!(item.config["SecurityGroups"][0]["GroupId"], "sg-1");
        assert_eq!(item.config["State"]["Name"], "running");
        assert_eq!(slurp.failures.len(), 1, "the instance without an id is an item failure");
    }
}
