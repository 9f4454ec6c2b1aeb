"""农品“一码通”: product batches on 全农码, traceability events, certificates, brands, scanning."""
