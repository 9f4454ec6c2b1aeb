"""农村产权流转交易: deals of rural property rights, recorded before the platform or made on
it, and the yearly price per 亩 by district and kind that the deals give."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

READERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.BANK_VIEWER, Role.PRODUCER}
)
"""The offices that follow the market, the banks that lend against transferred rights, and
the operators and companies that buy."""

application = Application(
    key="exchange",
    title="产权交易",
    clause="（二十三）（二十八）（三十）",
    routers=(
        "yunong.exchange.api:router",
        "yunong.exchange.views:router",
        "yunong.exchange.ticket_views:router",
    ),
    commands=(("exchange", "yunong.exchange.cli:exchange_app"),),
    models="yunong.exchange.models",
    nav=(
        NavEntry("产权交易", "/exchange/listings", roles=READERS),
        NavEntry("我的地票", "/exchange/my-tickets", roles=frozenset({Role.FARMER})),
    ),
    demo=(DemoStep("yunong.demo.exchange:step", stage=70),),
    pack_section="exchange",
    indicators="yunong.exchange.indicators",
    lists=("/exchange/listings",),
)
