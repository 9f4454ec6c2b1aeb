"""DuckDB expressions that compose 全农码 for millions of rows at once."""

from collections.abc import Sequence

from yunong.core.identity.codes import ALPHABET, BASE, SERIAL_LENGTH, VALUES, WEIGHTS, Kind


def digits_sql(number: str, count: int, base: int = 10) -> list[str]:
    """The ``count`` lowest digits of an integer expression, most significant first."""
    return [f"(({number})::bigint // {base**power} % {base})" for power in range(count - 1, -1, -1)]


def digit_sum_sql(text: str, weights: Sequence[int]) -> str:
    """The weighted sum of the leading digits of a text expression."""
    return " + ".join(f"(ascii({text}[{i + 1}]) - 48) * {w}" for i, w in enumerate(weights))


def region_sum_sql(region: str, kind: Kind = Kind.SUBJECT) -> str:
    """The part of a 全农码's check sum that its kind and region fix; worked out once a village."""
    return f"{VALUES[kind.value] * WEIGHTS[0]} + {digit_sum_sql(region, WEIGHTS[1:13])}"


def code_sql(
    region: str, serial: str, kind: Kind = Kind.SUBJECT, region_sum: str | None = None
) -> str:
    """A DuckDB expression for the 全农码 of ``kind`` issued in ``region`` with ``serial``.

    The same as :func:`yunong.core.identity.codes.compose`, for millions of rows at once;
    ``region_sum`` is :func:`region_sum_sql` of the region when already at hand.
    """
    digits = digits_sql(serial, SERIAL_LENGTH, BASE)
    terms = " + ".join(f"{digit} * {WEIGHTS[13 + k]}" for k, digit in enumerate(digits))
    total = f"{region_sum or region_sum_sql(region, kind)} + {terms}"
    chars = " || ".join(f"'{ALPHABET}'[{digit} + 1]" for digit in digits)
    check = f"'{ALPHABET}'[({BASE} - ({total}) % {BASE}) % {BASE} + 1]"
    return f"('{kind.value}' || {region} || {chars} || {check})"
