"""The portal's optional sections: other apps publish under /public/ too (catalog, decisions, annual reports);
the public layout links each one once its URL exists, whichever view renders the page."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

OPTIONAL_SECTIONS = {
    "catalog": "catalog-public-index",
    "inspections": "catalog-public-inspections",
    "decisions": "decisions-public",
    "reports": "reports-public",
}


def optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag
def portal_links() -> dict[str, str | None]:
    return {key: optional_url(name) for key, name in OPTIONAL_SECTIONS.items()}
