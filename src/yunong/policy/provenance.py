"""Every number a pack carries, with where it comes from; and which of them the seed does not
bear out.

A number's source is the field's own (``sources``), else that of the object carrying it,
else that of the object above it (a year's target takes its indicator's). Fields a class
lists as ``CONFIGURED`` (an indicator's valid range and weight, a target's tolerance) are
always project defaults. A number whose sources are all seed clauses must be in those
clauses' text, and every text the pack quotes must be in its clause (see
:mod:`yunong.policy.seed`).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from yunong.policy import seed
from yunong.policy.schema import DEFAULT, SEED_CLAUSES, Indicator, Pack, Strict

# Fields that say where, not what.
NOT_VALUES = frozenset({"source", "sources", "clause"})


@dataclass(frozen=True)
class Value:
    path: str
    value: float
    source: tuple[str, ...]

    @property
    def from_seed(self) -> bool:
        return all(part in SEED_CLAUSES for part in self.source)


def source_text(source: tuple[str, ...]) -> str:
    """A source in Chinese: 项目默认 for ``default``, clauses and rules as written."""
    return "、".join("项目默认" if part == DEFAULT else part for part in source)


def targets_source(indicator: Indicator) -> str:
    """Where an indicator's targets come from: one source for all years, else year by year."""
    by_year = {year: indicator.target_source(year) for year in sorted(indicator.targets)}
    if len(set(by_year.values())) <= 1:
        return source_text(next(iter(by_year.values()), indicator.source))
    return "；".join(f"{year}：{source_text(source)}" for year, source in by_year.items())


def values(pack: Pack) -> list[Value]:
    """Every number of the pack, in pack order. A number with no source anywhere above it
    comes with an empty source."""
    return list(walk(pack, "", ()))


def walk(node: object, path: str, inherited: tuple[str, ...]) -> Iterator[Value]:
    if isinstance(node, BaseModel):
        own = getattr(node, "source", None) or inherited
        for name in type(node).model_fields:
            if name in NOT_VALUES:
                continue
            if isinstance(node, Strict) and name in node.CONFIGURED:
                source: tuple[str, ...] = (DEFAULT,)
            else:
                source = getattr(node, "sources", {}).get(name, own)
            yield from walk(getattr(node, name), join(path, name), source)
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from walk(item, join(path, str(key)), inherited)
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            yield from walk(item, join(path, str(index)), inherited)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield Value(path, float(node), inherited)


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def unsupported(pack: Pack) -> list[str]:
    """What the pack says comes from the seed but the seed does not say, in Chinese; also
    numbers with no source at all."""
    texts = seed.clauses(pack.seed)
    problems = []
    for value in values(pack):
        if not value.source:
            problems.append(f"{value.path}：{value.value:g} 没有来源")
        elif value.from_seed:
            said = "".join(texts.get(clause, "") for clause in value.source)
            if not seed.says_number(said, value.value):
                where = "、".join(value.source)
                problems.append(f"{value.path}：实施意见{where}中没有 {value.value:g}")
    for path, clauses, quotation in quotations(pack):
        said = "".join(texts.get(clause, "") for clause in clauses)
        if not seed.quotes(said, quotation):
            problems.append(f"{path}.text：“{quotation}”不是实施意见{'、'.join(clauses)}的原文")
    return problems


def quotations(pack: Pack) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(path, clauses, text) of every text the pack gives as the seed's: its own clause and
    any seed clause among its sources."""
    quoting: dict[str, dict[str, BaseModel]] = {
        "indicators": dict(pack.indicators),
        "rules": dict(pack.rules),
        "model_village.items": dict(pack.model_village.items),
    }
    for section, items in quoting.items():
        for key, item in items.items():
            clause = str(getattr(item, "clause", ""))
            cited = tuple(
                part for part in getattr(item, "source", ()) or () if part in SEED_CLAUSES
            )
            clauses = (clause, *(part for part in cited if part != clause))
            yield f"{section}.{key}", clauses, str(getattr(item, "text", ""))
