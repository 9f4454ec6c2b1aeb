"""Households and persons for monitoring tests, with valid ID numbers and their 全农码."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from tests.core.regions.factories import add_centre
from yunong.core.auth.roles import Role
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.core.validators import resident_id_check_char
from yunong.monitor.models import Household, HouseholdYear, Person, PersonYear

SYSTEM = Scope.system("test")
SEQUENCE = count(1)


def id_number(born: date, county: str = "500101", female: bool = False) -> str:
    """A valid resident ID number, different on every call."""
    serial = next(SEQUENCE) % 500 * 2 + (0 if female else 1)
    first17 = f"{county}{born:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


@dataclass
class Member:
    name: str
    born: date
    relation: str = "户主"
    disabled: bool = False
    student: bool = False
    medical: Decimal = Decimal(0)
    number: str = ""

    def __post_init__(self) -> None:
        self.number = self.number or id_number(self.born)


@dataclass
class Made:
    household: Household
    persons: list[Person] = field(default_factory=list)


def add_household(
    session: Session,
    *,
    village: str,
    number: str,
    members: list[Member],
    year: int = 2024,
    net_income: Decimal | None = Decimal(40000),
    disaster: str | None = None,
) -> Made:
    """A household with its members and one year of figures, stored directly."""
    household_code = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=village,
        entity_type="household",
        entity_id=f"{village}-{number}",
    )
    household = Household(code=household_code, village_code=village, number=number)
    session.add(household)
    session.flush()
    made = Made(household)
    for member in members:
        code = identity.create(
            session,
            scope=SYSTEM,
            kind=Kind.SUBJECT,
            region_code=village,
            entity_type="person",
            entity_id=member.number,
        )
        person = Person(
            code=code,
            household_id=household.id,
            name=member.name,
            id_number=member.number,
            birth_date=member.born,
            relation=member.relation,
        )
        session.add(person)
        session.flush()
        session.add(
            PersonYear(
                person_id=person.id,
                year=year,
                disabled=member.disabled,
                student=member.student,
                medical_out_of_pocket=member.medical,
            )
        )
        made.persons.append(person)
    per_capita = (
        None if net_income is None else (net_income / len(members)).quantize(Decimal("0.01"))
    )
    session.add(
        HouseholdYear(
            household_id=household.id,
            year=year,
            members=len(members),
            net_income=net_income,
            per_capita_income=per_capita,
            disaster=disaster,
        )
    )
    session.flush()
    return made


def family(head: str = "张建国") -> list[Member]:
    """A working couple with a child at school."""
    return [
        Member(head, date(1978, 4, 12)),
        Member("李秀英", date(1980, 9, 3), relation="配偶"),
        Member("张小明", date(2008, 1, 20), relation="子女", student=True),
    ]


def add_signal(
    session: Session,
    made: Made,
    *,
    source: str,
    kind: str,
    on: date = date(2024, 5, 10),
    amount: Decimal | None = None,
    days: int | None = None,
) -> None:
    """A department signal about the household's first member."""
    from yunong.monitor.models import Signal

    session.add(
        Signal(
            household_id=made.household.id,
            person_id=made.persons[0].id,
            source=source,
            kind=kind,
            signal_date=on,
            year=on.year,
            amount=amount,
            days=days,
        )
    )
    session.flush()


def add_year(session: Session, made: Made, *, year: int, net_income: Decimal) -> None:
    """Figures for another year, for rules that compare years."""
    members = len(made.persons)
    session.add(
        HouseholdYear(
            household_id=made.household.id,
            year=year,
            members=members,
            net_income=net_income,
            per_capita_income=(net_income / members).quantize(Decimal("0.01")),
        )
    )
    session.flush()


def add_alert(session: Session, made: Made, *, risk_type: str = "因病", year: int = 2024):
    """An open alert about the household, as the screening would write it."""
    from yunong.monitor.models import Alert

    alert = Alert(
        household_id=made.household.id,
        village_code=made.household.village_code,
        year=year,
        risk_type=risk_type,
        rules="medical_cost_high",
        sources="medical_insurance",
        status="open",
    )
    session.add(alert)
    session.flush()
    return alert


def add_village_centre(session: Session, village: str, lon: float, lat: float) -> None:
    """Put a village on the map: its centre in the shared geography."""
    add_centre(session, village, lon, lat)


def headers(world, role: Role) -> dict[str, str]:
    """The bearer header of the world's account for ``role``."""
    return {"Authorization": f"Bearer {world.accounts[role].token}"}
