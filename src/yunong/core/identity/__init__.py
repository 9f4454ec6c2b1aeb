"""全农码: one identity code for every subject, thing, land unit, event and fund."""
