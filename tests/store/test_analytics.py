"""The DuckDB analytics connection reads the operational database with spatial loaded."""

import duckdb
import pytest

from tests.factories import make_place
from yunong.store.analytics import connect
from yunong.store.db import make_engine, make_sessionmaker, transaction


def test_duckdb_reads_the_operational_tables_read_only(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        make_place(session)
    engine.dispose()
    con = connect(private_db_url)
    towns = con.sql("select count(*) from op.region where level = 3").fetchone()
    assert towns == (3,)
    with pytest.raises(duckdb.Error, match="(?i)read.only"):
        con.execute("delete from op.region")


def test_spatial_functions_are_loaded_without_a_network():
    con = connect("sqlite:///:memory:")
    area = con.sql(
        "select ST_Area(ST_GeomFromText('POLYGON((0 0, 100 0, 100 100, 0 100, 0 0))'))"
    ).fetchone()
    assert area == (10000.0,)
