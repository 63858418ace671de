# One router joining two switches (IPv4): router ports with networks and MACs, router-type switch ports peering them, a VIF on each switch.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lsp-add sw0 p0 -- lsp-set-addresses p0 "0a:00:00:00:00:01 10.0.0.2"
$NBCTL lsp-add sw1 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:02 10.0.1.2"
