"""Shapes of the monitoring JSON API."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

Text = Annotated[str, Field(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
"""Text without control characters but line breaks (PostgreSQL refuses NUL in text)."""


class AlertOut(BaseModel):
    id: int
    household_code: str
    village_code: str
    year: int
    risk_type: str
    rules: str
    sources: str
    status: str


class CaseOpenIn(BaseModel):
    grid_worker: Text = Field(max_length=64, description="派发给本村哪位网格员（用户名）")
    note: Text = Field(default="", max_length=400)


class StepIn(BaseModel):
    passed: bool = Field(default=True, description="同意（true）或不同意（false，须写理由）")
    note: Text = Field(default="", max_length=400, description="意见；公示起止日期等写在这里")
    category: Text | None = Field(
        default=None, description="区县审批纳入监测时：脱贫不稳定户、边缘易致贫户或突发严重困难户"
    )
    risk_types: list[Text] = Field(
        default_factory=list, max_length=9, description="区县审批纳入监测时的风险类型"
    )


class WarningOut(BaseModel):
    level: str = Field(description="red 已超时、yellow 临近时限、green 正常；空表示不计时")
    label: str
    due_on: date | None
    working_days_left: int | None


class CaseOut(BaseModel):
    code: str
    household_code: str
    village_code: str
    year: int
    state: str
    state_name: str
    risk_types: list[str]
    category: str | None
    has_labour: bool | None
    assigned_to: str | None
    opened_on: date
    identification_due_on: date
    step_due_on: date | None
    removed_on: date | None
    tracked_after_removal: bool
    reason: str
    warning: WarningOut


class VisitBody(BaseModel):
    client_key: Text = Field(
        min_length=8, max_length=64, description="手机生成的唯一编号，重发不重复"
    )
    household_code: Text = Field(default="", max_length=20, description="农户全农码")
    visited_on: date
    per_capita_income: Decimal | None = Field(
        default=None, ge=0, le=10_000_000, decimal_places=2, description="估算的人均纯收入（元/年）"
    )
    rigid_costs_resolved: bool | None = None
    education_secure: bool | None = None
    medical_secure: bool | None = None
    housing_secure: bool | None = None
    water_secure: bool | None = None
    risks_found: list[Text] = Field(default_factory=list, max_length=9)
    note: Text = Field(default="", max_length=400)
    verifies: bool = Field(default=False, description="这是该户监测案件的入户核实")
    latitude: float | None = Field(
        default=None, ge=-90, le=90, description="走访时手机的纬度（WGS 84），经走访人同意后提供"
    )
    longitude: float | None = Field(default=None, ge=-180, le=180, description="走访时手机的经度")
    position_accuracy_m: int | None = Field(
        default=None, ge=0, le=100_000, description="手机给出的定位精度（米）"
    )


class VisitOut(BaseModel):
    id: int
    client_key: str
    household_code: str
    visited_on: date
    visitor: str
    created: bool = Field(description="false 表示同一编号的走访此前已保存，本次未重复保存")
    message: str = Field(description="发送结果：哪一户的走访，下一步由谁办理")


class VisitPhotoOut(BaseModel):
    visit_id: int
    client_key: str
    width: int
    height: int
    bytes: int = Field(description="重新编码为 JPEG（不含元数据）后的大小")


class MeasureBody(BaseModel):
    kind: Text = Field(max_length=24, description="措施类别标识，如 industry、employment")
    content: Text = Field(max_length=200)
    responsible: Text = Field(max_length=64, description="责任单位或责任人")
    due_on: date


class MeasureOut(BaseModel):
    id: int
    case_code: str
    kind: str
    kind_name: str
    content: str
    responsible: str
    started_on: date
    due_on: date
    done_on: date | None
    progress: str


class ProgressBody(BaseModel):
    note: Text = Field(max_length=400)
    done: bool = False


class MemberOut(BaseModel):
    name: str
    relation: str
    id_number: str = Field(description="脱敏")
    age: int
    disabled: bool
    student: bool


class IncomeOut(BaseModel):
    year: int
    members: int
    net_income: Decimal | None
    per_capita_income: Decimal | None


class EntryOut(BaseModel):
    on: date
    kind: str
    title: str
    detail: str


class HouseholdOut(BaseModel):
    code: str
    village_code: str
    region: str
    members: list[MemberOut]
    incomes: list[IncomeOut]
    cases: list[CaseOut]
    measures: list[MeasureOut]
    removal_unmet: list[str] | None = Field(description="监测帮扶中时，尚不满足的风险消除条件")
    plan_gap: str
    timeline: list[EntryOut]


class ProblemOut(BaseModel):
    kind: str
    label: str
    what: str
    household_code: str
    case_code: str
    village_code: str
    region: str
    due_on: date
    age: int = Field(description="超过时限的工作日数")
    age_band: str
    owner: str


class IndicatorsOut(BaseModel):
    zeroing_rate: float = Field(description="问题动态清零率：已到期事项中已办结的比例")
    open_problems: int
    monitored: int
    monitored_by_category: dict[str, int]


class ReportBody(BaseModel):
    name: Text = Field(max_length=40)
    id_number: Text = Field(max_length=24)
    village: Text = Field(max_length=60, description="村的 12 位代码，或“区县乡镇村”全称")
    what_happened: Text = Field(max_length=400)
    risk_type: Text = Field(default="其他", max_length=16)
    phone: Text = Field(default="", max_length=20)


class ReportReceipt(BaseModel):
    reference: str = Field(description="受理编号（全农码）")
    received_on: date


class ReportOut(BaseModel):
    reference: str
    village_code: str
    household_code: str | None
    name: str
    id_number: str = Field(description="脱敏")
    risk_type: str
    what_happened: str
    received_on: date


class VillageOut(BaseModel):
    code: str
    name: str
