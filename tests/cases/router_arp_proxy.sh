# arp_proxy on router-type switch ports: with a MAC (as ovn-kubernetes sets it on stor-<node>: the masquerade MAC, 169.254.1.1, fe80::1, the cluster subnet), IP-only on a switch with a localnet port (which then no longer skips the responder), and an invalid value (ignored).
$NBCTL ls-add node1 -- ls-add ext -- ls-add other
$NBCTL lr-add cr -- lrp-add cr rtos-node1 0a:58:0a:80:00:01 10.128.0.1/24 -- lrp-add cr rtoe 00:00:00:00:ee:01 172.18.0.1/16 fd18::1/64 -- lrp-add cr rtoo 00:00:00:00:ee:02 10.9.0.1/24
$NBCTL lsp-add node1 stor-node1 -- lsp-set-type stor-node1 router -- lsp-set-addresses stor-node1 router -- lsp-set-options stor-node1 router-port=rtos-node1 "arp_proxy=\"0a:58:a9:fe:01:01 169.254.1.1 fe80::1 10.128.0.0/14\""
$NBCTL lsp-add node1 pod1 -- lsp-set-addresses pod1 "0a:58:0a:80:00:05 10.128.0.5"
$NBCTL lsp-add node1 pod2 -- lsp-set-addresses pod2 "0a:58:0a:80:00:06 10.128.0.6 fd00::6"
$NBCTL lsp-add ext ext-cr -- lsp-set-type ext-cr router -- lsp-set-addresses ext-cr router -- lsp-set-options ext-cr router-port=rtoe "arp_proxy=\"172.18.0.100 fd18::100/120\""
$NBCTL lsp-add ext ln-ext -- lsp-set-type ln-ext localnet -- lsp-set-addresses ln-ext unknown -- lsp-set-options ln-ext network_name=physnet
$NBCTL lsp-add ext vm-ext -- lsp-set-addresses vm-ext "00:00:00:00:ee:99 172.18.0.99"
$NBCTL lsp-add other other-cr -- lsp-set-type other-cr router -- lsp-set-addresses other-cr router -- lsp-set-options other-cr router-port=rtoo arp_proxy=garbage
$NBCTL lsp-add other vm-other -- lsp-set-addresses vm-other "00:00:00:00:ee:98 10.9.0.98"
