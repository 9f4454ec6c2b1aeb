"""Valid requests for every route, about the rows of one village of the scope world.

Path parameters are found by the literal before them (see :mod:`tests.web.route_matrix`):
those that name a row are filled with the row of the village given, the others with one
valid value. A route that takes a body has a sample body here. A new route with a path
parameter, a required query parameter or a body that this module cannot fill is reported
by :func:`unfilled`, so that the scope matrix fails until it is filled.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from tests.web import route_matrix
from tests.web.route_matrix import Route, Where
from tests.web.scope_world import ScopeWorld
from yunong.core.auth.roles import Role
from yunong.policy import loader

PATH_OBJECTS: dict[tuple[str, str], Callable[[ScopeWorld, Where], Any]] = {
    ("users", "user_id"): lambda world, where: where.site.user_id,
    ("regions", "code"): lambda world, where: where.region,
    ("codes", "code"): lambda world, where: where.site.household,
    ("parcels", "code"): lambda world, where: where.site.parcel,
    ("items", "code"): lambda world, where: where.site.parcel,
    ("alerts", "alert_id"): lambda world, where: where.site.alert_id,
    ("cases", "code"): lambda world, where: where.site.case,
    ("measures", "measure_id"): lambda world, where: where.site.measure_id,
    ("households", "code"): lambda world, where: where.site.household,
    ("districts", "code"): lambda world, where: where.district,
    ("data", "code"): lambda world, where: where.region,
    ("producers", "producer_id"): lambda world, where: where.site.producer_id,
    ("batches", "code"): lambda world, where: where.site.batch,
    ("brands", "brand_id"): lambda world, where: world.brand_id,
    ("flags", "flag_id"): lambda world, where: where.site.flag_id,
    ("visits", "visit_id"): lambda world, where: where.site.visit_id,
    ("visits", "client_key"): lambda world, where: where.site.visit_key,
    ("inspectors", "user_id"): lambda world, where: where.site.user_id,
    ("notices", "notice_id"): lambda world, where: where.site.notice_id,
    ("projects", "number"): lambda world, where: where.site.farmland_project,
    ("reports", "report_id"): lambda world, where: where.site.farmland_report,
    ("orgs", "code"): lambda world, where: where.site.collective_org,
    ("members", "member_id"): lambda world, where: where.site.collective_member,
    ("disclosures", "disclosure_id"): lambda world, where: where.site.collective_disclosure,
    # the 帮扶项目 tests.collective.factories.scope_rows registers in each village
    ("projects", "project"): lambda world, where: f"JZ-{where.site.village}",
    ("tips", "tip_id"): lambda world, where: where.site.fishery_tip,
    ("cases", "number"): lambda world, where: where.site.fishery_case,
    ("fishers", "fisher_id"): lambda world, where: where.site.fishery_fisher,
    ("patrols", "patrol_id"): lambda world, where: where.site.fishery_patrol,
    ("matters", "number"): lambda world, where: where.site.governance_matter,
    ("grids", "grid_id"): lambda world, where: where.site.governance_grid,
    ("entries", "entry_id"): lambda world, where: where.site.governance_entry,
    ("teams", "team_id"): lambda world, where: where.site.fishery_team,
    ("orders", "code"): lambda world, where: where.site.services_order,
    ("machines", "code"): lambda world, where: where.site.services_machine,
    ("providers", "provider_id"): lambda world, where: where.site.services_provider,
}
"""Path parameters (by the literal before them) that name a row: filled with the row of
the village inside, then outside, the role's scope."""

PATH_CONSTANTS: dict[tuple[str, str], Any] = {
    ("collections", "name"): "parcels",
    ("steps", "step"): "village_review",
    ("export", "name"): "cases",
    ("assess", "period"): 2024,
    ("indicators", "key"): next(iter(loader.get().indicators)),
    ("report.", "kind"): "xlsx",
    ("data", "action"): "submit",
    ("qr.", "kind"): "svg",
    ("chains", "chain"): "pig",
    ("reports", "kind"): "balance-sheet",
    # No warning has this id: handling it is refused alike inside and outside the scope
    # (tests/industry/test_pages.py handles real ones, inside and outside).
    ("warnings", "warning_id"): 2_000_000_000,
    # Nor has a listing or a registration these ids (tests/exchange/test_auction.py runs
    # real auctions through the API).
    ("listings", "listing_id"): 2_000_000_000,
    ("registrations", "registration_id"): 2_000_000_000,
    ("tickets", "case_id"): 2_000_000_000,
    # No drying booking has this id: cancelling it is refused alike inside and outside the
    # scope (tests/services/test_pages.py books and cancels real ones).
    ("bookings", "booking_id"): 2_000_000_000,
}

