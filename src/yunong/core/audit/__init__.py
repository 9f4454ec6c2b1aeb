"""The hash-chained audit trail: every write and every full view of personal data."""
