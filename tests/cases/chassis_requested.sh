# Pods pinned with options:requested-chassis (a chassis name, a hostname, a list, an unknown name) on a Southbound whose chassis announce the full 26.03.1 feature set.
$NBCTL ls-add node1
$NBCTL lsp-add node1 pod-a -- lsp-set-addresses pod-a "0a:58:0a:80:01:03 10.128.1.3" -- lsp-set-options pod-a requested-chassis=chassis-1
$NBCTL lsp-add node1 pod-b -- lsp-set-addresses pod-b "0a:58:0a:80:01:04 10.128.1.4" -- lsp-set-options pod-b requested-chassis=node1.example
$NBCTL lsp-add node1 pod-c -- lsp-set-addresses pod-c "0a:58:0a:80:01:05 10.128.1.5" -- lsp-set-options pod-c requested-chassis=chassis-1,chassis-2
$NBCTL lsp-add node1 pod-d -- lsp-set-addresses pod-d "0a:58:0a:80:01:06 10.128.1.6" -- lsp-set-options pod-d requested-chassis=nosuch
