"""English: with the language cookie set to "en" the login page and staff pages speak English; the catalog
(zhifa/locale/en) has every message translated and the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import PASSWORD
from zhifa.people.models import Role

LOGIN = "/accounts/login/"
CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# Chinese msgid → its English translation, as a page must show it (and no longer show the Chinese)
LOGIN_PAGE = {"登录": "Log in", "用户名": "Username", "密码": "Password",
              "连续多次输入错误将锁定账户。": "Too many failed attempts in a row will lock the account.",
              "行政执法综合管理平台": "Administrative Enforcement Management Platform"}
NAVIGATION = {"我的待办": "My tasks", "法制审核": "Legal review", "执法主体": "Enforcement agency",
              "执法人员": "Enforcement officer", "全过程记录": "Full-process record", "退出": "Log out"}
PAGES = {
    "/": {"暂无待办事项。": "No pending tasks.", "最近记录": "Recent records"},
    "/agencies/": {"统一社会信用代码": "Unified social credit code", "法制审核人员": "Legal reviewer",
                   "审核人员占比": "Reviewer share"},
    "/officers/": {"执法人员与执法证": "Enforcement officers and credentials", "全部状态": "All statuses"},
    "/record/events/": {"记录只增不改": "Records are append-only", "序号": "Serial number",
                        "记录存证检查点": "Record checkpoints"},
    "/cases/onsite/": {"现场执法类型": "Type of on-site enforcement", "立案，下一步": "File the case and continue",
                       "查找既往当事人：信用代码或身份证号": "Find an earlier party: credit code or ID number"},
    "/disclosure/import/": {"导入其他系统作出的决定": "Import decisions made in other systems",
                            "下载 Excel 模板": "Download the Excel template"},
}


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """The language middleware activates the chosen language in this thread: later tests expect Chinese."""
    yield
    translation.deactivate()


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _assert_english(html: str, strings: dict[str, str]) -> None:
    for chinese, english in strings.items():
        assert english in html, english
        assert chinese not in html, chinese


# --- pages ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_in_english(client):
    _english(client)
    response = client.get(LOGIN)
    assert response.status_code == 200 and response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    _assert_english(html, LOGIN_PAGE)


@pytest.mark.django_db
def test_login_page_stays_chinese_without_the_cookie(client):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html and "Log in" not in html


@pytest.mark.django_db
def test_failed_login_message_in_english(client, make_agency, make_user):
    make_user(make_agency(), Role.OFFICER, username="li.si")
    _english(client)
    html = client.post(LOGIN, {"username": "li.si", "password": "wrong"}).content.decode()
    _assert_english(html, {"用户名或密码错误。": "Incorrect username or password."})
    assert client.post(LOGIN, {"username": "li.si", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_staff_pages_in_english(client, make_agency, make_user, url):
    agency = make_agency(name="Lukou District Market Regulation Bureau")  # the default name has 执法主体 in it
    client.force_login(make_user(agency, Role.AGENCY_HEAD))
    _english(client)
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en">' in html
    _assert_english(html, {**NAVIGATION, **PAGES[url]})
    _assert_english(html, {"机关负责人": "Agency head"})  # the role shown next to the name


@pytest.mark.django_db
def test_switching_language_with_set_language_view(client, make_agency, make_user):
    client.force_login(make_user(make_agency(), Role.OFFICER))
    assert "我的待办" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _assert_english(client.get("/").content.decode(), {"我的待办": "My tasks"})


# --- the catalog ----------------------------------------------------------------------------------------

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def _po_entries(path: Path) -> list[dict[str, str]]:
    """A tiny PO reader: one dict per entry, keyword → text, plus "flags"; obsolete entries are skipped."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif match := _LINE.match(line):
            key = match[1]
            entry[key] = ast.literal_eval(match[2])
        else:
            assert line.startswith('"') and key, line
            entry[key] += ast.literal_eval(line)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict[str, str]]:
    entries = _po_entries(CATALOG / "django.po")
    assert entries[0]["msgid"] == "" and "Language: en\n" in entries[0]["msgstr"]
    return entries[1:]


def _translations(entry: dict[str, str]) -> list[str]:
    return [text for key, text in entry.items() if key.startswith("msgstr")]


def test_every_message_translated(po_entries):
    assert len(po_entries) > 1000
    empty = [e["msgid"] for e in po_entries if not all(text.strip() for text in _translations(e))]
    assert empty == []
    assert [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]] == []


def test_translations_keep_the_placeholders(po_entries):
    named = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}")
    for entry in po_entries:
        for key, text in entry.items():
            if key.startswith("msgstr"):
                source = entry["msgid_plural"] if key == "msgstr[1]" else entry["msgid"]
                assert sorted(named.findall(text)) == sorted(named.findall(source)), (source, text)


def test_compiled_catalog_matches_the_po(po_entries):
    with (CATALOG / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    for entry in po_entries:
        if "msgid_plural" in entry:
            assert catalog.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            assert catalog.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
        else:
            assert catalog.gettext(entry["msgid"]) == entry["msgstr"], "run compilemessages"
