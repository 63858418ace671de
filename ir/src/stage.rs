//! The OVN 26.03.1 logical pipeline stages: the one place that knows each
//! stage's datapath kind, pipeline, table id and name (`ovn-northd(8)`).

use std::fmt;

/// Which kind of datapath a stage belongs to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DatapathKind {
    Switch,
    Router,
}

/// The two pipelines of a logical datapath.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Pipeline {
    Ingress,
    Egress,
}

impl Pipeline {
    /// The value of `Logical_Flow.pipeline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Pipeline::Ingress => "ingress",
            Pipeline::Egress => "egress",
        }
    }
}

macro_rules! stages {
    ($($variant:ident = ($kind:ident, $pipeline:ident, $table:expr, $name:expr),)*) => {
        /// A logical pipeline stage.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum Stage {
            $($variant,)*
        }

        impl Stage {
            /// Every stage, switch stages first, each pipeline in table order.
            pub const ALL: &'static [Stage] = &[$(Stage::$variant,)*];

            pub fn kind(self) -> DatapathKind {
                match self { $(Stage::$variant => DatapathKind::$kind,)* }
            }
            pub fn pipeline(self) -> Pipeline {
                match self { $(Stage::$variant => Pipeline::$pipeline,)* }
            }
            /// The logical table id (`Logical_Flow.table_id`).
            pub fn table(self) -> u8 {
                match self { $(Stage::$variant => $table,)* }
            }
            /// The stage name as ovn-northd writes it (`external_ids:stage-name`).
            pub fn name(self) -> &'static str {
                match self { $(Stage::$variant => $name,)* }
            }
        }
    };
}

