//! The EC2 watchers other than security groups against a real moto server (scripts/test
//! starts one and sets MONKEY_TEST_AWS_ENDPOINT), through the real SDK: create resources,
//! collect them, change exactly some of them and check that exactly those changes are
//! reported, and make a region fail without anything in it being reported deleted.
//!
//! Each test works in an account of its own (moto keeps what each assumed role creates
//! apart), in us-east-1 and eu-west-1.

mod common;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, DomainType, Filter, FlowLogsResourceType, HttpTokensState, IamInstanceProfileSpecification,
    InstanceMetadataOptionsRequest, LaunchPermission, LaunchPermissionModifications, OperationType, PermissionGroup,
    PortRange, ResourceType, RuleAction, SnapshotAttributeName, Tag, TagSpecification, TrafficType,
};
use common::{fresh_account, run, settings};
use monkey_core::model::Account;
use monkey_core::store::{ChangeKind, Store};
use monkey_core::watcher::{FailureScope, Slurp, SlurpedItem, WatchContext, Watcher};
use monkey_watchers::aws::AwsSession;
use monkey_watchers::ec2::{
    Collector, EbsEncryption, EbsEncryptionWatcher, Ec2Watcher, ElasticIpWatcher, ElasticIps, FlowLogWatcher, FlowLogs,
    ImageWatcher, Images, InstanceWatcher, Instances, KeyPairWatcher, KeyPairs, NetworkAclWatcher, NetworkAcls,
    RouteTableWatcher, RouteTables, SecurityGroups, SnapshotWatcher, Snapshots, SubnetWatcher, Subnets, VolumeWatcher,
    Volumes, VpcWatcher, Vpcs,
};
use serde_json::json;
use std::sync::Arc;

/// Another account a snapshot is shared with.
const PARTNER: &str = "111122223333";

async fn ec2(session: &AwsSession, account: &Account, region: &str) -> aws_sdk_ec2::Client {
    session.ec2(&session.account_config(account).await, region)
}

fn named(resource: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder().resource_type(resource).tags(Tag::builder().key("Name").value(name).build()).build()
}

/// The one item whose config has `value` at `key`.
fn item<'a>(slurp: &'a Slurp, key: &str, value: &str) -> &'a SlurpedItem {
    let found: Vec<_> = slurp.items.iter().filter(|i| i.config[key] == value).collect();
    assert_eq!(
        found.len(),
        1,
        "one item with {key} = {value} in {:?}",
        slurp.items.iter().map(|i| &i.name).collect::<Vec<_>>()
    );
    found[0]
}

/// Asserts a first run that sees everything as new, without failures.
fn all_created(slurp: &Slurp, changes: &[(String, ChangeKind)]) {
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(changes.len(), slurp.items.len());
    assert!(changes.iter().all(|(_, kind)| *kind == ChangeKind::Created), "{changes:?}");
}

/// Changes in name order.
fn sorted(mut changes: Vec<(String, ChangeKind)>) -> Vec<(String, ChangeKind)> {
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    changes
}

/// Runs the watcher and asserts that nothing changed.
async fn unchanged(store: &dyn Store, watcher: &dyn Watcher, account: &Account, at: i128) {
    let (slurp, changes) = run(store, watcher, account, at).await;
    assert!(changes.is_empty(), "{}: {changes:?}", watcher.technology());
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
}

/// A running instance: a public IP from the default subnet, an instance profile, IMDSv1 allowed.
async fn launch(client: &aws_sdk_ec2::Client, name: &str, group: &str, profile: Option<&str>) -> String {
    let mut request = client
        .run_instances()
        .image_id("ami-12345678")
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .security_group_ids(group)
        .metadata_options(InstanceMetadataOptionsRequest::builder().http_tokens(HttpTokensState::Optional).build())
        .tag_specifications(named(ResourceType::Instance, name));
    if let Some(profile) = profile {
        request = request.iam_instance_profile(IamInstanceProfileSpecification::builder().name(profile).build());
    }
    let answer = request.send().await.expect("run instance");
    answer.instances().first().and_then(|i| i.instance_id()).expect("instance id").to_owned()
}

