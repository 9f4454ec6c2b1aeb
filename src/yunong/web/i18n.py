"""Chinese first, English on request: gettext catalogs read with Babel.

Message ids are the Chinese texts themselves; ``locale/en/LC_MESSAGES/
messages.po`` holds their English. The catalog is compiled in memory when
the app starts, so no build step can leave it stale.
"""

import re
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from yunong.core.errors import YunongError

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT = "zh"
COOKIE = "yunong_lang"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT)


@cache
def translations(language: str) -> NullTranslations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, count)


def choose_language(cookie_value: str | None) -> str:
    return cookie_value if cookie_value in LANGUAGES else DEFAULT


def data_value(value: object) -> Markup:
    """``value`` marked as data (a name, a place, text someone typed), which no language
    switch translates: HTML's ``translate="no"``. Templates write ``{{ name|data }}``."""
    return Markup('<span translate="no">%s</span>') % value


def translated_list(text: str, separator: str = "、") -> str:
    """A list of labels stored as one Chinese text (``因病、因残``), each label translated."""
    labels = [gettext(label) for label in text.split(separator) if label]
    return (separator if current_language.get() == DEFAULT else ", ").join(labels)


def label_or_data(value: object) -> Markup:
    """A fixed label in the reader's language, or, for a value the catalogue does not know
    (a measure typed by a user in a column that holds either), the value marked as data."""
    text = str(value)
    translated = gettext(text)
    if translated != text or current_language.get() == DEFAULT:
        return Markup("%s") % translated
    return data_value(text)


def quantity_text(text: str) -> str:
    """A quantity written ``800 箱`` with its unit in the reader's language."""
    amount, _, unit = text.partition(" ")
    return f"{amount} {gettext(unit)}" if unit else text


ORIGINS = (
    (re.compile(r"^系统计算（(?P<name>.+)）$"), "系统计算（{name}）"),
    (re.compile(r"^(?P<level>市|区县|乡镇|村)级填报（已审核）$"), "{level}级填报（已审核）"),
    (re.compile(r"^由(?P<level>市|区县|乡镇|村)填报值合计$"), "由{level}填报值合计"),
    (re.compile(r"^由(?P<level>市|区县|乡镇|村)填报值平均$"), "由{level}填报值平均"),
)


def origin_text(text: str) -> str:
    """Where an assessment figure came from, as scoring stored it in Chinese (``系统计算（…）``,
    ``区县级填报（已审核）``), in the reader's language."""
    for pattern, message in ORIGINS:
        found = pattern.match(text)
        if found:
            parts = found.groupdict()
            if "level" in parts:
                parts["level"] = gettext(parts["level"])
            return gettext(message).format(**parts)
    return gettext(text)


def error_text(error: YunongError) -> str:
    """A business error's message in the reader's language: its template translated and
    filled with its values, or its whole message when the catalogue knows it. A value that
    is a label (a role, a step, a state; or a list of them joined by 、) is translated too;
    names and numbers stay as they are."""
    template = getattr(error, "template", error.message)
    values = getattr(error, "values", {})
    if not values:
        return gettext(error.message)
    shown = {
        name: translated_list(value) if isinstance(value, str) else value
        for name, value in values.items()
    }
    return gettext(template).format(**shown)
