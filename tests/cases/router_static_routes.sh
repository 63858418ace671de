# Static routes on a router: via a next hop on a port's network (IPv4 and IPv6), src-ip policy, output_port with and without a next hop, a bare-address prefix, discard, a prefix with host bits, and a route with no way out.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lsp-add sw0 p0 -- lsp-set-addresses p0 "0a:00:00:00:00:01 10.0.0.2"
$NBCTL lr-route-add lr0 0.0.0.0/0 10.0.0.254
$NBCTL lr-route-add lr0 192.168.0.0/16 10.0.1.254
$NBCTL lr-route-add lr0 fd10::/64 fd01::fe
$NBCTL --policy=src-ip lr-route-add lr0 10.244.1.0/24 10.0.1.253
$NBCTL lr-route-add lr0 172.16.0.0/12 10.9.9.9 lrp1
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=100.64.0.0/16 nexthop=\"\" output_port=lrp0 -- add Logical_Router lr0 static_routes @r
$NBCTL lr-route-add lr0 203.0.113.7 10.0.0.7
$NBCTL lr-route-add lr0 198.51.100.0/24 discard
$NBCTL lr-route-add lr0 10.200.3.4/16 10.0.0.9
$NBCTL -- --id=@r create Logical_Router_Static_Route ip_prefix=10.99.0.0/16 nexthop=10.88.0.1 -- add Logical_Router lr0 static_routes @r
