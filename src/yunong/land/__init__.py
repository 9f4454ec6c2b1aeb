"""农地“一张图”: land units, protection zones, survey imports, statistics, 以补定占 ledger."""
