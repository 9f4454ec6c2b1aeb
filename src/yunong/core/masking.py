"""Masking personal data in lists: 500***********123X, 138****6789."""


def mask(value: str | None, *, head: int = 3, tail: int = 4) -> str:
    """Keep the first ``head`` and last ``tail`` characters and star the rest."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


# Resident ID numbers and mobile phones are both shown as first three and last four.
mask_id_number = mask_phone = mask
