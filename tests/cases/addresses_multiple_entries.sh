# Several address entries on one port (two MACs, each with its own IPs).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1" "0a:00:00:00:00:11 10.0.0.11 fd00::11" "0a:00:00:00:00:21"
