# Routing policy chains: policies in the default chain jump to named chains (two jumps to one chain), chained policies allow, drop and reroute (one next hop, and an ECMP reroute, which ovn-northd matches as written), a chain nothing jumps to, a jump to a chain no policy is in (skipped). Only one router: ovn-northd numbers chains once for all routers and writes a chainless router's policies as `reg9[16..31] == 0 && (…)` when a router before it in its hash order has chains (the same behaviour; northflow writes them as given), so a second router would make the case depend on that order.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
policy() { $NBCTL -- --id=@p create Logical_Router_Policy "$@" -- add Logical_Router lr0 policies @p; }
policy priority=200 'match="ip4.src == 10.0.0.0/24"' action=jump jump_chain=web
policy priority=190 'match="ip4.src == 10.0.1.0/24"' action=jump jump_chain=web
policy priority=180 'match="tcp"' action=jump jump_chain=db
policy priority=170 'match="udp"' action=jump jump_chain=nowhere
policy priority=100 'match="ip4.dst == 192.0.2.0/24"' action=drop
policy chain=web priority=100 'match="tcp.dst == 80"' action=allow options:pkt_mark=7
policy chain=web priority=90 'match="tcp.dst == 443"' action=reroute nexthops=\"10.0.1.10\"
policy chain=web priority=10 'match="1"' action=drop
policy chain=db priority=100 'match="tcp.dst == 5432"' action=reroute 'nexthops=["10.0.0.20", "10.0.1.20"]'
policy chain=db priority=50 'match="ip4.dst == 10.0.1.5"' action=jump jump_chain=web
policy chain=idle priority=100 'match="1"' action=allow
