"""The labels of high-standard farmland: steps of the procedure, kinds, parties, content."""

from enum import StrEnum

from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue


class Step(StrEnum):
    """《农田建设项目管理办法》（2019）: the procedure, in order."""

    PLAN = "plan"
    PREPARE = "prepare"
    APPROVE = "approve"
    SCHEDULE = "schedule"
    BUILD = "build"
    ACCEPT = "accept"
    EVALUATE = "evaluate"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    Step.PLAN: "规划编制",
    Step.PREPARE: "前期准备",
    Step.APPROVE: "申报审批",
    Step.SCHEDULE: "计划管理",
    Step.BUILD: "组织实施",
    Step.ACCEPT: "竣工验收",
    Step.EVALUATE: "监督评价",
}
STEPS = tuple(Step)

STEP_ROLES: dict[Step, frozenset[Role]] = {
    # The district's farmland office keeps the library, approves designs and accepts projects;
    # the city issues the yearly plan and evaluates the districts.
    Step.PLAN: frozenset({Role.DISTRICT_OFFICER}),
    Step.PREPARE: frozenset({Role.DISTRICT_OFFICER}),
    Step.APPROVE: frozenset({Role.DISTRICT_OFFICER}),
    Step.SCHEDULE: frozenset({Role.CITY_ADMIN}),
    Step.BUILD: frozenset({Role.DISTRICT_OFFICER}),
    Step.ACCEPT: frozenset({Role.DISTRICT_OFFICER}),
    Step.EVALUATE: frozenset({Role.CITY_ADMIN}),
}


class ProjectKind(StrEnum):
    NEW = "new"
    UPGRADE = "upgrade"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {ProjectKind.NEW: "新建", ProjectKind.UPGRADE: "改造提升"}


def kind_from_text(text: str) -> ProjectKind:
    value = text.strip()
    for kind in ProjectKind:
        if value in (kind.value, kind.label):
            return kind
    if value in ("新建高标准农田", "新增"):
        return ProjectKind.NEW
    if value in ("改造", "提升", "改造提升高标准农田"):
        return ProjectKind.UPGRADE
    raise InvalidValue("建设类型“{value}”应为 新建 或 改造提升", value=value)


class PartyRole(StrEnum):
    """The four management systems: 项目法人制, 招标投标制, 合同管理制, 工程监理制."""

    LEGAL_ENTITY = "legal_entity"
    BIDDING_AGENT = "bidding_agent"
    CONTRACTOR = "contractor"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        return PARTY_LABELS[self]


PARTY_LABELS = {
    PartyRole.LEGAL_ENTITY: "项目法人",
    PartyRole.BIDDING_AGENT: "招标代理",
    PartyRole.CONTRACTOR: "施工单位",
    PartyRole.SUPERVISOR: "监理单位",
}

CONTENT_UNITS = {
    # GB/T 30600-2022 §6 infrastructure
    "田块整治": "亩",
    "灌溉与排水": "公里",
    "田间道路": "公里",
    "农田防护与生态环境保护": "公里",
    "农田输配电": "公里",
    "其他": "项",
    # §7 soil
    "土壤改良": "亩",
    "障碍土层消除": "亩",
    "土壤培肥": "亩",
}
"""Construction content categories of GB/T 30600-2022 and the unit their quantity is in."""

FUNDING_SOURCES = {
    "central": "中央财政",
    "city": "市级财政",
    "district": "区县财政",
    "bonds": "地方政府债券",
    "social": "金融与社会资本",
}

DUTY_KINDS = {"collective": "村集体经济组织", "operator": "经营主体", "town": "乡镇政府"}
REPORT_KINDS = {"inspection": "巡查", "damage": "损毁报告"}


def label_of(labels: dict[str, str], value: str) -> str:
    return labels.get(value, value)
