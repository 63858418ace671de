# A localnet port with VLAN tag 101 (lsp-add with empty parent) next to a VIF.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 ln-sw0 "" 101 -- lsp-set-type ln-sw0 localnet -- lsp-set-addresses ln-sw0 unknown -- lsp-set-options ln-sw0 network_name=physnet
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
