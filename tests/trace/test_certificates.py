"""承诺达标合格证: refused for a failed or unharvested batch; every printed QR decodes exactly."""

import pypdfium2
import pytest
import zxingcpp

from tests.trace.factories import (
    SYSTEM,
    add_batch,
    grow_and_harvest,
    make_trace_world,
    producer_scope,
    record,
)
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.trace import batches, certificates, events
from yunong.trace.certificates import LabelSize


@pytest.fixture
def world(session):
    return make_trace_world(session)


def decoded_pages(pdf: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        image = page.render(scale=300 / 72).to_pil()
        pages.append([found.text for found in zxingcpp.read_barcodes(image)])
    return pages


def test_a_certificate_for_a_batch_that_failed_inspection_is_refused(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch, inspection="fail")
    with pytest.raises(InvalidValue, match="检测不合格，不能开具承诺达标合格证"):
        certificates.issue(session, scope=SYSTEM, code=batch.code)


def test_a_certificate_for_a_batch_not_yet_harvested_is_refused(session, world):
    batch = add_batch(session, world.product)
    record(session, batch, "planting", "2024-03-05 08:00")
    with pytest.raises(InvalidValue, match="尚未采收"):
        certificates.issue(session, scope=SYSTEM, code=batch.code)


def test_a_harvested_batch_that_passed_gets_one_certificate_however_often_issued(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    first = certificates.issue(session, scope=SYSTEM, code=batch.code, basis="委托检测")
    again = certificates.issue(session, scope=SYSTEM, code=batch.code)
    assert first.id == again.id and again.basis == "委托检测"


def test_the_certificate_carries_the_fields_the_national_rule_requires(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    certificates.issue(session, scope=SYSTEM, code=batch.code)
    sheet = certificates.sheet_of(session, scope=SYSTEM, code=batch.code)
    html = certificates.render_html(sheet, LabelSize.LABEL_100X70)
    for text in (
        "承诺达标合格证",
        "石坪脐橙",
        "5000公斤（1000 件）",
        "万州区龙沙镇石坪村",
        "石坪柑橘专业合作社",
        "13912345678",
        "开具日期",
    ):
        assert text in html


@pytest.mark.parametrize("size", list(LabelSize), ids=lambda size: size.value)
def test_every_label_size_prints_a_qr_code_that_decodes_to_the_batch_address(session, world, size):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    certificates.issue(session, scope=SYSTEM, code=batch.code)
    sheet = certificates.sheet_of(session, scope=SYSTEM, code=batch.code)
    copies = 8 if size is LabelSize.A4 else 2
    pages = decoded_pages(certificates.render_pdf(sheet, size, copies))
    expected = 1 if size is LabelSize.A4 else 2
    assert len(pages) == expected
    assert all(found == [batches.address(batch)] * (copies // expected) for found in pages)


def test_a_harvested_batch_that_passed_is_ready_for_its_certificate(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    owner = producer_scope(world.producer_user, world.place.village)
    assert certificates.readiness(session, scope=owner, batch=batch).can_issue


def test_a_batch_not_yet_harvested_is_not_ready_and_says_the_harvest_is_missing(session, world):
    batch = add_batch(session, world.product)
    record(session, batch, "planting", "2024-03-05 08:00")
    owner = producer_scope(world.producer_user, world.place.village)
    ready = certificates.readiness(session, scope=owner, batch=batch)
    assert not ready.can_issue and "尚未记录采收/出栏" in ready.missing


def test_a_batch_whose_latest_inspection_failed_is_not_ready_and_says_so(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch, inspection="fail")
    owner = producer_scope(world.producer_user, world.place.village)
    ready = certificates.readiness(session, scope=owner, batch=batch)
    assert not ready.can_issue and "检测不合格" in ready.missing


def test_a_read_only_official_is_never_ready_to_issue_and_is_told_nothing_missing(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    viewer = Scope(
        actor="bank", region_code=world.place.district, role=Role.BANK_VIEWER.value, can_write=False
    )
    assert certificates.readiness(session, scope=viewer, batch=batch) == certificates.Readiness(
        can_issue=False
    )


def test_after_the_harvest_the_next_step_is_the_certificate(session, world):
    batch = add_batch(session, world.product)
    grow_and_harvest(session, batch)
    recorded = events.events_of(session, batch)
    assert certificates.next_step(recorded, certified=False) == "开具承诺达标合格证"