stages! {
    LsInCheckPortSec = (Switch, Ingress, 0, "ls_in_check_port_sec"),
    LsInApplyPortSec = (Switch, Ingress, 1, "ls_in_apply_port_sec"),
    LsInMirror = (Switch, Ingress, 2, "ls_in_mirror"),
    LsInLookupFdb = (Switch, Ingress, 3, "ls_in_lookup_fdb"),
    LsInPutFdb = (Switch, Ingress, 4, "ls_in_put_fdb"),
    LsInPreAcl = (Switch, Ingress, 5, "ls_in_pre_acl"),
    LsInPreLb = (Switch, Ingress, 6, "ls_in_pre_lb"),
    LsInPreStateful = (Switch, Ingress, 7, "ls_in_pre_stateful"),
    LsInAclHint = (Switch, Ingress, 8, "ls_in_acl_hint"),
    LsInAclEval = (Switch, Ingress, 9, "ls_in_acl_eval"),
    LsInAclSample = (Switch, Ingress, 10, "ls_in_acl_sample"),
    LsInAclAction = (Switch, Ingress, 11, "ls_in_acl_action"),
    LsInQos = (Switch, Ingress, 12, "ls_in_qos"),
    LsInCtExtract = (Switch, Ingress, 13, "ls_in_ct_extract"),
    LsInLbAffCheck = (Switch, Ingress, 14, "ls_in_lb_aff_check"),
    LsInLb = (Switch, Ingress, 15, "ls_in_lb"),
    LsInLbAffLearn = (Switch, Ingress, 16, "ls_in_lb_aff_learn"),
    LsInPreHairpin = (Switch, Ingress, 17, "ls_in_pre_hairpin"),
    LsInNatHairpin = (Switch, Ingress, 18, "ls_in_nat_hairpin"),
    LsInHairpin = (Switch, Ingress, 19, "ls_in_hairpin"),
    LsInAclAfterLbEval = (Switch, Ingress, 20, "ls_in_acl_after_lb_eval"),
    LsInAclAfterLbSample = (Switch, Ingress, 21, "ls_in_acl_after_lb_sample"),
    LsInAclAfterLbAction = (Switch, Ingress, 22, "ls_in_acl_after_lb_action"),
    LsInPreNetworkFunction = (Switch, Ingress, 23, "ls_in_pre_network_function"),
    LsInStateful = (Switch, Ingress, 24, "ls_in_stateful"),
    LsInNetworkFunction = (Switch, Ingress, 25, "ls_in_network_function"),
    LsInArpRsp = (Switch, Ingress, 26, "ls_in_arp_rsp"),
    LsInDhcpOptions = (Switch, Ingress, 27, "ls_in_dhcp_options"),
    LsInDhcpResponse = (Switch, Ingress, 28, "ls_in_dhcp_response"),
    LsInDnsLookup = (Switch, Ingress, 29, "ls_in_dns_lookup"),
    LsInDnsResponse = (Switch, Ingress, 30, "ls_in_dns_response"),
    LsInExternalPort = (Switch, Ingress, 31, "ls_in_external_port"),
    LsInL2Lkup = (Switch, Ingress, 32, "ls_in_l2_lkup"),
    LsInL2Unknown = (Switch, Ingress, 33, "ls_in_l2_unknown"),
    LsOutLookupFdb = (Switch, Egress, 0, "ls_out_lookup_fdb"),
    LsOutPutFdb = (Switch, Egress, 1, "ls_out_put_fdb"),
    LsOutPreAcl = (Switch, Egress, 2, "ls_out_pre_acl"),
    LsOutPreLb = (Switch, Egress, 3, "ls_out_pre_lb"),
    LsOutPreStateful = (Switch, Egress, 4, "ls_out_pre_stateful"),
    LsOutAclHint = (Switch, Egress, 5, "ls_out_acl_hint"),
    LsOutAclEval = (Switch, Egress, 6, "ls_out_acl_eval"),
    LsOutAclSample = (Switch, Egress, 7, "ls_out_acl_sample"),
    LsOutAclAction = (Switch, Egress, 8, "ls_out_acl_action"),
    LsOutMirror = (Switch, Egress, 9, "ls_out_mirror"),
    LsOutQos = (Switch, Egress, 10, "ls_out_qos"),
    LsOutPreNetworkFunction = (Switch, Egress, 11, "ls_out_pre_network_function"),
    LsOutStateful = (Switch, Egress, 12, "ls_out_stateful"),
    LsOutNetworkFunction = (Switch, Egress, 13, "ls_out_network_function"),
    LsOutCheckPortSec = (Switch, Egress, 14, "ls_out_check_port_sec"),
    LsOutApplyPortSec = (Switch, Egress, 15, "ls_out_apply_port_sec"),
    LrInAdmission = (Router, Ingress, 0, "lr_in_admission"),
    LrInLookupNeighbor = (Router, Ingress, 1, "lr_in_lookup_neighbor"),
    LrInLearnNeighbor = (Router, Ingress, 2, "lr_in_learn_neighbor"),
    LrInIpInput = (Router, Ingress, 3, "lr_in_ip_input"),
    LrInDhcpRelayReq = (Router, Ingress, 4, "lr_in_dhcp_relay_req"),
    LrInUnsnat = (Router, Ingress, 5, "lr_in_unsnat"),
    LrInPostUnsnat = (Router, Ingress, 6, "lr_in_post_unsnat"),
    LrInDefrag = (Router, Ingress, 7, "lr_in_defrag"),
    LrInCtExtract = (Router, Ingress, 8, "lr_in_ct_extract"),
    LrInLbAffCheck = (Router, Ingress, 9, "lr_in_lb_aff_check"),
    LrInDnat = (Router, Ingress, 10, "lr_in_dnat"),
    LrInLbAffLearn = (Router, Ingress, 11, "lr_in_lb_aff_learn"),
    LrInEcmpStateful = (Router, Ingress, 12, "lr_in_ecmp_stateful"),
    LrInNdRaOptions = (Router, Ingress, 13, "lr_in_nd_ra_options"),
    LrInNdRaResponse = (Router, Ingress, 14, "lr_in_nd_ra_response"),
    LrInIpRoutingPre = (Router, Ingress, 15, "lr_in_ip_routing_pre"),
    LrInIpRouting = (Router, Ingress, 16, "lr_in_ip_routing"),
    LrInIpRoutingEcmp = (Router, Ingress, 17, "lr_in_ip_routing_ecmp"),
    LrInPolicy = (Router, Ingress, 18, "lr_in_policy"),
    LrInPolicyEcmp = (Router, Ingress, 19, "lr_in_policy_ecmp"),
    LrInDhcpRelayRespChk = (Router, Ingress, 20, "lr_in_dhcp_relay_resp_chk"),
    LrInDhcpRelayResp = (Router, Ingress, 21, "lr_in_dhcp_relay_resp"),
    LrInArpResolve = (Router, Ingress, 22, "lr_in_arp_resolve"),
    LrInChkPktLen = (Router, Ingress, 23, "lr_in_chk_pkt_len"),
    LrInLargerPkts = (Router, Ingress, 24, "lr_in_larger_pkts"),
    LrInGwRedirect = (Router, Ingress, 25, "lr_in_gw_redirect"),
    LrInNetworkId = (Router, Ingress, 26, "lr_in_network_id"),
    LrInArpRequest = (Router, Ingress, 27, "lr_in_arp_request"),
    LrInEcmpStatefulEgr = (Router, Ingress, 28, "lr_in_ecmp_stateful_egr"),
    LrOutChkDnatLocal = (Router, Egress, 0, "lr_out_chk_dnat_local"),
    LrOutUndnat = (Router, Egress, 1, "lr_out_undnat"),
    LrOutPostUndnat = (Router, Egress, 2, "lr_out_post_undnat"),
    LrOutSnat = (Router, Egress, 3, "lr_out_snat"),
    LrOutPostSnat = (Router, Egress, 4, "lr_out_post_snat"),
    LrOutEgrLoop = (Router, Egress, 5, "lr_out_egr_loop"),
    LrOutDelivery = (Router, Egress, 6, "lr_out_delivery"),
}

impl Stage {
    /// Looks a stage up by kind, pipeline and table id.
    pub fn find(kind: DatapathKind, pipeline: Pipeline, table: u8) -> Option<Stage> {
        Stage::ALL
            .iter()
            .copied()
            .find(|s| s.kind() == kind && s.pipeline() == pipeline && s.table() == table)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_ids_are_dense_and_unique_per_pipeline() {
        for kind in [DatapathKind::Switch, DatapathKind::Router] {
            for pipeline in [Pipeline::Ingress, Pipeline::Egress] {
                let tables: Vec<u8> = Stage::ALL
                    .iter()
                    .filter(|s| s.kind() == kind && s.pipeline() == pipeline)
                    .map(|s| s.table())
                    .collect();
                let expect: Vec<u8> = (0..tables.len() as u8).collect();
                assert_eq!(tables, expect, "{kind:?} {pipeline:?}");
            }
        }
        assert_eq!(
            Stage::find(DatapathKind::Switch, Pipeline::Ingress, 32),
            Some(Stage::LsInL2Lkup)
        );
    }
}