#[tokio::test]
async fn instances_report_state_exposure_and_imdsv2() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "us-east-1").await;
    let iam = session.iam(&session.account_config(&account).await);
    let profile = iam.create_instance_profile().instance_profile_name("web-profile").send().await.expect("profile");
    let profile_arn = profile.instance_profile().map(|p| p.arn().to_owned()).expect("profile arn");
    let group = client.create_security_group().group_name("web").description("web").send().await.expect("group");
    let group = group.group_id().expect("group id").to_owned();
    let web = launch(&client, "web", &group, Some("web-profile")).await;
    let worker = launch(&client, "worker", &group, None).await;

    let (_dir, store) = common::store();
    let watcher = InstanceWatcher::new(Arc::clone(&session));
    let (slurp, changes) = run(&*store, &watcher, &account, 1).await;
    all_created(&slurp, &changes);
    assert_eq!(slurp.items.len(), 2);
    let web_item = item(&slurp, "InstanceId", &web);
    assert_eq!(web_item.name, format!("web ({web})"));
    assert_eq!(web_item.region, "us-east-1");
    assert_eq!(
        web_item.arn.as_deref(),
        Some(format!("arn:aws:ec2:us-east-1:{}:instance/{web}", account.number.as_str()).as_str())
    );
    let config = &web_item.config;
    assert_eq!(config["State"]["Name"], "running");
    assert!(config["PublicIpAddress"].is_string(), "a public IP from the default subnet: {config}");
    assert_eq!(config["IamInstanceProfile"]["Arn"], profile_arn.as_str());
    assert_eq!(config["SecurityGroups"], json!([{"GroupId": group, "GroupName": "web"}]));
    assert_eq!(config["MetadataOptions"]["HttpTokens"], "optional");
    assert_eq!(config["OwnerId"], account.number.as_str());
    assert_eq!(config["Tags"], json!([{"Key": "Name", "Value": "web"}]));
    let worker_name = item(&slurp, "InstanceId", &worker).name.clone();
    assert_eq!(item(&slurp, "InstanceId", &worker).config["IamInstanceProfile"], serde_json::Value::Null);

    unchanged(&*store, &watcher, &account, 2).await;

    // The ignore list sees the bare instance id as well as "<Name tag> (<id>)".
    let ignore = vec![monkey_core::model::IgnoreEntry::new(watcher.technology().clone(), &web, "").expect("entry")];
    let ignored = watcher.slurp(&WatchContext::new(account.clone()).with_ignore(ignore)).await;
    assert_eq!(ignored.items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), vec![worker_name.as_str()]);

    // Stop one, require IMDSv2 on the other: exactly those two changes.
    client.stop_instances().instance_ids(&web).send().await.expect("stop");
    client
        .modify_instance_metadata_options()
        .instance_id(&worker)
        .http_tokens(HttpTokensState::Required)
        .send()
        .await
        .expect("imdsv2");
    let (slurp, changes) = run(&*store, &watcher, &account, 3).await;
    assert_eq!(
        sorted(changes),
        sorted(vec![(format!("web ({web})"), ChangeKind::Changed), (worker_name.clone(), ChangeKind::Changed)])
    );
    let stopped = &item(&slurp, "InstanceId", &web).config;
    assert_eq!(stopped["State"]["Name"], "stopped");
    assert_eq!(stopped["PublicIpAddress"], serde_json::Value::Null, "a stopped instance loses its public IP");
    assert_eq!(item(&slurp, "InstanceId", &worker).config["MetadataOptions"]["HttpTokens"], "required");

    unchanged(&*store, &watcher, &account, 4).await;

    // A terminated instance is deleted at once.
    client.terminate_instances().instance_ids(&worker).send().await.expect("terminate");
    let (_, changes) = run(&*store, &watcher, &account, 5).await;
    assert_eq!(changes, vec![(worker_name, ChangeKind::Deleted)]);
}

