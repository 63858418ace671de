# A VTEP gateway port (type vtep) beside a VIF: port security skips it and marks it, its traffic goes straight to the L2 lookup, ARP/ND from it is never answered.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 vtep0 -- lsp-set-type vtep0 vtep -- lsp-set-options vtep0 vtep-physical-switch=br-vtep vtep-logical-switch=ls0 -- lsp-set-addresses vtep0 unknown
