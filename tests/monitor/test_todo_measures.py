"""落实帮扶措施 in 待办: once the district includes a household, the village puts in place the
measures its list lacks (development help where there is labour, protection where not);
the item goes once the list holds them."""

from datetime import date, timedelta

from tests.factories import add_user, make_place
from tests.monitor.factories import Member, add_alert, add_household, family
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import measures, opening, workflow
from yunong.monitor.todo import todo
from yunong.policy import loader

PACK = loader.get()
START = date(2024, 6, 3)
DUE = START + timedelta(days=30)
ALONE = [Member("王大爷", date(1940, 2, 1))]
"""A household without labour: one man past working age."""


def as_role(place, role: Role, actor: str = "") -> Scope:
    region = {Role.DISTRICT_OFFICER: place.district, Role.TOWN_OFFICER: place.town}
    return Scope(
        actor=actor or role.value, region_code=region.get(role, place.village), role=role.value
    )


def waiting_approval(session, place, members, number: str):
    """A case taken through identification up to 区县审批, all on time."""
    add_user(session, f"grid_{number}", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number=number, members=members)
    case = opening.open_case(
        session, scope=as_role(place, Role.VILLAGE_CADRE), alert_id=add_alert(session, made).id,
        grid_worker=f"grid_{number}", pack=PACK, today=START,
    )  # fmt: skip
    steps = [
        ("verify", Role.GRID_WORKER, f"grid_{number}"),
        ("village_review", Role.VILLAGE_CADRE, ""),
        ("town_review", Role.TOWN_OFFICER, ""),
    ]
    for name, role, actor in steps:
        workflow.take_step(
            session, scope=as_role(place, role, actor), case=case, step_name=name, pack=PACK,
            today=START,
        )  # fmt: skip
    return case


def approve(session, place, case) -> None:
    workflow.include(
        session, scope=as_role(place, Role.DISTRICT_OFFICER), case=case, pack=PACK,
        category="边缘易致贫户", risk_types=["因病"], today=START,
    )  # fmt: skip


def add_measure(session, place, case, kind: str) -> None:
    measures.add(
        session, scope=as_role(place, Role.VILLAGE_CADRE), case=case,
        measure_in=measures.MeasureIn(kind, "按清单落实", "镇社会事务办", DUE), pack=PACK,
        today=START,
    )  # fmt: skip


def to_put_in_place(session, scope: Scope) -> list[str]:
    found = {kind.kind: kind for kind in todo(session, scope)}
    return [item.subject for item in found["measures"].items] if "measures" in found else []


def test_the_districts_approval_puts_the_household_on_the_villages_list(session):
    place = make_place(session)
    case = waiting_approval(session, place, family(), "0501")
    cadre = as_role(place, Role.VILLAGE_CADRE)
    assert to_put_in_place(session, cadre) == []
    approve(session, place, case)
    assert to_put_in_place(session, cadre) == ["张建国户（石坪村）"]


def test_the_item_links_to_the_household_where_measures_are_added(session):
    place = make_place(session)
    case = waiting_approval(session, place, family(), "0502")
    approve(session, place, case)
    [kind] = [k for k in todo(session, as_role(place, Role.VILLAGE_CADRE)) if k.kind == "measures"]
    assert (kind.action, kind.total) == ("落实帮扶措施", 1)
    assert kind.items[0].link.startswith("/monitor/households/P500101108201")


def test_development_help_for_a_household_with_labour_clears_the_item(session):
    place = make_place(session)
    case = waiting_approval(session, place, family(), "0503")
    approve(session, place, case)
    add_measure(session, place, case, "employment")
    assert to_put_in_place(session, as_role(place, Role.VILLAGE_CADRE)) == []


def test_protection_alone_leaves_a_household_with_labour_on_the_list(session):
    place = make_place(session)
    case = waiting_approval(session, place, family(), "0504")
    approve(session, place, case)
    add_measure(session, place, case, "social_assistance")
    assert to_put_in_place(session, as_role(place, Role.VILLAGE_CADRE)) == ["张建国户（石坪村）"]


def test_a_household_without_labour_needs_protection_rather_than_development(session):
    place = make_place(session)
    case = waiting_approval(session, place, ALONE, "0505")
    approve(session, place, case)
    cadre = as_role(place, Role.VILLAGE_CADRE)
    add_measure(session, place, case, "employment")
    assert to_put_in_place(session, cadre) == ["王大爷户（石坪村）"]
    add_measure(session, place, case, "social_assistance")
    assert to_put_in_place(session, cadre) == []


def test_the_list_agrees_with_the_gap_the_household_page_names(session):
    place = make_place(session)
    with_labour = waiting_approval(session, place, family(), "0506")
    without = waiting_approval(session, place, ALONE, "0507")
    for case in (with_labour, without):
        approve(session, place, case)
    add_measure(session, place, without, "social_assistance")
    gaps = {
        case.id: measures.plan_gap(case, measures.measures_of(session, [case.id]), PACK)
        for case in (with_labour, without)
    }
    assert bool(gaps[with_labour.id]) and not gaps[without.id]
    assert to_put_in_place(session, as_role(place, Role.VILLAGE_CADRE)) == ["张建国户（石坪村）"]


def test_only_the_village_that_adds_measures_has_the_item(session):
    place = make_place(session)
    case = waiting_approval(session, place, family(), "0508")
    approve(session, place, case)
    for role in (Role.GRID_WORKER, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER):
        assert to_put_in_place(session, as_role(place, role, "grid_0508")) == [], role