#[tokio::test]
async fn snapshots_volumes_and_images_report_sharing() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "us-east-1").await;
    let volume = client
        .create_volume()
        .availability_zone("us-east-1a")
        .size(20)
        .tag_specifications(named(ResourceType::Volume, "data"))
        .send()
        .await
        .expect("volume");
    let volume = volume.volume_id().expect("volume id").to_owned();
    let snapshot = client
        .create_snapshot()
        .volume_id(&volume)
        .description("nightly")
        .tag_specifications(named(ResourceType::Snapshot, "backup"))
        .send()
        .await
        .expect("snapshot");
    let snapshot = snapshot.snapshot_id().expect("snapshot id").to_owned();
    client
        .modify_snapshot_attribute()
        .snapshot_id(&snapshot)
        .attribute(SnapshotAttributeName::CreateVolumePermission)
        // moto reads only the flat UserIds/GroupNames form, not CreateVolumePermission.Add.
        .operation_type(OperationType::Add)
        .user_ids(PARTNER)
        .send()
        .await
        .expect("share the snapshot");
    let group = client.create_security_group().group_name("build").description("b").send().await.expect("group");
    let builder = launch(&client, "builder", group.group_id().expect("group id"), None).await;
    let image = client.create_image().instance_id(&builder).name("golden").send().await.expect("image");
    let image = image.image_id().expect("image id").to_owned();

    let (_dir, store) = common::store();
    let snapshots = SnapshotWatcher::new(Arc::clone(&session));
    let volumes = VolumeWatcher::new(Arc::clone(&session));
    let images = ImageWatcher::new(Arc::clone(&session));

    let (slurp, changes) = run(&*store, &snapshots, &account, 1).await;
    all_created(&slurp, &changes);
    let backup = item(&slurp, "SnapshotId", &snapshot);
    assert_eq!(backup.name, format!("backup ({snapshot})"));
    assert_eq!(backup.arn.as_deref(), Some(format!("arn:aws:ec2:us-east-1::snapshot/{snapshot}").as_str()));
    assert_eq!(backup.config["CreateVolumePermissions"], json!([{"UserId": PARTNER}]));
    assert_eq!(backup.config["VolumeId"], volume.as_str());
    assert_eq!(backup.config["OwnerId"], account.number.as_str());
    assert!(
        slurp.items.iter().all(|i| i.config["OwnerId"] == account.number.as_str()),
        "own snapshots only (moto simulates many public ones)"
    );
    let backup_name = backup.name.clone();

    let (slurp, changes) = run(&*store, &volumes, &account, 1).await;
    all_created(&slurp, &changes);
    let data = item(&slurp, "VolumeId", &volume);
    assert_eq!(data.name, format!("data ({volume})"));
    assert_eq!(data.config["Size"], 20);
    assert_eq!(data.config["Encrypted"], false);
    assert_eq!(data.config["Attachments"], json!([]));
    let data_name = data.name.clone();
    let root = slurp.items.iter().find(|i| i.config["VolumeId"] != volume.as_str()).expect("the builder's root volume");
    assert_eq!(root.config["Attachments"][0]["InstanceId"], builder.as_str());

    let (slurp, changes) = run(&*store, &images, &account, 1).await;
    all_created(&slurp, &changes);
    assert_eq!(slurp.items.len(), 1, "own images only");
    let golden = item(&slurp, "ImageId", &image);
    assert_eq!(golden.name, format!("golden ({image})"));
    assert_eq!(golden.arn.as_deref(), Some(format!("arn:aws:ec2:us-east-1::image/{image}").as_str()));
    assert_eq!(golden.config["Public"], false);
    assert_eq!(golden.config["LaunchPermissions"], json!([]));
    let golden_name = golden.name.clone();

    for watcher in [&snapshots as &dyn Watcher, &volumes, &images] {
        unchanged(&*store, watcher, &account, 2).await;
    }

    // Share the snapshot with everyone, make the AMI public, attach the data volume.
    client
        .modify_snapshot_attribute()
        .snapshot_id(&snapshot)
        .attribute(SnapshotAttributeName::CreateVolumePermission)
        .operation_type(OperationType::Add)
        .group_names("all")
        .send()
        .await
        .expect("public snapshot");
    client
        .modify_image_attribute()
        .image_id(&image)
        .launch_permission(
            LaunchPermissionModifications::builder()
                .add(LaunchPermission::builder().group(PermissionGroup::All).build())
                .build(),
        )
        .send()
        .await
        .expect("public image");
    client.attach_volume().volume_id(&volume).instance_id(&builder).device("/dev/sdf").send().await.expect("attach");

    let (slurp, changes) = run(&*store, &snapshots, &account, 3).await;
    assert_eq!(changes, vec![(backup_name, ChangeKind::Changed)]);
    assert_eq!(
        item(&slurp, "SnapshotId", &snapshot).config["CreateVolumePermissions"],
        json!([{"Group": "all"}, {"UserId": PARTNER}])
    );
    let (slurp, changes) = run(&*store, &images, &account, 3).await;
    assert_eq!(changes, vec![(golden_name, ChangeKind::Changed)]);
    let golden = &item(&slurp, "ImageId", &image).config;
    assert_eq!(golden["Public"], true);
    assert_eq!(golden["LaunchPermissions"], json!([{"Group": "all"}]));
    let (slurp, changes) = run(&*store, &volumes, &account, 3).await;
    assert_eq!(changes, vec![(data_name, ChangeKind::Changed)]);
    let attachment = &item(&slurp, "VolumeId", &volume).config["Attachments"][0];
    assert_eq!(
        (attachment["InstanceId"].as_str(), attachment["Device"].as_str()),
        (Some(builder.as_str()), Some("/dev/sdf"))
    );

    for watcher in [&snapshots as &dyn Watcher, &volumes, &images] {
        unchanged(&*store, watcher, &account, 4).await;
    }
}

