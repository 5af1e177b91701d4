"""Filters for the document templates: dates written the Chinese way, blanks to fill in by hand."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026-03-05 → 2026年3月5日; nothing → a blank to fill in by hand."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "　　　　年　　月　　日"


@register.filter
def cn_datetime(value) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"
    return cn_date(value)


@register.filter
def or_blank(value, width: int = 8) -> str:
    return str(value) if value not in (None, "") else "　" * int(width)
