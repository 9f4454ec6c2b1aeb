"""`yunong trace …`: list, qr, epcis, resolve and certificate on a configured database."""

import json

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from tests.trace.factories import SYSTEM, add_batch, grow_and_harvest, make_trace_world
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import certificates

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def codes(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        first = add_batch(session, world.product, lot="L1")
        grow_and_harvest(session, first)
        certificates.issue(session, scope=SYSTEM, code=first.code)
        second = add_batch(session, world.plain_product, lot="L2")
        found = {"first": first.code, "second": second.code, "link": first.digital_link}
    engine.dispose()
    return found


def test_list_prints_batch_codes_one_a_line_newest_first(codes):
    result = run("trace", "list")
    assert result.exit_code == 0
    assert result.output.splitlines() == [codes["second"], codes["first"]]
    assert run("trace", "list", "--limit", "1").output.splitlines() == [codes["second"]]


def test_qr_writes_a_png_that_decodes_to_the_digital_link(codes, tmp_path):
    out = tmp_path / "code.png"
    result = run("trace", "qr", codes["first"], str(out))
    assert result.exit_code == 0
    assert [found.text for found in zxingcpp.read_barcodes(Image.open(out))] == [codes["link"]]


def test_epcis_writes_the_batch_document(codes, tmp_path):
    out = tmp_path / "batch.json"
    assert run("trace", "epcis", codes["first"], str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "EPCISDocument" and len(document["epcisBody"]["eventList"]) == 4


def test_resolve_turns_a_digital_link_into_its_batch(codes):
    result = run("trace", "resolve", codes["link"])
    assert result.exit_code == 0
    assert result.output.strip() == f"{codes['first']}\t石坪脐橙\tL1"


def test_resolve_of_a_link_with_a_wrong_gtin_says_why_in_chinese(codes):
    result = run("trace", "resolve", "https://yunong.example.cn/01/06901234567891/10/L1")
    assert result.exit_code == 1
    assert "校验位错误" in result.output and "Traceback" not in result.output


def test_certificate_of_an_unharvested_batch_is_refused(codes, tmp_path):
    result = run("trace", "certificate", codes["second"], str(tmp_path / "c.pdf"))
    assert result.exit_code == 1
    assert "尚未采收" in result.output
    assert not (tmp_path / "c.pdf").exists()


def test_certificate_writes_a_label_pdf(codes, tmp_path):
    out = tmp_path / "labels.pdf"
    result = run(
        "trace", "certificate", codes["first"], str(out), "--size", "70x50", "--copies", "3"
    )
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")
