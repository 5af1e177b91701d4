"""Issue 7 §7: every public page and public download of the demo shows no unmasked ID number, phone number or home
address. The demo is loaded once for the module; the crawler starts from the portal home and from every public
object in the database, follows every link under /public/ and /transparency/, and must reach every public URL
pattern. A planted leak proves the scanner catches one."""

from __future__ import annotations

from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from zhifa.law import identifiers

from .scan import Leak, digits, html_text_and_links, id_numbers, leaks, response_text

PUBLIC_PREFIXES = ("/public/", "/transparency/")
NOT_PUBLIC = ("/public/staff/",)
# Patterns that only answer a form's POST (or the page after it): their GET page is scanned with the form.
POST_ONLY = {"public-complaint-received"}
KEPT_QUERY = {"page", "first", "second", "tree_size"}
MAX_PAGES = 4000


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once inside a transaction that is rolled back after the module."""
    from zhifa.core import calendar
    from zhifa.demo.load import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            calendar.install()
            load_demo(tmp_path_factory.mktemp("demo"))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            calendar.forget()


def public_patterns() -> dict[str, str]:
    """Every named URL pattern under the public prefixes: name → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and pattern.name and ("/" + route).startswith(PUBLIC_PREFIXES) \
                    and not ("/" + route).startswith(NOT_PUBLIC):
                found[pattern.name] = route

    walk(get_resolver().url_patterns, "")
    return found


def seeds() -> list[str]:
    """The portal home, and every public object's pages and files from the database."""
    from zhifa.catalog.models import EnforcementItem, RandomInspectionList
    from zhifa.disclosure.models import Publication
    from zhifa.people.models import Agency, Credential
    from zhifa.record.models import Event
    from zhifa.reports.models import AnnualReport

    urls = ["/public/", "/public/decisions/", "/public/feed.atom", "/public/decisions/download.csv",
            "/public/decisions/download.json", "/public/decisions/download.xlsx", "/public/reports/",
            "/public/officers/", "/public/agencies/", "/public/catalog/", "/public/catalog/inspections/",
            "/public/windows/", "/public/progress/", "/public/complaints/", "/public/complaints/status/",
            "/public/check/", "/transparency/checkpoint", "/transparency/key", "/transparency/proof/0",
            "/transparency/consistency?first=1"]
    urls += [p.get_absolute_url() for p in Publication.objects.public()]
    for agency in Agency.objects.all():
        urls += [f"/public/agencies/{agency.code}/", f"/public/agencies/{agency.code}/feed.atom",
                 f"/public/catalog/av/{agency.code}/"]
    for report in AnnualReport.objects.public().select_related("agency"):
        base = report.get_absolute_url()
        urls += [base, base + "report.pdf", base + "report.xlsx", base + "figures.json"]
    numbers = list(Credential.objects.values_list("number", flat=True))
    urls += [f"/public/check/?number={number}" for number in numbers[:1]]
    for number in numbers:
        urls += [f"/public/officers/{number}/", f"/public/officers/{number}/photo/"]
    for item in EnforcementItem.objects.prefetch_related("versions"):
        urls.append(f"/public/catalog/items/{item.code}/")
        for version in item.versions.all():
            urls += [f"/public/catalog/items/{item.code}/v{version.number}/",
                     f"/public/catalog/items/{item.code}/v{version.number}/flowchart.svg"]
    urls += [f"/public/catalog/inspections/{pk}/" for pk in RandomInspectionList.objects.values_list("pk", flat=True)]
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last:
        urls.append(f"/transparency/proof/{last}")
    return urls


def official_phones() -> frozenset[str]:
    """The numbers agencies publish for the public to call (公开电话、咨询电话、投诉电话) — not anyone's own phone."""
    from zhifa.catalog.models import ServiceGuide
    from zhifa.people.models import Agency
    from zhifa.publicity.models import DutyPost

    numbers = list(Agency.objects.values_list("phone", flat=True)) + list(
        ServiceGuide.objects.values_list("phone", flat=True))
    for phone, complaint_phone in DutyPost.objects.values_list("phone", "complaint_phone"):
        numbers += [phone, complaint_phone]
    return frozenset(digits(n) for n in numbers if digits(n))


