# Every static address form on one switch at once (MAC; MAC+IPv4; MAC+IPv4s; MAC+IPv6; mixed; unknown; several entries; none).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 mac -- lsp-set-addresses mac "0a:00:00:00:00:01"
$NBCTL lsp-add sw0 v4 -- lsp-set-addresses v4 "0a:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add sw0 v4s -- lsp-set-addresses v4s "0a:00:00:00:00:03 10.0.0.3 10.0.0.33"
$NBCTL lsp-add sw0 v6 -- lsp-set-addresses v6 "0a:00:00:00:00:04 fd00::4"
$NBCTL lsp-add sw0 mixed -- lsp-set-addresses mixed "0a:00:00:00:00:05 10.0.0.5 10.0.0.55 fd00::5 fd00::55"
$NBCTL lsp-add sw0 unk -- lsp-set-addresses unk unknown
$NBCTL lsp-add sw0 multi -- lsp-set-addresses multi "0a:00:00:00:00:07 10.0.0.7" "0a:00:00:00:00:77 fd00::77"
$NBCTL lsp-add sw0 none
