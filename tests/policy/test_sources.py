"""Every value of the pack says where it comes from, and what it says is so: a number said to
be the seed's is in the seed, a text given as the seed's is the seed's, and the document shows
the pack as it is."""

from pathlib import Path

import pytest
import yaml

from yunong.core.errors import InvalidValue
from yunong.policy import document, provenance, seed
from yunong.policy.loader import PACKS, get, load_file

DOC = Path(__file__).parents[2] / "docs" / "policy.md"
SHIPPED = PACKS / "chongqing_2024.yaml"
YEARS = (2024, 2025, 2026, 2027)
# The 14 former national poverty counties (国家扶贫开发工作重点县) of Chongqing.
FORMER_POVERTY_COUNTIES = {
    "500101": "万州区", "500114": "黔江区", "500154": "开州区", "500156": "武隆区",
    "500229": "城口县", "500230": "丰都县", "500235": "云阳县", "500236": "奉节县",
    "500237": "巫山县", "500238": "巫溪县", "500240": "石柱县", "500241": "秀山县",
    "500242": "酉阳县", "500243": "彭水县",
}  # fmt: skip


def changed_pack(tmp_path: Path, change: str, value: object) -> Path:
    """The shipped pack with the value at dotted path ``change`` set to ``value``."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    *parents, last = change.split(".")
    node = data
    for part in parents:
        node = node[int(part) if part.isdigit() and int(part) in node else part]
    node[int(last) if last.isdigit() else last] = value
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_number_of_the_pack_has_a_source():
    found = provenance.values(get())
    assert len(found) > 200
    assert [value.path for value in found if not value.source] == []


def test_what_the_pack_gives_as_the_seeds_is_in_the_seed():
    assert provenance.unsupported(get()) == []


def test_the_seed_is_read_clause_by_clause():
    clauses = seed.clauses(get().seed)
    assert len(clauses) == 9 + 37
    assert "600亩" in clauses["（三十五）"]
    assert "600亩" not in clauses["（三十六）"]


def test_a_configured_number_given_as_the_seeds_is_refused(tmp_path):
    path = changed_pack(tmp_path, "indicators.linked_fund_industry_share.targets.2025.value", 70)
    with pytest.raises(InvalidValue, match=r"targets\.2025\.value：实施意见（六）中没有 70"):
        load_file(path)


def test_the_same_number_given_as_a_project_default_is_accepted(tmp_path):
    path = changed_pack(
        tmp_path,
        "indicators.linked_fund_industry_share.targets.2025",
        {"value": 70, "source": "default"},
    )
    assert load_file(path).indicators["linked_fund_industry_share"].target_source(2025) == (
        "default",
    )


def test_a_text_that_is_not_the_seeds_is_refused(tmp_path):
    path = changed_pack(tmp_path, "rules.horse_race.text", "每年开展赛马比拼并公布排名")
    with pytest.raises(
        InvalidValue, match=r"rules\.horse_race\.text：.*不是实施意见（三十七）的原文"
    ):
        load_file(path)


def test_a_source_that_is_neither_a_clause_a_named_rule_nor_default_is_refused(tmp_path):
    path = changed_pack(tmp_path, "scoring.source", "惯例")
    with pytest.raises(InvalidValue, match=r"scoring\.source.*来源“惯例”应为实施意见的条款"):
        load_file(path)


def test_configured_values_name_no_seed_clause():
    pack = get()
    assert pack.monitoring.source_of("monitoring_line") == ("default",)
    assert pack.monitoring.workflow.source_of("identification_days") == ("default",)
    assert pack.indicators["grain_output"].source_of("weight") == ("default",)
    assert pack.indicators["grain_output"].source_of("valid") == ("default",)
    assert pack.scoring.source == ("default",)


def test_the_600_mu_quota_is_each_former_poverty_countys_every_year_to_2027():
    pack = get()
    quota = pack.indicators["former_poverty_county_land_quota"]
    assert quota.applies_to == "former_national_poverty_counties"
    assert pack.members_of(quota.applies_to) == set(FORMER_POVERTY_COUNTIES)
    assert {year: quota.targets[year].value for year in YEARS} == dict.fromkeys(YEARS, 600)
    assert (quota.method, quota.levels, quota.source) == (
        "reported:district", ("city", "district"), ("（三十五）",)
    )  # fmt: skip


def test_black_odorous_water_is_cleared_by_2025_and_stays_cleared():
    water = get().indicators["black_odorous_water_bodies"]
    assert min(water.targets) == 2025
    assert {(target.kind, target.value) for target in water.targets.values()} == {("at_most", 0)}
    assert water.source == ("（十八）", "一、")


def test_hit_products_have_one_indicator_per_key_industry():
    pack = get()
    industries = pack.groups["key_industries"].members
    hit = {key: item for key, item in pack.indicators.items() if key.startswith("hit_products_")}
    assert set(hit) == {f"hit_products_{member}" for member in industries}
    assert hit["hit_products_zhacai"].name == "每个重点产业培育的“爆品”（榨菜）"
    assert {item.targets[2027].value for item in hit.values()} == {2}


def test_paired_district_indicators_apply_every_year_to_the_paired_districts_only():
    pack = get()
    paired = [item for item in pack.indicators.values() if item.clause == "（三十二）"]
    assert len(paired) == 3
    for indicator in paired:
        assert indicator.applies_to == "paired_districts"
        assert set(indicator.targets) == set(YEARS)
    assert pack.members_of("paired_districts") == {
        "500103", "500238", "500109", "500237", "500111", "500233"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("linked_fund_industry_share", 65),
        ("rural_construction_land_share", 5),
        ("former_poverty_county_land_quota", 600),
        ("expert_teams", 100),
        ("experts", 1000),
    ],
)
def test_yearly_items_have_a_target_every_year_to_2027(key, value):
    targets = get().indicators[key].targets
    assert {year: targets[year].value for year in YEARS} == dict.fromkeys(YEARS, value)


def test_the_lowest_income_line_is_below_the_monitoring_line_every_year():
    monitoring = get().monitoring
    assert set(monitoring.lowest_income_line) == set(monitoring.monitoring_line)
    for year, line in monitoring.lowest_income_line.items():
        assert line < monitoring.monitoring_line[year]


def test_a_lowest_income_line_above_the_monitoring_line_is_refused(tmp_path):
    path = changed_pack(tmp_path, "monitoring.lowest_income_line.2024", 8000)
    with pytest.raises(InvalidValue, match="2024 年最低收入农户识别线 8000 元不低于监测线 7600 元"):
        load_file(path)


def test_every_indicator_is_weighted_or_monitored_only():
    for key, indicator in get().indicators.items():
        assert (indicator.weight > 0) != indicator.monitored_only, key


def test_an_indicator_without_a_weight_must_say_it_is_monitored_only(tmp_path):
    path = changed_pack(tmp_path, "indicators.expert_teams.monitored_only", False)
    with pytest.raises(InvalidValue, match=r"indicators\.expert_teams.*monitored_only"):
        load_file(path)


def test_tracked_rules_name_an_application_of_the_platform():
    platform = Path(provenance.__file__).parents[1]
    for key, rule in get().rules.items():
        if rule.tracked:
            assert (platform / str(rule.module) / "__init__.py").is_file(), key
        else:
            assert rule.note, key


def test_the_document_shows_the_pack_with_its_sources():
    text = DOC.read_text(encoding="utf-8")
    pack = get()
    for table in (
        document.clause_table(pack),
        document.values_table(pack),
        document.untracked_list(pack),
    ):
        assert table in text, "docs/policy.md 与策略包不一致：运行 python -m yunong.policy.document"