#[tokio::test]
async fn network_technologies_report_exactly_what_changed() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "us-east-1").await;
    let vpc = client
        .create_vpc()
        .cidr_block("10.1.0.0/16")
        .tag_specifications(named(ResourceType::Vpc, "prod"))
        .send()
        .await
        .expect("vpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_owned();
    let subnet = client
        .create_subnet()
        .vpc_id(&vpc)
        .cidr_block("10.1.1.0/24")
        .availability_zone("us-east-1a")
        .tag_specifications(named(ResourceType::Subnet, "web"))
        .send()
        .await
        .expect("subnet");
    let subnet = subnet.subnet().and_then(|s| s.subnet_id()).expect("subnet id").to_owned();
    let gateway = client.create_internet_gateway().send().await.expect("igw");
    let gateway = gateway.internet_gateway().and_then(|g| g.internet_gateway_id()).expect("igw id").to_owned();
    client.attach_internet_gateway().internet_gateway_id(&gateway).vpc_id(&vpc).send().await.expect("attach igw");
    let table = client
        .create_route_table()
        .vpc_id(&vpc)
        .tag_specifications(named(ResourceType::RouteTable, "public"))
        .send()
        .await
        .expect("route table");
    let table = table.route_table().and_then(|t| t.route_table_id()).expect("table id").to_owned();
    client
        .create_route()
        .route_table_id(&table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&gateway)
        .send()
        .await
        .expect("route");
    client.associate_route_table().route_table_id(&table).subnet_id(&subnet).send().await.expect("associate");
    let acl = client
        .create_network_acl()
        .vpc_id(&vpc)
        .tag_specifications(named(ResourceType::NetworkAcl, "strict"))
        .send()
        .await
        .expect("acl");
    let acl = acl.network_acl().and_then(|a| a.network_acl_id()).expect("acl id").to_owned();
    let allow = |number: i32, port: i32| {
        client
            .create_network_acl_entry()
            .network_acl_id(&acl)
            .rule_number(number)
            .protocol("6")
            .rule_action(RuleAction::Allow)
            .egress(false)
            .cidr_block("0.0.0.0/0")
            .port_range(PortRange::builder().from(port).to(port).build())
            .send()
    };
    allow(100, 443).await.expect("acl entry");
    let flow_log = client
        .create_flow_logs()
        .resource_ids(&vpc)
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_group_name("vpc-logs")
        .deliver_logs_permission_arn(format!("arn:aws:iam::{}:role/flow-logs", account.number.as_str()))
        .send()
        .await
        .expect("flow log");
    let flow_log = flow_log.flow_log_ids().first().expect("flow log id").to_owned();
    let address = client
        .allocate_address()
        .domain(DomainType::Vpc)
        .tag_specifications(named(ResourceType::ElasticIp, "front"))
        .send()
        .await
        .expect("address");
    let (public_ip, allocation) =
        (address.public_ip().expect("ip").to_owned(), address.allocation_id().expect("allocation").to_owned());
    client.create_key_pair().key_name("deploy").send().await.expect("key pair");
    client.create_key_pair().key_name("ci").send().await.expect("key pair");

    let (_dir, store) = common::store();
    let vpcs = VpcWatcher::new(Arc::clone(&session));
    let subnets = SubnetWatcher::new(Arc::clone(&session));
    let tables = RouteTableWatcher::new(Arc::clone(&session));
    let acls = NetworkAclWatcher::new(Arc::clone(&session));
    let flow_logs = FlowLogWatcher::new(Arc::clone(&session));
    let addresses = ElasticIpWatcher::new(Arc::clone(&session));
    let keys = KeyPairWatcher::new(Arc::clone(&session));
    let all: [&dyn Watcher; 7] = [&vpcs, &subnets, &tables, &acls, &flow_logs, &addresses, &keys];

    let mut first = Vec::new();
    for watcher in all {
        let (slurp, changes) = run(&*store, watcher, &account, 1).await;
        all_created(&slurp, &changes);
        first.push(slurp);
    }
    let [vpc_slurp, subnet_slurp, table_slurp, acl_slurp, flow_slurp, address_slurp, key_slurp] = &first[..] else {
        unreachable!("one slurp per watcher")
    };
    let prod = item(vpc_slurp, "VpcId", &vpc);
    assert_eq!(prod.name, format!("prod ({vpc})"));
    assert_eq!(
        prod.arn.as_deref(),
        Some(format!("arn:aws:ec2:us-east-1:{}:vpc/{vpc}", account.number.as_str()).as_str())
    );
    assert_eq!(prod.config["CidrBlock"], "10.1.0.0/16");
    assert_eq!(prod.config["IsDefault"], false);
    assert_eq!(prod.config["EnableDnsSupport"], true);
    assert_eq!(prod.config["EnableDnsHostnames"], false);
    assert_eq!(prod.config["InternetGateways"][0]["InternetGatewayId"], gateway.as_str());
    assert_eq!(prod.config["FlowLogs"][0]["FlowLogId"], flow_log.as_str());
    assert!(
        vpc_slurp.items.iter().any(|i| i.region == "eu-west-1" && i.config["IsDefault"] == true),
        "the default VPC elsewhere"
    );
    let web = item(subnet_slurp, "SubnetId", &subnet);
    assert_eq!(web.name, format!("web ({subnet})"));
    assert_eq!(web.config["CidrBlock"], "10.1.1.0/24");
    assert_eq!(web.config["MapPublicIpOnLaunch"], false);
    assert!(web.arn.as_deref().is_some_and(|arn| arn.ends_with(&format!(":subnet/{subnet}"))));
    let public = item(table_slurp, "RouteTableId", &table);
    assert_eq!(public.name, format!("public ({table})"));
    let routes = public.config["Routes"].as_array().expect("routes");
    assert!(
        routes.iter().any(|r| r["DestinationCidrBlock"] == "0.0.0.0/0" && r["GatewayId"] == gateway.as_str()),
        "{routes:?}"
    );
    assert_eq!(public.config["Associations"][0]["SubnetId"], subnet.as_str());
    let strict = item(acl_slurp, "NetworkAclId", &acl);
    assert_eq!(strict.name, format!("strict ({acl})"));
    let entry =
        strict.config["Entries"].as_array().and_then(|e| e.iter().find(|e| e["RuleNumber"] == 100)).expect("rule 100");
    assert_eq!((entry["RuleAction"].as_str(), entry["PortRange"]["From"].as_i64()), (Some("allow"), Some(443)));
    let logs = item(flow_slurp, "FlowLogId", &flow_log);
    assert_eq!(logs.name, format!("vpc-logs ({flow_log})"));
    assert_eq!(logs.config["ResourceId"], vpc.as_str());
    assert_eq!(logs.config["TrafficType"], "ALL");
    let front = item(address_slurp, "PublicIp", &public_ip);
    assert_eq!(front.name, format!("front ({public_ip})"));
    assert_eq!(front.config["AllocationId"], allocation.as_str());
    assert_eq!(front.config["InstanceId"], serde_json::Value::Null);
    let deploy = item(key_slurp, "KeyName", "deploy");
    assert_eq!(
        deploy.arn.as_deref(),
        Some(format!("arn:aws:ec2:us-east-1:{}:key-pair/deploy", account.number.as_str()).as_str())
    );
    assert!(deploy.config["KeyFingerprint"].is_string());
    let names = |slurp: &Slurp, key: &str, value: &str| item(slurp, key, value).name.clone();
    let (prod, web, public, strict, logs, front) = (
        names(vpc_slurp, "VpcId", &vpc),
        names(subnet_slurp, "SubnetId", &subnet),
        names(table_slurp, "RouteTableId", &table),
        names(acl_slurp, "NetworkAclId", &acl),
        names(flow_slurp, "FlowLogId", &flow_log),
        names(address_slurp, "PublicIp", &public_ip),
    );

    for watcher in all {
        unchanged(&*store, watcher, &account, 2).await;
    }

    // One change per technology.
    client
        .modify_vpc_attribute()
        .vpc_id(&vpc)
        .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .expect("dns hostnames");
    client
        .modify_subnet_attribute()
        .subnet_id(&subnet)
        .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .expect("public ips");
    client
        .create_route()
        .route_table_id(&table)
        .destination_cidr_block("192.168.0.0/16")
        .gateway_id(&gateway)
        .send()
        .await
        .expect("route");
    allow(90, 22).await.expect("ssh from anywhere");
    let group = client.create_security_group().group_name("front").description("f").send().await.expect("group");
    let instance = launch(&client, "front", group.group_id().expect("group id"), None).await;
    client.associate_address().allocation_id(&allocation).instance_id(&instance).send().await.expect("associate");
    client.delete_key_pair().key_name("ci").send().await.expect("delete key");

    let expectations = [
        vec![(prod.clone(), ChangeKind::Changed)],
        vec![(web, ChangeKind::Changed)],
        vec![(public, ChangeKind::Changed)],
        vec![(strict, ChangeKind::Changed)],
        vec![],
        vec![(front, ChangeKind::Changed)],
        vec![("ci".to_owned(), ChangeKind::Deleted)],
    ];
    let mut third = Vec::new();
    for (watcher, expected) in all.into_iter().zip(expectations) {
        let (slurp, changes) = run(&*store, watcher, &account, 3).await;
        let (ephemeral, durable): (Vec<_>, Vec<_>) =
            changes.into_iter().partition(|(_, k)| *k == ChangeKind::Ephemeral);
        assert_eq!(durable, expected, "{}", watcher.technology());
        if watcher.technology().as_str() == "subnet" {
            // The new instance took an address in a default subnet: AvailableIpAddressCount
            // moved, an ephemeral change that makes no alert.
            assert_eq!(ephemeral.len(), 1, "{ephemeral:?}");
        } else {
            assert!(ephemeral.is_empty(), "{}: {ephemeral:?}", watcher.technology());
        }
        third.push(slurp);
    }
    assert_eq!(item(&third[0], "VpcId", &vpc).config["EnableDnsHostnames"], true);
    assert_eq!(item(&third[1], "SubnetId", &subnet).config["MapPublicIpOnLaunch"], true);
    assert_eq!(item(&third[5], "PublicIp", &public_ip).config["InstanceId"], instance.as_str());

    // Deleting the flow log is seen by the flow-log watcher and on the VPC it covered.
    client.delete_flow_logs().flow_log_ids(&flow_log).send().await.expect("delete flow log");
    let (_, changes) = run(&*store, &flow_logs, &account, 4).await;
    assert_eq!(changes, vec![(logs, ChangeKind::Deleted)]);
    let (slurp, changes) = run(&*store, &vpcs, &account, 4).await;
    assert_eq!(changes, vec![(prod, ChangeKind::Changed)]);
    assert_eq!(item(&slurp, "VpcId", &vpc).config["FlowLogs"], json!([]));
}

