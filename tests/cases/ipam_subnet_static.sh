# other_config:subnet (+exclude_ips) on a switch whose ports all have static addresses (northd IPAM active).
$NBCTL ls-add sw0 -- set Logical_Switch sw0 other_config:subnet=10.1.0.0/24 other_config:exclude_ips="10.1.0.2..10.1.0.9"
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:58:0a:01:00:03 10.1.0.3"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:58:0a:01:00:04 10.1.0.4" -- lsp-set-port-security p2 "0a:58:0a:01:00:04 10.1.0.4"
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:58:0a:01:00:0a 10.1.0.10"
