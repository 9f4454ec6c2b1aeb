"""The xlsx template of a data set: download it filled with what is saved, upload it back.

Every row carries the period and the unit's code, so a workbook of another period or
unit, or of another template altogether, is refused before anything is saved.
"""

from pathlib import Path

from sqlalchemy.orm import Session

from yunong.assess import datasets
from yunong.assess.catalogue import items
from yunong.assess.datasets import Entry, Refused, SaveReport
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.tabular import RowError, read_table, write_workbook
from yunong.policy.schema import Pack

COLUMNS = {
    "period": ("年度",),
    "region_code": ("填报单位代码",),
    "region_name": ("填报单位",),
    "item": ("指标标识",),
    "name": ("指标名称",),
    "clause": ("条款",),
    "unit": ("单位",),
    "valid": ("有效范围",),
    "target": ("本年目标",),
    "value": ("数值",),
}
REQUIRED = ("period", "region_code", "item", "unit", "value")
NOTES = [
    ("年度、填报单位代码", "由系统写入，请勿修改；与本次填报不符的表格会被整表拒绝"),
    ("指标标识", "策略包中的指标标识，请勿修改"),
    ("单位", "须与指标单位一致（如“万亩”“%”）；不一致的行会被拒绝，不做换算"),
    ("数值", "填数字；百分比填 7 或 7%；“是/否”项填 是 或 否；超出有效范围的行会被拒绝"),
    ("说明", "任何一行有误时整表不保存，并列出每一处错误；重复上传同一文件不改变数据"),
]


def write_template(
    session: Session, path: Path, *, scope: Scope, pack: Pack, period: int, region_code: str
) -> int:
    """Write the unit's template for the period, with values saved so far; rows written."""
    code = codes.normalise(region_code)
    data_set = datasets.get(session, scope=scope, period=period, region_code=code)
    saved = datasets.values_of(session, data_set)
    region = regions.get(session, code=code)
    rows = []
    for item in items(pack, codes.level_of(code), period, code):
        value = saved.get(item.key)
        shown: object = ""
        if value is not None:
            shown = ("是" if value else "否") if item.is_flag else float(value)
        rows.append(
            [
                period,
                codes.short_form(code),
                region.name,
                item.key,
                item.name,
                item.clause,
                item.unit,
                f"{item.valid[0]:g}—{item.valid[1]:g}",
                item.target,
                shown,
            ]
        )
    headers = [labels[0] for labels in COLUMNS.values()]
    write_workbook(path, headers, rows, notes=NOTES)
    return len(rows)


def read_entries(path: Path, *, period: int, region_code: str) -> list[Entry]:
    """The workbook's rows as entries, or :class:`Refused` when any row belongs elsewhere."""
    code = codes.normalise(region_code)
    entries: list[Entry] = []
    errors: list[RowError] = []
    for line, row in read_table(path, COLUMNS, REQUIRED):
        if row["period"] != str(period):
            errors.append(
                RowError(
                    line,
                    "年度",
                    f"表格属于 {row['period'] or '未填'} 年，不是本次填报的 {period} 年",
                )
            )
            continue
        if not same_region(row["region_code"], code):
            errors.append(
                RowError(
                    line,
                    "填报单位代码",
                    f"表格属于“{row['region_code']}”，不是本次填报的“{codes.short_form(code)}”",
                )
            )
            continue
        entries.append(Entry(item=row["item"], value=row["value"], unit=row["unit"], line=line))
    if errors:
        raise Refused(errors)
    return entries


def same_region(text: str, code: str) -> bool:
    try:
        return codes.normalise(text) == code
    except ValueError:
        return False


def upload(
    session: Session, path: Path, *, scope: Scope, pack: Pack, period: int, region_code: str
) -> SaveReport:
    """Save the values of an uploaded template: all of them, or none with every reason."""
    entries = read_entries(path, period=period, region_code=region_code)
    return datasets.save(
        session, scope=scope, pack=pack, period=period, region_code=region_code, entries=entries
    )
