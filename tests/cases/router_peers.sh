# Two routers joined directly (router port peers, IPv4 and IPv6), each with a switch behind it, static routes through the peer link; a third router port naming a missing peer.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0 -- lr-add lr1
$NBCTL lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
$NBCTL lrp-add lr1 lr1-sw1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lr0-sw0
$NBCTL lsp-add sw1 sw1-lr1 -- lsp-set-type sw1-lr1 router -- lsp-set-addresses sw1-lr1 router -- lsp-set-options sw1-lr1 router-port=lr1-sw1
$NBCTL lrp-add lr0 lr0-lr1 00:00:00:00:ff:10 20.0.0.1/30 fd20::1/64 peer=lr1-lr0
$NBCTL lrp-add lr1 lr1-lr0 00:00:00:00:ff:11 20.0.0.2/30 fd20::2/64 peer=lr0-lr1
$NBCTL lr-route-add lr0 10.0.1.0/24 20.0.0.2
$NBCTL lr-route-add lr1 10.0.0.0/24 20.0.0.1
$NBCTL lr-route-add lr0 fd31::/64 fd20::2
$NBCTL lrp-add lr1 lr1-nowhere 00:00:00:00:ff:12 30.0.0.1/24 peer=lr9-missing
$NBCTL lsp-add sw0 p0 -- lsp-set-addresses p0 "0a:00:00:00:00:01 10.0.0.2"
