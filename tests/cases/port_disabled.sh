# enabled=false on a VIF port (and enabled=true explicitly on another).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1" -- lsp-set-enabled p1 disabled
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.2" -- lsp-set-enabled p2 enabled
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 10.0.0.3" -- lsp-set-port-security p3 "0a:00:00:00:00:03 10.0.0.3" -- lsp-set-enabled p3 disabled
