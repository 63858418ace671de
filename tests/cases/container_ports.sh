# Container ports: a parent VIF and two children (parent_name + tag_request), one with addresses.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 parent -- lsp-set-addresses parent "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 child1 parent 42 -- lsp-set-addresses child1 "0a:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add sw0 child2 parent 43
