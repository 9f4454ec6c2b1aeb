"""产业大脑: the series of the seven industry chains and the 菜篮子, the early-warning rules
run on them (pig-grain ratio, breeding-sow zones, price moves, 菜篮子 floors) and the chain
pages."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

READERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.BANK_VIEWER})
"""The offices that follow the chains, and the banks that lend to them."""

application = Application(
    key="industry",
    title="产业大脑",
    clause="（二）（十一）（三十一）",
    routers=("yunong.industry.views:router",),
    commands=(("industry", "yunong.industry.cli:industry_app"),),
    models="yunong.industry.models",
    nav=(NavEntry("产业大脑", "/industry", roles=READERS),),
    demo=(DemoStep("yunong.demo.industry:step", stage=85),),
    indicators="yunong.industry.indicators",
    todo="yunong.industry.todo:todo",
    pack_section="industry",
    lists=("/industry/warnings",),
)
