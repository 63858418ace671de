# Two distributed gateway ports on one router (so no chassis-redirect port is made for their switch peers): one from gateway_chassis (two chassis, one not registered), one from an HA_Chassis_Group; an internal port; a distributed gateway port on a gateway router (its gateway configuration ignored).
$NBCTL ls-add ext0 -- ls-add ext1 -- ls-add inside
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp-ext0 00:00:00:00:ff:01 172.16.0.1/24 fd16::1/64
$NBCTL lrp-add lr0 lrp-ext1 00:00:00:00:ff:02 172.17.0.1/24
$NBCTL lrp-add lr0 lrp-in 00:00:00:00:ff:03 10.0.0.1/24
$NBCTL lrp-set-gateway-chassis lrp-ext0 chassis-1 20 -- lrp-set-gateway-chassis lrp-ext0 gw-2 10
$NBCTL ha-chassis-group-add hagrp -- ha-chassis-group-add-chassis hagrp chassis-1 30 -- ha-chassis-group-add-chassis hagrp gw-2 15
$NBCTL set Logical_Router_Port lrp-ext1 ha_chassis_group=$($NBCTL --bare --columns=_uuid find HA_Chassis_Group name=hagrp)
$NBCTL lsp-add ext0 ext0-lr0 -- lsp-set-type ext0-lr0 router -- lsp-set-addresses ext0-lr0 router -- lsp-set-options ext0-lr0 router-port=lrp-ext0
$NBCTL lsp-add ext1 ext1-lr0 -- lsp-set-type ext1-lr0 router -- lsp-set-addresses ext1-lr0 router -- lsp-set-options ext1-lr0 router-port=lrp-ext1
$NBCTL lsp-add inside in-lr0 -- lsp-set-type in-lr0 router -- lsp-set-addresses in-lr0 router -- lsp-set-options in-lr0 router-port=lrp-in
$NBCTL lsp-add inside vm1 -- lsp-set-addresses vm1 "0a:00:00:00:00:01 10.0.0.2"
$NBCTL lr-route-add lr0 0.0.0.0/0 172.16.0.254
$NBCTL lr-add gr0 -- set Logical_Router gr0 options:chassis=chassis-1
$NBCTL lrp-add gr0 gr0-ext 00:00:00:00:fe:01 192.0.2.1/24 -- lrp-set-gateway-chassis gr0-ext chassis-1 1
