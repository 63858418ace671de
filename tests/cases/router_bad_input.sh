# Bad router rows beside good ones: a port with unparsable networks (and one with a good and a bad network), a router port whose peer does not exist, static routes with a bad prefix, a bad next hop and a next hop outside every network, policies (reroute without next hops, reroute to a bad address, a broken match, a jump to a chain no policy is in), NAT rules with a bad external IP, a bad logical IP and an unknown logical_port, and two routers asking for the same tunnel key. tests/router_bad_input.rs checks northflow's diagnostics on the same rows.
$NBCTL ls-add sw0
$NBCTL lr-add lr0 -- set Logical_Router lr0 options:chassis=hv1 options:requested-tnl-key=7
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw0 p0 -- lsp-set-addresses p0 "0a:00:00:00:00:01 10.0.0.2"
$NBCTL -- --id=@p create Logical_Router_Port name=lrp-bad mac=\"00:00:00:00:ff:02\" networks=\"10.0.1.300/24\" -- add Logical_Router lr0 ports @p
$NBCTL -- --id=@p create Logical_Router_Port name=lrp-half mac=\"00:00:00:00:ff:03\" 'networks=["10.0.2.1/24", "bogus"]' -- add Logical_Router lr0 ports @p
$NBCTL -- --id=@p create Logical_Router_Port name=lrp-badmac mac=\"zz:00:00:00:ff:04\" networks=\"10.0.4.1/24\" -- add Logical_Router lr0 ports @p
$NBCTL -- --id=@p create Logical_Router_Port name=lrp-nopeer mac=\"00:00:00:00:ff:05\" networks=\"10.0.5.1/24\" peer=no-such-port -- add Logical_Router lr0 ports @p
$NBCTL lr-route-add lr0 0.0.0.0/0 10.0.0.254
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=10.300.0.0/16 nexthop=10.0.0.253 -- add Logical_Router lr0 static_routes @r
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=10.20.0.0/16 nexthop=10.0.0.x -- add Logical_Router lr0 static_routes @r
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=10.21.0.0/16 nexthop=10.0.0.7/24 -- add Logical_Router lr0 static_routes @r
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=10.22.0.0/16 nexthop=192.0.2.1 -- add Logical_Router lr0 static_routes @r
$NBCTL lr-policy-add lr0 100 "ip4.src == 10.0.0.2" allow
$NBCTL -- --id=@p create Logical_Router_Policy priority=90 match=\"ip4.src==10.0.0.3\" action=reroute -- add Logical_Router lr0 policies @p
$NBCTL -- --id=@p create Logical_Router_Policy priority=80 match=\"ip4.src==10.0.0.4\" action=reroute nexthops=\"10.0.0.x\" -- add Logical_Router lr0 policies @p
$NBCTL -- --id=@p create Logical_Router_Policy priority=70 'match="ip4.src == == 10.0.0.5"' action=drop -- add Logical_Router lr0 policies @p
$NBCTL -- --id=@p create Logical_Router_Policy priority=60 match=\"ip4.src==10.0.0.6\" action=jump jump_chain=nowhere -- add Logical_Router lr0 policies @p
$NBCTL lr-nat-add lr0 snat 172.16.0.1 10.0.0.0/24
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.0.300 logical_ip=10.0.0.2 -- add Logical_Router lr0 nat @n
$NBCTL -- --id=@n create NAT type=dnat external_ip=172.16.0.3 logical_ip=10.0.0.x -- add Logical_Router lr0 nat @n
$NBCTL -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.0.4 logical_ip=10.0.0.4 logical_port=no-such-port external_mac=\"0a:00:00:00:aa:04\" -- add Logical_Router lr0 nat @n
$NBCTL lr-add lr1 -- set Logical_Router lr1 options:requested-tnl-key=7
$NBCTL lrp-add lr1 lr1-p0 00:00:00:00:ff:11 10.1.0.1/24
