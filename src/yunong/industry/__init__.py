"""产业大脑: the series of the seven industry chains and the 菜篮子, the early-warning rules
run on them (pig-grain ratio, breeding-sow zones, price moves, 菜篮子 floors) and the chain
pages."""

from yunong.core.application import Application

application = Application(
    key="industry",
    title="产业大脑",
    clause="（二）（十一）（三十一）",
    commands=(("industry", "yunong.industry.cli:industry_app"),),
    models="yunong.industry.models",
    pack_section="industry",
)
