"""The seed's text by clause, and whether a number or a quotation is really in a clause.

A pack says where each value comes from (see :mod:`yunong.policy.provenance`). A value said
to come from the seed must be there: its number in the clause's text — as written, in 万
(2665 万亩 for 26,650,000 亩), as a Chinese numeral (“三改善”), or, for 100 % and 0, as the
words that mean them (“全部复耕”, “清零”). A text the pack quotes must be in the clause,
fragment by fragment between ellipses. The check is a guard against presenting a configured
number as the seed's, not a proof that the pack reads the seed right.
"""

import re
from functools import cache
from pathlib import Path

from yunong.policy.schema import chinese_number

SEEDS = Path(__file__).parent / "seeds"
PART = re.compile(r"^([一二三四五六七八九])、")
NUMBERED = re.compile(r"^（([一二三四五六七八九十]+)）")
ELLIPSIS = "……"
# The words that say 100 % or none without the number.
# “清零” is both: no problem left (0) and every problem cleared (100 %).
WORDS = {100.0: ("全部", "全覆盖", "清零"), 0.0: ("清零",)}


def normalise(text: str) -> str:
    """Without white space: the seed breaks lines (and numbers from units) at random."""
    return re.sub(r"\s+", "", text)


@cache
def clauses(name: str) -> dict[str, str]:
    """The text of each part (一、 … 九、, up to its first numbered clause) and each numbered
    clause (（一） … （三十七）) of the seed file ``name``, white space removed."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in (SEEDS / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        part, numbered = PART.match(line), NUMBERED.match(line)
        if part:
            current = f"{part[1]}、"
        elif numbered:
            current = f"（{numbered[1]}）"
        if current is not None and line:
            found.setdefault(current, []).append(line)
    return {clause: normalise("".join(lines)) for clause, lines in found.items()}


def written_forms(number: float) -> list[str]:
    forms = [f"{number:g}"]
    if number >= 10000 and number % 10000 == 0:
        forms.append(f"{number / 10000:g}")
    if number == int(number) and 0 < number < 100:
        forms.append(chinese_number(int(number)))
    if number == 2:
        forms.append("两")  # “一主两辅”
    return forms


def says_number(text: str, number: float) -> bool:
    """Whether ``text`` (normalised) states ``number``."""
    for form in written_forms(number):
        if form.isdigit() or "." in form:
            if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d.])", text):
                return True
        elif form in text:
            return True
    return any(word in text for word in WORDS.get(float(number), ()))


def quotes(text: str, quotation: str) -> bool:
    """Whether every fragment of ``quotation`` (split at ……) is in ``text`` (normalised)."""
    fragments = [normalise(part) for part in quotation.split(ELLIPSIS)]
    return all(fragment in text for fragment in fragments if fragment)
