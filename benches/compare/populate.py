#!/usr/bin/env python3
"""Populates a moto server with an account of a few thousand resources for the scan comparison.

Usage: populate.py ENDPOINT SCALE   (default moto account 123456789012, region us-east-1, static credentials)

SCALE copies of a mix of risky and safe resources: 2 security groups, 3 S3 buckets (ACLs,
policies, encryption, versioning), an IAM user, role and managed policy, an EC2 instance, a
volume and a snapshot per copy: about 12 x SCALE resources, on top of the small hand-made
estate of testdata/estate/populate.py (run it first for every kind of finding).
"""
import json
import sys

import boto3

ENDPOINT, SCALE = sys.argv[1], int(sys.argv[2])
REGION = "us-east-1"
ACCOUNT = "123456789012"
OTHER = "999988887777"
kw = dict(endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
ec2, s3, iam = boto3.client("ec2", **kw), boto3.client("s3", **kw), boto3.client("iam", **kw)

vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.50.1.0/24")["Subnet"]["SubnetId"]
ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


PORTS = [22, 80, 443, 3306, 3389, 5432, 6379, 9200]
count = 0
for k in range(SCALE):
    # Security groups: one sometimes open to the world, one internal with a group pair.
    port = PORTS[k % len(PORTS)]
    open_cidr = "0.0.0.0/0" if k % 4 == 0 else f"10.{k % 200}.0.0/16"
    g1 = ec2.create_security_group(GroupName=f"bench-web-{k}", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=g1, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": open_cidr}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}])
    g2 = ec2.create_security_group(GroupName=f"bench-app-{k}", Description="app", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=g2, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": g1}]}])
    # Buckets: public by ACL now and then, a policy (sometimes open, sometimes cross-account), hardened ones.
    b1, b2, b3 = f"bench-{k}-logs", f"bench-{k}-data", f"bench-{k}-secure"
    for b in (b1, b2, b3):
        s3.create_bucket(Bucket=b)
    if k % 10 == 0:
        s3.put_bucket_acl(Bucket=b1, ACL="public-read")
    principal = "*" if k % 7 == 0 else {"AWS": f"arn:aws:iam::{OTHER if k % 3 == 0 else ACCOUNT}:root"}
    s3.put_bucket_policy(Bucket=b2, Policy=doc(
        {"Effect": "Allow", "Principal": principal, "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{b2}/*"}))
    s3.put_bucket_versioning(Bucket=b3, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=b3, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/bench"}}]})
    s3.put_public_access_block(Bucket=b3, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_policy(Bucket=b3, Policy=doc(
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{b3}", f"arn:aws:s3:::{b3}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))
    # IAM: a user (keys and inline policies now and then), a role, a managed policy.
    user = f"bench-user-{k}"
    iam.create_user(UserName=user)
    if k % 3 == 0:
        iam.create_access_key(UserName=user)
    if k % 5 == 0:
        iam.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "*" if k % 25 == 0 else "s3:*", "Resource": "*"}))
    trust = {"Service": "ec2.amazonaws.com"} if k % 2 else {"AWS": f"arn:aws:iam::{OTHER if k % 9 == 0 else ACCOUNT}:root"}
    iam.create_role(RoleName=f"bench-role-{k}", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": trust, "Action": "sts:AssumeRole"}))
    arn = iam.create_policy(PolicyName=f"bench-policy-{k}", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"] if k % 6 == 0 else ["s3:GetObject", "s3:ListBucket"],
         "Resource": "*"}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=f"bench-role-{k}", PolicyArn=arn)
    # EC2: an instance, a volume (encrypted half the time), a snapshot.
    ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [g1 if k % 2 else g2],
                                          "AssociatePublicIpAddress": k % 8 == 0}],
                      MetadataOptions={"HttpTokens": "optional" if k % 3 == 0 else "required", "HttpEndpoint": "enabled"})
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=bool(k % 2))["VolumeId"]
    ec2.create_snapshot(VolumeId=volume, Description=f"bench {k}")
    count += 13
print(json.dumps({"scale": SCALE, "resources": count}))