def _normalise(link: str) -> str | None:
    parts = urlsplit(link)
    if parts.netloc and parts.netloc not in {"testserver", "127.0.0.1", "localhost"}:
        return None
    if not parts.path.startswith(PUBLIC_PREFIXES) or parts.path.startswith(NOT_PUBLIC):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if k in KEPT_QUERY]
    return parts.path + ("?" + urlencode(query) if query else "")


def crawl(client: Client) -> tuple[list[Leak], set[str], int]:
    """Breadth-first over the public site: the leaks found, the URL names reached, the responses scanned."""
    queue, seen = deque(), set()
    for url in seeds():
        if url not in seen:
            seen.add(url)
            queue.append(url)
    found: list[Leak] = []
    names: set[str] = set()
    allowed = official_phones()
    scanned = 0
    while queue and scanned < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in {301, 302}:
            target = _normalise(response["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
        if response.status_code not in {200, 301, 302}:
            continue
        try:
            names.add(resolve(urlsplit(url).path).url_name)
        except Resolver404:
            continue
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        if content_type.startswith("image/"):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        scanned += 1
        text = response_text(content_type, body)
        found += leaks(url, text, allowed)
        if "html" in content_type:
            for link in html_text_and_links(body.decode("utf-8", errors="replace"))[1]:
                target = _normalise(link)
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)
    return found, names, scanned


def test_no_public_page_or_download_of_the_demo_shows_an_id_number_phone_or_address(demo, db) -> None:
    found, names, scanned = crawl(Client())
    print(f"{scanned} public responses scanned")
    assert scanned > 100
    missing = set(public_patterns()) - names - POST_ONLY
    assert not missing, f"public URL patterns the scan did not reach: {sorted(missing)}"
    assert not found, f"{len(found)} leaks:\n" + "\n".join(
        f"{leak.url} {leak.kind}: {leak.text!r} in …{leak.context}…" for leak in found[:200])


def test_the_scan_catches_a_planted_leak(demo, db) -> None:
    from zhifa.disclosure.models import Publication

    publication = Publication.objects.public().filter(status="published").first()
    id_number = "43021219900307201" + identifiers.id_check_char("43021219900307201")
    Publication.objects.filter(pk=publication.pk).update(
        redacted_text=publication.redacted_text + f"\n身份证号码：{id_number}\n家庭住址：渌口镇建设北路26号3栋201室",
        target=publication.target + " 13973312345")
    client = Client()
    for url in (publication.get_absolute_url(), "/public/decisions/download.json",
                "/public/decisions/download.xlsx"):
        response = client.get(url)
        kinds = {leak.kind for leak in leaks(url, response_text(response["Content-Type"], response.content))}
        assert "phone" in kinds, url
        if url == publication.get_absolute_url():
            assert {"id_number", "address"} <= kinds


def test_scanner_finds_each_kind_and_spares_masks_and_official_numbers() -> None:
    first17 = "43021219900307201"
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    full_width = (first17 + identifiers.id_check_char(first17)).translate(wide)
    text = (f"当事人：李某，身份证号码{full_width}，现住株洲市渌口区渌口镇湘江路12号，手机13973312345，"
            "家中电话0731-27123456。投诉电话：0731-28154712。\n身份证号码：******************，住址：***。")
    found = leaks("/x", text, frozenset({"073128154712"}))
    kinds = [leak.kind for leak in found]
    assert kinds.count("phone") == 2 and "address" in kinds and "id_number" in kinds
    assert not any("28154712" in leak.text or "*" in leak.text for leak in found)
    assert len(id_numbers(text)) == 1  # the independent oracle reads full-width digits too
