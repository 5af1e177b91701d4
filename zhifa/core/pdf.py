"""HTML templates to A4 PDF with WeasyPrint (Chinese fonts: Debian's fonts-noto-cjk, embedded and subset)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported on use: loading it costs ~0.5 s

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()
