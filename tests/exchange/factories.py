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


def stored_deal(session, code, *, region, area, day, term=10, price=10000, land_class=None):
    """A deal row as the import stores it."""
    from decimal import Decimal

    from yunong.exchange.models import Deal

    row = Deal(
        project_code=code,
        kind="land_management",
        region_code=region,
        area_mu=Decimal(str(area)),
        term_years=term,
        land_class=land_class,
        price_yuan=Decimal(str(price)),
        deal_date=day,
    )
    session.add(row)
    session.flush()
    return row


def closed_listing(
    session, code, *, region, area, status="sold", closed_at, kind="land_management", **terms
):
    """A listing already closed by the auction, ``sold`` or ``unsold``."""
    from datetime import timedelta
    from decimal import Decimal

    from yunong.exchange.models import Listing

    row = Listing(
        code=code,
        kind=kind,
        title=f"标的 {code}",
        region_code=region,
        seller="村股份经济合作联合社",
        area_mu=Decimal(str(area)),
        reserve_yuan=Decimal("10000"),
        increment_yuan=Decimal("100"),
        deposit_yuan=Decimal("1000"),
        starts_at=closed_at - timedelta(days=3),
        ends_at=closed_at,
        status=status,
        price_yuan=Decimal("20000") if status == "sold" else None,
        closed_at=closed_at,
        created_by="factory",
        **terms,
    )
    session.add(row)
    session.flush()
    return row


def ticket_case(
    session,
    parcel,
    *,
    region,
    holder,
    step,
    accepted_m2=None,
    issued_on=None,
    listing=None,
    paid=(),
):
    """A 地票 case at ``step``, with the payments ``paid`` as (payee, amount, day)."""
    from datetime import date
    from decimal import Decimal

    from yunong.exchange.models import TicketCase, TicketPayment

    case = TicketCase(
        parcel_code=parcel,
        region_code=region,
        holder_code=holder,
        conditions="stable_home,plan,title,one_homestead,boundaries",
        step=step,
        applied_on=date(2024, 1, 8),
        applied_by="village_cadre",
        approved_on=date(2024, 2, 1) if step != "applied" else None,
        accepted_on=date(2024, 6, 3) if accepted_m2 else None,
        accepted_m2=Decimal(str(accepted_m2)) if accepted_m2 else None,
        reclamation_cost_yuan=Decimal("12000") if accepted_m2 else None,
        ticket_code=f"T{parcel[-8:]}" if issued_on else None,
        issued_on=issued_on,
        listing_id=listing.id if listing else None,
        paid_on=paid[0][2] if paid else None,
    )
    session.add(case)
    session.flush()
    for payee, amount, day in paid:
        session.add(
            TicketPayment(
                case_id=case.id,
                payee=payee,
                payee_code=holder if payee == "farmer" else region,
                account="6222020200001234",
                amount_yuan=Decimal(str(amount)),
                paid_on=day,
            )
        )
    session.flush()
    return case


# Deals of 万州区 for the price index: five quarters, the third with too few deals.
WANZHOU = "500101000000"
FIRST_MONTHS = {"2023Q1": 1, "2023Q2": 4, "2023Q3": 7, "2023Q4": 10, "2024Q1": 1}
STEPS = {"2023Q1": 0, "2023Q2": 1, "2023Q3": 2, "2023Q4": 3, "2024Q1": 4}
"""Quarters since the first: the true quality-adjusted price is 1.1 ** step times the base."""
COUNTS = {"2023Q1": 12, "2023Q2": 12, "2023Q3": 3, "2023Q4": 12, "2024Q1": 12}
CLASS_PREMIUM = {"水田": 1.3, "旱地": 1.0}


def constructed_deals(session) -> None:
    """Deals whose price per 亩 per year is 1000 × 1.1^step × area^-0.3 × 1.02^term × the
    class premium, with ±2% noise; later quarters sell larger parcels, more 旱地, longer."""
    import random
    from datetime import date
    from decimal import Decimal

    from yunong.exchange.models import Deal

    chance = random.Random(23)
    number = 0
    for quarter, count in COUNTS.items():
        step = STEPS[quarter]
        year = 2024 if quarter.startswith("2024") else 2023
        for item in range(count):
            number += 1
            area = chance.uniform(5, 30) * (2.5**step)
            term = chance.randint(5, 10) + 2 * step
            land_class = "水田" if item % (2 + step) == 0 else "旱地"
            per_mu_year = (
                1000
                * 1.1**step
                * area**-0.3
                * 1.02**term
                * CLASS_PREMIUM[land_class]
                * chance.uniform(0.98, 1.02)
            )
            session.add(
                Deal(
                    project_code=f"IDX-{number:03d}",
                    kind="land_management",
                    region_code=WANZHOU,
                    area_mu=Decimal(f"{area:.4f}"),
                    term_years=term,
                    land_class=land_class,
                    price_yuan=Decimal(f"{per_mu_year * area * term:.2f}"),
                    deal_date=date(year, FIRST_MONTHS[quarter] + item % 3, 1 + item),
                )
            )
    session.flush()
