"""Read tables that people keep (CSV with Chinese headers) into rows keyed by field name."""

import csv
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


def read_csv(
    path: Path, columns: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, {field: text})`` for each non-empty row.

    ``columns`` maps each field to the headers accepted for it. A missing
    required column refuses the whole file before any row is read.
    """
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    reader = csv.reader(decode(path).splitlines())
    header = next(reader, None)
    if header is None:
        raise InvalidValue(f"文件“{path.name}”是空的")
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
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        yield (
            line,
            {
                name: values[index].strip() if index < len(values) else ""
                for name, index in positions.items()
            },
        )
