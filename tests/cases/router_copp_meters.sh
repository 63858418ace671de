# Control-plane protection on a router: a Copp naming two existing meters (one with two bands) and one that does not exist; a meter no Copp names; a static MAC binding on a router port and one on a port that does not exist; a chassis template variable.
$NBCTL ls-add sw0
$NBCTL lr-add lr0
$NBCTL lrp-add lr0 lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
$NBCTL lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lrp0
$NBCTL meter-add arp-meter drop 10 pktps
$NBCTL meter-add icmp-meter drop 20 pktps 5
$NBCTL -- --id=@b create Meter_Band action=drop rate=100 -- add Meter icmp-meter bands @b
$NBCTL meter-add unused-meter drop 30 kbps
$NBCTL copp-add copp0 arp arp-meter
$NBCTL copp-add copp0 icmp4-error icmp-meter
$NBCTL copp-add copp0 icmp6-error icmp-meter
$NBCTL copp-add copp0 nd-ns-resolve icmp-meter
$NBCTL copp-add copp0 nd-na arp-meter
$NBCTL copp-add copp0 nd-ns arp-meter
$NBCTL copp-add copp0 arp-resolve arp-meter
$NBCTL set Copp $($NBCTL --bare --columns=_uuid find Copp name=copp0) meters:tcp-reset=missing-meter
$NBCTL lr-copp-add copp0 lr0
$NBCTL static-mac-binding-add lrp0 10.0.0.50 0a:00:00:00:00:50
$NBCTL -- --id=@s create Static_MAC_Binding logical_port=nope ip=10.0.0.51 mac=\"0a:00:00:00:00:51\" override_dynamic_mac=true
$NBCTL create Chassis_Template_Var chassis=hv1 variables:VIP=10.0.0.100
