# Bad input: unparsable addresses / port_security entries written directly (bypassing nbctl validation) next to good ports.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 good -- lsp-set-addresses good "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 bad1 -- set Logical_Switch_Port bad1 'addresses="not-an-address"'
$NBCTL lsp-add sw0 bad2 -- set Logical_Switch_Port bad2 'addresses=["0a:00:00:00:00:02 10.0.0.300", "0a:00:00:00:00:22 10.0.0.22"]'
$NBCTL lsp-add sw0 bad3 -- set Logical_Switch_Port bad3 'addresses="0a:00:00:00:00:03 10.0.0.3 junk"'
$NBCTL lsp-add sw0 bad4 -- lsp-set-addresses bad4 "0a:00:00:00:00:04 10.0.0.4" -- set Logical_Switch_Port bad4 'port_security="zz:00:00:00:00:04"'