QUERY_OBJECTS: dict[str, Callable[[ScopeWorld, Where], Any]] = {
    "region": lambda world, where: where.region,
    "under": lambda world, where: where.region,
    "village": lambda world, where: where.site.village,
}
"""Query parameters that narrow a list to a region or a row: inside, then outside."""

QUERY_CONSTANTS: dict[str, Any] = {
    "bbox": "105.0,28.0,110.5,32.5",
    "zoom": 16,
    "since": "2024-01-01T00:00:00",
    "until": "2025-01-01T00:00:00",
    # One small label rather than a sheet of eight: the PDF costs seconds a page.
    "size": "60x40",
    "copies": 1,
    "month": "2024-12",
}

TODAY = date.today().isoformat()

Body = tuple[str, dict[str, Any]]
BODIES: dict[str, Callable[[ScopeWorld, Where], Body]] = {
    "POST /api/exchange/listings": lambda world, where: (
        "json",
        {
            "code": f"MATRIX-{where.role.value}-{where.side}",
            "kind": "land_management",
            "title": "耕地经营权",
            "region_code": where.site.village,
            "seller": "村股份经济合作联合社",
            "area_mu": "10",
            "reserve_yuan": "10000",
            "increment_yuan": "100",
            "deposit_yuan": "1000",
            "starts_at": "2024-09-02T02:00:00+00:00",
            "ends_at": "2024-09-02T03:00:00+00:00",
        },
    ),
    "POST /api/exchange/listings/{listing_id}/registrations": lambda world, where: (
        "json",
        {"bidder_name": "重庆渝丰农业开发有限公司", "bidder_id_code": "91500101MA0000001X"},
    ),
    "POST /api/exchange/listings/{listing_id}/bids": lambda world, where: (
        "json",
        {"amount_yuan": "10000"},
    ),
    "POST /exchange/listings/{listing_id}/register": lambda world, where: (
        "form",
        {"bidder_name": "重庆渝丰农业开发有限公司", "bidder_id_code": "91500101MA0000001X"},
    ),
    "POST /exchange/listings/{listing_id}/bid": lambda world, where: (
        "form",
        {"amount_yuan": "10000"},
    ),
    "POST /api/exchange/tickets": lambda world, where: (
        "json",
        {"parcel_code": where.site.parcel, "conditions": ["stable_home"]},
    ),
    "POST /api/exchange/tickets/{case_id}/accept": lambda world, where: (
        "json",
        {"accepted_m2": "100", "reclamation_cost_yuan": "1000"},
    ),
    "POST /api/exchange/tickets/{case_id}/issue": lambda world, where: (
        "json",
        {
            "reserve_yuan": "10000",
            "increment_yuan": "100",
            "deposit_yuan": "1000",
            "starts_at": "2024-09-02T02:00:00+00:00",
            "ends_at": "2024-09-02T03:00:00+00:00",
        },
    ),
    "POST /api/exchange/tickets/{case_id}/pay": lambda world, where: (
        "json",
        {"farmer_account": "6228480402564890018", "collective_account": "6228480402564890026"},
    ),
    "POST /exchange/tickets/{case_id}/accept": lambda world, where: (
        "form",
        {"accepted_m2": "100", "reclamation_cost_yuan": "1000"},
    ),
    "POST /exchange/tickets/{case_id}/issue": lambda world, where: (
        "form",
        {
            "reserve_yuan": "10000",
            "increment_yuan": "100",
            "deposit_yuan": "1000",
            "starts_at": "2024-09-02T10:00",
            "ends_at": "2024-09-02T11:00",
        },
    ),
    "POST /exchange/tickets/{case_id}/pay": lambda world, where: (
        "form",
        {"farmer_account": "6228480402564890018", "collective_account": "6228480402564890026"},
    ),
    "POST /collective/orgs/{code}/disclosures": lambda world, where: ("form", {"period": "2024Q2"}),
    "POST /collective/disclosures/{disclosure_id}/approve": lambda world, where: ("form", {}),
    "POST /collective/orgs/{code}/close": lambda world, where: ("form", {"month": "2024-01"}),
    "POST /api/users": lambda world, where: (
        "json",
        {
            "name": f"matrix_{where.role.value}",
            "role": "grid_worker",
            "region_code": where.site.village,
            "password": "Matrix@Yunong-2024",
        },
    ),
    "PATCH /api/users/{user_id}": lambda world, where: ("json", {"disabled": False}),
    "POST /api/trace/inspectors": lambda world, where: (
        "json",
        {"user_id": where.site.user_id, "agency": "区农产品检测站", "region_code": where.region},
    ),
    "POST /api/monitor/alerts/{alert_id}/case": lambda world, where: (
        "json",
        {"grid_worker": where.site.user_name},
    ),
    "POST /api/monitor/cases/{code}/verify": lambda world, where: (
        "json",
        {"client_key": f"matrix-{where.role.value}-{where.side}", "visited_on": TODAY},
    ),
    "POST /api/monitor/cases/{code}/steps/{step}": lambda world, where: ("json", {"note": "同意"}),
    "POST /api/monitor/cases/{code}/measures": lambda world, where: (
        "json",
        {"kind": "housing", "content": "危房改造", "responsible": "乡镇建设办", "due_on": TODAY},
    ),
    "POST /api/monitor/measures/{measure_id}/progress": lambda world, where: (
        "json",
        {"note": "已开工"},
    ),
    "POST /api/monitor/visits": lambda world, where: (
        "json",
        {
            "client_key": f"matrix-visit-{where.role.value}-{where.side}",
            "household_code": where.site.household,
            "visited_on": TODAY,
        },
    ),
    "POST /monitor/alerts/{alert_id}/case": lambda world, where: (
        "form",
        {"grid_worker": where.site.user_name},
    ),
    "POST /monitor/cases/{code}/steps/{step}": lambda world, where: ("form", {"note": "同意"}),
    "POST /monitor/cases/{code}/measures": lambda world, where: (
        "form",
        {"kind": "housing", "content": "危房改造", "responsible": "乡镇建设办", "due_on": TODAY},
    ),
    "POST /monitor/measures/{measure_id}/progress": lambda world, where: (
        "form",
        {"note": "已开工"},
    ),
    "POST /assess/{period}/data/{code}/{action}": lambda world, where: ("form", {}),
    "POST /industry/warnings/{warning_id}/handle": lambda world, where: (
        "form",
        {"note": "已组织调运"},
    ),
    "POST /api/trace/producers": lambda world, where: (
        "json",
        {
            "name": f"矩阵合作社{where.role.value}",
            "kind": "cooperative",
            "region_code": where.site.village,
        },
    ),
    "POST /api/trace/producers/{producer_id}/accounts": lambda world, where: (
        "json",
        {"user_id": world.world.accounts[Role.PRODUCER].user_id},
    ),
    "POST /api/trace/products": lambda world, where: (
        "json",
        {"producer_id": where.site.producer_id, "name": "矩阵脐橙", "category": "柑橘"},
    ),
    "POST /api/trace/batches": lambda world, where: (
        "json",
        {
            "product_id": where.site.product_id,
            "lot": f"M{where.role.value}",
            "produced_on": TODAY,
            "quantity": "100",
            "unit": "公斤",
        },
    ),
    "POST /api/trace/batches/{code}/events": lambda world, where: (
        "json",
        {"step": "packing", "event_time": f"{TODAY}T08:00:00"},
    ),
    "POST /api/trace/batches/{code}/certificate": lambda world, where: ("json", {}),
    "POST /api/trace/brands": lambda world, where: (
        "json",
        {
            "name": f"矩阵品牌{where.role.value}",
            "kind": "区域公用品牌",
            "owner": "区农业农村委",
            "region_code": where.site.village,
        },
    ),
    "POST /api/trace/brands/{brand_id}/grants": lambda world, where: (
        "json",
        {
            "producer_id": where.site.producer_id,
            "category": "柑橘",
            "valid_from": "2024-01-01",
            "valid_until": "2026-12-31",
        },
    ),
    "POST /trace/batches": lambda world, where: (
        "form",
        {
            "product_id": where.site.product_id,
            "lot": f"F{where.role.value}",
            "produced_on": TODAY,
            "quantity": "100",
            "unit": "公斤",
        },
    ),
    "POST /trace/batches/{code}/events": lambda world, where: (
        "form",
        {"step": "packing", "event_time": f"{TODAY}T09:00"},
    ),
    "POST /trace/batches/{code}/certificate": lambda world, where: ("form", {}),
    "POST /api/trace/flags/{flag_id}/confirm": lambda world, where: ("json", {"note": "已核实"}),
    "POST /api/trace/flags/{flag_id}/clear": lambda world, where: (
        "json",
        {"note": "经核实为同一批次的正常销售"},
    ),
    "POST /trace/flags/{flag_id}": lambda world, where: (
        "form",
        {"decision": "clear", "note": "经核实为同一批次的正常销售"},
    ),
    "POST /habitat/toilets/apply": lambda world, where: (
        "form",
        {
            "region_code": where.site.village,
            "household_number": f"M{where.role.value[:12]}",
            "head_name": "矩阵户",
            "kind": "三格式",
        },
    ),
    "POST /habitat/toilets/visit": lambda world, where: (
        "form",
        {
            "region_code": where.site.village,
            "household_number": f"V{where.role.value[:12]}",
            "head_name": "矩阵户",
            "kind": "三格式",
            "in_use": "1",
        },
    ),
    "POST /habitat/toilets/step": lambda world, where: (
        "form",
        {"subsidy_id": "999999", "action": "accept"},
    ),
    "POST /habitat/water/step": lambda world, where: (
        "form",
        {"body_code": f"HC{where.site.village}", "action": "start"},
    ),
    "POST /farmland/projects/{number}/steps": lambda world, where: (
        "form",
        {"step": "规划编制", "done_on": TODAY, "document": "矩阵〔2024〕1号"},
    ),
    "POST /farmland/new": lambda world, where: (
        "form",
        {
            "number": f"M-{where.role.value}-{where.side}",
            "name": "矩阵高标准农田项目",
            "kind": "new",
            "year": "2025",
            "scale_mu": "6000",
            "district": where.site.village,
        },
    ),
    "POST /farmland/projects/{number}/entry": lambda world, where: (
        "form",
        {"name": "矩阵项目（修改）", "kind": "upgrade", "year": "2025", "scale_mu": "6200"},
    ),
    "POST /farmland/projects/{number}/parties": lambda world, where: (
        "form",
        {"role": "supervisor", "name": "矩阵监理公司", "credit_code": "91500101MA5U5N7X22"},
    ),
    "POST /farmland/projects/{number}/content": lambda world, where: (
        "form",
        {"category": "田间道路", "quantity": "3.5"},
    ),
    "POST /farmland/projects/{number}/funding": lambda world, where: (
        "form",
        {"source": "district", "amount": "100000"},
    ),
    "POST /farmland/projects/{number}/duties": lambda world, where: (
        "form",
        {
            "region_code": where.site.village,
            "party_kind": "collective",
            "party_name": "矩阵合作社",
            "facilities": "机耕路",
            "until": "2030-12-31",
        },
    ),
    "POST /api/farmland/projects/{number}/steps": lambda world, where: (
        "json",
        {"step": "plan", "done_on": TODAY, "document": "矩阵〔2024〕2号"},
    ),
    "POST /fishery/teams": lambda world, where: (
        "form",
        {"name": f"矩阵{where.role.value}{where.site.village}", "region": where.site.village},
    ),
    "POST /governance/matters/{number}/close": lambda world, where: (
        "form",
        {"feedback": "已处理并回访"},
    ),
    "POST /governance/matters/{number}/class": lambda world, where: ("form", {"kind": "小事"}),
    "POST /governance/grids": lambda world, where: (
        "form",
        {
            "village": where.site.village,
            "name": f"矩阵{where.role.value}{where.side}",
            "worker": where.site.user_name,
        },
    ),
    "POST /governance/grids/{grid_id}/households": lambda world, where: (
        "form",
        {"households": where.site.household},
    ),
    "POST /governance/points/entries": lambda world, where: (
        "form",
        {"household": where.site.household, "item": "yard_clean", "note": "庭院整洁"},
    ),
    "POST /governance/points/entries/{entry_id}/review": lambda world, where: (
        "form",
        {"decision": "approve"},
    ),
    "POST /governance/points/publish": lambda world, where: (
        "form",
        {"village": where.site.village, "month": "2024-06"},
    ),
    "POST /governance/points/households/{code}/redeem": lambda world, where: (
        "form",
        {"item": "洗衣粉 1 袋", "points": "1"},
    ),
    "POST /governance/points/households/{code}/reverse": lambda world, where: (
        "form",
        {"ledger": "1", "note": "登记错户"},
    ),
    "POST /fishery/teams/{team_id}/members": lambda world, where: (
        "form",
        {"name": f"矩阵队员{where.role.value}{where.side}", "phone": "13800000000"},
    ),
    "POST /fishery/teams/{team_id}/members/remove": lambda world, where: (
        "form",
        {"name": "无此队员"},
    ),
    "POST /fishery/patrols": lambda world, where: (
        "form",
        {"team": where.site.fishery_team, "track": "[[108.40, 30.80], [108.41, 30.80]]"},
    ),
    "POST /fishery/tips/{tip_id}/case": lambda world, where: ("form", {"found_on": TODAY}),
    "POST /fishery/tips/{tip_id}/dismiss": lambda world, where: ("form", {"reply": "已核查"}),
    "POST /fishery/cases/{number}/steps": lambda world, where: (
        "form",
        {"step": "seized", "text": "渔网 1 张"},
    ),
    "POST /fishery/fishers/{fisher_id}/visits": lambda world, where: (
        "form",
        {"visited_on": TODAY, "employment": "job", "insured": "yes"},
    ),
    "POST /farmland/reports": lambda world, where: (
        "form",
        {
            "project": where.site.farmland_project,
            "kind": "inspection",
            "finding": "渠道畅通",
            "lon": "108.4",
            "lat": "30.8",
        },
    ),
    "POST /region": lambda world, where: ("form", {"code": where.region}),
    "POST /notices": lambda world, where: (
        "form",
        {"title": "关于做好冬季走访的通知", "body": "请各单位按时走访。", "due_on": TODAY},
    ),
    "POST /users/new": lambda world, where: (
        "form",
        {
            "name": f"matrix_page_{where.role.value}_{where.side}",
            "role": "grid_worker",
            "region_code": where.site.village,
            "password": "Matrix@Yunong-2024",
        },
    ),
    "POST /users/{user_id}/role": lambda world, where: (
        "form",
        {"role": "grid_worker", "region_code": where.site.village},
    ),
    "POST /users/{user_id}/status": lambda world, where: ("form", {"disabled": "0"}),
    "POST /users/{user_id}/password": lambda world, where: (
        "form",
        {"password": "Matrix@Yunong-2024"},
    ),
    "POST /users/{user_id}/tokens": lambda world, where: ("form", {"label": "矩阵", "days": "1"}),
    "POST /users/{user_id}/tokens/revoke": lambda world, where: ("form", {"token_id": "999999"}),
    "POST /services/machines/{code}/position": lambda world, where: (
        "form",
        {"lon": "108.41", "lat": "30.80", "accuracy": "12"},
    ),
    "POST /services/orders": lambda world, where: (
        "form",
        {
            "household": where.site.household,
            "operation": "收获",
            "parcels": [where.site.parcel],
            "earliest": TODAY,
            "latest": TODAY,
        },
    ),
    "POST /services/orders/{code}/done": lambda world, where: ("form", {"done_on": TODAY}),
    "POST /services/dispatch": lambda world, where: ("form", {"day": "2026-09-15"}),
    # The matrix has no drying centre: the booking is refused alike inside and outside.
    "POST /services/drying/bookings": lambda world, where: (
        "form",
        {"centre": "HG-MATRIX", "day": "2026-09-15", "tonnes": "5", "requester": "矩阵农户"},
    ),
    "POST /services/dispatch/confirm": lambda world, where: ("form", {"day": "2026-09-15"}),
    "POST /services/grower/orders": lambda world, where: (
        "form",
        {"operation": "收获", "parcels": [where.site.parcel], "earliest": TODAY, "latest": TODAY},
    ),
}
"""A valid body for each route that takes one, about the rows of the village given."""


