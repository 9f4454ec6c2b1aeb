"""Masking personal data in lists: 500***********123X, 138****6789, 王**."""


def mask(value: str | None, *, head: int = 3, tail: int = 4) -> str:
    """Keep the first ``head`` and last ``tail`` characters and star the rest."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


# Resident ID numbers and mobile phones are both shown as first three and last four.
mask_id_number = mask_phone = mask


def mask_name(name: str | None) -> str:
    """A person's name as a card open to every role shows it: the surname and a star for
    each other character (王德才 → 王**)."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
