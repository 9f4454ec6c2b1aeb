"""Chinese by default, English on request, and no page text left untranslated."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from yunong import apps
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.land.map import LAYERS
from yunong.web import i18n
from yunong.web.auth import LOGIN_REASONS

TEMPLATES = Path(i18n.__file__).parent / "templates"
# Texts the pages translate that come from code rather than from the templates.
FROM_CODE = (
    [role.label for role in Role]
    + [entry.title for entry in apps.navigation(None)]
    + [level.label for level in Level]
    + list(LOGIN_REASONS.values())
    + ["用户名或密码错误，或账号已停用", "登录失败次数过多，请稍后再试"]
    + [layer.name for layer in LAYERS.values()]
    + [label for layer in LAYERS.values() for label, _ in layer.classes.values()]
)


def english_catalog() -> dict[str, str]:
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return {message.id: message.string for message in read_po(source) if message.id}


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_text_on_the_pages_has_an_english_translation():
    catalog = english_catalog()
    wanted = template_messages() | set(FROM_CODE)
    assert sorted(text for text in wanted if not catalog.get(text)) == []


def test_pages_are_chinese_by_default(anonymous):
    page = anonymous.get("/login").text
    assert '<html lang="zh-CN">' in page and ">登录</button>" in page


def test_the_english_switch_translates_the_page_and_the_chinese_switch_returns(anonymous):
    anonymous.get("/lang/en")
    assert ">Log in</button>" in anonymous.get("/login").text
    anonymous.get("/lang/zh")
    assert ">登录</button>" in anonymous.get("/login").text
