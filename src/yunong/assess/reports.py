"""The period's assessment report: a Chinese PDF with tables and charts, and an xlsx with
frozen headers and units. Both read the stored figures and scores (``yunong assess score``)."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

import yunong
from yunong.assess import cockpit, model_village
from yunong.assess.cockpit import FigureRow, ScoreRow
from yunong.core import tabular
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.file_cache import FileCache, fingerprint
from yunong.core.regions import codes
from yunong.core.scope import Scope
from yunong.policy.schema import Pack

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
PDF_TEMPLATE = TEMPLATES / "assess" / "report_pdf.html"
FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


@dataclass
class Report:
    period: int
    pack_title: str
    city: list[FigureRow]
    scores: list[ScoreRow]
    unranked: list[tuple[str, str]]
    """(code, name) of the districts that had not reported when the period was scored."""
    districts: list[tuple[str, str, list[FigureRow]]]
    model_villages: tuple[int, int]
    made_on: date


def gather(session: Session, *, scope: Scope, pack: Pack, period: int) -> Report:
    """Everything the report shows, inside the caller's scope."""
    scores = cockpit.scores(session, scope=scope, period=period)
    if not scores:
        raise InvalidValue(f"{period} 年还没有计分，请先运行 yunong assess score --period {period}")
    city = (
        cockpit.region_figures(
            session, scope=scope, pack=pack, period=period, region_code=codes.CITY_CODE
        )
        if scope.covers(codes.CITY_CODE)
        else []
    )
    districts = [
        (row.code, row.name, cockpit.region_figures(
            session, scope=scope, pack=pack, period=period, region_code=row.code))
        for row in sorted(scores, key=lambda row: row.code)
        if scope.covers(row.code)
    ]  # fmt: skip
    villages = model_village.evaluate(session, pack=pack, period=period, under=scope.region_code)
    return Report(
        period=period,
        pack_title=pack.title,
        city=city,
        scores=scores,
        unranked=[
            (code, name) for code, name in cockpit.unranked(session, scores) if scope.covers(code)
        ],
        districts=districts,
        model_villages=(sum(result.met for result in villages), len(villages)),
        made_on=date.today(),
    )


def number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"


def render_html(report: Report) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    environment.filters["number"] = number
    return environment.get_template("assess/report_pdf.html").render(
        report=report,
        labels=cockpit.COLOUR_LABELS,
        top=max((s.score for s in report.scores), default=100) or 100,
    )


def write_pdf(report: Report, path: Path) -> None:
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=render_html(report)).write_pdf(path)


FIGURE_HEADERS = [
    "条款",
    "指标",
    "单位",
    "实际值",
    "目标",
    "目标年度",
    "完成度(%)",
    "状态",
    "权重",
    "得分",
    "来源",
]


def export(session: Session, *, scope: Scope, pack: Pack, period: int, kind: str) -> Report:
    """What :func:`gather` finds, recorded in the audit trail as an export of the report."""
    report = gather(session, scope=scope, pack=pack, period=period)
    rows = len(report.city) + len(report.scores) + sum(len(f) for _, _, f in report.districts)
    audit.record_export(
        session, scope=scope, action="assess.report_export", what=f"{period}-{kind}", rows=rows
    )
    return report


def figure_cells(row: FigureRow) -> list[object]:
    return [
        row.clause,
        row.name,
        row.unit,
        row.value,
        row.target,
        row.target_year,
        None if row.progress is None else round(100 * row.progress, 1),
        cockpit.COLOUR_LABELS.get(row.colour, ""),
        "仅监测" if row.monitored_only else row.weight,
        None if row.points is None else round(row.points, 2),
        row.origin,
    ]


def write_xlsx(report: Report, path: Path) -> None:
    """Sheets 全市指标, 赛马比拼 and 区县指标, each with a bold frozen header and units."""
    workbook = tabular.new_workbook()
    city = workbook.active
    assert city is not None
    city.title = "全市指标"
    table(city, FIGURE_HEADERS, [figure_cells(row) for row in report.city], report.city)
    ranking = workbook.create_sheet("赛马比拼")
    ranked: list[list[object]] = [
        [
            row.rank,
            codes.short_form(row.code),
            row.name,
            row.score,
            row.previous_rank,
            row.change,
        ]
        for row in report.scores
    ]
    ranked += [
        [None, codes.short_form(code), name, "未报送", None, None] for code, name in report.unranked
    ]
    table(ranking, ["名次", "区县代码", "区县", "得分(分)", "上期名次", "名次变化"], ranked)
    detail = workbook.create_sheet("区县指标")
    rows, figures = [], []
    for code, name, district_rows in report.districts:
        for row in district_rows:
            rows.append([codes.short_form(code), name, *figure_cells(row)])
            figures.append(row)
    table(detail, ["区县代码", "区县", *FIGURE_HEADERS], rows, figures, offset=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def table(
    sheet: Worksheet,
    headers: list[str],
    rows: list[list[object]],
    figures: list[FigureRow] | None = None,
    offset: int = 0,
) -> None:
    """The rows under a bold frozen header; each figure's colour fills its 状态 cell."""
    tabular.add_table(sheet, headers, rows, min_width=10)
    for position, figure in enumerate(figures or []):
        if figure.colour in FILLS:
            fill = PatternFill("solid", fgColor=FILLS[figure.colour])
            sheet.cell(row=position + 2, column=offset + 8).fill = fill


WRITERS: dict[str, Callable[[Report, Path], None]] = {"pdf": write_pdf, "xlsx": write_xlsx}


@cache
def maker_version() -> str:
    """What else decides the file besides the report's figures: the code and the PDF's
    template, so an upgrade makes the files again."""
    return fingerprint(yunong.__version__, PDF_TEMPLATE.read_text())


def data_version(report: Report, pack: Pack) -> str:
    """A fingerprint of everything the file shows: the gathered figures, scores and
    model villages (not the day it is made) and the pack they were scored against. Any
    change to the data sets, values or scores that changes a figure makes a new version;
    a change that changes nothing shown (a value saved again, a draft not yet approved)
    keeps the file."""
    shown = asdict(report)
    del shown["made_on"]
    return fingerprint(maker_version(), pack.model_dump_json(), shown)


def cached_file(
    report: Report, *, pack: Pack, kind: str, files: FileCache, region_code: str, language: str
) -> Path:
    """The report as a ``kind`` file, made once per version of its data for the caller's
    scope and language; older versions of the same report are deleted."""
    slot = f"assess-report-{report.period}-{region_code}-{language}"
    version = data_version(report, pack)
    return files.get(slot, version, f".{kind}", lambda path: WRITERS[kind](report, path))
