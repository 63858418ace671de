# ECMP selection_fields: a group hashing on addresses, one on ports (a routing flow per transport protocol, hashing on its own port fields), one whose members ask for different fields (their intersection), a route with fields but no group, and on a gateway router a symmetric-reply route with port fields.
$NBCTL ls-add sw0 -- ls-add sw1
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
$NBCTL lrp-add lr0 lrp1 00:00:00:00:ff:02 10.0.1.1/24 fd01::1/64
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lrp1
route() { $NBCTL -- --id=@r create Logical_Router_Static_Route "$@" -- add Logical_Router ${ROUTER:-lr0} static_routes @r; }
route ip_prefix=192.168.0.0/16 nexthop=10.0.0.10 selection_fields=ip_src,ip_dst
route ip_prefix=192.168.0.0/16 nexthop=10.0.1.10 selection_fields=ip_src,ip_dst
route ip_prefix=172.16.0.0/12 nexthop=10.0.0.20 selection_fields=ip_src,tp_src,tp_dst
route ip_prefix=172.16.0.0/12 nexthop=10.0.1.20 selection_fields=ip_src,tp_src,tp_dst
route ip_prefix=\"fd10::/64\" nexthop=\"fd00::10\" selection_fields=ipv6_src,ipv6_dst,eth_src
route ip_prefix=\"fd10::/64\" nexthop=\"fd01::10\" selection_fields=ipv6_src,eth_src
route ip_prefix=10.50.0.0/16 nexthop=10.0.0.50 selection_fields=ip_dst
$NBCTL ls-add sw2
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=hv1
$NBCTL lrp-add gr0 gr0-p 00:00:00:00:ff:10 10.0.2.1/24
$NBCTL lsp-add sw2 sw2-gr0 -- lsp-set-type sw2-gr0 router -- lsp-set-addresses sw2-gr0 router -- lsp-set-options sw2-gr0 router-port=gr0-p
ROUTER=gr0 route ip_prefix=0.0.0.0/0 nexthop=10.0.2.254 selection_fields=tp_dst options:ecmp_symmetric_reply=true
