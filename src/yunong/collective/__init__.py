"""渝农经管: collective economic organisations, their members and shares, their double-entry
books on the 2023 chart (财会〔2023〕14号) with the reports made from them, their 三资 registry
and 清产核资, their contracts, and the 帮扶项目 whose assets they receive."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

BOOKKEEPERS = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.VILLAGE_CADRE,
        Role.COLLECTIVE_ACCOUNTANT,
    }
)

DISCLOSURE_READERS = BOOKKEEPERS | {Role.FINANCE_GROUP}

application = Application(
    key="collective",
    title="渝农经管",
    clause="（六）（二十五）（二十八）（三十一）",
    routers=("yunong.collective.api:router", "yunong.collective.views:router"),
    commands=(("collective", "yunong.collective.cli:collective_app"),),
    models="yunong.collective.models",
    nav=(
        NavEntry("渝农经管", "/collective", roles=BOOKKEEPERS),
        NavEntry("财务公开", "/collective/disclosures", roles=DISCLOSURE_READERS),
    ),
    demo=(DemoStep("yunong.demo.collective:step", stage=62),),
    indicators="yunong.collective.indicators",
    todo="yunong.collective.todo:todo",
    pack_section="collective",
    lists=("/collective", "/collective/projects"),
)