def unfilled(route: Route) -> list[str]:
    missing = [
        f"路径参数 {literal}/{{{name}}}"
        for literal, name in route.slots
        if (literal, name) not in PATH_OBJECTS and (literal, name) not in PATH_CONSTANTS
    ]
    missing += [
        f"查询参数 {name}"
        for name in route.required_query
        if name not in QUERY_OBJECTS and name not in QUERY_CONSTANTS
    ]
    if route.body and route.key not in BODIES:
        missing.append(f"请求体 {', '.join(route.body)}")
    return missing


def request_for(route: Route, world: ScopeWorld, where: Where) -> dict[str, Any] | None:
    """The request about ``where``'s rows; None when the role has no such row."""
    values = {}
    for literal, name in route.slots:
        if (literal, name) in PATH_CONSTANTS:
            values[name] = PATH_CONSTANTS[(literal, name)]
        else:
            values[name] = PATH_OBJECTS[(literal, name)](world, where)
        if values[name] is None:
            return None
    params = {name: QUERY_CONSTANTS[name] for name in route.query if name in QUERY_CONSTANTS}
    params |= {
        name: QUERY_OBJECTS[name](world, where) for name in route.query if name in QUERY_OBJECTS
    }
    request: dict[str, Any] = {
        "method": route.method,
        "url": route_matrix.fill_path(route.path, values),
        "params": params,
    }
    if route.key in BODIES:
        kind, body = BODIES[route.key](world, where)
        request["json" if kind == "json" else "data"] = body
    return request
