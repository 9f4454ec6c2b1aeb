"""Chinese by default, English on request, and no page text left untranslated."""

import ast
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import yunong
from yunong import apps
from yunong.assess import cockpit, datasets, scoring
from yunong.collective import contracts as collective_contracts
from yunong.collective import lists as collective_lists
from yunong.collective import members as collective_members
from yunong.collective import projects as collective_projects
from yunong.collective import registry as collective_registry
from yunong.collective import reports as collective_reports
from yunong.collective import views as collective_views
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.identity import codes as identity_codes
from yunong.core.regions.codes import Level
from yunong.exchange import lists as exchange_lists
from yunong.exchange import ticket_pages, ticket_views, tickets
from yunong.farmland import codes as farmland_codes
from yunong.farmland import entry_views as farmland_entry_views
from yunong.fishery import cases as fishery_cases
from yunong.fishery import fishers as fishery_fishers
from yunong.fishery import teams as fishery_teams
from yunong.fishery import tips as fishery_tips
from yunong.fishery import views as fishery_views
from yunong.fishery import zones as fishery_zones
from yunong.governance import grid_views as governance_grid_views
from yunong.governance import lists as governance_lists
from yunong.governance import matters as governance_matters
from yunong.governance import points as governance_points
from yunong.governance import points_views as governance_points_views
from yunong.governance import public_matters as governance_public
from yunong.habitat import lists as habitat_lists
from yunong.habitat import toilets as habitat_toilets
from yunong.habitat import views as habitat_views
from yunong.industry import lists as industry_lists
from yunong.land import codes as land_codes
from yunong.land import ledger
from yunong.land.map import LAYERS
from yunong.monitor import problems, profile, removal, visits, workflow
from yunong.policy import loader
from yunong.services import lists as services_lists
from yunong.services import solver as services_solver
from yunong.services import views as services_views
from yunong.trace import batches, brands, events, flags, producers
from yunong.web import i18n
from yunong.web.auth import LOGIN_REASONS

TEMPLATES = Path(i18n.__file__).parent / "templates"
# Texts the pages translate that come from code rather than from the templates.
FROM_CODE = (
    [role.label for role in Role]
    + [entry.title for entry in apps.navigation(None)]
    + [level.label for level in Level]
    + list(LOGIN_REASONS.values())
    + ["用户名或密码错误，或账号已停用", "登录失败次数过多，请稍后再试"]
    + [layer.name for layer in LAYERS.values()]
    + [label for layer in LAYERS.values() for label, _ in layer.classes.values()]
)


