# Router-type switch ports whose router port does not exist (addresses "router" and an explicit MAC+IP).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 stor-x -- lsp-set-type stor-x router -- lsp-set-addresses stor-x router -- lsp-set-options stor-x router-port=rtos-x
$NBCTL lsp-add sw0 stor-y -- lsp-set-type stor-y router -- lsp-set-addresses stor-y "0a:00:00:00:ff:01 10.0.0.254" -- lsp-set-options stor-y router-port=rtos-y
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
