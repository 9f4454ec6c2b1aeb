"""Uploads pass one guard (issue 20, finding 1).

Who may upload is settled before a byte of the body is read; the body, the workbook's
unpacked size and its rows and cells are limited; the file is read in a child process
that a time limit or a departed client stops; and no transaction is open meanwhile.
"""

import asyncio
import io
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.factories import PASSWORD
from yunong.assess import importers
from yunong.core.auth.roles import Role
from yunong.core.files import FileLimits, FileRefused
from yunong.settings import Settings
from yunong.web.app import create_app
from yunong.web.uploads import ClientGone, read_in_child

PERIOD = 2024
WANZHOU = "500101000000"
UPLOAD = f"/assess/{PERIOD}/data/{WANZHOU}/upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["年度", "填报单位代码", "填报单位", "指标标识", "指标名称", "条款", "单位", "有效范围"]
HEADERS += ["本年目标", "数值"]


@pytest.fixture(scope="module")
def app(module_db_url, world, tmp_path_factory):
    settings = Settings(
        db_url=module_db_url,
        var_dir=tmp_path_factory.mktemp("var"),
        upload_max_mb=1,
        upload_max_rows=2_000,
    )
    return create_app(settings)


def bearer(world, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.accounts[role].token}"}


def template(client: TestClient, world) -> bytes:
    response = client.get(
        f"/assess/{PERIOD}/data/{WANZHOU}/template.xlsx",
        headers=bearer(world, Role.DISTRICT_OFFICER),
    )
    assert response.status_code == 200
    return response.content


def filled(blank: bytes, values: dict[str, object]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[3].value in values:
            row[9].value = values[row[3].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def saved_values(client: TestClient, world) -> dict[str, str]:
    """The values the data set form shows, by indicator."""
    page = client.get(
        f"/assess/{PERIOD}/data/{WANZHOU}", headers=bearer(world, Role.DISTRICT_OFFICER)
    ).text
    return dict(re.findall(r'name="value:([^"]+)"[^>]*value="([^"]*)"', page))


def minimal_package(sheet_xml: str, shared_strings: str | None = None) -> bytes:
    """An xlsx written by hand: the parts openpyxl needs and the given sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        overrides = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings is not None
            else ""
        )
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.worksheet+xml"/>{overrides}</Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        package.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        strings_link = (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings is not None
            else ""
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{strings_link}</Relationships>",
        )
        package.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            package.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def header_cells() -> str:
    return "".join(
        f'<c r="{chr(65 + index)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for index, name in enumerate(HEADERS)
    )


def rows_bomb() -> bytes:
    """A template's headers, then a sheet that claims every row and column an xlsx may have,
    with one cell in the last: under 2 KB, and read cell by cell it is 17 billion cells."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{header_cells()}</row><row r="1048576"><c r="XFD1048576" t="inlineStr">'
        "<is><t>2024</t></is></c></row></sheetData></worksheet>"
    )
    return minimal_package(sheet)


def shared_strings_bomb() -> bytes:
    """A workbook whose shared strings unpack to 30 MB from a few dozen KB."""
    strings = "<si><t>重庆乡村振兴</t></si>" * 1_500_000
    shared = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="1500000" uniqueCount="1500000">{strings}</sst>'
    )
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData><row r="1">{header_cells()}</row></sheetData></worksheet>'
    )
    return minimal_package(sheet, shared)


def post_file(client: TestClient, content: bytes, headers: dict[str, str], **data: str):
    return client.post(
        UPLOAD, files={"file": ("填报.xlsx", content, XLSX)}, data=data, headers=headers
    )


def test_a_filled_in_template_uploaded_by_its_unit_is_saved(anonymous, world):
    blank = template(anonymous, world)
    response = post_file(
        anonymous, filled(blank, {"grain_sown_area": 95.5}), bearer(world, Role.DISTRICT_OFFICER)
    )
    assert response.status_code == 200, response.text
    assert "已导入" in response.text
    assert saved_values(anonymous, world)["grain_sown_area"] == "95.5"


def test_a_read_only_viewers_upload_is_refused_before_any_of_its_body_is_received(app, world):
    """The ASGI body is offered chunk by chunk; the refusal comes before the first is taken."""
    taken: list[bytes] = []
    chunks = [b"x" * 65536 for _ in range(8)]
    sent: list[dict] = []

    async def receive() -> dict:
        if not chunks:
            return {"type": "http.disconnect"}
        taken.append(chunks.pop(0))
        return {"type": "http.request", "body": taken[-1], "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    token = world.accounts[Role.BANK_VIEWER].token
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": UPLOAD,
        "raw_path": UPLOAD.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("10.1.2.3", 50000),
        "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"content-length", str(8 * 65536).encode()),
        ],
    }
    asyncio.run(app(scope, receive, send))

    assert sent[0]["status"] == 403
    assert taken == []


def test_a_sheet_claiming_every_row_and_column_is_refused_and_saves_nothing(anonymous, world):
    bomb = rows_bomb()
    assert len(bomb) < 2048
    before = saved_values(anonymous, world)

    response = post_file(anonymous, bomb, bearer(world, Role.DISTRICT_OFFICER))

    assert response.status_code == 413
    assert "2,000 行的上限" in response.text and "填报.xlsx" in response.text
    assert saved_values(anonymous, world) == before


