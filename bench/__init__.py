"""Benchmarks at Chongqing scale, each printing a ratio to a baseline run alongside."""
