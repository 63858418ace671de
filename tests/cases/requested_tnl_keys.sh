# Switches that request datapath tunnel keys: one alone, two asking for the
# same key (one of them gets another key), one asking for the key another
# datapath would otherwise have been given first.
$NBCTL ls-add sw0 -- set Logical_Switch sw0 other_config:requested-tnl-key=5
$NBCTL ls-add sw1 -- set Logical_Switch sw1 other_config:requested-tnl-key=9
$NBCTL ls-add sw2 -- set Logical_Switch sw2 other_config:requested-tnl-key=9
$NBCTL ls-add sw3 -- set Logical_Switch sw3 other_config:requested-tnl-key=1
$NBCTL ls-add sw4
