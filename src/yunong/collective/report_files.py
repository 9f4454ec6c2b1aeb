"""The balance sheet and the income statement written as xlsx (for the accountant) and PDF
(for the town's 经管站 and the archive)."""

from html import escape
from pathlib import Path

from yunong.core import tabular

TITLES = {"balance-sheet": "资产负债表", "income": "收益及收益分配表"}


def rows_of(kind: str, report: dict[str, object]) -> list[list[object]]:
    """The report as (项目, 科目编码, 金额) rows, totals after each part."""
    rows: list[list[object]] = []

    def part(label: str, key: str, total: object) -> None:
        for line in report[key]:  # type: ignore[attr-defined]
            rows.append([line["name"], line["account"], line["amount"]])
        rows.append([label, "", total])

    if kind == "balance-sheet":
        part("资产总计", "assets", report["total_assets"])
        part("负债合计", "liabilities", report["total_liabilities"])
        part("所有者权益合计", "equity", report["total_equity"])
    else:
        part("收入合计", "income", None)
        part("支出合计", "expenses", None)
        rows = [row for row in rows if row[2] is not None]
        rows.append(["本年收益", "", report["net_income"]])
    return rows


def write_xlsx(kind: str, report: dict[str, object], path: Path) -> None:
    workbook = tabular.new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TITLES[kind]
    sheet.append([f"{report['name']} {TITLES[kind]}（{report['period']}）"])
    tabular.add_table(sheet, ["项目", "科目编码", "金额（元）"], rows_of(kind, report))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_pdf(kind: str, report: dict[str, object], path: Path) -> None:
    from weasyprint import HTML

    body = "".join(
        f"<tr><td>{escape(str(name))}</td><td>{escape(str(code))}</td>"
        f"<td class='n'>{amount:,.2f}</td></tr>"
        for name, code, amount in rows_of(kind, report)
    )
    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:sans-serif}"
        "table{border-collapse:collapse;width:100%}td{border:1px solid #999;padding:4px}"
        ".n{text-align:right}</style></head><body>"
        f"<h2>{escape(str(report['name']))} {TITLES[kind]}</h2>"
        f"<p>会计期间：{escape(str(report['period']))}　单位：元</p>"
        f"<table><tr><td>项目</td><td>科目编码</td><td>金额</td></tr>{body}</table></body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path)
