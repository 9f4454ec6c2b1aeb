"""Files as offices send them, and weekly series starting on a Monday."""

import csv
from datetime import date, timedelta
from pathlib import Path

import openpyxl

HEADER = ["日期", "指标", "区划", "数值", "单位", "来源"]
FIRST_MONDAY = date(2024, 1, 1)
CITY = "500000000000"
WANZHOU = "500101000000"


def week(number: int) -> date:
    """The Monday of the ``number``-th week (1-based) from 2024-01-01."""
    return FIRST_MONDAY + timedelta(weeks=number - 1)


def write_csv(
    path: Path, rows: list[list[object]], *, header: list[str] = HEADER, encoding: str = "utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: list[list[object]], *, header: list[str] = HEADER, title: str | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def ratio_rows(
    ratios: list[float], *, corn: float = 2.5, region: str = "重庆市"
) -> list[list[object]]:
    """Weekly pig and corn prices (元/公斤) giving these pig-grain ratios, from week 1."""
    rows: list[list[object]] = []
    for number, ratio in enumerate(ratios, start=1):
        day = week(number).isoformat()
        rows.append([day, "生猪价格", region, round(ratio * corn, 4), "元/公斤", "测试"])
        rows.append([day, "玉米价格", region, corn, "元/公斤", "测试"])
    return rows
