# gateway_mtu with VLANs and distributed NAT: a distributed gateway port (gateway_mtu=1400) on a switch with a VLAN-tagged localnet port (the check counts an 18-byte header), distributed dnat_and_snat rules (IPv4 and IPv6) checked on admission with their own "fragmentation needed" replies (Copp icmp4-error meter), a port on a switch with an untagged localnet (14 bytes), and a gateway router port whose switch has a tag_request=0 localnet (no VLAN).
$NBCTL meter-add icmp-meter drop 10 pktps
$NBCTL --wait=none copp-add copp0 icmp4-error icmp-meter -- copp-add copp0 icmp6-error icmp-meter
$NBCTL ls-add ext0 -- ls-add inside -- ls-add ext1 -- ls-add ext2
$NBCTL lsp-add ext0 ln-ext0 -- lsp-set-type ln-ext0 localnet -- lsp-set-addresses ln-ext0 unknown -- lsp-set-options ln-ext0 network_name=physnet -- set Logical_Switch_Port ln-ext0 tag_request=100
$NBCTL lsp-add ext1 ln-ext1 -- lsp-set-type ln-ext1 localnet -- lsp-set-addresses ln-ext1 unknown -- lsp-set-options ln-ext1 network_name=physnet
$NBCTL lsp-add ext2 ln-ext2 -- lsp-set-type ln-ext2 localnet -- lsp-set-addresses ln-ext2 unknown -- lsp-set-options ln-ext2 network_name=physnet -- set Logical_Switch_Port ln-ext2 tag_request=0
$NBCTL lr-add lr0 -- set Logical_Router lr0 copp=$($NBCTL --bare --columns=_uuid find Copp name=copp0)
$NBCTL lrp-add lr0 lrp-ext 00:00:00:00:ff:01 172.16.0.1/24 fd16::1/64 -- set Logical_Router_Port lrp-ext options:gateway_mtu=1400
$NBCTL lrp-add lr0 lrp-in 00:00:00:00:ff:02 10.0.0.1/24 fd10::1/64
$NBCTL lrp-add lr0 lrp-ext1 00:00:00:00:ff:03 172.17.0.1/24 -- set Logical_Router_Port lrp-ext1 options:gateway_mtu=1300
$NBCTL lrp-set-gateway-chassis lrp-ext chassis-1 20
$NBCTL lsp-add ext0 ext0-lr0 -- lsp-set-type ext0-lr0 router -- lsp-set-addresses ext0-lr0 router -- lsp-set-options ext0-lr0 router-port=lrp-ext
$NBCTL lsp-add inside in-lr0 -- lsp-set-type in-lr0 router -- lsp-set-addresses in-lr0 router -- lsp-set-options in-lr0 router-port=lrp-in
$NBCTL lsp-add ext1 ext1-lr0 -- lsp-set-type ext1-lr0 router -- lsp-set-addresses ext1-lr0 router -- lsp-set-options ext1-lr0 router-port=lrp-ext1
$NBCTL lsp-add inside vm1 -- lsp-set-addresses vm1 "0a:00:00:00:00:02 10.0.0.2 fd10::2"
$NBCTL lr-nat-add lr0 dnat_and_snat 172.16.0.10 10.0.0.2 vm1 0a:00:00:00:aa:02
$NBCTL lr-nat-add lr0 dnat_and_snat fd16::10 fd10::2 vm1 0a:00:00:00:aa:03
$NBCTL lr-nat-add lr0 snat 172.16.0.1 10.0.0.0/24
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=chassis-1
$NBCTL lrp-add gr0 gr0-ext 00:00:00:00:fe:02 172.18.0.2/16 -- set Logical_Router_Port gr0-ext options:gateway_mtu=1500
$NBCTL lsp-add ext2 ext2-gr0 -- lsp-set-type ext2-gr0 router -- lsp-set-addresses ext2-gr0 router -- lsp-set-options ext2-gr0 router-port=gr0-ext
