"""Bootstrap classes on Django's widgets, so every form looks and behaves the same."""

from django import forms


def bootstrap(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "list-unstyled"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def split_list(text: str) -> list[str]:
    """A list typed into one field, separated by ASCII or full-width commas; blanks dropped."""
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def split_numbers(text: str) -> list[int]:
    """The whole numbers of a comma-separated field (anything else is ignored)."""
    return [int(part) for part in split_list(text) if part.isdigit()]


def run_and_report(request, action, *args, **kwargs) -> bool:
    """Run an action for a page; a rule that blocks it becomes the Chinese message with its basis."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from zhifa.core.errors import RuleViolation

    try:
        action(*args, **kwargs)
    except RuleViolation as exc:
        messages.error(request, _("未能办理：%(detail)s（%(basis)s）") % {"detail": exc.detail, "basis": exc.basis})
        return False
    messages.success(request, _("已办理。"))
    return True
