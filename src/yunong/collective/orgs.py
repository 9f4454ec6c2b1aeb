"""Collective economic organisations: registered one by one or from a list, found by their
全农码, their 统一社会信用代码 or their village's region code, always within the caller's scope."""

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.collective.models import Organisation
from yunong.core import tabular
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.core.validators import USCC_ALPHABET, uscc_check_char
from yunong.policy.schema import Collective

LEVELS = {Level.TOWN: "town", Level.VILLAGE: "village"}
LEVEL_LABELS = {"town": "乡镇级", "village": "村级", "group": "组级"}


@dataclass(frozen=True)
class OrgIn:
    region_code: str
    name: str
    uscc: str | None = None
    group_name: str = ""
    legal_representative: str = ""


def checked_uscc(value: str | None, rules: Collective) -> str | None:
    """The code in canonical form, refused unless it is a rural collective economic
    organisation's (N2…) and its GB 32100 check character holds.

    The core validator's list of registration authorities predates N (农业农村部门), so the
    code is checked here with the core's alphabet and check character.
    """
    if value is None or not value.strip():
        return None
    code = re.sub(r"\s", "", value).upper()
    shown = value.strip()
    if len(code) != 18:
        raise InvalidValue(
            "统一社会信用代码“{code}”应为 18 位，实为 {length} 位", code=shown, length=len(code)
        )
    if not code.startswith(rules.uscc_prefix):
        raise InvalidValue(
            "统一社会信用代码“{code}”不是农村集体经济组织的代码：应以 {prefix} 开头",
            code=shown,
            prefix=rules.uscc_prefix,
        )
    if any(char not in USCC_ALPHABET for char in code) or not code[2:8].isdigit():
        raise InvalidValue(
            "统一社会信用代码“{code}”含有不使用的字符，或第 3—8 位不是行政区划代码", code=shown
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidValue(
            "统一社会信用代码“{code}”校验位错误：末位应为 {expected}，实为 {actual}",
            code=shown,
            expected=expected,
            actual=code[17],
        )
    return code


def create(session: Session, *, scope: Scope, org_in: OrgIn, rules: Collective) -> Organisation:
    """Register an organisation and issue its 全农码."""
    region = regions.get(session, code=org_in.region_code)
    scope.check_write(region.code, f"区划“{org_in.region_code.strip()}”")
    level = LEVELS.get(region_codes.level_of(region.code))
    if level is None:
        raise InvalidValue("集体经济组织应登记在乡镇或村（组级组织登记在其村并写明组名）")
    if org_in.group_name:
        level = "group"
    name = org_in.name.strip()
    if not name:
        raise InvalidValue("组织名称不能为空")
    uscc = checked_uscc(org_in.uscc, rules)
    if uscc and session.scalar(select(Organisation.id).where(Organisation.uscc == uscc)):
        raise Conflict("统一社会信用代码“{code}”已登记", code=uscc)
    if level != "group" and session.scalar(
        select(Organisation.id).where(
            Organisation.region_code == region.code, Organisation.level == level
        )
    ):
        raise Conflict(
            "区划“{region}”已有{level}集体经济组织", region=region.name, level=LEVEL_LABELS[level]
        )
    org = Organisation(
        region_code=region.code,
        name=name,
        uscc=uscc,
        level=level,
        group_name=org_in.group_name.strip(),
        legal_representative=org_in.legal_representative.strip(),
        code="",
    )
    session.add(org)
    session.flush()
    org.code = identity.create(
        session,
        scope=scope,
        kind=Kind.SUBJECT,
        region_code=region.code,
        entity_type="collective_org",
        entity_id=str(org.id),
        national_code=uscc,
    )
    audit.record(
        session,
        scope=scope,
        action="collective.org.create",
        target_type="collective_org",
        target_id=org.code,
        region_code=region.code,
        after={"name": name, "uscc": uscc, "level": level},
    )
    session.flush()
    return org


def get_by_code(session: Session, *, scope: Scope, code: str) -> Organisation:
    """An organisation by its 全农码, its 统一社会信用代码, or a village's (or town's) region code
    meaning that place's own organisation; outside the scope it is not found."""
    key = code.strip().upper()
    if len(key) == 12 and key.isdigit():
        query = select(Organisation).where(
            Organisation.region_code == key, Organisation.level != "group"
        )
    elif len(key) == 18:
        query = select(Organisation).where(Organisation.uscc == key)
    else:
        query = select(Organisation).where(Organisation.code == key)
    org = session.scalars(scope.filter(query, Organisation.region_code)).first()
    if org is None:
        raise NotFound("集体经济组织“{code}”不存在或不在您的管辖范围内", code=code.strip())
    return org


def get_all(session: Session, *, scope: Scope) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.region_code, Organisation.id)
    return list(session.scalars(scope.filter(query, Organisation.region_code)))


COLUMNS = {
    "region_code": ("区划代码", "村（社区）代码", "行政区划代码"),
    "name": ("组织名称", "名称", "集体经济组织名称"),
    "uscc": ("统一社会信用代码", "信用代码"),
    "group_name": ("组名", "村民小组"),
    "legal_representative": ("法定代表人", "负责人"),
}


@dataclass
class OrgTally:
    imported: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] | None = None

    @property
    def rejected(self) -> int:
        return len(self.errors or [])

    def as_json(self) -> dict[str, object]:
        return {
            "organisations": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "errors": [{"row": row, "reason": reason} for row, reason in self.errors or []],
        }


def import_list(session: Session, *, scope: Scope, path: Path, rules: Collective) -> OrgTally:
    """Register the organisations of a list (xlsx or csv); a row naming an organisation already
    registered with the same code or place is unchanged, a bad row is refused with its reason."""
    tally = OrgTally(errors=[])
    assert tally.errors is not None
    for line, row in tabular.read_table(path, COLUMNS, ("region_code", "name")):
        try:
            if existing(session, scope=scope, row=row, rules=rules):
                tally.unchanged += 1
                continue
            with session.begin_nested():
                create(session, scope=scope, org_in=OrgIn(**row), rules=rules)
            tally.imported += 1
        except (InvalidValue, Conflict, NotFound) as error:
            tally.errors.append((line, error.message))
    return tally


def existing(session: Session, *, scope: Scope, row: dict[str, str], rules: Collective) -> bool:
    """Whether the row's organisation is already registered, by code or by place and name."""
    uscc = checked_uscc(row.get("uscc"), rules)
    query = select(Organisation.id)
    if uscc:
        query = query.where(Organisation.uscc == uscc)
    else:
        query = query.where(
            Organisation.region_code == region_codes.normalise(row["region_code"]),
            Organisation.name == row["name"].strip(),
            Organisation.group_name == row.get("group_name", "").strip(),
        )
    return session.scalar(scope.filter(query, Organisation.region_code)) is not None
