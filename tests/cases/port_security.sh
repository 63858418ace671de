# port_security: MAC only, MAC + IPv4, MAC + IPv4 + IPv6, and two entries on one port.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1" -- lsp-set-port-security p1 "0a:00:00:00:00:01"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.2" -- lsp-set-port-security p2 "0a:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 10.0.0.3 fd00::3" -- lsp-set-port-security p3 "0a:00:00:00:00:03 10.0.0.3/24 fd00::3"
$NBCTL lsp-add sw0 p4 -- lsp-set-addresses p4 unknown -- lsp-set-port-security p4 "0a:00:00:00:00:04 10.0.0.4" "0a:00:00:00:00:44"
