# reside-on-redirect-chassis: a router with one distributed gateway port and two ports that reside on its chassis, one on a switch bridged to the physical network (its MAC, ARP replies and GARPs only where the gateway is resident) and one on a switch without a localnet port (unchanged); a router with two gateway ports whose residing port is ignored.
$NBCTL ls-add ext0 -- ls-add vlan10 -- ls-add overlay -- ls-add ext1a -- ls-add ext1b -- ls-add vlan20
for s in ext0 vlan10 ext1a ext1b vlan20; do $NBCTL lsp-add $s ln-$s -- lsp-set-type ln-$s localnet -- lsp-set-addresses ln-$s unknown -- lsp-set-options ln-$s network_name=physnet; done
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lr0-ext 00:00:00:00:ff:01 172.16.0.1/24
$NBCTL lrp-add lr0 lr0-vlan10 00:00:00:00:ff:02 10.0.10.1/24 -- set Logical_Router_Port lr0-vlan10 options:reside-on-redirect-chassis=true
$NBCTL lrp-add lr0 lr0-overlay 00:00:00:00:ff:03 10.0.20.1/24 -- set Logical_Router_Port lr0-overlay options:reside-on-redirect-chassis=true
$NBCTL lrp-set-gateway-chassis lr0-ext chassis-1 20
$NBCTL lsp-add ext0 ext0-lr0 -- lsp-set-type ext0-lr0 router -- lsp-set-addresses ext0-lr0 router -- lsp-set-options ext0-lr0 router-port=lr0-ext
$NBCTL lsp-add vlan10 vlan10-lr0 -- lsp-set-type vlan10-lr0 router -- lsp-set-addresses vlan10-lr0 router -- lsp-set-options vlan10-lr0 router-port=lr0-vlan10
$NBCTL lsp-add overlay overlay-lr0 -- lsp-set-type overlay-lr0 router -- lsp-set-addresses overlay-lr0 router -- lsp-set-options overlay-lr0 router-port=lr0-overlay
$NBCTL lsp-add vlan10 vm1 -- lsp-set-addresses vm1 "0a:00:00:00:00:02 10.0.10.2"
$NBCTL lr-nat-add lr0 snat 172.16.0.1 10.0.10.0/24
$NBCTL lr-add lr1
$NBCTL lrp-add lr1 lr1-a 00:00:00:00:ff:11 172.17.0.1/24
$NBCTL lrp-add lr1 lr1-b 00:00:00:00:ff:12 172.18.0.1/24
$NBCTL lrp-add lr1 lr1-vlan20 00:00:00:00:ff:13 10.1.20.1/24 -- set Logical_Router_Port lr1-vlan20 options:reside-on-redirect-chassis=true
$NBCTL lrp-set-gateway-chassis lr1-a chassis-1 20 -- lrp-set-gateway-chassis lr1-b chassis-1 10
$NBCTL lsp-add ext1a ext1a-lr1 -- lsp-set-type ext1a-lr1 router -- lsp-set-addresses ext1a-lr1 router -- lsp-set-options ext1a-lr1 router-port=lr1-a
$NBCTL lsp-add ext1b ext1b-lr1 -- lsp-set-type ext1b-lr1 router -- lsp-set-addresses ext1b-lr1 router -- lsp-set-options ext1b-lr1 router-port=lr1-b
$NBCTL lsp-add vlan20 vlan20-lr1 -- lsp-set-type vlan20-lr1 router -- lsp-set-addresses vlan20-lr1 router -- lsp-set-options vlan20-lr1 router-port=lr1-vlan20
