"""The yunong command line: Chinese messages, exit codes, nothing written on bad input."""

import pytest
from typer.testing import CliRunner

from yunong.cli import app
from yunong.core.identity import codes
from yunong.core.identity.codes import Kind
from yunong.settings import get_settings

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_init_loads_the_38_districts_and_a_second_run_adds_nothing(configured):
    first, second = run("init"), run("init")
    assert first.exit_code == 0 and "新增 39" in first.output
    assert second.exit_code == 0 and "新增 0" in second.output


@pytest.fixture
def demo_configured(monkeypatch: pytest.MonkeyPatch, tiny_demo_url: str):
    """The settings pointed at the shared tiny demo, which these tests only read."""
    monkeypatch.setenv("YUNONG_DB_URL", tiny_demo_url)
    get_settings.cache_clear()
    yield tiny_demo_url
    get_settings.cache_clear()


def test_regions_list_prints_code_and_name_one_a_line(demo_configured):
    result = run("regions", "list", "--level", "district")
    lines = result.output.strip().splitlines()
    assert len(lines) == 38
    assert lines[0] == "500101\t万州区"


def test_regions_list_under_a_district_lists_only_its_towns(demo_configured):
    result = run("regions", "list", "--level", "town", "--under", "500243")
    assert result.exit_code == 0
    assert all(line.startswith("500243") for line in result.output.strip().splitlines())


def test_unknown_region_exits_non_zero_with_a_chinese_message(configured):
    run("init")
    result = run("regions", "list", "--under", "500199")
    assert result.exit_code == 1
    assert "未知的区划代码“500199”" in result.output
    assert "Traceback" not in result.output


def test_code_check_accepts_a_valid_code():
    code = codes.compose(Kind.SUBJECT, "500101108201", 12)
    result = run("code", "check", code)
    assert result.exit_code == 0
    assert "校验通过" in result.output


def test_code_check_refuses_a_mistyped_code():
    code = codes.compose(Kind.SUBJECT, "500101108201", 12)
    typo = code[:5] + code[6] + code[5] + code[7:]
    result = run("code", "check", typo)
    assert result.exit_code == 1
    assert "校验位不符" in result.output


def test_a_missing_database_is_named_with_how_to_create_it(monkeypatch, tmp_path):
    monkeypatch.setenv("YUNONG_DB_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    get_settings.cache_clear()
    result = run("regions", "list")
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "不存在，请先运行 yunong init" in result.output
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize("scale", ["huge"])
def test_an_unknown_demo_scale_is_refused(configured, scale):
    result = run("demo", "--scale", scale)
    assert result.exit_code == 1
    assert "未知的规模“huge”" in result.output


def add_cadre(*extra: str):
    return run(
        "user",
        "add",
        "liming",
        "--role",
        "村干部",
        "--region",
        "500101108201",
        "--password",
        "Yunong@2024",
        "--phone",
        "13812345678",
        *extra,
    )


@pytest.fixture
def place_ready(configured):
    from tests.factories import make_place
    from yunong.store.db import make_engine, make_sessionmaker, transaction

    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    return configured


def test_user_add_accepts_the_role_by_its_chinese_name(place_ready):
    result = add_cadre()
    assert result.exit_code == 0, result.output
    assert "已新增用户 liming（村干部，500101108201）" in result.output


def test_user_list_masks_phones(place_ready):
    add_cadre()
    result = run("user", "list")
    assert "138****5678" in result.output and "13812345678" not in result.output


def test_user_add_with_an_unknown_role_names_the_choices(place_ready):
    result = run(
        "user",
        "add",
        "x",
        "--role",
        "村长",
        "--region",
        "500101108201",
        "--password",
        "Yunong@2024",
    )
    assert result.exit_code == 1
    assert "角色“村长”不存在" in result.output


def test_user_token_prints_a_token_that_the_api_accepts(place_ready):
    from fastapi.testclient import TestClient

    from yunong.web.app import create_app

    add_cadre()
    token = run("user", "token", "liming").output.strip()
    with TestClient(create_app(get_settings())) as client:
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["name"] == "liming"


def test_user_token_expires_after_the_days_given_and_is_listed_with_its_label(place_ready):
    add_cadre()
    run("user", "token", "liming", "--expires", "30", "--label", "报表同步")
    listed = run("user", "tokens", "liming")
    assert listed.exit_code == 0, listed.output
    assert "报表同步" in listed.output and "有效" in listed.output and "从未使用" in listed.output
    assert "yn_" not in listed.output


def test_user_revoke_stops_one_token_and_leaves_the_other(place_ready):
    from fastapi.testclient import TestClient

    from yunong.web.app import create_app

    add_cadre()
    kept = run("user", "token", "liming", "--label", "kept").output.strip()
    dropped = run("user", "token", "liming", "--label", "dropped").output.strip()
    newest = run("user", "tokens", "liming").output.split("│")
    token_id = next(cell.strip() for cell in newest if cell.strip().isdigit())
    result = run("user", "revoke", "liming", token_id)
    assert result.exit_code == 0, result.output
    with TestClient(create_app(get_settings())) as client:
        answers = [
            client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code
            for token in (kept, dropped)
        ]
    assert answers == [200, 401]
    assert "已吊销" in run("user", "tokens", "liming").output


def test_user_passwd_refuses_a_common_password(place_ready):
    add_cadre()
    result = run("user", "passwd", "liming", "--password", "12345678")
    assert result.exit_code == 1
    assert "密码至少 10 位" in result.output


def test_user_role_changes_the_role_and_ends_the_sessions(place_ready):
    add_cadre()
    result = run("user", "role", "liming", "网格员")
    assert result.exit_code == 0, result.output
    assert "liming 现为网格员（500101108201）" in result.output


def test_user_disable_and_passwd_are_recorded_and_verify_finds_the_chain_intact(place_ready):
    add_cadre()
    assert run("user", "passwd", "liming", "--password", "Another-Secret-2024").exit_code == 0
    assert run("user", "disable", "liming").exit_code == 0
    result = run("audit", "verify")
    assert result.exit_code == 0
    assert "审计链完好" in result.output


def test_audit_verify_names_the_first_record_changed_in_the_database(place_ready):
    from sqlalchemy import text

    from yunong.store.db import make_engine

    add_cadre()
    run("user", "disable", "liming")
    engine = make_engine(place_ready)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_record SET actor = 'intruder' WHERE seq = 1"))
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "第 1 条审计记录已被改动" in result.output


def test_regions_import_lists_refused_rows_and_exits_non_zero(configured, tmp_path):
    run("init")
    path = tmp_path / "towns.csv"
    path.write_text("代码,名称\n500101108000,龙沙镇\n5001011082,坏代码\n", encoding="utf-8")
    result = run("regions", "import", str(path))
    assert result.exit_code == 1
    assert "第 3 行【代码】" in result.output
    assert "新增 1" in result.output
