"""`yunong collective …` from the command line: an organisation registered in a database that
holds only regions, the voucher import's JSON in the issue's shape with exit code 3, and the
reports as JSON, xlsx and PDF."""

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.collective.factories import (
    NET_INCOME_2024,
    TOTAL_ASSETS_2024,
    TOTAL_EQUITY_2024,
    TOTAL_LIABILITIES_2024,
    uscc,
    write_book,
)
from tests.factories import make_place
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def place(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        found = make_place(session)
    engine.dispose()
    return found


def test_an_organisation_is_registered_and_its_books_imported_and_reported(place, tmp_path):
    code = uscc(place.village)
    added = runner.invoke(
        app,
        [
            "collective",
            "org",
            "add",
            "--region",
            place.village,
            "--name",
            "石坪村股份经济合作联合社",
            "--uscc",
            code,
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    org_code = json.loads(added.stdout)["code"]
    assert org_code.startswith("P" + place.village)

    book = write_book(tmp_path / "凭证.xlsx")
    imported = runner.invoke(
        app, ["collective", "import", "vouchers", str(book), "--org", place.village, "--json"]
    )
    assert imported.exit_code == 3, imported.output
    shown = json.loads(imported.stdout)
    assert shown["vouchers"] == {"imported": 9, "unchanged": 0, "rejected": 5}
    assert shown["lines"] == 24
    assert [error["voucher"] for error in shown["errors"]] == [
        "记-004",
        "记-005",
        "记-006",
        "记-007",
        "记-008",
    ]
    again = runner.invoke(
        app, ["collective", "import", "vouchers", str(book), "--org", code, "--json"]
    )
    assert json.loads(again.stdout)["vouchers"] == {"imported": 0, "unchanged": 9, "rejected": 5}

    sheet = runner.invoke(
        app,
        [
            "collective",
            "report",
            "balance-sheet",
            "--org",
            org_code,
            "--period",
            "2024-12",
            "--format",
            "json",
        ],
    )
    figures = json.loads(sheet.stdout)
    assert (figures["total_assets"], figures["total_liabilities"], figures["total_equity"]) == (
        float(TOTAL_ASSETS_2024),
        float(TOTAL_LIABILITIES_2024),
        float(TOTAL_EQUITY_2024),
    )
    income = runner.invoke(
        app, ["collective", "report", "income", "--org", org_code, "--period", "2024-12"]
    )
    assert json.loads(income.stdout)["net_income"] == float(NET_INCOME_2024)

    xlsx = tmp_path / "bs.xlsx"
    written = runner.invoke(
        app,
        [
            "collective",
            "report",
            "balance-sheet",
            "--org",
            org_code,
            "--period",
            "2024-12",
            "--format",
            "xlsx",
            "-o",
            str(xlsx),
        ],
    )
    assert written.exit_code == 0, written.output
    cells = [row for row in openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True)]
    assert ["资产总计", None, float(TOTAL_ASSETS_2024)] in [list(row) for row in cells]
    pdf = tmp_path / "income.pdf"
    runner.invoke(
        app,
        [
            "collective",
            "report",
            "income",
            "--org",
            org_code,
            "--period",
            "2024-12",
            "--format",
            "pdf",
            "-o",
            str(pdf),
        ],
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_bad_credit_code_is_refused_with_its_check_character(place):
    code = uscc(place.village)
    wrong = code[:17] + ("A" if code[17] != "A" else "B")
    result = runner.invoke(
        app,
        [
            "collective",
            "org",
            "add",
            "--region",
            place.village,
            "--name",
            "石坪村股份经济合作联合社",
            "--uscc",
            wrong,
        ],
    )
    assert result.exit_code == 1
    assert f"校验位错误：末位应为 {code[17]}" in result.stderr
    not_collective = runner.invoke(
        app,
        [
            "collective",
            "org",
            "add",
            "--region",
            place.village,
            "--name",
            "某公司",
            "--uscc",
            "914403001922038216",
        ],
    )
    assert "应以 N2 开头" in not_collective.stderr
