# IGMP/MLD snooping switches: defaults, non-default timers (clamped), querier off, source addresses, flood_unregistered, and ports with mcast_flood / mcast_flood_reports.
$NBCTL ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true
$NBCTL lsp-add sw0 p1 -- lsp-set-addresses p1 "0a:00:00:00:00:01 10.0.0.1"
$NBCTL lsp-add sw0 p2 -- lsp-set-addresses p2 "0a:00:00:00:00:02 10.0.0.2" -- lsp-set-options p2 mcast_flood=true
$NBCTL lsp-add sw0 p3 -- lsp-set-addresses p3 "0a:00:00:00:00:03 10.0.0.3" -- lsp-set-options p3 mcast_flood_reports=true
$NBCTL ls-add sw1 -- set logical_switch sw1 other_config:mcast_snoop=true other_config:mcast_flood_unregistered=true other_config:mcast_querier=false other_config:mcast_idle_timeout=5 other_config:mcast_table_size=100 other_config:mcast_eth_src=0a:00:00:00:01:ff other_config:mcast_ip4_src=10.0.1.254 other_config:mcast_ip6_src=fe80::1
$NBCTL lsp-add sw1 q1 -- lsp-set-addresses q1 "0a:00:00:00:01:01 10.0.1.1"
$NBCTL ls-add sw2 -- set logical_switch sw2 other_config:mcast_snoop=true other_config:mcast_idle_timeout=100000 other_config:mcast_query_interval=7 other_config:mcast_query_max_response=3
$NBCTL lsp-add sw2 r1 -- lsp-set-addresses r1 "0a:00:00:00:02:01 10.0.2.1" -- lsp-set-options r1 mcast_flood=true -- lsp-set-enabled r1 disabled
