# Bad input: a port with tag_request/tag set but no parent_name, next to a good port.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 good -- lsp-set-addresses good "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 orphan -- lsp-set-addresses orphan "0a:00:00:00:00:02 10.0.0.2" -- set Logical_Switch_Port orphan tag=42
$NBCTL lsp-add sw0 orphan2 -- set Logical_Switch_Port orphan2 tag_request=43