def label_tables() -> dict[str, list[str]]:
    """Every table of labels in code and in the policy pack that the pages show, by name."""
    pack = loader.get()
    tables = {
        "workflow.STATE_LABELS": workflow.STATE_LABELS,
        "exchange.tickets.STEP_LABELS": tickets.STEP_LABELS,
        "exchange.ticket_pages.STEP_NAMES": ticket_pages.STEP_NAMES,
        "exchange.ticket_views.DONE": ticket_views.DONE,
        "exchange.lists.STATUSES": exchange_lists.STATUSES,
        "exchange kinds (pack)": {
            key: kind.name for key, kind in (pack.exchange.kinds.items() if pack.exchange else ())
        },
        "workflow.STEPS": {name: step.label for name, step in workflow.STEPS.items()},
        "problems.KIND_LABELS": problems.KIND_LABELS,
        "removal.CRITERION_LABELS": removal.CRITERION_LABELS,
        "profile.SOURCE_LABELS": profile.SOURCE_LABELS,
        "visits.CHECK_LABELS": visits.CHECK_LABELS,
        "cockpit.COLOUR_LABELS": cockpit.COLOUR_LABELS,
        "datasets.STATES": datasets.STATES,
        "identity.KIND_LABELS": identity_codes.KIND_LABELS,
        "land.UNIT_KIND_LABELS": land_codes.UNIT_KIND_LABELS,
        "land.USE_LABELS": land_codes.USE_LABELS,
        "land.ZONE_KIND_LABELS": land_codes.ZONE_KIND_LABELS,
        "ledger.KIND_LABELS": ledger.KIND_LABELS,
        "producers.PRODUCER_KIND_LABELS": producers.PRODUCER_KIND_LABELS,
        "brands.BRAND_KIND_LABELS": brands.BRAND_KIND_LABELS,
        "flags.STATE_LABELS": flags.STATE_LABELS,
        "flags.REASON_LABELS": flags.REASON_LABELS,
        "events.STEP_LABELS": events.STEP_LABELS,
        "events.INPUT_KINDS": events.INPUT_KINDS,
        "events.RESULTS": events.RESULTS,
        "monitoring measure kinds (pack)": pack.monitoring.workflow.measure_kinds,
        "farmland.STEP_LABELS": farmland_codes.STEP_LABELS,
        "farmland.KIND_LABELS": farmland_codes.KIND_LABELS,
        "farmland.PARTY_LABELS": farmland_codes.PARTY_LABELS,
        "farmland.REPORT_KINDS": farmland_codes.REPORT_KINDS,
        "farmland.DUTY_KINDS": farmland_codes.DUTY_KINDS,
        "farmland.FUNDING_SOURCES": farmland_codes.FUNDING_SOURCES,
        "farmland list statuses": {"library": "项目库"},
        "farmland entry DONE": farmland_entry_views.DONE,
        "industry.RULE_LABELS": industry_lists.RULE_LABELS,
        "industry.STATUSES": industry_lists.STATUSES,
        "industry.LEVEL_LABELS": industry_lists.LEVEL_LABELS,
        "habitat.STATE_LABELS": habitat_toilets.STATE_LABELS,
        "habitat.STEP_LABELS": habitat_toilets.STEP_LABELS,
        "habitat.DONE": habitat_views.DONE,
        "habitat.WATER statuses": habitat_lists.WATER.statuses,
        "habitat.SETTLEMENTS statuses": habitat_lists.SETTLEMENTS.statuses,
        "fishery.KIND_LABELS": fishery_zones.KIND_LABELS,
        "fishery.tips.STATUS_LABELS": fishery_tips.STATUS_LABELS,
        "fishery.cases.STEP_LABELS": fishery_cases.STEP_LABELS,
        "fishery.cases.STEP_FIELD": fishery_cases.STEP_FIELD,
        "fishery.INSURANCE_LABELS": fishery_fishers.INSURANCE_LABELS,
        "fishery.EMPLOYMENT_LABELS": fishery_fishers.EMPLOYMENT_LABELS,
        "fishery.DONE": fishery_views.DONE,
        "governance.KIND_LABELS": governance_matters.KIND_LABELS,
        "governance.SOURCES": governance_matters.SOURCES,
        "governance.STATES": governance_lists.STATES,
        "governance.CLASS_LABELS": governance_matters.CLASS_LABELS,
        "governance.points.STATE_LABELS": governance_points.STATE_LABELS,
        "governance.points.LEDGER_LABELS": governance_points.LEDGER_LABELS,
        "governance.points_views.DONE": governance_points_views.DONE,
        "governance.grid_views.DONE": governance_grid_views.DONE,
        "governance.public_matters.STATE_LABELS": governance_public.STATE_LABELS,
        "fishery.teams.MEMBER_ROLES": fishery_teams.MEMBER_ROLES,
        "collective.ORGANISATIONS statuses": collective_lists.ORGANISATIONS.statuses,
        "collective.MEMBERS statuses": collective_lists.MEMBERS.statuses,
        "collective.STATUSES": collective_members.STATUSES,
        "collective.SIDE_LABELS": collective_reports.SIDE_LABELS,
        "collective.DONE": collective_views.DONE,
        "collective.projects.STEPS": collective_projects.STEPS,
        "collective.registry.DEPRECIATION": collective_registry.DEPRECIATION,
        "collective.registry.KIND_LABELS": collective_registry.KIND_LABELS,
        "collective.contracts.KINDS": collective_contracts.KINDS,
        "services.MACHINE_STATUSES": services_lists.MACHINE_STATUSES,
        "services.ORDER_STATUSES": services_lists.ORDER_STATUSES,
        "services.DRYING_STATUSES": services_lists.DRYING_STATUSES,
        "services.CONTRACT_STATES": services_lists.CONTRACT_STATES,
        "services.DONE": services_views.DONE,
        "services trusteeship kinds (pack)": (
            pack.services.trusteeship.kinds if pack.services else {}
        ),
        "services profit models (pack)": (
            pack.services.trusteeship.profit_models if pack.services else {}
        ),
    }
    lists = {
        "workflow.RISK_TYPES": list(workflow.RISK_TYPES),
        "batches.UNITS": list(batches.UNITS),
        "monitoring categories (pack)": list(pack.monitoring.workflow.categories),
        "indicator units (pack)": sorted({item.unit for item in pack.indicators.values()} - {"%"}),
        "scoring.MISSING": [scoring.MISSING],
        "farmland.CONTENT_UNITS": [
            *farmland_codes.CONTENT_UNITS,
            *farmland_codes.CONTENT_UNITS.values(),
        ],
        "services operations and machine types (pack)": [
            *(pack.services.operations if pack.services else ()),
            *(pack.services.machine_types if pack.services else ()),
        ],
        "services unassigned reasons and subsidy exclusions": [
            services_solver.NO_POSITION,
            services_solver.NO_MACHINE,
            services_solver.TOO_LARGE,
            services_solver.CAPACITY_EXHAUSTED,
            "撂荒",
            "非粮用途",
        ],
        "industry series units (pack)": sorted(
            {series.unit for series in (pack.industry.series.values() if pack.industry else ())}
            - {"%"}
        ),
    }
    labelled = {name: [str(label) for label in table.values()] for name, table in tables.items()}
    return labelled | lists


