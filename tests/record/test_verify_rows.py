"""How `zhifa verify` judges one event row from its columns (verify_events._leaf_from_columns): orjson's bytes first,
unchecked, then RFC 8785's when they differ from the stored leaf. A row passes only with its own values."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.record import log
from zhifa.record.crypto import profile
from zhifa.record.verify_events import _leaf_from_columns

TIME = dt.datetime(2026, 11, 27, 6, 30, 1, 250000, tzinfo=dt.UTC)


def _row(payload_text: str, stored: bytes) -> tuple:
    return (7, TIME, 3, "执法员", "43021226990001", 2, 11, "cases.case", "11", "case.opened", payload_text, stored)


def _stored(payload: dict) -> bytes:
    return profile().leaf_hash(log.leaf_bytes(7, TIME, 3, "执法员", "43021226990001", 2, 11, "cases.case", "11",
                                              "case.opened", payload))


@pytest.mark.usefixtures("crypto_profile")
def test_rule_verify_row_passes_only_with_its_own_values():
    plain = {"number": "渌市监立〔2026〕7号", "amount": "2000.00", "parties": ["某某超市"], "n": None}
    stored_text = '{"parties": ["某某超市"], "n": null, "amount": "2000.00", "number": "渌市监立〔2026〕7号"}'
    assert _leaf_from_columns(_row(stored_text, _stored(plain)), profile().leaf_hash) == _stored(plain)
    # Floats: orjson writes 1e+16 and 5.0 where RFC 8785 writes 10000000000000000 and 5, so the checked bytes decide.
    with_floats = {"big": 1e16, "whole": 5.0}
    assert _leaf_from_columns(_row('{"big": 1e16, "whole": 5.0}', _stored(with_floats)), profile().leaf_hash) == \
        _stored(with_floats)
    # NaN reads (through json) as a value orjson would write as null: never the null event's bytes.
    assert _leaf_from_columns(_row('{"n": NaN}', _stored({"n": None})), profile().leaf_hash) == b""
    # Another value is another leaf.
    changed = _leaf_from_columns(_row('{"number": "渌市监立〔2026〕8号"}', _stored(plain)), profile().leaf_hash)
    assert changed not in (b"", _stored(plain))
