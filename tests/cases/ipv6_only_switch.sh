# A switch whose ports have only IPv6 addresses (incl. port_security with IPv6).
$NBCTL ls-add sw6
$NBCTL lsp-add sw6 p1 -- lsp-set-addresses p1 "0a:00:00:00:06:01 fd00:6::1"
$NBCTL lsp-add sw6 p2 -- lsp-set-addresses p2 "0a:00:00:00:06:02 fd00:6::2 2001:db8:6::2" -- lsp-set-port-security p2 "0a:00:00:00:06:02 fd00:6::2 2001:db8:6::2"
