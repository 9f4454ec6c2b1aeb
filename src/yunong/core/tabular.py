"""Read tables that people keep (xlsx or CSV with Chinese headers) into rows keyed by field name."""

import csv
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yunong.core import files
from yunong.core.errors import InvalidValue


@dataclass(frozen=True)
class RowError:
    """One refused row: its line in the file, the column and the reason, in Chinese."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行【{self.column}】：{self.reason}"


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def fold_header(text: str) -> str:
    """Headers compare without width, case or surrounding space: （元） equals (元)."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


def decode(path: Path) -> str:
    """File text as UTF-8 (with or without BOM), or as GB18030 as Chinese office tools write it."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def column_positions(
    header: list[str],
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    path: Path,
) -> dict[str, int]:
    """Each field's column index in ``header``, matching headers without width or spaces;
    a missing required column refuses the file."""
    folded = [fold_header(name) for name in header]
    positions: dict[str, int] = {}
    for name, aliases in columns.items():
        for alias in aliases:
            if fold_header(alias) in folded:
                positions[name] = folded.index(fold_header(alias))
                break
    missing = [columns[name][0] for name in required if name not in positions]
    if missing:
        raise InvalidValue(f"文件“{path.name}”缺少列：{'、'.join(missing)}")
    return positions


HEADER_SEARCH = 10
"""How many rows from the top may hold the header: sheets as offices keep them often begin
with a title, a unit or a date line above it."""


def find_header(
    rows: Iterator[list[str]],
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    path: Path,
) -> tuple[int, dict[str, int]]:
    """The header's line and each field's column: the first of the top rows that has every
    required column. When none has, the file is refused naming what the first row lacks."""
    first: list[str] | None = None
    for line, values in enumerate(rows, start=1):
        if first is None and any(value.strip() for value in values):
            first = values
        try:
            return line, column_positions(values, columns, required, path)
        except InvalidValue:
            if line >= HEADER_SEARCH:
                break
    if first is None:
        raise InvalidValue(f"文件“{path.name}”是空的")
    return 0, column_positions(first, columns, required, path)


def read_table(
    path: Path, columns: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, {field: text})`` for each non-empty row of an xlsx or CSV file.

    ``columns`` maps each field to the headers accepted for it, compared without
    width or spaces, so （元） and (元) are the same. A missing required column
    refuses the whole file before any row is read. The header may follow a few title
    lines (:func:`find_header`). Line numbers are the ones a spreadsheet shows. Inside
    :func:`yunong.core.files.limited`, a table with more rows or cells than its limits
    allow is refused as it is read.
    """
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    rows = xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else csv_rows(path)
    rows = files.count_rows(rows, path.name)
    header_line, positions = find_header(rows, columns, required, path)
    for line, values in enumerate(rows, start=header_line + 1):
        if not any(value.strip() for value in values):
            continue
        yield (
            line,
            {
                name: values[index].strip() if index < len(values) else ""
                for name, index in positions.items()
            },
        )


def csv_rows(path: Path) -> Iterator[list[str]]:
    yield from csv.reader(decode(path).splitlines())


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows as text; numbers that are whole print without ".0"."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not xlsx
        raise InvalidValue(f"文件“{path.name}”不是有效的 xlsx 工作簿：{error}") from None
    try:
        sheet = workbook.worksheets[0]
        # The sheet's own claim of its size is not believed: a few bytes can claim every
        # row and column an xlsx may have, and each row read would be padded out to it.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in row]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How text that a spreadsheet takes for a formula begins (OWASP's list for CSV injection)."""


def neutral(value: object) -> object:
    """``value`` as a cell no spreadsheet runs: text that begins like a formula gets an
    apostrophe before it, as OWASP advises, so that a self-report saying ``=HYPERLINK(…)``
    reaches an official's export as text, also after the file is saved again as CSV.
    Numbers, dates and other text stay as they are. Every xlsx and CSV the platform writes
    goes through this (a test keeps it so)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def new_workbook() -> openpyxl.Workbook:
    """An empty workbook, its first sheet ``workbook.active``; fill sheets with add_table."""
    return openpyxl.Workbook()


def add_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]] = (),
    *,
    min_width: int = 12,
) -> None:
    """A bold, frozen header row and the rows beneath it, every cell through :func:`neutral`."""
    sheet.append([neutral(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = max(min_width, len(header) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        sheet.append([neutral(value) for value in row])


def write_workbook(
    path: Path,
    headers: list[str],
    rows: Iterable[Sequence[object]] = (),
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """An xlsx with a bold, frozen header row, the rows, and a 说明 sheet of column notes."""
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    add_table(sheet, headers, rows)
    if notes:
        explained = workbook.create_sheet("说明")
        add_table(explained, ["列名", "填写说明"], notes)
        explained.column_dimensions["A"].width = 22
        explained.column_dimensions["B"].width = 80
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
