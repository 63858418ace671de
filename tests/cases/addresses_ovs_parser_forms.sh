# Address entries that OVS's own parser accepts although they are not plain "MAC IP ...": an IPv4 with a dotted netmask, characters trailing an address (ignored by the parser), an IPv6 with a prefix length.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.1.2/255.255.255.0"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.1.1;"
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 10.0.1.3/24 aef0::3/64"
$NBCTL lsp-add sw0 p4 -- lsp-set-addresses p4 "0a:00:00:00:00:04 10.0.1.4, 10.0.1.5"
