"""Demo cases: every stage of the workflow, some overdue, valid codes, at the smallest scale."""

from sqlalchemy import func, select

from yunong.core.audit import service as audit
from yunong.core.identity import codes
from yunong.core.scope import Scope
from yunong.monitor import calendar, problems, workflow
from yunong.monitor.models import Alert, Case, CaseStep
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction


def test_the_tiny_demo_has_cases_at_every_stage_some_of_them_overdue(
    tiny_demo_url, tiny_demo_result
):
    engine = make_engine(tiny_demo_url)
    with transaction(make_sessionmaker(engine)) as session:
        states = set(session.scalars(select(Case.state).distinct()))
        case_codes = list(session.scalars(select(Case.code)))
        open_alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.status == "open")
        )
        found = problems.get_all(session, scope=Scope.system("test"))
        counted = problems.count_open(session, scope=Scope.system("test"))
        rate = problems.zeroing_rate(session, scope=Scope.system("test"))
        warnings = {
            workflow.warning(case, pack=loader.get()).level
            for case in session.scalars(select(Case))
        }
        chain = audit.verify(session)
    engine.dispose()
    assert states == {state.value for state in workflow.State}
    assert tiny_demo_result.cases == len(case_codes) and all(codes.is_valid(c) for c in case_codes)
    assert open_alerts > 0
    assert {problem.kind for problem in found} >= {"visit_overdue", "review_overdue"}
    assert counted == len(found)
    assert 0 < rate < 1
    assert {"green", "red"} <= warnings
    assert chain.intact


def test_demo_case_dates_are_never_after_the_build_day(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    today = calendar.today()
    with transaction(make_sessionmaker(engine)) as session:
        latest = session.scalar(select(func.max(CaseStep.done_on)))
        opened = session.scalar(select(func.max(Case.opened_on)))
    engine.dispose()
    assert latest is not None and opened is not None
    assert latest <= today and opened <= today
