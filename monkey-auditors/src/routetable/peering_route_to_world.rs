//! `routetable-peering-route-to-world`: a default route (`0.0.0.0/0` or `::/0`) through a VPC
//! peering connection.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// A route table sends all traffic to a VPC peering connection.
    pub static ROUTETABLE_PEERING_ROUTE_TO_WORLD = Check {
        id: "routetable-peering-route-to-world",
        technology: "routetable",
        title: "RouteTablePeeringRouteToWorld",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A route whose target is a VPC peering connection (`VpcPeeringConnectionId`) and whose destination is \
`0.0.0.0/0` or `::/0`, one issue per route. A table with a recorded, empty `Associations` list (no subnet uses it \
and it is not the main table) keeps its issues with weight 0. Routes to the peer's whole VPC are not reported: \
the peer VPC's ranges are not recorded with the route.\n\n\
## Why it matters\n\
Peering should carry only the traffic meant for the peer's networks. A default route through it hands every \
packet without a more specific route to the other VPC, and everything the peer can route back reaches this \
one; least-privilege peering routes name the peer's subnets.\n\n\
## Example\n\
`{\"Routes\": [{\"DestinationCidrBlock\": \"0.0.0.0/0\", \"VpcPeeringConnectionId\": \"pcx-1\"}]}` gives \
`Route: [0.0.0.0/0] Target: [pcx-1]`.\n\n\
## How to fix\n\
Replace the route with routes to the peer subnets the workload needs.\n\n\
## References\n\
- Prowler `vpc_peering_routing_tables_with_least_privilege`; ScoutSuite `vpc-routing-tables-with-peering`.\n\
- https://docs.aws.amazon.com/vpc/latest/peering/peering-configurations-partial-access.html\n\
- https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html\n",
    };
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Flags every default route through a peering connection.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let unused = config.get("Associations").and_then(Value::as_array).is_some_and(Vec::is_empty);
    let mut findings: Vec<Finding> = Vec::new();
    for route in config.get("Routes").and_then(Value::as_array).into_iter().flatten() {
        let Some(peering) = text(route, "VpcPeeringConnectionId") else { continue };
        for key in ["DestinationCidrBlock", "DestinationIpv6CidrBlock"] {
            let Some(destination) = text(route, key).filter(|d| d.trim_end().ends_with("/0")) else { continue };
            let notes = format!("Route: [{destination}] Target: [{peering}]");
            if findings.iter().any(|f| f.notes == notes) {
                continue;
            }
            let message = format!("All traffic to {destination} is routed to the peering connection {peering}");
            let finding = Finding::new(&ROUTETABLE_PEERING_ROUTE_TO_WORLD, message, notes);
            findings.push(finding.with_weight(u32::from(!unused)));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &ROUTETABLE_PEERING_ROUTE_TO_WORLD,
            &[
                json!({"Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "VpcPeeringConnectionId": "pcx-1"}]}),
                json!({"Routes": [{"DestinationIpv6CidrBlock": "::/0", "VpcPeeringConnectionId": "pcx-1"}], "Associations": []}),
            ],
            &[
                json!({}),
                json!({"Routes": [{"DestinationCidrBlock": "10.30.0.0/16", "VpcPeeringConnectionId": "pcx-1"}]}),
                json!({"Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "VpcPeeringConnectionId": null}]}),
                json!({"Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "VpcPeeringConnectionId": ""}]}),
                json!({"Routes": "0.0.0.0/0"}),
            ],
        );
    }

    #[test]
    fn tables_no_subnet_uses_weigh_nothing() {
        let route = json!([{"DestinationCidrBlock": "0.0.0.0/0", "VpcPeeringConnectionId": "pcx-1"}]);
        let score = |associations| {
            testing::issues(&ROUTETABLE_PEERING_ROUTE_TO_WORLD, json!({"Routes": route, "Associations": associations}))
                [0]
            .score
        };
        assert_eq!(score(json!([])), 0);
        assert_eq!(score(json!([{"Main": true}])), 3);
        assert_eq!(score(json!(null)), 3);
    }
}
