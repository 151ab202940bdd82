#!/usr/bin/env python3
"""Builds a small AWS estate on a moto server: risky and safe resources of every technology monkey watches.

Usage: populate.py ENDPOINT ACCOUNT_NUMBER [REGION]   (on a fresh moto: bucket names are global)

The estate lives in its own moto account (reached by AssumeRole into ACCOUNT_NUMBER), so it never mixes
with other tests. `monkey record` then writes it as a replay recording: testdata/estate/recording/ is one,
read by the auditor tests and `monkey audit --input`.
"""

import json
import subprocess
import sys
import tempfile

import boto3

ENDPOINT, ACCOUNT = sys.argv[1], sys.argv[2]
REGION = sys.argv[3] if len(sys.argv) > 3 else "us-east-1"
UNKNOWN_ACCOUNT = "999988887777"
FRIENDLY_ACCOUNT = "222233334444"


def session():
    sts = boto3.client("sts", endpoint_url=ENDPOINT, region_name=REGION,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/SecurityMonkey",
                            RoleSessionName="estate")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name=REGION)


S = session()
ec2 = S.client("ec2", endpoint_url=ENDPOINT)
s3 = S.client("s3", endpoint_url=ENDPOINT)
s3control = S.client("s3control", endpoint_url=ENDPOINT)
iam = S.client("iam", endpoint_url=ENDPOINT)


def world(port, proto="tcp"):
    return {"IpProtocol": proto, "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


# --- network -------------------------------------------------------------------------------------------------
vpc = ec2.create_vpc(CidrBlock="10.10.0.0/16")["Vpc"]["VpcId"]
logged_vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
public_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.10.1.0/24")["Subnet"]["SubnetId"]
ec2.modify_subnet_attribute(SubnetId=public_subnet, MapPublicIpOnLaunch={"Value": True})
ec2.create_subnet(VpcId=vpc, CidrBlock="10.10.2.0/24")
open_acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
ec2.create_network_acl_entry(NetworkAclId=open_acl, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=False,
                             CidrBlock="0.0.0.0/0")
ec2.create_network_acl_entry(NetworkAclId=open_acl, RuleNumber=110, Protocol="6", RuleAction="allow", Egress=False,
                             CidrBlock="0.0.0.0/0", PortRange={"From": 22, "To": 22})
peer_vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
peering = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer_vpc)["VpcPeeringConnection"][
    "VpcPeeringConnectionId"]
table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", VpcPeeringConnectionId=peering)
ec2.allocate_address(Domain="vpc")

# --- security groups -----------------------------------------------------------------------------------------
def group(name, ingress=(), egress=None):
    gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    if ingress:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=list(ingress))
    if egress is not None:
        ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        if egress:
            ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=list(egress))
    return gid


web = group("web-https", [world(443), world(80)], egress=[])
ssh_world = group("ssh-world", [world(22), world(3389)])
group("all-open-unattached", [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
group("mysql-world", [world(3306), {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                    "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
group("cross-account", [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                         "UserIdGroupPairs": [{"UserId": ACCOUNT, "GroupId": web}]},
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                         "IpRanges": [{"CidrIp": "203.0.113.0/24"}, {"CidrIp": "10.10.0.0/16"}]}])

# --- instances, volumes, snapshots, images -------------------------------------------------------------------
ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
public_instance = ec2.run_instances(
    ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": public_subnet, "Groups": [ssh_world],
                        "AssociatePublicIpAddress": True}],
    MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
)["Instances"][0]["InstanceId"]
private_instance = ec2.run_instances(
    ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": public_subnet, "Groups": [web],
                        "AssociatePublicIpAddress": False}],
    MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
)["Instances"][0]["InstanceId"]

plain = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True)
public_snapshot = ec2.create_snapshot(VolumeId=plain, Description="public")["SnapshotId"]
ec2.modify_snapshot_attribute(SnapshotId=public_snapshot, Attribute="createVolumePermission",
                              OperationType="add", GroupNames=["all"])
shared_snapshot = ec2.create_snapshot(VolumeId=plain, Description="shared")["SnapshotId"]
ec2.modify_snapshot_attribute(SnapshotId=shared_snapshot, Attribute="createVolumePermission",
                              OperationType="add", UserIds=[UNKNOWN_ACCOUNT, FRIENDLY_ACCOUNT])
public_image = ec2.create_image(InstanceId=private_instance, Name="estate-public")["ImageId"]
ec2.modify_image_attribute(ImageId=public_image, LaunchPermission={"Add": [{"Group": "all"}]})
shared_image = ec2.create_image(InstanceId=private_instance, Name="estate-shared")["ImageId"]
ec2.modify_image_attribute(ImageId=shared_image, LaunchPermission={"Add": [{"UserId": UNKNOWN_ACCOUNT}]})
ec2.create_key_pair(KeyName="estate")

# --- S3 ------------------------------------------------------------------------------------------------------
def bucket(name):
    s3.create_bucket(Bucket=name)
    return name


bucket("estate-public-acl")
s3.put_bucket_acl(Bucket="estate-public-acl", ACL="public-read-write")
bucket("estate-public-policy")
s3.put_bucket_policy(Bucket="estate-public-policy", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
     "Resource": "arn:aws:s3:::estate-public-policy/*"}]}))
