"""zhifa.record.canonical: the fast path writes exactly the bytes of the rfc8785 reference, or defers to it."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.record.canonical import canonical_json, plain_json

# Everything JSON can hold, with the awkward parts over-represented: floats, integers around ±2^53, control
# characters, quotes and backslashes, CJK, characters beyond the BMP (as keys too), and lone surrogates.
awkward_text = st.text(alphabet=st.sampled_from(
    ['"', "\\", "\x00", "\x1f", "\x7f", "\b", "\t", "\n", "\u2028", "\ue000", "\uffff", "执", "法", "a", "Z", " ",
     "\U0001f600", "\U00010000", "\ud800"]) | st.characters(), max_size=8)
keys = awkward_text | st.text(max_size=8)
scalars = (st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True)
           | st.integers(min_value=-(2**60), max_value=2**60)
           | st.sampled_from([2**53 - 1, 2**53, -(2**53) + 1, -(2**53), 0, -0.0, 1.0, 1e21, 5e-324])
           | awkward_text)
json_values = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(keys, children, max_size=4), max_leaves=20)


def _reference(value: object) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)
    except ValueError as error:  # CanonicalizationError, or UnicodeEncodeError for a lone surrogate in a key
        return type(error)


@settings(max_examples=1500, deadline=None)
@given(json_values)
def test_canonical_json_equals_the_rfc8785_reference(value):
    expected = _reference(value)
    if isinstance(expected, bytes):
        assert canonical_json(value) == expected
    else:
        with pytest.raises(expected):
            canonical_json(value)


@pytest.mark.parametrize("value", [
    {"b": 1, "a": [True, None, "执法"]},
    {"text": 'quote " backslash \\ newline \n nul \x00 del \x7f'},
    {"\ue000": 1, "z": 2},
    [2**53 - 1, -(2**53) + 1],
])
def test_fast_path_taken_for_plain_event_payloads(value):
    assert plain_json(value)
    assert canonical_json(value) == rfc8785.dumps(value)


@pytest.mark.parametrize("value", [
    {"amount": 1.5},
    {"\U0001f600": 1, "\uffff": 2},  # UTF-16 order puts the surrogate pair first
    (1, 2),
])
def test_values_the_fast_path_cannot_vouch_for_go_to_the_reference(value):
    assert not plain_json(value)
    assert canonical_json(value) == rfc8785.dumps(value)


def test_integers_beyond_the_safe_range_are_refused_as_rfc8785_refuses_them():
    assert not plain_json({"big": 2**53})
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical_json({"big": 2**53})
