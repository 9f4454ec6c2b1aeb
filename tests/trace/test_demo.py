"""The trace demo: the seed's industries, products with and without GTINs, every status colour."""

import pytest
from sqlalchemy import select

from yunong.core.auth.models import User
from yunong.core.auth.service import scope_of
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import batches, public
from yunong.trace.models import Brand, Product


@pytest.fixture(scope="module")
def demo(tiny_demo_url, tiny_demo_result):
    engine = make_engine(tiny_demo_url)
    yield engine, tiny_demo_result
    engine.dispose()


def test_the_demo_covers_the_main_industries_of_the_seed(demo):
    engine, _ = demo
    with transaction(make_sessionmaker(engine)) as session:
        categories = set(session.scalars(select(Product.category)))
        gtins = list(session.scalars(select(Product.gtin)))
        brand_names = set(session.scalars(select(Brand.name)))
    assert categories >= {"粮油", "生猪", "榨菜", "柑橘", "柠檬", "脆李", "中药材", "茶叶"}
    assert any(gtins) and None in gtins
    assert brand_names >= {"巴味渝珍", "三峡柑橘", "涪陵榨菜", "奉节脐橙", "潼南柠檬"}


def test_the_demo_batches_show_green_yellow_and_red(demo):
    engine, _ = demo
    with transaction(make_sessionmaker(engine)) as session:
        seen = batches.get_all(session, scope=scope_of(admin(session)))
        statuses = {public.view(session, batch=batch).status for batch in seen}
    assert statuses == set(public.Status)


def test_the_demo_producer_account_sees_only_its_own_batches(demo):
    engine, result = demo
    assert ("demo_producer", "Yunong@2024", "生产经营主体") in [a[:3] for a in result.accounts]
    with transaction(make_sessionmaker(engine)) as session:
        producer = session.scalars(select(User).where(User.name == "demo_producer")).one()
        seen = batches.get_all(session, scope=scope_of(producer))
        names = {
            batches.get_product(session, scope=scope_of(producer), product_id=b.product_id).name
            for b in seen
        }
    assert len(seen) == 4 and names == {"万州玫瑰香橙"}


def admin(session):
    return session.scalars(select(User).where(User.name == "demo_city")).one()
