"""Core: regions, identity codes, validators. Core never imports a domain."""
