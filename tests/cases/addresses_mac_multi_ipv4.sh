# Address form: MAC + several IPv4 addresses in one entry.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 192.168.1.10 192.168.1.11 10.1.2.3"
