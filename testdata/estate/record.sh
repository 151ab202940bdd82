#!/usr/bin/env bash
# Rebuilds testdata/estate/recording: a fresh moto, the estate of populate.py, `monkey record`.
# Usage: testdata/estate/record.sh   (from anywhere; needs python3 with moto[server] and boto3, and openssl)
set -euo pipefail
cd "$(dirname "$0")/../.."
account=111122223333
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_port="$(port)"; proxy_port="$(port)"; work="$(mktemp -d)"
python3 -m moto.server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 & moto=$!
python3 testdata/estate/s3_root_proxy.py "$proxy_port" "http://127.0.0.1:$moto_port" & proxy=$!
trap 'kill $moto $proxy 2>/dev/null; rm -rf "$work"' EXIT
sleep 3
python3 testdata/estate/populate.py "http://127.0.0.1:$moto_port" "$account"
cargo build -q -p monkey
export MONKEY_AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port" MONKEY_AWS_REGIONS=us-east-1 \
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
monkey=(target/debug/monkey --data-dir "$work/data")
"${monkey[@]}" add-account-aws --number "$account" --name estate
rm -rf testdata/estate/recording
# moto has no GetEbsDefaultKmsKeyId: that one failure is kept in the recording.
"${monkey[@]}" record -a estate -o testdata/estate/recording -m all || true
