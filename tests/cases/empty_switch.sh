# One logical switch with no ports at all.
$NBCTL ls-add sw0
