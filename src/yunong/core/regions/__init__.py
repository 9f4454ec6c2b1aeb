"""Regions: division codes, their hierarchy and region scope."""
