from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cell(value: object) -> str:
    """A table cell: amounts with thousands separators and two decimals, counts as they are."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)
