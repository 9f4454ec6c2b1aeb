"""Shapes of the 高标准农田 JSON API."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

Text = Annotated[str, Field(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
"""Text without control characters (PostgreSQL refuses NUL in text)."""


class ProjectOut(BaseModel):
    number: str = Field(description="项目编号")
    code: str | None = Field(description="项目的全农码")
    name: str
    district_code: str
    district_name: str
    kind: str = Field(description="new（新建）或 upgrade（改造提升）")
    kind_name: str
    year: int = Field(description="建设年度")
    scale_mu: Decimal = Field(description="建设规模（亩）")
    step: str | None = Field(description="已完成的最后一个环节；null 为尚在项目库")
    step_name: str
    cultivated_mu: float | None = Field(description="边界内耕地（亩），上图入库后才有")


class StepOut(BaseModel):
    step: str
    step_name: str
    done_on: date
    document: str
    approved_by: str
    role: str


class PartyOut(BaseModel):
    role: str
    role_name: str
    name: str
    credit_code: str = Field(description="统一社会信用代码")


class ContentOut(BaseModel):
    category: str = Field(description="GB/T 30600-2022 的类别")
    quantity: Decimal
    unit: str


class FundingOut(BaseModel):
    source: str
    source_name: str
    amount: Decimal = Field(description="元")


class DutyOut(BaseModel):
    region_code: str
    party_kind: str
    party_name: str
    facilities: str
    until: date


class ProjectDetailOut(ProjectOut):
    next_step: str | None = Field(description="下一环节；null 为各环节均已完成")
    next_step_name: str
    steps: list[StepOut]
    parties: list[PartyOut] | None = Field(description="项目所在区县以外（仅承担管护）为 null")
    content: list[ContentOut] | None
    funding: list[FundingOut] | None
    investment: Decimal | None = Field(description="总投资（元）")
    investment_per_mu: Decimal | None = Field(description="亩均投资（元/亩）")
    duties: list[DutyOut]


class StepTakeIn(BaseModel):
    step: Text = Field(
        default="",
        max_length=40,
        description="环节：plan、prepare… 或 规划编制、前期准备…；不写为下一环节",
    )
    done_on: date | None = Field(default=None, description="办理日期，默认今天")
    document: Text = Field(default="", max_length=100, description="文件（文号）")
    note: Text = Field(default="", max_length=400)
