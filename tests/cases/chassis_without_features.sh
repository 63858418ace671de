# A chassis that does not advertise ct-no-masked-label (an older ovn-controller): the masked ct_label forms and SB_Global lb_hairpin_use_ct_mark=false; a remote (is-remote) chassis is ignored.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