#[tokio::test]
async fn ebs_encryption_by_default_is_one_item_per_region() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let watcher = EbsEncryptionWatcher::new(Arc::clone(&session));
    let names = |slurp: &Slurp| slurp.items.iter().map(|i| (i.region.clone(), i.name.clone())).collect::<Vec<_>>();
    let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
    let name = EbsEncryption::ITEM_NAME.to_owned();
    assert_eq!(names(&slurp), vec![("eu-west-1".to_owned(), name.clone()), ("us-east-1".to_owned(), name.clone())]);
    assert!(slurp.items.iter().all(|i| i.config["EbsEncryptionByDefault"] == false && i.arn.is_none()));
    // moto has no GetEbsDefaultKmsKeyId: each item says so in an item-scoped failure (the
    // shaping of a full answer is tested on a recorded one in the module).
    assert_eq!(slurp.failures.len(), 2, "{:?}", slurp.failures);
    assert!(slurp.failures.iter().all(|f| matches!(&f.scope, FailureScope::Item { name: n, .. } if *n == name)
        && f.message.contains("GetEbsDefaultKmsKeyId")));

    ec2(&session, &account, "eu-west-1").await.enable_ebs_encryption_by_default().send().await.expect("enable");
    let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
    let by_region = |region: &str| &slurp.items.iter().find(|i| i.region == region).expect("item").config;
    assert_eq!(by_region("eu-west-1")["EbsEncryptionByDefault"], true);
    assert_eq!(by_region("us-east-1")["EbsEncryptionByDefault"], false);
}

