# One switch with a single VIF port (MAC + IPv4 address).
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "00:00:00:00:01:01 10.0.0.11"
