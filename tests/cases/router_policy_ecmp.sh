# ECMP reroute policies (several next hops), one per router: IPv4 with pkt_mark, one of two next hops unreachable (the ECMP form with one member), IPv6, and an output_port with two next hops (skipped).
$NBCTL ls-add sw1 -- ls-add sw2 -- ls-add sw3
$NBCTL lr-add lr0 -- lr-add lr1 -- lr-add lr2
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lr-policy-add lr0 98 "ip4.dst == 198.51.100.0/24" reroute 10.0.1.3,10.0.1.4 pkt_mark=7
$NBCTL lrp-add lr1 lrp2 00:00:00:00:ff:03 10.0.2.1/24
$NBCTL lsp-add sw2 sw2-lr1 -- lsp-set-type sw2-lr1 router -- lsp-set-addresses sw2-lr1 router -- lsp-set-options sw2-lr1 router-port=lrp2
$NBCTL lr-policy-add lr1 100 "ip4.src == 10.0.2.5" reroute 10.0.2.3,192.0.2.9
lrp2=$($NBCTL get Logical_Router_Port lrp2 _uuid)
$NBCTL -- --id=@p create Logical_Router_Policy priority=90 match='"ip4.src == 10.0.2.6"' action=reroute nexthops='["10.0.2.3", "10.0.2.4"]' output_port=$lrp2 -- add Logical_Router lr1 policies @p
$NBCTL lrp-add lr2 lrp3 00:00:00:00:ff:04 fd03::1/64
$NBCTL lsp-add sw3 sw3-lr2 -- lsp-set-type sw3-lr2 router -- lsp-set-addresses sw3-lr2 router -- lsp-set-options sw3-lr2 router-port=lrp3
$NBCTL lr-policy-add lr2 50 "ip6.dst == fd99::/64" reroute fd03::3,fd03::4,fd03::5
