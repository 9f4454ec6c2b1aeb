"""Deal workbooks as the exchanges keep them: a title line above the header, amounts with
separators and units, dates in the ways people type them."""

import openpyxl

HEADER = [
    "项目编号",
    "标的类型",
    "区县",
    "乡镇",
    "坐落",
    "面积（亩）",
    "流转期限(年)",
    "成交价(元)",
    "成交日期",
    "买受方",
]


def deals_workbook(path, rows, *, title="2023年度农村产权流转交易成交项目汇总表"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def deal(
    code,
    *,
    kind="土地经营权",
    district="万州区",
    town="龙沙镇",
    area=100,
    term=10,
    price=80000,
    day="2023-05-06",
    buyer="重庆渝丰农业开发有限公司",
    location="石坪村3组",
):
    return [code, kind, district, town, location, area, term, price, day, buyer]


def uscc(serial: int) -> str:
    """A well-formed 统一社会信用代码 of a company registered in 万州区."""
    from yunong.core.validators import uscc_check_char

    first17 = f"91500101MA{serial:07d}"
    return first17 + uscc_check_char(first17)


def add_list_rows(session, village: str, rows: int) -> None:
    """``rows`` listings in ``village``, for the paged list."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from yunong.core.scope import Scope
    from yunong.exchange import auction, rules

    start = datetime(2024, 9, 2, 2, 0, tzinfo=UTC)
    for number in range(rows):
        auction.create_listing(
            session,
            scope=Scope.system("factory"),
            listing_in=auction.ListingIn(
                code=f"LIST-{number:04d}",
                kind="land_management",
                title=f"耕地经营权 {number} 号",
                region_code=village,
                seller="村股份经济合作联合社",
                area_mu=Decimal("10"),
                reserve_yuan=Decimal("10000"),
                increment_yuan=Decimal("100"),
                deposit_yuan=Decimal("1000"),
                starts_at=start,
                ends_at=start + timedelta(days=3650, minutes=number),
            ),
            rules=rules.section(),
        )
