# northd IPAM allocating addresses: "dynamic", "<mac> dynamic" and ipv6_prefix (writes Logical_Switch_Port.dynamic_addresses).
$NBCTL ls-add sw0 -- set Logical_Switch sw0 other_config:subnet=10.2.0.0/24 other_config:ipv6_prefix="fd00:2::"
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 dynamic
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:02:02 dynamic"
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:02:03 10.2.0.3"
$NBCTL lsp-add sw0 p4 -- lsp-set-addresses p4 dynamic
