"""Files are measured before anything opens them, and tables counted as they are read; the
command-line imports are held to the same limits, which a flag may raise (issue 20,
finding 1)."""

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.web.test_uploads import minimal_package, rows_bomb, shared_strings_bomb
from yunong.cli import app
from yunong.core import files
from yunong.core.files import MB, FileLimits, FileRefused
from yunong.core.tabular import read_table
from yunong.store.db import make_engine, make_sessionmaker, transaction

SMALL = FileLimits(
    max_bytes=MB, max_unzipped_bytes=5 * MB, max_ratio=100, max_rows=50, max_cells=400
)
COLUMNS = {"name": ("名称",), "value": ("数值",)}
runner = CliRunner()


def workbook(rows: int, columns: int = 2) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "数值"] + [f"列{index}" for index in range(columns - 2)])
    for number in range(rows):
        sheet.append([f"第{number}项", number] + [number] * (columns - 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_within_the_limits_is_read_whole(tmp_path):
    path = tmp_path / "表.xlsx"
    path.write_bytes(workbook(rows=50))
    with files.limited(path, SMALL):
        rows = list(read_table(path, COLUMNS, ("name",)))
    assert len(rows) == 50 and rows[-1] == (51, {"name": "第49项", "value": "49"})


def test_a_file_larger_than_the_limit_is_refused_by_its_size(tmp_path):
    path = tmp_path / "大.csv"
    path.write_bytes(b"x" * (MB + 1))
    with pytest.raises(FileRefused, match="有 1.0 MB，超过上限 1 MB"):
        files.check(path, SMALL)


def test_a_sheet_numbering_a_row_past_the_limit_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(rows_bomb())
    with pytest.raises(FileRefused, match="超过 50 行的上限"):
        files.check(path, SMALL)


def test_a_sheet_with_more_rows_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "长.xlsx"
    path.write_bytes(workbook(rows=51))
    with pytest.raises(FileRefused, match="超过 50 行的上限"):
        files.check(path, SMALL)


def test_a_sheet_with_more_cells_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "宽.xlsx"
    path.write_bytes(workbook(rows=20, columns=30))
    with pytest.raises(FileRefused, match="超过 400 个单元格的上限"):
        files.check(path, SMALL)


def test_a_member_unpacking_past_the_ratio_is_refused_as_a_zip_bomb(tmp_path):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(shared_strings_bomb())
    limits = FileLimits(max_unzipped_bytes=100 * MB)
    with pytest.raises(FileRefused, match="压缩比为 .* 倍，超过上限 100 倍，疑似压缩炸弹"):
        files.check(path, limits)


def test_a_zip_unpacking_past_the_total_is_refused(tmp_path):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(shared_strings_bomb())
    with pytest.raises(FileRefused, match="解压后有 .* MB，超过上限 5 MB"):
        files.check(path, SMALL)


def test_a_file_that_is_not_a_zip_is_refused_as_no_workbook(tmp_path):
    path = tmp_path / "假.xlsx"
    path.write_bytes(b"name,value\n")
    with pytest.raises(files.InvalidValue, match="不是有效的 xlsx 工作簿"):
        files.check(path, SMALL)


def test_a_csv_with_more_lines_than_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "长.csv"
    path.write_text("名称,数值\n" + "".join(f"项{n},{n}\n" for n in range(51)), encoding="utf-8")
    with pytest.raises(FileRefused, match="超过 50 行的上限"):
        files.check(path, SMALL)


def test_rows_past_the_limit_are_refused_as_they_are_read(tmp_path):
    """A sheet written with prefixed tags slips past the count before opening; the reader
    counts every row it yields."""
    path = tmp_path / "长.xlsx"
    path.write_bytes(workbook(rows=60))
    token = files.ACTIVE.set(SMALL)
    try:
        with pytest.raises(FileRefused, match="超过 50 行的上限"):
            list(read_table(path, COLUMNS, ("name",)))
    finally:
        files.ACTIVE.reset(token)


def test_the_reader_does_not_believe_the_size_a_sheet_claims(tmp_path):
    """A sheet that claims every row and column an xlsx may have, holding three rows of two
    cells: read as the three rows they are, not padded out to 16384 columns."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        + "".join(
            f'<row r="{line}"><c r="A{line}" t="inlineStr"><is><t>{name}</t></is></c>'
            f'<c r="B{line}" t="inlineStr"><is><t>{value}</t></is></c></row>'
            for line, (name, value) in enumerate(
                [("名称", "数值"), ("稻谷", "12"), ("玉米", "7")], start=1
            )
        )
        + "</sheetData></worksheet>"
    )
    path = tmp_path / "声称.xlsx"
    path.write_bytes(minimal_package(sheet))
    with files.limited(path, SMALL):
        rows = list(read_table(path, COLUMNS, ("name",)))
    assert rows == [(2, {"name": "稻谷", "value": "12"}), (3, {"name": "玉米", "value": "7"})]


@pytest.mark.db
def test_a_command_line_import_is_held_to_the_upload_limits_unless_a_flag_raises_them(
    configured, tmp_path, monkeypatch
):
    monkeypatch.setenv("YUNONG_UPLOAD_MAX_ROWS", "10")
    from yunong.settings import get_settings

    get_settings.cache_clear()
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    template = tmp_path / "万州.xlsx"
    base = ["--period", "2024", "--region", "500101"]
    assert runner.invoke(app, ["assess", "template", str(template), *base]).exit_code == 0

    refused = runner.invoke(app, ["assess", "upload", str(template), *base])
    assert refused.exit_code == 1
    assert "超过 10 行的上限" in refused.output

    raised = runner.invoke(app, ["assess", "upload", str(template), *base, "--max-rows", "500"])
    assert raised.exit_code == 0, raised.output
    get_settings.cache_clear()
