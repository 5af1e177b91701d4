"""RFC 8785 (JSON Canonicalization Scheme) bytes, fast.

The `rfc8785` package is the reference, in pure Python. orjson (Rust; compact, UTF-8) with sorted keys writes the
same bytes whenever the value holds no float (JCS formats numbers as ECMAScript does), no integer outside
±(2^53 − 1) (JCS refuses those) and no object key with a character beyond U+FFFF (JCS orders keys by UTF-16 code
units, orjson by code points; the two orders agree inside the BMP). Both escape exactly '"', '\\' and the C0
controls, with the same short forms and lower-case \\u00xx. Values the fast path cannot vouch for go to the
reference, so the bytes are always RFC 8785's (tests/record_pure/test_canonical.py checks it with Hypothesis).
"""

from __future__ import annotations

from typing import Any

import orjson
import rfc8785

_SAFE_INT = 2**53 - 1


def _plain_scalar(value: Any) -> bool:
    kind = type(value)
    return kind is str or value is None or kind is bool or (kind is int and -_SAFE_INT <= value <= _SAFE_INT)


def plain_json(value: Any) -> bool:
    """No float, no unsafe integer, only str keys within the BMP, only JSON types (iterative: deep values are fine).
    Containers' scalar members are checked in place, only nested containers go on the stack."""
    if type(value) not in (dict, list):
        return _plain_scalar(value)
    pending = [value]
    while pending:
        item = pending.pop()
        if type(item) is dict:
            for key in item:
                if type(key) is not str or not (key.isascii() or max(key) <= "\uffff"):
                    return False
            members = item.values()
        else:
            members = item
        for member in members:
            kind = type(member)
            if kind is str or member is None or kind is bool:
                continue
            if kind is int:
                if -_SAFE_INT <= member <= _SAFE_INT:
                    continue
                return False
            if kind is dict or kind is list:
                pending.append(member)
            else:  # floats, tuples, subclasses: the reference decides
                return False
    return True


_WHOLE = object()
CHECKED = object()  # canonical_json(check=CHECKED): the caller has run plain_json on all that may hold anything


def canonical_json(value: Any, *, check: Any = _WHOLE) -> bytes:
    """The RFC 8785 serialisation of a JSON value (raises the reference's ValueError where JCS has none).
    `check` narrows the fast path's inspection to the part of `value` that may hold anything; the caller vouches
    that the rest is strings, None, booleans and safe integers under ASCII keys (an event's typed columns)."""
    if check is CHECKED or plain_json(value if check is _WHOLE else check):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # a lone surrogate: the reference raises its own error below
            pass
    return rfc8785.dumps(value)
