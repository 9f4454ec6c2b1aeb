"""One scope gate: every read of region-scoped rows goes through ``yunong.core.scope``.

The gate's three methods are tested on real data; the source rules of
``tests/core/scope_rules.py`` are tested on planted code, then run over the whole tree.
"""

import textwrap

import duckdb
import pytest
from sqlalchemy import select

from tests.core import scope_rules
from tests.factories import add_region, make_place
from yunong.core.regions.models import Region
from yunong.core.scope import OutOfScope, Scope

TOWN = Scope(actor="town_officer_01", region_code="500101108000", role="town_officer")

ALLOWED: dict[str, str] = {
    # Before there is a scope: signing in and resolving the caller.
    "yunong.core.auth.service.authenticate": "finds the user signing in by name",
    "yunong.core.auth.service.get_by_token": "resolves an API token to its user",
    "yunong.core.auth.sessions.find": "resolves a session cookie to its user",
    # The audit chain is verified whole, by the operator.
    "yunong.core.audit.service.stream": "reads the whole chain to verify its hashes",
    "yunong.core.audit.checkpoint.verify": "checks the whole chain against a checkpoint",
    # Published to everyone, whatever their region.
    "yunong.trace.brands.get": "the brand catalogue is public",
    "yunong.trace.brands.get_by_name": "the brand catalogue is public",
    "yunong.trace.brands.get_all": "the brand catalogue is public",
    "yunong.assess.cockpit.periods": "only which periods have a published ranking",
    "yunong.assess.cockpit.scores": "the district ranking (赛马比拼) is published to every role",
    "yunong.monitor.reports.submit": "a public self-report finds the reporter's own household "
    "by resident ID number, without signing in",
    "yunong.trace.flags.confirmed": "the confirmed flags a batch's public scan page shows",
    "yunong.trace.scans.check": "a public scan raises the flags of the batch scanned",
    # Lookups by exact key after the caller has checked the region.
    "yunong.assess.datasets.find": "by a region code that save, submit and approve check first",
    # Below rows the caller has read through its scope, by their ids.
    "yunong.monitor.ledger.risks_by_household": "households listed through the scope",
    "yunong.monitor.measures.measures_of": "cases read through the scope",
    "yunong.monitor.profile.timeline": "the household of a profile read through the scope",
    "yunong.monitor.visits.visits_of": "a household read through the scope",
    "yunong.monitor.workflow.get_by_household": "a household read through the scope",
    "yunong.monitor.workflow.find_open": "a household read through the scope",
    # Batch jobs and imports matching stored rows by the keys of the file being imported;
    # the rows themselves were checked against the importer's scope first.
    "yunong.land.importers.refuse_unknown_holders": "holder 全农码 named in the file",
    "yunong.land.importers.stored_parcels": "parcels of the file by code and source key",
    "yunong.land.summary.stored_villages": "the land summary refresh runs for the whole city",
    "yunong.monitor.registry.load_stored_households": "households of the file's villages",
    # 产权交易: a listing is announced to the public and open to bidders from the whole city.
    "yunong.exchange.auction.open_listing": "bidders from anywhere register and bid on a listing",
    "yunong.exchange.auction.standing": "a listing and its bids by number are announced publicly",
    "yunong.exchange.auction.close_due": "the closing job closes due listings of the whole city",
    "yunong.exchange.certificates.verify": "a certificate is verified publicly by its code",
}
"""Functions that read scoped models without a Scope on purpose, each with its reason."""


def findings(source: str, path: str = "monitor/service.py") -> list[scope_rules.Finding]:
    return scope_rules.check_source(
        textwrap.dedent(source), path, scope_rules.scoped_models(), scope_rules.all_models()
    )


def rules(source: str, path: str = "monitor/service.py") -> list[tuple[str, str]]:
    return [(found.function, found.rule) for found in findings(source, path)]


# The gate


def test_the_sql_condition_binds_the_prefix_and_reads_only_rows_in_scope():
    inside = TOWN.sql("village_code")
    assert "500101108" not in inside.text
    con = duckdb.connect()
    con.execute("create table household(village_code varchar)")
    con.execute("insert into household values ('500101108201'), ('500101108202'), ('500101109201')")
    rows = con.execute(
        f"select village_code from household where {inside.text} order by 1", inside.parameters
    ).fetchall()
    assert rows == [("500101108201",), ("500101108202",)]


def test_a_scope_whose_prefix_is_not_digits_gives_no_sql_condition():
    with pytest.raises(ValueError):
        Scope(actor="x", region_code="50%").sql("village_code")


def test_narrowing_to_a_region_inside_the_scope_accepts_its_short_forms():
    assert TOWN.narrowed_to("500101108201").prefix == "500101108201"
    assert TOWN.narrowed_to("500101108").region_code == "500101108000"
    assert TOWN.narrowed_to("500101108").actor == TOWN.actor


def test_narrowing_to_a_region_outside_the_scope_is_not_found():
    with pytest.raises(OutOfScope):
        TOWN.narrowed_to("500101109201")


def test_the_orm_filter_of_a_narrowed_scope_reads_only_that_region(session):
    place = make_place(session)
    village = TOWN.narrowed_to(place.village)
    query = village.filter(select(Region.code), Region.code)
    assert list(session.scalars(query)) == [place.village]


