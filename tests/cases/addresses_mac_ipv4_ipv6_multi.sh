# Address form: MAC + several IPv4 and several IPv6 addresses in one entry.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.5 10.0.0.6 fd00::5 fd00::6 2001:db8::1:5"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.7 fd00::7"
