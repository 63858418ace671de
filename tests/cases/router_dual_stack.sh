# A router with dual-stack ports (two IPv4 networks on one, IPv6 on both), a disabled router port, VIFs with IPv4 and IPv6 addresses, a VIF outside the router's networks and a disabled VIF.
$NBCTL ls-add sw0 -- ls-add sw1 -- ls-add sw2
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 10.0.10.1/24 fd00::1/64
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64
$NBCTL lrp-add lr0 lrp2 00:00:00:00:ff:03 10.0.2.1/24 -- set Logical_Router_Port lrp2 enabled=false
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
$NBCTL lsp-add sw2 sw2-lr0 -- lsp-set-type sw2-lr0 router -- lsp-set-addresses sw2-lr0 router -- lsp-set-options sw2-lr0 router-port=lrp2
$NBCTL lsp-add sw0 p0 -- lsp-set-addresses p0 "0a:00:00:00:00:01 10.0.0.2 fd00::2"
$NBCTL lsp-add sw0 p0b -- lsp-set-addresses p0b "0a:00:00:00:00:03 10.0.10.3 192.168.0.3"
$NBCTL lsp-add sw0 p0c -- lsp-set-addresses p0c "0a:00:00:00:00:04 10.0.0.4" -- set Logical_Switch_Port p0c enabled=false
$NBCTL lsp-add sw1 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:02 fd01::2"
$NBCTL lsp-add sw2 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:05 10.0.2.5"