/// A watcher over the working session and one over a session whose eu-west-1 is unreachable.
fn pair<C: Collector>(good: &Arc<AwsSession>, broken: &Arc<AwsSession>) -> (Box<dyn Watcher>, Box<dyn Watcher>) {
    (Box::new(Ec2Watcher::<C>::new(Arc::clone(good))), Box::new(Ec2Watcher::<C>::new(Arc::clone(broken))))
}

#[tokio::test]
async fn a_failed_region_protects_the_items_of_every_technology() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let mut broken = settings();
    broken.region_endpoints.insert("eu-west-1".into(), "http://127.0.0.1:9".into());
    let broken = Arc::new(AwsSession::new(broken).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "eu-west-1").await;
    let group = client.create_security_group().group_name("app").description("a").send().await.expect("group");
    let instance = launch(&client, "app", group.group_id().expect("group id"), None).await;
    let volume = client.create_volume().availability_zone("eu-west-1a").size(8).send().await.expect("volume");
    client.create_snapshot().volume_id(volume.volume_id().expect("volume id")).send().await.expect("snapshot");
    client.create_image().instance_id(&instance).name("app-image").send().await.expect("image");
    let address = client.allocate_address().domain(DomainType::Vpc).send().await.expect("address");
    client
        .associate_address()
        .allocation_id(address.allocation_id().expect("allocation"))
        .instance_id(&instance)
        .send()
        .await
        .expect("associate");
    client.create_key_pair().key_name("app").send().await.expect("key pair");
    let default_vpc = client
        .describe_vpcs()
        .filters(Filter::builder().name("is-default").values("true").build())
        .send()
        .await
        .expect("vpcs");
    let default_vpc = default_vpc.vpcs().first().and_then(|v| v.vpc_id()).expect("default vpc").to_owned();
    client
        .create_flow_logs()
        .resource_ids(&default_vpc)
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::Reject)
        .log_group_name("rejects")
        .deliver_logs_permission_arn(format!("arn:aws:iam::{}:role/flow-logs", account.number.as_str()))
        .send()
        .await
        .expect("flow log");

    let (_dir, store) = common::store();
    let watchers = [
        pair::<SecurityGroups>(&session, &broken),
        pair::<Instances>(&session, &broken),
        pair::<Volumes>(&session, &broken),
        pair::<Snapshots>(&session, &broken),
        pair::<Images>(&session, &broken),
        pair::<Vpcs>(&session, &broken),
        pair::<Subnets>(&session, &broken),
        pair::<RouteTables>(&session, &broken),
        pair::<NetworkAcls>(&session, &broken),
        pair::<FlowLogs>(&session, &broken),
        pair::<ElasticIps>(&session, &broken),
        pair::<KeyPairs>(&session, &broken),
        pair::<EbsEncryption>(&session, &broken),
    ];
    for (watcher, broken_watcher) in &watchers {
        let technology = watcher.technology().clone();
        let (slurp, _) = run(&*store, watcher.as_ref(), &account, 1).await;
        let stored = store.items_of(&account.number, &technology).await.expect("items");
        // ebsencryption's items are themselves protected (moto lacks GetEbsDefaultKmsKeyId).
        if technology.as_str() != "ebsencryption" {
            assert!(
                stored.iter().any(|i| i.key.region == "eu-west-1" && i.active),
                "{technology}: something in eu-west-1"
            );
        }
        assert!(slurp.items.iter().any(|i| i.region == "eu-west-1"), "{technology}: collected in eu-west-1");

        let (slurp, changes) = run(&*store, broken_watcher.as_ref(), &account, 2).await;
        assert!(changes.is_empty(), "{technology}: {changes:?}");
        assert!(slurp.items.iter().all(|i| i.region == "us-east-1"), "{technology}");
        let regions: Vec<_> = slurp.failures.iter().filter(|f| !matches!(f.scope, FailureScope::Item { .. })).collect();
        assert_eq!(regions.len(), 1, "{technology}: {:?}", slurp.failures);
        assert_eq!(regions[0].scope, FailureScope::Region { region: "eu-west-1".into() }, "{technology}");
        assert!(regions[0].message.contains("in eu-west-1 failed"), "{technology}: {}", regions[0].message);
        let still = store.items_of(&account.number, &technology).await.expect("items");
        assert_eq!(still, stored, "{technology}: nothing deleted or changed");
    }
}

