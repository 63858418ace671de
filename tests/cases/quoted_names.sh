# Switch and port names that need quoting in matches (double quotes, spaces, backslash).
$NBCTL ls-add 'sw "q"'
$NBCTL ls-add 'sw with spaces'
$NBCTL lsp-add 'sw "q"' 'p "1"' -- lsp-set-addresses 'p "1"' "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add 'sw "q"' 'port with space' -- lsp-set-addresses 'port with space' "0a:00:00:00:00:02 10.0.0.2"
$NBCTL lsp-add 'sw with spaces' 'back\slash' -- lsp-set-addresses 'back\slash' "0a:00:00:00:00:03 10.0.0.3" -- lsp-set-port-security 'back\slash' "0a:00:00:00:00:03 10.0.0.3"
