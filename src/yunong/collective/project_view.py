"""A 帮扶项目 as its page shows it, and an organisation's 三资 registry with its 清产核资."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from yunong.collective import orgs, projects, registry
from yunong.collective.books import to_yuan
from yunong.collective.lists import check_reader
from yunong.collective.models import Organisation, Project, RegistryItem, StockTake
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.policy.schema import Collective


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    place: str
    kind: str
    funds: list[tuple[str, Decimal, bool]]
    """(source name, yuan, whether it is 衔接资金)."""
    steps: list[tuple[str, date | None]]
    """Every stage in order with its date, None while not reached."""
    assets: list[RegistryItem]
    income: list[tuple[int, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount, _ in self.funds), Decimal(0))


def place_of(session: Session, code: str) -> str:
    names = regions.get_place_names(session, village_codes=[code])
    return names[code].label if code in names else code


def get_project_page(
    session: Session, *, scope: Scope, code: str, rules: Collective
) -> ProjectPage:
    check_reader(scope)
    project = projects.get_by_code(session, scope=scope, code=code)
    sources = rules.projects.fund_sources
    funds = projects.funds_of(session, [project.id])[project.id]
    done = projects.steps_of(session, project)
    return ProjectPage(
        project=project,
        place=place_of(session, project.region_code),
        kind=rules.projects.kinds.get(project.kind, project.kind),
        funds=[
            (
                sources[source].name if source in sources else source,
                to_yuan(fen),
                source in sources and sources[source].linkage,
            )
            for source, fen in funds.items()
        ],
        steps=[(step, done.get(step)) for step in projects.ORDER],
        assets=registry.get_for_project(session, scope=scope, project=project),
        income=[(year, to_yuan(fen)) for year, fen in projects.income_of(session, project)],
    )


@dataclass(frozen=True)
class RegistryPage:
    org: Organisation
    place: str
    items: list[RegistryItem]
    stock_takes: list[tuple[StockTake, list[dict[str, object]]]]

    def total(self, kind: str, rules: Collective) -> Decimal:
        categories = rules.registry.categories
        return sum(
            (
                to_yuan(item.book_value_fen)
                for item in self.items
                if item.category in categories and categories[item.category].kind == kind
            ),
            Decimal(0),
        )


def get_registry_page(session: Session, *, scope: Scope, code: str) -> RegistryPage:
    check_reader(scope)
    org = orgs.get_by_code(session, scope=scope, code=code)
    return RegistryPage(
        org=org,
        place=place_of(session, org.region_code),
        items=registry.get_for_org(session, scope=scope, org=org),
        stock_takes=[
            (taken, json.loads(taken.content))
            for taken in registry.get_stock_takes(session, scope=scope, org=org)
        ],
    )
