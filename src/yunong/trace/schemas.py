"""API shapes of the trace module."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

Text = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]*$")]
"""Text without control characters (PostgreSQL refuses NUL in text)."""
CodeText = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z\-_. ]+$")]


class ProducerIn(BaseModel):
    name: Annotated[Text, Field(min_length=1, max_length=80)]
    kind: Annotated[Text, Field(max_length=16, description="企业、农民专业合作社、家庭农场或农户")]
    region_code: Annotated[Text, Field(max_length=12, description="登记所在区划代码")]
    uscc: Annotated[Text | None, Field(max_length=24, description="统一社会信用代码")] = None
    household_code: Annotated[Text | None, Field(max_length=24, description="农户的全农码")] = None
    contact_name: Annotated[Text, Field(max_length=40)] = ""
    contact_phone: Annotated[Text, Field(max_length=20)] = ""


class ProducerOut(BaseModel):
    id: int
    code: str
    kind: str
    name: str
    uscc: str | None
    region_code: str


class AccountIn(BaseModel):
    user_id: int = Field(ge=1, le=2_147_483_647)


class ProductIn(BaseModel):
    producer_id: int = Field(ge=1, le=2_147_483_647)
    name: Annotated[Text, Field(min_length=1, max_length=60)]
    category: Annotated[Text, Field(max_length=16, description="品类，见策略包 trace.categories")]
    gtin: Annotated[Text | None, Field(max_length=20, description="商品条码 GTIN-8/12/13/14")] = (
        None
    )
    brand: Annotated[Text | None, Field(max_length=60, description="品牌目录中的品牌名称")] = None


class ProductOut(BaseModel):
    id: int
    producer_id: int
    name: str
    category: str
    gtin: str | None
    brand_id: int | None


class BatchIn(BaseModel):
    product_id: int = Field(ge=1, le=2_147_483_647)
    lot: Annotated[Text, Field(min_length=1, max_length=40, description="批次号（GS1 AI 10）")]
    produced_on: date
    quantity: Decimal = Field(gt=0, lt=Decimal("1e11"), decimal_places=3)
    unit: Annotated[Text, Field(max_length=8, description="公斤、斤、吨、头、只、箱、袋、件、盒")]
    packages: int | None = Field(default=None, ge=1, le=1_000_000_000, description="件数")
    origin_code: Annotated[Text | None, Field(max_length=12, description="产地村代码")] = None
    parcels: list[Annotated[Text, Field(max_length=40)]] = Field(
        default_factory=list, max_length=200, description="来源地块的全农码（地类）"
    )
    brand: Annotated[Text | None, Field(max_length=60, description="声明使用的品牌")] = None


class BatchOut(BaseModel):
    code: str
    product_id: int
    lot: str
    produced_on: date
    quantity: Decimal
    unit: str
    packages: int | None
    origin_code: str
    brand_id: int | None
    address: str = Field(description="二维码所载地址：GS1 数字链接或全农码地址")
    parcels: list[str]


class EventIn(BaseModel):
    step: Annotated[
        Text,
        Field(
            max_length=16,
            description="planting、input_use、harvest、inspection、processing、packing、"
            "shipping、sale（或中文名称）",
        ),
    ]
    event_time: datetime = Field(description="不带时区时按北京时间")
    parcel_code: Annotated[Text | None, Field(max_length=40)] = None
    input_name: Annotated[Text | None, Field(max_length=60)] = None
    input_kind: Annotated[
        Text | None, Field(max_length=16, description="农药、兽药、肥料、饲料")
    ] = None
    safe_interval_days: int | None = Field(default=None, ge=0, le=3650)
    result: Annotated[Text | None, Field(max_length=8, description="合格/pass 或 不合格/fail")] = (
        None
    )
    agency: Annotated[Text | None, Field(max_length=80)] = None
    quantity: Decimal | None = Field(default=None, gt=0, lt=Decimal("1e11"), decimal_places=3)
    unit: Annotated[Text | None, Field(max_length=8)] = None
    partner: Annotated[Text | None, Field(max_length=80)] = None
    output_batch: Annotated[Text | None, Field(max_length=40)] = None
    note: Annotated[Text, Field(max_length=200)] = ""


class EventOut(BaseModel):
    id: int
    step: str
    step_name: str
    event_time: datetime
    parcel_code: str | None
    input_name: str | None
    input_kind: str | None
    safe_interval_days: int | None
    result: str | None
    agency: str | None
    quantity: Decimal | None
    unit: str | None
    note: str


class CertificateIn(BaseModel):
    basis: Annotated[
        Text, Field(max_length=40, description="委托检测、自我检测、内部质量控制或自我承诺")
    ] = "自我承诺"


class CertificateOut(BaseModel):
    batch_code: str
    issued_on: date
    basis: str


class BrandIn(BaseModel):
    name: Annotated[Text, Field(min_length=1, max_length=60)]
    kind: Annotated[
        Text, Field(max_length=24, description="区域公用品牌、地理标志农产品或企业品牌")
    ]
    owner: Annotated[Text, Field(min_length=1, max_length=80)]
    region_code: Annotated[Text, Field(max_length=12)]
    registration: Annotated[Text, Field(max_length=40)] = ""


class BrandOut(BaseModel):
    id: int
    name: str
    kind: str
    kind_name: str
    owner: str
    region_code: str
    registration: str


class GrantIn(BaseModel):
    producer_id: int = Field(ge=1, le=2_147_483_647)
    category: Annotated[Text, Field(max_length=16)]
    valid_from: date
    valid_until: date


class GrantOut(BaseModel):
    id: int
    brand_id: int
    producer_id: int
    category: str
    valid_from: date
    valid_until: date


class FlagOut(BaseModel):
    id: int
    batch_code: str
    product: str
    reason: str
    detail: str
    raised_at: datetime
    state: str = Field(description="pending 待核实、confirmed 已确认（扫码页显示）、cleared 已排除")
    state_name: str
    decided_by: str | None
    decided_at: datetime | None
    note: str


class InspectorIn(BaseModel):
    user_id: int = Field(ge=1, le=2_147_483_647)
    agency: Annotated[Text, Field(min_length=2, max_length=80, description="检测机构名称")]
    region_code: Annotated[Text, Field(max_length=12, description="检测范围：区划代码，通常为区县")]


class InspectorOut(BaseModel):
    user_id: int
    agency: str
    region_code: str
    registered_by: str


class FlagDecisionIn(BaseModel):
    note: Annotated[Text, Field(max_length=200, description="核实情况；排除时必填")] = ""


class PlaceIn(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class PublicEventOut(BaseModel):
    step: str
    label: str
    time: str
    detail: str


class PublicBrandOut(BaseModel):
    name: str
    kind: str
    owner: str
    authorised: bool
    valid_until: date | None


class PublicBatchOut(BaseModel):
    code: str
    address: str
    product: str
    category: str
    gtin: str | None
    lot: str
    produced_on: date
    quantity: str
    producer: str
    producer_kind: str
    origin: list[str]
    events: list[PublicEventOut]
    inspections: list[PublicEventOut]
    brand: PublicBrandOut | None
    certificate_on: date | None
    status: str
    reasons: list[str]
