from django import template

from zhifa.record.event_types import event_label as label_of

register = template.Library()


@register.filter
def event_label(event_type: str) -> str:
    """The Chinese name of a record event type."""
    return label_of(event_type)


@register.filter
def penalty_labels(kinds: list[str]) -> str:
    """Penalty kinds (APL Art. 9) by their Chinese names."""
    from zhifa.law.penalties import PENALTY_LABELS

    return "、".join(PENALTY_LABELS.get(kind, kind) for kind in kinds)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, key)
