"""防返贫监测: households and persons, department signals, screening rules, alerts, the ledger."""
