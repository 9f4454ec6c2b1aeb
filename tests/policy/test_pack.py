"""The shipped pack carries every target and rule in docs/policy.md; broken packs are refused."""

import re
from pathlib import Path

import pytest
import yaml

from yunong.core.errors import InvalidValue
from yunong.core.regions.importers import DISTRICTS_FILE
from yunong.policy.loader import PACKS, get, load_file

DOC = Path(__file__).parents[2] / "docs" / "policy.md"
ROW = re.compile(r"^\| (?P<clause>[^|]+?) \| [^|]* \| `(?P<id>[^`]+)` \|")


def documented() -> list[tuple[str, str]]:
    """(clause, pack id) of every row of the clause table in docs/policy.md."""
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    return [(row["clause"], row["id"]) for row in rows if row]


def resolve(pack: object, dotted: str) -> object:
    node = pack
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def test_every_documented_clause_has_its_indicator_or_rule_in_the_pack():
    pack = get()
    rows = documented()
    assert len(rows) > 60
    for clause, dotted in rows:
        assert resolve(pack, dotted).clause == clause, dotted  # type: ignore[attr-defined]


def test_no_pack_id_is_documented_twice():
    ids = [dotted for _, dotted in documented()]
    assert len(ids) == len(set(ids))


def test_every_indicator_and_rule_of_the_pack_is_documented():
    pack = get()
    ids = {dotted for _, dotted in documented()}
    expected = {f"indicators.{key}" for key in pack.indicators}
    expected |= {f"rules.{key}" for key in pack.rules}
    expected |= {f"lists.{key}" for key in pack.lists}
    expected |= {f"monitoring.rules.{key}" for key in pack.monitoring.rules}
    assert expected <= ids


def test_the_2024_and_2027_headline_targets_are_the_seeds():
    indicators = get().indicators
    assert indicators["grain_sown_area"].targets[2024].value == 3012
    assert indicators["grain_output"].targets[2024].value == 216
    assert indicators["cultivated_land"].targets[2024].value == 2665
    assert indicators["model_village_rate"].targets[2024].value == 30
    assert indicators["model_village_rate"].targets[2027].value == 100
    assert [indicators[key].targets[2027].value for key in (
        "demonstration_towns", "demonstration_villages", "demonstration_courtyards"
    )] == [100, 1000, 10000]  # fmt: skip


def test_named_list_and_pairing_members_are_chongqing_districts():
    districts = {
        line.split(",")[0] for line in DISTRICTS_FILE.read_text(encoding="utf-8").splitlines()
    }
    pack = get()
    for named in [*pack.lists.values(), *pack.pairings.values()]:
        assert set(named.members) <= districts, named.name


def broken_pack(tmp_path: Path, change: str, value: object) -> Path:
    """The shipped pack with the value at dotted path ``change`` replaced."""
    data = yaml.safe_load((PACKS / "chongqing_2024.yaml").read_text(encoding="utf-8"))
    *parents, last = change.split(".")
    node = data
    for part in parents:
        node = node[int(part) if isinstance(node, dict) and part.isdigit() else part]
    node[int(last) if last.isdigit() else last] = value
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_pack_citing_a_clause_the_seed_does_not_have_is_refused(tmp_path):
    path = broken_pack(tmp_path, "rules.horse_race.clause", "（三十八）")
    with pytest.raises(
        InvalidValue, match=r"broken\.yaml 的 rules\.horse_race\.clause.*（三十八）"
    ):
        load_file(path)


def test_a_target_outside_the_valid_range_is_refused(tmp_path):
    path = broken_pack(tmp_path, "indicators.grain_output.targets.2024.value", 900)
    with pytest.raises(InvalidValue, match=r"indicators\.grain_output.*900.*0—500"):
        load_file(path)


def test_a_duplicate_id_is_refused_with_its_line(tmp_path):
    text = (PACKS / "chongqing_2024.yaml").read_text(encoding="utf-8")
    duplicate = text.replace("  grain_output:\n", "  grain_sown_area:\n", 1)
    path = tmp_path / "duplicate.yaml"
    path.write_text(duplicate, encoding="utf-8")
    with pytest.raises(InvalidValue, match=r"duplicate\.yaml 的第 \d+ 行：“grain_sown_area”重复"):
        load_file(path)


def test_a_list_with_more_members_than_the_seed_names_is_refused(tmp_path):
    path = broken_pack(tmp_path, "lists.national_key_assistance_counties.members", ["500229"] * 2)
    with pytest.raises(InvalidValue, match="成员有重复"):
        load_file(path)
