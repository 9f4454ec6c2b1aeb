"""Writing many rows at once: every row arrives whole, whatever the batch boundaries."""

import gc

from sqlalchemy import select

from yunong.store.bulk import MAX_PARAMETERS, collector_paused, insert_tuples, staged
from yunong.store.models import AppMeta


def test_rows_past_a_whole_statement_are_all_inserted_with_their_values(session):
    per_statement = MAX_PARAMETERS // 2
    rows = [(f"bulk-{i:04d}", f"值{i}") for i in range(per_statement * 2 + 7)]

    insert_tuples(session, "app_meta", ["key", "value"], rows)

    stored = session.execute(
        select(AppMeta.key, AppMeta.value).where(AppMeta.key.like("bulk-%")).order_by(AppMeta.key)
    ).all()
    assert [tuple(row) for row in stored] == rows


def test_a_staged_table_holds_the_rows_while_the_block_copies_them_on(session):
    rows = [(i, f"staged-{i}") for i in range(1, 301)]
    with staged(session, "staged_key", {"id": "integer primary key", "key": "varchar(40)"}, rows):
        session.connection().exec_driver_sql(
            "INSERT INTO app_meta (key, value) SELECT key, 'x' FROM staged_key"
        )

    keys = session.scalars(select(AppMeta.key).where(AppMeta.key.like("staged-%"))).all()
    assert sorted(keys) == sorted(key for _, key in rows)


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
