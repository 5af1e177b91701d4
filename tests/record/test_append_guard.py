"""Issue 3 §1: an append only happens inside the action's transaction (no django_db: autocommit, as outside one)."""

import pytest
from django.db import connection, transaction

from zhifa.record import log


def test_append_outside_a_transaction_raises():
    assert not connection.in_atomic_block
    with pytest.raises(transaction.TransactionManagementError):
        log.append("test.event", actor=None)
