# gateway_mtu on router ports: on a distributed router's port (three ports, one IPv6-only), on a gateway router's port with gateway_mtu_bypass, and a bad value (ignored).
$NBCTL ls-add sw0 -- ls-add sw1 -- ls-add sw2 -- ls-add join
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 -- set Logical_Router_Port lr0-sw0 options:gateway_mtu=1400
$NBCTL lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64
$NBCTL lrp-add lr0 lr0-sw2 00:00:00:00:ff:03 fd02::1/64 -- set Logical_Router_Port lr0-sw2 options:gateway_mtu=abc
$NBCTL lrp-add lr0 lr0-join 00:00:00:00:ff:04 100.64.0.1/16
for p in sw0 sw1 sw2 join; do $NBCTL lsp-add $p $p-lr0 -- lsp-set-type $p-lr0 router -- lsp-set-addresses $p-lr0 router -- lsp-set-options $p-lr0 router-port=lr0-$p; done
$NBCTL lsp-add sw0 vm0 -- lsp-set-addresses vm0 "00:00:00:00:00:10 10.0.0.10"
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=chassis-1
$NBCTL lrp-add gr0 gr0-join 00:00:00:00:fe:01 100.64.0.2/16 -- set Logical_Router_Port gr0-join options:gateway_mtu=1500 "options:gateway_mtu_bypass=\"tcp.dst == 22\""
$NBCTL lrp-add gr0 gr0-ext 00:00:00:00:fe:02 172.18.0.2/16
$NBCTL lsp-add join join-gr0 -- lsp-set-type join-gr0 router -- lsp-set-addresses join-gr0 router -- lsp-set-options join-gr0 router-port=gr0-join
