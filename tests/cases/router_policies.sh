# Routing policies: allow with and without pkt_mark, drop, reroute to a next hop on a port's network (IPv4, IPv6), reroute through an output_port, a match with an address set, a quoted port name and a comment, a reroute with no way out, a reroute without nexthops.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL create Address_Set name=as1 addresses='"10.0.0.5","10.0.0.6"'
$NBCTL lr-policy-add lr0 1004 "inport == \"lrp0\" && ip4.dst == 172.18.0.2 /* node */" reroute 10.0.1.2
$NBCTL lr-policy-add lr0 1003 "ip6.dst == fd10::/64" reroute fd00::5
$NBCTL lr-policy-add lr0 102 "ip4.src == \$as1 && ip4.dst == 10.0.1.0/24" allow pkt_mark=1008
$NBCTL lr-policy-add lr0 101 "ip4.src == 10.0.0.0/24 && ip4.dst == 10.0.1.0/24" allow
$NBCTL lr-policy-add lr0 100 "ip4.dst == 192.0.2.0/24" drop
$NBCTL lr-policy-add lr0 99 "ip4.dst == 198.51.100.0/24" reroute 203.0.113.1
$NBCTL -- --id=@p create Logical_Router_Policy priority=97 match='"ip4.dst == 198.18.0.0/15"' action=reroute -- add Logical_Router lr0 policies @p
$NBCTL -- --id=@p create Logical_Router_Policy priority=96 match='"ip4.dst == 100.64.0.0/16"' action=reroute nexthops='"100.64.0.9"' output_port=$($NBCTL --bare --columns=_uuid find Logical_Router_Port name=lrp1) -- add Logical_Router lr0 policies @p
