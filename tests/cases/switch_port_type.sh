# Two switches joined by a pair of "switch" ports (a port type new since 23.03, peers named in the peer column): patch bindings, up, MAC learning (unknown addresses) and no conntrack on them.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw1 q1 -- lsp-set-addresses q1 "0a:00:00:00:01:01 10.0.0.2"
$NBCTL lsp-add sw0 sw0-sw1 -- lsp-set-type sw0-sw1 switch -- lsp-set-addresses sw0-sw1 unknown -- set logical_switch_port sw0-sw1 peer=sw1-sw0
$NBCTL lsp-add sw1 sw1-sw0 -- lsp-set-type sw1-sw0 switch -- lsp-set-addresses sw1-sw0 unknown -- set logical_switch_port sw1-sw0 peer=sw0-sw1
# A switch port whose peer does not name it back, and one whose peer does not exist.
$NBCTL lsp-add sw0 sw0-bad -- lsp-set-type sw0-bad switch -- set logical_switch_port sw0-bad peer=sw1-sw0
$NBCTL lsp-add sw1 sw1-none -- lsp-set-type sw1-none switch -- set logical_switch_port sw1-none peer=nosuch