def english_catalog() -> dict[str, str]:
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return {message.id: message.string for message in read_po(source) if message.id}


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_text_on_the_pages_has_an_english_translation():
    catalog = english_catalog()
    wanted = template_messages() | set(FROM_CODE)
    assert sorted(text for text in wanted if not catalog.get(text)) == []


def test_every_label_table_in_code_has_an_english_translation():
    catalog = english_catalog()
    missing = {
        name: [label for label in labels if label and not catalog.get(label)]
        for name, labels in label_tables().items()
    }
    assert {name: labels for name, labels in missing.items() if labels} == {}


def error_templates() -> dict[str, str]:
    """Each business error raised with a template and its values, ``X("…{name}…", name=…)``,
    with where it is raised."""
    found = {}
    for path in Path(yunong.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.keywords
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and isinstance(node.func, ast.Name)
                and node.func.id[0].isupper()
                and "{" in node.args[0].value
            ):
                found[node.args[0].value] = f"{path.name}:{node.lineno}"
    return found


def test_every_error_raised_with_values_has_an_english_template():
    catalog = english_catalog()
    templates = error_templates()
    assert "用户名“{name}”已存在" in templates
    assert {text: place for text, place in templates.items() if not catalog.get(text)} == {}


def test_an_error_is_shown_in_english_with_its_values_and_labels_translated():
    token = i18n.current_language.set("en")
    try:
        taken = i18n.error_text(Conflict("用户名“{name}”已存在", name="张三"))
        wrong = i18n.error_text(
            InvalidValue(
                "{role}应绑定到{allowed}级区划，{region}是{level}级",
                role="网格员",
                allowed="村",
                region="龙沙镇",
                level="乡镇",
            )
        )
    finally:
        i18n.current_language.reset(token)
    assert taken == "The user name “张三” is taken"
    assert wrong == "A Grid worker belongs to a region of level Villages; 龙沙镇 is of level Towns"


def test_an_error_keeps_its_chinese_message_for_the_api_and_the_command_line():
    error = Conflict("用户名“{name}”已存在", name="张三")
    assert error.message == str(error) == "用户名“张三”已存在"


def test_pages_are_chinese_by_default(anonymous):
    page = anonymous.get("/login").text
    assert '<html lang="zh-CN">' in page and ">登录</button>" in page


def test_the_english_switch_translates_the_page_and_the_chinese_switch_returns(anonymous):
    anonymous.get("/lang/en")
    assert ">Log in</button>" in anonymous.get("/login").text
    anonymous.get("/lang/zh")
    assert ">登录</button>" in anonymous.get("/login").text