/// Wall and CPU time of slurping 1,000 security groups from moto; prints, never asserts timing.
/// Run with `cargo test -p monkey-watchers --test moto_ec2 -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a check: creates 1,000 groups in moto"]
async fn slurp_1000_security_groups() {
    const GROUPS: usize = 1000;
    let one_region = monkey_watchers::aws::AwsSettings { regions: Some(vec!["us-east-1".into()]), ..settings() };
    let session = Arc::new(AwsSession::new(one_region).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "us-east-1").await;
    let created = std::time::Instant::now();
    // One at a time: moto's server answers 500 to concurrent creations in one account.
    for n in 0..GROUPS {
        client
            .create_security_group()
            .group_name(format!("bulk-{n:04}"))
            .description("bulk")
            .send()
            .await
            .expect("create group");
    }
    println!("created {GROUPS} groups in {:.1} s", created.elapsed().as_secs_f64());

    let watcher = monkey_watchers::ec2::SecurityGroupWatcher::new(Arc::clone(&session));
    for attempt in 1..=3 {
        let (cpu, wall) = (common::cpu_time().map(|d| d.as_secs_f64()), std::time::Instant::now());
        let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
        let wall = wall.elapsed().as_secs_f64();
        let cpu = common::cpu_time().map(|d| d.as_secs_f64()).zip(cpu).map(|(after, before)| after - before);
        assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
        assert_eq!(slurp.items.len(), GROUPS + 1, "the bulk groups and the default VPC's group");
        println!(
            "slurp {attempt}: {} security groups, wall {wall:.3} s, process CPU {}",
            slurp.items.len(),
            cpu.map_or("unknown".to_owned(), |cpu| format!("{cpu:.3} s"))
        );
    }
    let (_dir, store) = common::store();
    let (cpu, wall) = (common::cpu_time().map(|d| d.as_secs_f64()), std::time::Instant::now());
    let (_, changes) = run(&*store, &watcher, &account, 1).await;
    let cpu = common::cpu_time().map(|d| d.as_secs_f64()).zip(cpu).map(|(after, before)| after - before);
    println!(
        "slurp + change detection + commit: {} changes, wall {:.3} s, process CPU {}",
        changes.len(),
        wall.elapsed().as_secs_f64(),
        cpu.map_or("unknown".to_owned(), |cpu| format!("{cpu:.3} s"))
    );
}
