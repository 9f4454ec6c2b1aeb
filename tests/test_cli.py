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


def test_regions_list_prints_code_and_name_one_a_line(configured):
    run("demo", "--scale", "tiny")
    result = run("regions", "list", "--level", "district")
    lines = result.output.strip().splitlines()
    assert len(lines) == 38
    assert lines[0] == "500101\t万州区"


def test_regions_list_under_a_district_lists_only_its_towns(configured):
    run("demo", "--scale", "tiny")
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
