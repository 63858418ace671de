# Four switches (one empty) with a few VIF ports each: datapath groups across switches.
$NBCTL ls-add sw0 -- ls-add sw1 -- ls-add sw2 -- ls-add sw3
$NBCTL lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "00:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "00:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "00:00:00:00:01:01 10.0.1.1"
$NBCTL lsp-add sw1 sw1-p2 -- lsp-set-addresses sw1-p2 "00:00:00:00:01:02 10.0.1.2"
$NBCTL lsp-add sw1 sw1-p3 -- lsp-set-addresses sw1-p3 "00:00:00:00:01:03"
$NBCTL lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 "00:00:00:00:02:01 fd00::1"