bucket("estate-blocked-policy")
s3.put_bucket_policy(Bucket="estate-blocked-policy", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::estate-blocked-policy/*"}]}))
s3.put_public_access_block(Bucket="estate-blocked-policy", PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": True})
bucket("estate-cross-account")
s3.put_bucket_policy(Bucket="estate-cross-account", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{UNKNOWN_ACCOUNT}:root", FRIENDLY_ACCOUNT]},
     "Action": "s3:*", "Resource": ["arn:aws:s3:::estate-cross-account", "arn:aws:s3:::estate-cross-account/*"]},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::estate-cross-account/*",
     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}}]}))
bucket("estate-flow-logs")
s3.put_bucket_acl(Bucket="estate-flow-logs", ACL="log-delivery-write")
bucket("estate-hardened")
s3.put_bucket_versioning(Bucket="estate-hardened", VersioningConfiguration={"Status": "Enabled"})
s3.put_bucket_encryption(Bucket="estate-hardened", ServerSideEncryptionConfiguration={"Rules": [
    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/estate"}}]})
s3.put_bucket_logging(Bucket="estate-hardened", BucketLoggingStatus={"LoggingEnabled": {
    "TargetBucket": "estate-flow-logs", "TargetPrefix": "hardened/"}})
s3.put_public_access_block(Bucket="estate-hardened", PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
s3.put_bucket_ownership_controls(Bucket="estate-hardened", OwnershipControls={"Rules": [
    {"ObjectOwnership": "BucketOwnerEnforced"}]})
s3.put_bucket_lifecycle_configuration(Bucket="estate-hardened", LifecycleConfiguration={"Rules": [
    {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 365}}]})
s3.put_bucket_policy(Bucket="estate-hardened", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::estate-hardened", "arn:aws:s3:::estate-hardened/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))

flow = ec2.create_flow_logs(ResourceIds=[logged_vpc], ResourceType="VPC", TrafficType="ALL",
                            LogDestinationType="s3", LogDestination="arn:aws:s3:::estate-flow-logs")
assert not flow["Unsuccessful"], flow

# --- IAM -----------------------------------------------------------------------------------------------------
def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ADMIN = {"Effect": "Allow", "Action": "*", "Resource": "*"}
iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=False, RequireNumbers=True,
                                   RequireUppercaseCharacters=False, RequireLowercaseCharacters=True,
                                   AllowUsersToChangePassword=True)
iam.create_user(UserName="alice-console")
iam.create_login_profile(UserName="alice-console", Password="Passw0rd!Passw0rd")
iam.create_access_key(UserName="alice-console")
iam.create_access_key(UserName="alice-console")
iam.put_user_policy(UserName="alice-console", PolicyName="admin", PolicyDocument=doc(ADMIN))
iam.create_user(UserName="bob-ci")
iam.create_access_key(UserName="bob-ci")
iam.put_user_policy(UserName="bob-ci", PolicyName="deploy", PolicyDocument=doc(
    {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["ec2:AuthorizeSecurityGroupIngress"], "Resource": "*"}))
iam.create_user(UserName="carol-readonly")

iam.create_group(GroupName="iam-admins")
iam.put_group_policy(GroupName="iam-admins", PolicyName="iam-star", PolicyDocument=doc(
    {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}))
iam.add_user_to_group(GroupName="iam-admins", UserName="carol-readonly")

iam.create_policy(PolicyName="not-action", PolicyDocument=doc(
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}))
escalate = iam.create_policy(PolicyName="escalate", PolicyDocument=doc(
    {"Effect": "Allow", "Action": ["iam:PutRolePolicy", "iam:AttachUserPolicy", "sts:AssumeRole", "kms:*"],
     "Resource": "*"}))["Policy"]["Arn"]
iam.create_policy(PolicyName="read-only-logs", PolicyDocument=doc(
    {"Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*"], "Resource": "*"}))
iam.attach_user_policy(UserName="bob-ci", PolicyArn=escalate)

iam.create_role(RoleName="open-trust", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}))
iam.create_role(RoleName="unknown-trust", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{UNKNOWN_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}))
iam.create_role(RoleName="vendor-trust", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{FRIENDLY_ACCOUNT}:role/deployer"},
     "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "estate-external-id"}}}))
iam.create_role(RoleName="ec2-app", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
iam.put_role_policy(RoleName="ec2-app", PolicyName="app", PolicyDocument=doc(
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::estate-hardened/*"}))
iam.create_role(RoleName="admin-role", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}))
admin = iam.create_policy(PolicyName="administrator", PolicyDocument=doc(ADMIN))["Policy"]["Arn"]
iam.attach_role_policy(RoleName="admin-role", PolicyArn=admin)

with tempfile.TemporaryDirectory() as tmp:
    def certificate(name, days, bits, digest):
        key, cert = f"{tmp}/{name}.key", f"{tmp}/{name}.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", f"rsa:{bits}", "-nodes", "-keyout", key, "-out", cert,
                        "-days", str(days), f"-{digest}", "-subj", f"/CN={name}.example.com/O=Estate"],
                       check=True, capture_output=True)
        iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=open(cert).read(),
                                      PrivateKey=open(key).read())

    certificate("weak-soon", 20, 1024, "sha1")
    certificate("strong", 365, 2048, "sha256")

iam.create_saml_provider(Name="estate-idp", SAMLMetadataDocument=(
    "<EntityDescriptor xmlns='urn:oasis:names:tc:SAML:2.0:metadata' entityID='https://idp.example.com'>"
    + "<!-- estate identity provider -->" * 40 + "</EntityDescriptor>"))
print(json.dumps({"account": ACCOUNT, "region": REGION, "vpc": vpc, "instances": [public_instance, private_instance]}))
