# DHCPv6: stateful (ia_addr) and stateless options, a port outside the prefix, a server_id that is not a MAC, a port with both DHCPv4 and DHCPv6.
$NBCTL ls-add sw0
d6=$($NBCTL create DHCP_Options cidr='"fd00::/64"' options='"server_id"="0a:00:00:00:00:fe" "dns_server"="{fd00::53}" "domain_search"="ovn.org"')
sl=$($NBCTL create DHCP_Options cidr='"fd00::/64"' options='"server_id"="0a:00:00:00:00:fd" "dhcpv6_stateless"="true" "dns_server"="{fd00::53}"')
bad=$($NBCTL create DHCP_Options cidr='"fd00::/64"' options='"server_id"="not-a-mac"')
d4=$($NBCTL create DHCP_Options cidr=10.0.0.0/24 options='"server_id"="10.0.0.1" "server_mac"="0a:00:00:00:00:fe" "lease_time"="3600"')
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 fd00::11" -- lsp-set-dhcpv6-options p1 $d6
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 fd00::12" -- lsp-set-dhcpv6-options p2 $sl
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 fd01::13" -- lsp-set-dhcpv6-options p3 $d6
$NBCTL lsp-add sw0 p4 -- lsp-set-addresses p4 "0a:00:00:00:00:04 fd00::14" -- lsp-set-dhcpv6-options p4 $bad
$NBCTL lsp-add sw0 p5 -- lsp-set-addresses p5 "0a:00:00:00:00:05 10.0.0.15 fd00::15" -- lsp-set-dhcpv4-options p5 $d4 -- lsp-set-dhcpv6-options p5 $d6
