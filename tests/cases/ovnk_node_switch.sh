# An ovn-kubernetes node switch without its router: subnet, stor-<node> router port, k8s-<node> mgmt port, three pods.
node=node1
$NBCTL ls-add $node -- set Logical_Switch $node other_config:subnet=10.244.1.0/24
$NBCTL lsp-add $node stor-$node -- lsp-set-type stor-$node router -- lsp-set-addresses stor-$node router \
    -- lsp-set-options stor-$node router-port=rtos-$node
$NBCTL lsp-add $node k8s-$node -- lsp-set-addresses k8s-$node "0a:58:0a:f4:01:02 10.244.1.2"
i=3
for pod in web-0 web-1 db-0; do
    mac=$(printf '0a:58:0a:f4:01:%02x' $i)
    ip=10.244.1.$i
    lsp=default_$pod
    $NBCTL lsp-add $node $lsp -- lsp-set-addresses $lsp "$mac $ip" -- lsp-set-port-security $lsp "$mac $ip" \
        -- set Logical_Switch_Port $lsp options:requested-chassis=$node options:iface-id-ver=00000000-0000-0000-0000-00000000000$i \
           external_ids:namespace=default external_ids:pod=true
    i=$((i + 1))
done
