# DNS records: a switch with records (mixed-case addresses, lower-cased in the SB), one DNS row shared by two switches, a switch whose only DNS row is empty.
$NBCTL ls-add sw0
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL ls-add sw1
$NBCTL lsp-add sw1 q1 -- lsp-set-addresses q1 "0a:00:00:00:01:01 10.0.1.1"
$NBCTL ls-add sw2
d1=$($NBCTL create DNS records='{"vm1.ovn.org"="10.0.0.4 AAAA::4", "vm2.ovn.org"="10.0.0.5"}')
d2=$($NBCTL create DNS records='{}')
$NBCTL add logical_switch sw0 dns_records $d1
$NBCTL add logical_switch sw1 dns_records $d1
$NBCTL add logical_switch sw2 dns_records $d2
