"""Stores: the operational database (SQLAlchemy), its migrations and the DuckDB analytics link."""
