# NAT on routers with distributed gateway ports. lr0 (one gateway port): SNAT to the port's own address, centralized dnat_and_snat and dnat, a distributed dnat_and_snat (logical_port + external_mac), a stateless one, an IPv6 SNAT, exempted external addresses. lr1 (two gateway ports): rules placed by external address, by gateway_port, and one that fits neither (skipped).
$NBCTL ls-add ext0 -- ls-add inside -- ls-add ext1a -- ls-add ext1b -- ls-add inside1
$NBCTL lsp-add ext0 ln-ext0 -- lsp-set-type ln-ext0 localnet -- lsp-set-addresses ln-ext0 unknown -- lsp-set-options ln-ext0 network_name=physnet
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp-ext 00:00:00:00:ff:01 172.16.0.1/24 fd16::1/64
$NBCTL lrp-add lr0 lrp-in 00:00:00:00:ff:02 10.0.0.1/24 fd10::1/64
$NBCTL lrp-set-gateway-chassis lrp-ext chassis-1 20
$NBCTL lsp-add ext0 ext0-lr0 -- lsp-set-type ext0-lr0 router -- lsp-set-addresses ext0-lr0 router -- lsp-set-options ext0-lr0 router-port=lrp-ext
$NBCTL lsp-add inside in-lr0 -- lsp-set-type in-lr0 router -- lsp-set-addresses in-lr0 router -- lsp-set-options in-lr0 router-port=lrp-in
$NBCTL lsp-add inside vm1 -- lsp-set-addresses vm1 "0a:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add inside vm2 -- lsp-set-addresses vm2 "0a:00:00:00:00:03 10.0.0.3"
$NBCTL lr-route-add lr0 0.0.0.0/0 172.16.0.254
$NBCTL lr-nat-add lr0 snat 172.16.0.1 10.0.0.0/24
$NBCTL lr-nat-add lr0 dnat_and_snat 172.16.0.10 10.0.0.2
$NBCTL lr-nat-add lr0 dnat_and_snat 172.16.0.11 10.0.0.3 vm2 0a:00:00:00:aa:03
$NBCTL lr-nat-add lr0 dnat 172.16.0.12 10.0.0.4
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.0.13 logical_ip=10.0.0.5 options:stateless=true -- add Logical_Router lr0 nat @n
$NBCTL lr-nat-add lr0 snat fd16::100 fd10::/64
$NBCTL create Address_Set name=exempt addresses=\"198.51.100.7\"
$NBCTL -- --id=@n create NAT type=snat external_ip=172.16.0.14 logical_ip=10.0.0.128/25 exempted_ext_ips=$($NBCTL --bare --columns=_uuid find Address_Set name=exempt) -- add Logical_Router lr0 nat @n
$NBCTL lr-add lr1
$NBCTL lrp-add lr1 lr1-a 00:00:00:00:fe:01 192.0.2.1/24 -- lrp-set-gateway-chassis lr1-a chassis-1 10
$NBCTL lrp-add lr1 lr1-b 00:00:00:00:fe:02 198.51.100.1/24 -- lrp-set-gateway-chassis lr1-b chassis-1 10
$NBCTL lrp-add lr1 lr1-in 00:00:00:00:fe:03 10.1.0.1/24
$NBCTL lsp-add ext1a ext1a-lr1 -- lsp-set-type ext1a-lr1 router -- lsp-set-addresses ext1a-lr1 router -- lsp-set-options ext1a-lr1 router-port=lr1-a
$NBCTL lsp-add ext1b ext1b-lr1 -- lsp-set-type ext1b-lr1 router -- lsp-set-addresses ext1b-lr1 router -- lsp-set-options ext1b-lr1 router-port=lr1-b
$NBCTL lsp-add inside1 in1-lr1 -- lsp-set-type in1-lr1 router -- lsp-set-addresses in1-lr1 router -- lsp-set-options in1-lr1 router-port=lr1-in
$NBCTL lr-nat-add lr1 snat 192.0.2.100 10.1.0.0/24
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=203.0.113.5 logical_ip=10.1.0.5 gateway_port=$($NBCTL --bare --columns=_uuid find Logical_Router_Port name=lr1-b) -- add Logical_Router lr1 nat @n
$NBCTL -- --id=@n create NAT type=dnat external_ip=203.0.113.6 logical_ip=10.1.0.6 -- add Logical_Router lr1 nat @n
