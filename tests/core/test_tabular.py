"""Tables as offices keep them: a title above the header, spreadsheet line numbers kept."""

import openpyxl
import pytest

from yunong.core.errors import InvalidValue
from yunong.core.tabular import read_table

COLUMNS = {"name": ("户主姓名", "姓名"), "amount": ("金额(元)",)}


def workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_header_below_a_title_and_a_unit_line_is_found_and_lines_keep_their_numbers(tmp_path):
    path = workbook(
        tmp_path / "明细.xlsx",
        [
            ["2024年度补贴发放明细表"],
            ["填报单位：石坪村", None, "单位：元"],
            ["姓名", "金额（元）"],
            ["张三", 1200],
            ["李四", "1.5万"],
        ],
    )
    rows = list(read_table(path, COLUMNS, ("name", "amount")))
    assert rows == [
        (4, {"name": "张三", "amount": "1200"}),
        (5, {"name": "李四", "amount": "1.5万"}),
    ]


def test_a_table_whose_top_rows_hold_no_header_is_refused_naming_the_missing_columns(tmp_path):
    path = workbook(tmp_path / "明细.xlsx", [["2024年度补贴发放明细表"], ["张三", 1200]])
    with pytest.raises(InvalidValue, match="缺少列：户主姓名、金额"):
        list(read_table(path, COLUMNS, ("name", "amount")))
