"""Allocating gap-free numbers (案件编号, 文书文号) inside the caller's transaction."""

from django.db import IntegrityError, transaction

from zhifa.core.models import NumberSequence


def next_number(agency_id: int, year: int, kind: str) -> int:
    """The next number of (agency, year, kind). A rollback of the caller gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("next_number must run inside the caller's transaction")
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(agency_id=agency_id, year=year, kind=kind)
    except IntegrityError:  # created concurrently: it exists now
        pass
    sequence = NumberSequence.objects.select_for_update().get(agency_id=agency_id, year=year, kind=kind)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
