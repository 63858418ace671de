# A localport (type=localport, e.g. a metadata port) next to two VIFs.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 meta -- lsp-set-type meta localport -- lsp-set-addresses meta "0a:00:00:00:00:fe 10.0.0.254"
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.2" -- lsp-set-port-security p2 "0a:00:00:00:00:02 10.0.0.2"
