# A port with no addresses at all, next to one with an address.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.2"
