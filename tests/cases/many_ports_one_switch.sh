# 30 VIF ports (MAC + IPv4) on one switch, created in one transaction.
args=(ls-add sw0)
for i in $(seq 1 30); do
    args+=(-- lsp-add sw0 "p$i" -- lsp-set-addresses "p$i" "$(printf '00:00:00:00:00:%02x' "$i") 10.0.0.$((i + 10))")
done
$NBCTL "${args[@]}"
