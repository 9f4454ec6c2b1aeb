"""Limits on the files people hand in: a page's upload and a command's import alike.

An xlsx workbook is a zip, and 1.7 KB of zip can unpack to gigabytes of XML that openpyxl
would read for the better part of an hour. So a file is measured before anything opens
it: its size, and for a zip its central directory, which states what every member unpacks
to (Python's zipfile stops at the stated size, so a member cannot unpack further than its
entry says). Rows and cells are counted while a table is read, by :func:`count_rows` in
the reader, against the limits :func:`limited` put in force.
"""

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from yunong.core.errors import InvalidValue, YunongError

MB = 1024 * 1024
SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
ROW = re.compile(rb"<row[\s>/]")
ROW_NUMBER = re.compile(rb"<row\s[^>]*?\br=\"(\d+)\"")
CELL = re.compile(rb"<c[\s>/]")
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".zip"}
TEXT_SUFFIXES = {".csv", ".txt"}


class FileRefused(InvalidValue):
    """A file refused for its size or shape before (or while) it is read; nothing is saved."""

    status_code = 413


@dataclass(frozen=True)
class FileLimits:
    """How large a file may be, unpacked and as a table."""

    max_bytes: int = 20 * MB
    max_unzipped_bytes: int = 100 * MB
    max_ratio: int = 100
    max_rows: int = 100_000
    max_cells: int = 2_000_000

    @classmethod
    def of(
        cls,
        *,
        max_mb: float,
        max_unzipped_mb: float,
        max_ratio: int,
        max_rows: int,
        max_cells: int,
    ) -> "FileLimits":
        return cls(int(max_mb * MB), int(max_unzipped_mb * MB), max_ratio, max_rows, max_cells)


ACTIVE: ContextVar[FileLimits | None] = ContextVar("yunong_file_limits", default=None)
"""The limits of the file being read, if it came through :func:`limited`."""


def check(path: Path, limits: FileLimits) -> None:
    """Refuse ``path`` when it is larger than the limits allow, before anything parses it."""
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileRefused(
            f"文件“{path.name}”有 {size / MB:.1f} MB，超过上限 {limits.max_bytes / MB:g} MB"
        )
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        check_zip(path, limits)
    elif suffix in TEXT_SUFFIXES:
        check_lines(path, limits)


def check_zip(path: Path, limits: FileLimits) -> None:
    """The zip's central directory (total unpacked size, each member's ratio), then the rows
    and cells its worksheets hold."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_directory(path, archive.infolist(), limits)
            for member in archive.infolist():
                if SHEET.fullmatch(member.filename):
                    check_sheet(path, archive, member, limits)
    except YunongError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidValue(f"文件“{path.name}”不是有效的 xlsx 工作簿（无法按 zip 打开）") from None


def check_directory(path: Path, members: list[zipfile.ZipInfo], limits: FileLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise FileRefused(
            f"文件“{path.name}”解压后有 {total / MB:,.0f} MB，超过上限 "
            f"{limits.max_unzipped_bytes / MB:g} MB，疑似压缩炸弹，未读取"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        # Small members compress however they like; only ratios that add up to much count.
        if member.file_size > MB and ratio > limits.max_ratio:
            raise FileRefused(
                f"文件“{path.name}”中的“{member.filename}”压缩比为 {ratio:,.0f} 倍，"
                f"超过上限 {limits.max_ratio} 倍，疑似压缩炸弹，未读取"
            )


def check_sheet(
    path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: FileLimits
) -> None:
    """A worksheet's rows, by their numbers too (a sheet may number a row 1048576 and leave
    out the rest), and its cells, counted in the XML as it unpacks, without parsing it.

    Tags written with a namespace prefix are not counted here; the reader counts them."""
    last_row = rows = cells = 0
    pending = b""
    with archive.open(member) as sheet:
        while True:
            chunk = sheet.read(MB)
            text = pending + chunk
            cut = text.rfind(b"<")
            if chunk and cut > 0:
                # The last tag may be cut in two: it is counted with the next chunk.
                text, pending = text[:cut], text[cut:]
            else:
                pending = b""
            last_row = max([last_row, *(int(number) for number in ROW_NUMBER.findall(text))])
            rows += len(ROW.findall(text))
            cells += len(CELL.findall(text))
            if not chunk:
                break
    if max(last_row, rows) > limits.max_rows + 1:
        raise FileRefused(too_many_rows(path.name, limits))
    if cells > limits.max_cells:
        raise FileRefused(too_many_cells(path.name, limits))


def check_lines(path: Path, limits: FileLimits) -> None:
    """A text table's lines, counted without parsing it."""
    lines = 0
    with path.open("rb") as text:
        while chunk := text.read(MB):
            lines += chunk.count(b"\n")
    if lines > limits.max_rows + 1:
        raise FileRefused(too_many_rows(path.name, limits))


def too_many_rows(name: str, limits: FileLimits) -> str:
    return f"文件“{name}”超过 {limits.max_rows:,} 行的上限，未导入；请拆分后分批导入"


def too_many_cells(name: str, limits: FileLimits) -> str:
    return f"文件“{name}”超过 {limits.max_cells:,} 个单元格的上限，未导入；请拆分后分批导入"


@contextmanager
def limited(path: Path, limits: FileLimits) -> Iterator[Path]:
    """Check ``path`` and read it within ``limits``: tables read inside count their rows."""
    check(path, limits)
    token = ACTIVE.set(limits)
    try:
        yield path
    finally:
        ACTIVE.reset(token)


def count_rows(rows: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    """``rows`` as they are, refused once they pass the limits in force (if any)."""
    limits = ACTIVE.get()
    if limits is None:
        yield from rows
        return
    cells = 0
    for number, row in enumerate(rows, start=1):
        cells += len(row)
        if number > limits.max_rows + 1:
            raise FileRefused(too_many_rows(name, limits))
        if cells > limits.max_cells:
            raise FileRefused(too_many_cells(name, limits))
        yield row
