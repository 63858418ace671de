# ECMP static routes: two next hops for one prefix, three for another (IPv6), a src-ip pair, a symmetric-reply pair on a gateway router, a group with a discard member, and a plain route beside them.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL --ecmp lr-route-add lr0 192.168.0.0/16 10.0.0.10
$NBCTL --ecmp lr-route-add lr0 192.168.0.0/16 10.0.1.10
$NBCTL --ecmp lr-route-add lr0 fd10::/64 fd00::10
$NBCTL --ecmp lr-route-add lr0 fd10::/64 fd01::10
$NBCTL --ecmp lr-route-add lr0 fd10::/64 fd01::11
$NBCTL --policy=src-ip --ecmp lr-route-add lr0 10.244.0.0/16 10.0.0.20
$NBCTL --policy=src-ip --ecmp lr-route-add lr0 10.244.0.0/16 10.0.1.20
$NBCTL lr-route-add lr0 172.16.0.0/12 10.0.1.30
$NBCTL ls-add sw2
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=hv1
$NBCTL lrp-add gr0 gr0-p 00:00:00:00:ff:10 10.0.2.1/24
$NBCTL lsp-add sw2 sw2-gr0 -- lsp-set-type sw2-gr0 router -- lsp-set-addresses sw2-gr0 router -- lsp-set-options sw2-gr0 router-port=gr0-p
$NBCTL --ecmp-symmetric-reply lr-route-add gr0 0.0.0.0/0 10.0.2.254
$NBCTL --ecmp-symmetric-reply lr-route-add gr0 0.0.0.0/0 10.0.2.253
