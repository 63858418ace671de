# A local chassis that announces no feature flags (an older ovn-controller) and a remote (is-remote) one: the features 26.03.1 reads are then off, which changes no switch flow (ct_lb_mark and ct_mark.blocked are unconditional in 26.03.1).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
