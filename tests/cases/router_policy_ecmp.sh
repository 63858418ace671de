# An ECMP reroute policy (two next hops): not compiled yet (listed in KNOWN_GAPS).
$NBCTL ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lr-policy-add lr0 98 "ip4.dst == 198.51.100.0/24" reroute 10.0.1.3,10.0.1.4
