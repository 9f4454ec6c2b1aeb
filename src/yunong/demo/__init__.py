"""Deterministic synthetic Chongqing data for demonstrations, tests and benchmarks."""
