# options:ct-commit-all: a gateway router with SNAT (every connection committed to both zones), one whose only rule is stateless (nothing to commit), one with only lb_force_snat_ip=router_ip (forced SNAT counts), a router with a distributed gateway port and a dnat_and_snat rule (per gateway port), and a router without NAT (only its NAT zones' tracking changes). lr0's gateway port peers a switch without a localnet port (its own chassis-redirect port): NAT addresses are answered through it.
$NBCTL ls-add ext0 -- ls-add inside
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=chassis-1 options:ct-commit-all=true
$NBCTL lrp-add gr0 gr0-ext 00:00:00:00:ff:01 172.16.0.1/24
$NBCTL lrp-add gr0 gr0-in 00:00:00:00:ff:02 10.0.0.1/24
$NBCTL lsp-add ext0 ext0-gr0 -- lsp-set-type ext0-gr0 router -- lsp-set-addresses ext0-gr0 router -- lsp-set-options ext0-gr0 router-port=gr0-ext
$NBCTL lsp-add inside in-gr0 -- lsp-set-type in-gr0 router -- lsp-set-addresses in-gr0 router -- lsp-set-options in-gr0 router-port=gr0-in
$NBCTL lr-nat-add gr0 snat 172.16.0.1 10.0.0.0/24
$NBCTL lr-add gr1 -- set Logical_Router gr1 options:chassis=chassis-1 options:ct-commit-all=true
$NBCTL lrp-add gr1 gr1-ext 00:00:00:00:ff:11 172.16.1.1/24
$NBCTL --stateless lr-nat-add gr1 dnat_and_snat 172.16.1.10 10.1.0.10
$NBCTL lr-add gr2 -- set Logical_Router gr2 options:chassis=chassis-1 options:ct-commit-all=true options:lb_force_snat_ip=router_ip
$NBCTL lrp-add gr2 gr2-ext 00:00:00:00:ff:21 172.16.2.1/24
$NBCTL lr-add lr0 -- set Logical_Router lr0 options:ct-commit-all=true
$NBCTL ls-add ext1 -- ls-add inside1
$NBCTL lrp-add lr0 lr0-ext 00:00:00:00:ff:31 172.16.3.1/24
$NBCTL lrp-add lr0 lr0-in 00:00:00:00:ff:32 10.3.0.1/24
$NBCTL lrp-set-gateway-chassis lr0-ext chassis-1 20
$NBCTL lsp-add ext1 ext1-lr0 -- lsp-set-type ext1-lr0 router -- lsp-set-addresses ext1-lr0 router -- lsp-set-options ext1-lr0 router-port=lr0-ext
$NBCTL lsp-add inside1 in1-lr0 -- lsp-set-type in1-lr0 router -- lsp-set-addresses in1-lr0 router -- lsp-set-options in1-lr0 router-port=lr0-in
$NBCTL lsp-add inside1 vm1 -- lsp-set-addresses vm1 "0a:00:00:00:00:02 10.3.0.2"
$NBCTL lr-nat-add lr0 dnat_and_snat 172.16.3.10 10.3.0.2
$NBCTL lr-add lr1 -- set Logical_Router lr1 options:ct-commit-all=true
$NBCTL lrp-add lr1 lr1-p0 00:00:00:00:ff:41 10.4.0.1/24
