# NAT on gateway routers. gr0 as ovn-kubernetes builds it (lb_force_snat_ip=router_ip, SNAT of the cluster to the node IP, SNAT of the join IP with a port range, an external switch with a localnet port, a join switch shared with the cluster router); gr1 with dnat_force_snat_ip and lb_force_snat_ip addresses, DNAT, dnat_and_snat (stateful and stateless), a rule with a match and priority, allowed and exempted external addresses, an IPv6 SNAT, two rules sharing an external address, and rules ovn-northd skips (bad external_ip, bad logical_ip for dnat).
$NBCTL ls-add ext0 -- ls-add join -- ls-add ext1 -- ls-add pods
$NBCTL lsp-add ext0 ln-ext0 -- lsp-set-type ln-ext0 localnet -- lsp-set-addresses ln-ext0 unknown -- lsp-set-options ln-ext0 network_name=physnet
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=chassis-1 options:lb_force_snat_ip=router_ip options:snat-ct-zone=0 options:always_learn_from_arp_request=false options:dynamic_neigh_routers=false
$NBCTL lrp-add gr0 rtoe-gr0 0a:58:ac:12:00:02 172.18.0.2/16
$NBCTL lrp-add gr0 rtoj-gr0 0a:58:64:40:00:02 100.64.0.2/16
$NBCTL lsp-add ext0 etor-gr0 -- lsp-set-type etor-gr0 router -- lsp-set-addresses etor-gr0 router -- lsp-set-options etor-gr0 router-port=rtoe-gr0 nat-addresses=router exclude-lb-vips-from-garp=true
$NBCTL lsp-add join jtor-gr0 -- lsp-set-type jtor-gr0 router -- lsp-set-addresses jtor-gr0 router -- lsp-set-options jtor-gr0 router-port=rtoj-gr0
$NBCTL lr-add cr0 -- lrp-add cr0 rtoj-cr0 0a:58:64:40:00:01 100.64.0.1/16 -- lrp-add cr0 rtos-pods 0a:58:0a:80:00:01 10.128.0.1/24
$NBCTL lsp-add join jtor-cr0 -- lsp-set-type jtor-cr0 router -- lsp-set-addresses jtor-cr0 router -- lsp-set-options jtor-cr0 router-port=rtoj-cr0
$NBCTL lsp-add pods stor-pods -- lsp-set-type stor-pods router -- lsp-set-addresses stor-pods router -- lsp-set-options stor-pods router-port=rtos-pods
$NBCTL lsp-add pods pod1 -- lsp-set-addresses pod1 "0a:58:0a:80:00:05 10.128.0.5"
$NBCTL lr-route-add gr0 10.128.0.0/14 100.64.0.1 -- lr-route-add gr0 0.0.0.0/0 172.18.0.1 rtoe-gr0
$NBCTL lr-nat-add gr0 snat 172.18.0.2 10.128.0.0/14
$NBCTL --portrange lr-nat-add gr0 snat 172.18.0.2 100.64.0.2 32768-60999
$NBCTL lr-add gr1 -- set Logical_Router gr1 options:chassis=chassis-1 options:dnat_force_snat_ip=192.0.2.250 "options:lb_force_snat_ip=\"192.0.2.251 2001:db8::251\""
$NBCTL lrp-add gr1 gr1-ext 00:00:00:00:01:01 192.0.2.1/24 2001:db8::1/64
$NBCTL lrp-add gr1 gr1-in 00:00:00:00:01:02 10.1.0.1/24 fd01::1/64
$NBCTL lsp-add ext1 ext1-gr1 -- lsp-set-type ext1-gr1 router -- lsp-set-addresses ext1-gr1 router -- lsp-set-options ext1-gr1 router-port=gr1-ext
$NBCTL lsp-add ext1 ext1-vm -- lsp-set-addresses ext1-vm "00:00:00:00:01:99 192.0.2.99"
$NBCTL lr-nat-add gr1 dnat 192.0.2.10 10.1.0.10
$NBCTL lr-nat-add gr1 dnat_and_snat 192.0.2.11 10.1.0.11
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=192.0.2.12 logical_ip=10.1.0.12 options:stateless=true -- add Logical_Router gr1 nat @n
$NBCTL lr-nat-add gr1 snat 192.0.2.11 10.1.0.0/24
$NBCTL lr-nat-add gr1 snat 2001:db8::20 fd01::/64
$NBCTL --portrange lr-nat-add gr1 dnat 192.0.2.13 10.1.0.13 8080-8081
$NBCTL create Address_Set name=allowed addresses=\"198.51.100.0/24\" -- create Address_Set name=exempt addresses=\"198.51.100.7\"
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=192.0.2.14 logical_ip=10.1.0.14 allowed_ext_ips=$($NBCTL --bare --columns=_uuid find Address_Set name=allowed) -- add Logical_Router gr1 nat @n
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=192.0.2.15 logical_ip=10.1.0.15 exempted_ext_ips=$($NBCTL --bare --columns=_uuid find Address_Set name=exempt) -- add Logical_Router gr1 nat @n
$NBCTL -- --id=@n create NAT type=snat external_ip=192.0.2.16 logical_ip=10.1.0.16 'match="tcp.dst == 80"' priority=5 -- add Logical_Router gr1 nat @n
$NBCTL -- --id=@n create NAT type=dnat external_ip="\"192.0.2.30 192.0.2.31\"" logical_ip=10.1.0.30 -- add Logical_Router gr1 nat @n
$NBCTL -- --id=@n create NAT type=dnat external_ip=192.0.2.32 logical_ip=10.1.0.0/24 -- add Logical_Router gr1 nat @n
