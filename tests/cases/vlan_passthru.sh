# A switch with other_config:vlan-passthru=true (no VLAN drop, no ARP/ND responder, vlan-passthru on the bindings) next to an ordinary one.
$NBCTL ls-add sw0 -- set logical_switch sw0 other_config:vlan-passthru=true
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1 fd00::1"
$NBCTL lsp-add sw0 ln -- lsp-set-type ln localnet -- lsp-set-addresses ln unknown -- lsp-set-options ln network_name=physnet
$NBCTL ls-add sw1
$NBCTL lsp-add sw1 q1 -- lsp-set-addresses q1 "0a:00:00:00:01:01 10.0.1.1"
