# Route tables: two routers using the same table names (ovn-northd numbers names once for all routers), ports choosing a table with options:route_table, routes in tables beside the main table (same prefix in both), ECMP and src-ip and discard routes in a table, IPv6, a table only a port names, and a port naming an empty table.
$NBCTL ls-add sw0 -- ls-add sw1 -- ls-add sw2
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64 -- lrp-set-options lrp0 route_table=blue
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64 -- lrp-set-options lrp1 route_table=red
$NBCTL lrp-add lr0 lrp2 00:00:00:00:ff:03 10.0.2.1/24 -- lrp-set-options lrp2 route_table=
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lsp-add sw2 sw2-lr0 -- lsp-set-type sw2-lr0 router -- lsp-set-addresses sw2-lr0 router -- lsp-set-options sw2-lr0 router-port=lrp2
$NBCTL lr-route-add lr0 192.168.0.0/16 10.0.2.10
$NBCTL --route-table=blue lr-route-add lr0 192.168.0.0/16 10.0.1.10
$NBCTL --route-table=blue lr-route-add lr0 0.0.0.0/0 10.0.1.254
$NBCTL --route-table=blue lr-route-add lr0 fd10::/64 fd01::10
$NBCTL --route-table=red --ecmp lr-route-add lr0 172.16.0.0/12 10.0.0.20
$NBCTL --route-table=red --ecmp lr-route-add lr0 172.16.0.0/12 10.0.2.20
$NBCTL --route-table=red --policy=src-ip lr-route-add lr0 10.244.0.0/16 10.0.0.30
$NBCTL --route-table=green lr-route-add lr0 10.99.0.0/16 discard
$NBCTL ls-add sw3
$NBCTL lr-add lr1
$NBCTL lrp-add lr1 lr1-p0 00:00:00:00:ff:11 10.1.0.1/24 -- lrp-set-options lr1-p0 route_table=red
$NBCTL lrp-add lr1 lr1-p1 00:00:00:00:ff:12 10.1.1.1/24 -- lrp-set-options lr1-p1 route_table=only-a-port
$NBCTL lsp-add sw3 sw3-lr1 -- lsp-set-type sw3-lr1 router -- lsp-set-addresses sw3-lr1 router -- lsp-set-options sw3-lr1 router-port=lr1-p0
$NBCTL --route-table=red lr-route-add lr1 0.0.0.0/0 10.1.0.254
$NBCTL --route-table=yellow lr-route-add lr1 10.50.0.0/16 10.1.1.50
