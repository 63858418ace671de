# QoS rules: DSCP marking, packet marks and metering (rate, rate+burst) in both directions, one rule shared by two switches, rules with several actions.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL ls-add sw1
$NBCTL lsp-add sw1 q1 -- lsp-set-addresses q1 "0a:00:00:00:01:01 10.0.1.1"
$NBCTL qos-add sw0 from-lport 100 'inport == "p1" && ip4' dscp=12
$NBCTL qos-add sw0 to-lport 200 'outport == "p1" && tcp' rate=1000
$NBCTL qos-add sw0 from-lport 300 'ip4.src == 10.0.0.1' rate=2000 burst=100
$NBCTL qos-add sw1 to-lport 150 'ip6' dscp=46 rate=500 burst=50
# Share sw1's rule with sw0 as well.
$NBCTL add logical_switch sw0 qos_rules $($NBCTL --bare --columns=_uuid find qos priority=150)
# Packet marks (alone, and with DSCP and a meter in one rule: meter, DSCP, mark in that order).
$NBCTL qos-add sw1 from-lport 250 'ip4' mark=5
$NBCTL qos-add sw0 to-lport 50 'udp' dscp=10 mark=7 rate=300
