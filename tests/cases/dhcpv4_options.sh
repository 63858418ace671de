# DHCPv4: ports with DHCP_Options (options sorted, netmask from the cidr, hostname from the port), a port outside the subnet, a disabled port, options missing lease_time, several address entries.
$NBCTL ls-add sw0
d=$($NBCTL create DHCP_Options cidr=10.0.0.0/24 options='"server_id"="10.0.0.1" "server_mac"="0a:00:00:00:00:fe" "lease_time"="3600" "router"="10.0.0.1" "dns_server"="{8.8.8.8,1.1.1.1}" "mtu"="1400"')
bad=$($NBCTL create DHCP_Options cidr=10.0.0.0/24 options='"server_id"="10.0.0.1" "server_mac"="0a:00:00:00:00:fe"')
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.11" -- lsp-set-dhcpv4-options p1 $d
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 192.168.0.2 10.0.0.12" -- lsp-set-dhcpv4-options p2 $d -- lsp-set-options p2 hostname=vm-two
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 192.168.0.3" -- lsp-set-dhcpv4-options p3 $d
$NBCTL lsp-add sw0 p4 -- lsp-set-addresses p4 "0a:00:00:00:00:04 10.0.0.14" -- lsp-set-dhcpv4-options p4 $d -- lsp-set-enabled p4 disabled
$NBCTL lsp-add sw0 p5 -- lsp-set-addresses p5 "0a:00:00:00:00:05 10.0.0.15" -- lsp-set-dhcpv4-options p5 $bad
$NBCTL lsp-add sw0 p6 -- lsp-set-addresses p6 "0a:00:00:00:00:06 10.0.0.16" "0a:00:00:00:00:66 10.0.0.66" -- lsp-set-dhcpv4-options p6 $d
