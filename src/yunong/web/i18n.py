"""Chinese first, English on request: gettext catalogs read with Babel.

Message ids are the Chinese texts themselves; ``locale/en/LC_MESSAGES/
messages.po`` holds their English. The catalog is compiled in memory when
the app starts, so no build step can leave it stale.
"""

from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

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