def test_the_orm_condition_keeps_every_code_of_the_region_and_none_beside_it(session):
    make_place(session)
    add_region(session, "500101999000", "边缘镇", "500101000000")
    add_region(session, "500101999999", "边缘村", "500101999000")
    district = Scope(actor="district_officer_01", region_code="500101000000")
    query = district.filter(select(Region.code), Region.code).order_by(Region.code)
    found = list(session.scalars(query))
    assert found[0] == "500101000000" and found[-1] == "500101999999"
    assert all(code.startswith("500101") for code in found)
    assert "500102101201" not in found and "500102000000" not in found


# The rules, on planted code


def test_a_service_function_reading_a_scoped_model_without_a_scope_is_flagged():
    planted = """
        def get_case(session, case_id: int):
            return session.get(Case, case_id)

        def open_alerts(session):
            return session.scalars(select(Alert).where(Alert.status == "open")).all()
    """
    assert rules(planted) == [("get_case", "unscoped-read"), ("open_alerts", "unscoped-read")]


def test_a_service_function_that_takes_a_scope_and_filters_by_it_passes():
    planted = """
        def open_alerts(session, *, scope: Scope):
            query = scope.filter(select(Alert), Alert.village_code)
            return session.scalars(query.where(Alert.status == "open")).all()
    """
    assert rules(planted) == []


def test_taking_a_scope_without_using_it_is_flagged():
    planted = """
        def open_alerts(session, *, scope: Scope):
            return session.scalars(select(Alert)).all()
    """
    assert rules(planted) == [("open_alerts", "unscoped-read")]


def test_reading_below_a_row_the_caller_holds_needs_no_scope_of_its_own():
    planted = """
        def measures_of(session, case: Case) -> list[Measure]:
            return list(session.scalars(select(Measure).where(Measure.case_id == case.id)))
    """
    assert rules(planted) == []


def test_a_query_built_for_callers_to_filter_is_not_a_read():
    planted = """
        def open_alerts() -> Select:
            return select(Alert).where(Alert.status == "open")
    """
    assert rules(planted) == []


def test_routers_are_not_service_modules():
    planted = """
        router = APIRouter(prefix="/api/monitor")

        @router.get("/alerts")
        def list_alerts(session):
            return session.scalars(select(Alert)).all()
    """
    assert rules(planted, "monitor/api.py") == []


def test_a_prefix_comparison_outside_the_gate_is_flagged():
    planted = """
        def parcels_under(session, *, scope: Scope, prefix: str):
            scope.check_read(prefix, "区划")
            query = select(Parcel).where(Parcel.village_code.startswith(prefix))
            return session.scalars(query).all()
    """
    assert rules(planted) == [("parcels_under", "prefix-outside-gate")]


def test_a_region_in_an_f_string_of_duckdb_sql_is_flagged():
    planted = """
        def households(con, scope: Scope):
            prefix = scope.prefix
            return con.execute(
                f"select id from op.monitor_household where village_code like '{prefix}%'"
            ).fetchall()
    """
    assert rules(planted, "monitor/jobs.py") == [("households", "region-in-sql")]


def test_a_region_formatted_into_a_sql_template_is_flagged():
    planted = """
        HOUSEHOLDS = "select id from op.monitor_household where village_code like '{prefix}%'"

        def households(con, scope: Scope):
            return con.execute(HOUSEHOLDS.format(prefix=scope.prefix)).fetchall()

        def one(con, village_code: str):
            return con.execute("select * from household where code = '" + village_code + "'")
    """
    assert rules(planted, "monitor/jobs.py") == [
        ("households", "region-in-sql"),
        ("one", "region-in-sql"),
    ]


def test_a_quoted_region_in_a_where_fragment_is_flagged():
    planted = """
        def in_village(village: str) -> str:
            return f"p.village_code = '{village}'"
    """
    assert rules(planted, "land/jobs.py") == [("in_village", "region-in-sql")]


def test_a_prefix_bound_through_the_gate_passes():
    planted = """
        HOUSEHOLDS = "select id from op.monitor_household h where {inside}"

        def households(con, scope: Scope):
            inside = scope.sql("h.village_code")
            return con.execute(HOUSEHOLDS.format(inside=inside.text), inside.parameters)
    """
    assert rules(planted, "monitor/jobs.py") == []


def test_messages_naming_a_region_are_not_sql():
    planted = """
        def refuse(code: str, region_code: str):
            raise InvalidValue(f"区划“{code}”不在您的管辖范围内，请选择 {region_code} 下的村")
    """
    assert rules(planted) == []


# The rules, over the source tree


@pytest.fixture(scope="module")
def tree_findings() -> list[scope_rules.Finding]:
    return scope_rules.check_tree()


def test_every_scoped_read_in_the_source_tree_goes_through_the_gate(tree_findings):
    found = [str(f) for f in tree_findings if f.name not in ALLOWED]
    assert found == [], "\n".join(found)


def test_every_allowed_exception_still_reads_a_scoped_model_without_a_scope(tree_findings):
    flagged = {f.name for f in tree_findings if f.rule == "unscoped-read"}
    assert sorted(set(ALLOWED) - flagged) == []


def test_the_rules_know_the_tables_that_carry_a_region_code():
    scoped = scope_rules.scoped_models()
    assert {"Household", "Case", "Alert", "Parcel", "Producer", "User"} <= scoped
    assert not {"Region", "Person", "CaseStep"} & scoped