def test_a_workbook_unpacking_to_a_thousand_times_its_size_is_refused_unopened(anonymous, world):
    bomb = shared_strings_bomb()
    response = post_file(anonymous, bomb, bearer(world, Role.DISTRICT_OFFICER))
    assert response.status_code == 413
    assert "疑似压缩炸弹" in response.text


def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(app, world):
    taken: list[bytes] = []
    sent: list[dict] = []

    async def receive() -> dict:
        taken.append(b"x")
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": UPLOAD,
        "raw_path": UPLOAD.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("10.1.2.3", 50000),
        "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}".encode()),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"content-length", str(50 * 1024 * 1024).encode()),
        ],
    }
    asyncio.run(app(scope, receive, send))

    assert sent[0]["status"] == 413
    assert taken == []


def test_a_body_sent_without_a_length_is_cut_off_at_the_limit(anonymous, world):
    boundary = "yunongboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="填报.xlsx"\r\n'
        f"Content-Type: {XLSX}\r\n\r\n"
    ).encode()

    def body():
        yield head
        for _ in range(40):  # 2.5 MB against a limit of 1 MB
            yield os.urandom(65536)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = anonymous.post(
        UPLOAD,
        content=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            **bearer(world, Role.DISTRICT_OFFICER),
        },
    )
    assert response.status_code == 413
    assert "1 MB 的上限" in response.text


def test_a_signed_in_upload_with_a_forged_csrf_token_is_refused_and_saves_nothing(anonymous, world):
    blank = template(anonymous, world)
    login_page = anonymous.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
    anonymous.post(
        "/login",
        data={"csrf_token": token, "name": world.accounts[Role.DISTRICT_OFFICER].name,
              "password": PASSWORD, "next": "/"},
    )  # fmt: skip
    before = saved_values(anonymous, world)

    forged = post_file(anonymous, filled(blank, {"grain_sown_area": 12}), {}, csrf_token="x")
    assert forged.status_code == 403
    assert saved_values(anonymous, world) == before

    page = anonymous.get(f"/assess/{PERIOD}/data/{WANZHOU}").text
    good = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = post_file(anonymous, filled(blank, {"grain_sown_area": 12}), {}, csrf_token=good)
    assert accepted.status_code == 200, accepted.text


def transactions_open_elsewhere(path: Path, *, db_url: str) -> int:
    """Run in the reading child: how many transactions other connections hold open now."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        # Taking the write lock at once succeeds only if nobody else holds it.
        engine = create_engine(db_url, connect_args={"timeout": 0})
        with engine.connect() as connection:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql("ROLLBACK")
                return 0
            except Exception:
                return 1
            finally:
                engine.dispose()
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "select count(*) from pg_stat_activity where datname = current_database()"
                " and state like 'idle in transaction%' and pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return int(found)


def test_no_transaction_is_open_while_an_upload_is_read(
    anonymous, world, module_db_url, monkeypatch
):
    found: list[int] = []

    async def spy(reader, path, arguments, **limits):
        found.append(
            await read_in_child(
                transactions_open_elsewhere, path, {"db_url": module_db_url}, **limits
            )
        )
        return []

    monkeypatch.setattr("yunong.web.uploads.read_in_child", spy)
    post_file(anonymous, template(anonymous, world), bearer(world, Role.DISTRICT_OFFICER))
    assert found == [0]


def sleeper(path: Path, *, seconds: float) -> str:
    """A reader that takes its time; it leaves its process id beside the file."""
    (path.parent / "reader.pid").write_text(str(os.getpid()))
    time.sleep(seconds)
    return "done"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def never_gone() -> bool:
    return False


def test_a_reading_past_its_time_limit_is_stopped_and_refused(tmp_path):
    path = tmp_path / "slow.xlsx"
    path.write_bytes(b"")
    with pytest.raises(FileRefused, match="读取超过 1 秒"):
        asyncio.run(
            read_in_child(
                sleeper, path, {"seconds": 600}, limits=FileLimits(), seconds=1, gone=never_gone
            )
        )
    pid_file = tmp_path / "reader.pid"
    assert not pid_file.exists() or not alive(int(pid_file.read_text()))


def test_a_reading_stops_when_the_client_goes_away(tmp_path):
    path = tmp_path / "slow.xlsx"
    path.write_bytes(b"")
    pid_file = tmp_path / "reader.pid"

    async def gone_once_reading() -> bool:
        return pid_file.exists()

    with pytest.raises(ClientGone):
        asyncio.run(
            read_in_child(
                sleeper,
                path,
                {"seconds": 600},
                limits=FileLimits(),
                seconds=600,
                gone=gone_once_reading,
            )
        )
    assert not alive(int(pid_file.read_text()))


def test_a_readers_refusal_comes_back_with_its_rows(tmp_path):
    path = tmp_path / "填报.xlsx"
    path.write_bytes(filled_template_of_another_period())
    with pytest.raises(importers.Refused) as refused:
        asyncio.run(
            read_in_child(
                importers.read_entries,
                path,
                {"period": PERIOD, "region_code": WANZHOU},
                limits=FileLimits(),
                seconds=60,
                gone=never_gone,
            )
        )
    assert refused.value.errors[0].column == "年度"


def filled_template_of_another_period() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([2023, "500101", "万州区", "grain_sown_area", "", "", "万亩", "", "", 90])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
