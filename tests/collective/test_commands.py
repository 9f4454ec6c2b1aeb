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
from tests.habitat.factories import write_xlsx
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


def run(*arguments: str):
    return runner.invoke(app, ["collective", *arguments])


def test_a_project_is_added_stepped_in_order_and_its_asset_registered(place):
    assert (
        run("org", "add", "--region", place.village, "--name", "石坪村股份经济合作联合社").exit_code
        == 0
    )
    added = run(
        "projects", "add", "--number", "CLI-01", "--name", "柑橘冷库", "--region", place.village,
        "--kind", "产业", "--fund", "中央衔接资金=50万", "--fund", "鲁渝协作=10万",
        "--approved", "2024-03-01", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["code"].startswith("E" + place.village)
    early = run("projects", "step", "--project", "CLI-01", "--step", "建成", "--date", "2024-02-01")
    assert early.exit_code == 1
    assert "早于“立项”日期 2024-03-01" in early.stderr
    built = run("projects", "step", "--project", "CLI-01", "--step", "建成", "--date", "2024-08-01")
    assert built.exit_code == 0, built.output
    asset = run(
        "projects", "asset", "--project", "CLI-01", "--category", "固定资产", "--name", "冷库",
        "--value", "60万", "--depreciation", "straight_line", "--life", "20", "--json",
    )  # fmt: skip
    assert asset.exit_code == 0, asset.output
    listed = run("registry", "list", "--org", place.village, "--json")
    assert [item["name"] for item in json.loads(listed.stdout)] == ["冷库"]
    taken = run("registry", "stock-take", "--org", place.village, "--date", "2024-12-31", "--json")
    rows = {row["account"]: row for row in json.loads(taken.stdout)["rows"]}
    # no books yet: the registry's 600,000 of fixed assets is all difference
    assert rows["151"]["difference"] == 600000.0


def test_the_project_book_import_exits_3_when_a_project_is_refused(place, tmp_path):
    book = write_xlsx(
        tmp_path / "项目库.xlsx",
        ["项目编号", "项目名称", "区划代码", "项目类型", "资金来源", "金额(万元)", "立项日期"],
        [
            ["XM-1", "村道", place.village, "基础设施", "区县衔接资金", "40", "2024-04-02"],
            ["XM-2", "广场", place.village, "文化", "中央衔接资金", "10", "2024-05-01"],
        ],
    )
    found = run("projects", "import", str(book), "--json")
    assert found.exit_code == 3
    shown = json.loads(found.stdout)
    assert shown["projects"] == {"imported": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert [(error["row"], error["project"]) for error in shown["errors"]] == [(3, "XM-2")]
    again = json.loads(run("projects", "import", str(book), "--json").stdout)
    assert again["projects"]["unchanged"] == 1


def test_a_contract_is_registered_with_its_schedule_and_a_payment_recorded(place):
    assert (
        run("org", "add", "--region", place.village, "--name", "石坪村股份经济合作联合社").exit_code
        == 0
    )
    added = run(
        "contracts", "add", "--org", place.village, "--number", "HT-01", "--kind", "发包",
        "--counterparty", "渝东水产养殖合作社", "--subject", "村集体鱼塘", "--from", "2024-01-01",
        "--to", "2025-12-31", "--price", "1万", "--pay", "2024-12-31=5000",
        "--pay", "2025-12-31=5000", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["kind"] == "letting"
    paid = run(
        "contracts", "pay", "--org", place.village, "--number", "HT-01", "--due", "2024-12-31",
        "--date", "2024-12-28",
    )  # fmt: skip
    assert paid.exit_code == 0, paid.output
    [contract] = json.loads(run("contracts", "list", "--org", place.village, "--json").stdout)
    assert [payment["paid_on"] for payment in contract["schedule"]] == ["2024-12-28", None]
