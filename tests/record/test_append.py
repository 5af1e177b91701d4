"""Issue 3 §1: every action appends exactly one event in its own transaction, gap-free; canonical bytes and leaf."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid

import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import credit_code
from tests.record.conftest import append_events, raw, use_profile
from zhifa.record import log
from zhifa.record.models import Event, LogHead

pytestmark = pytest.mark.django_db


def _head() -> int:
    return LogHead.objects.get(id=1).size


def _open_case(officer, title: str = "涉嫌销售过期食品"):
    from zhifa.cases.actions import PartyInput, open_case
    from zhifa.cases.models import PartyKind

    party = PartyInput(kind=PartyKind.ORGANISATION, name="渌口区某某超市有限公司", credit_code=credit_code(987654),
                       legal_representative="张三")
    return open_case(officer, officer.agency, title, "inspection", [party], [officer])


# --- one event per action, in the action's transaction ----------------------------------------------------


def test_open_case_appends_exactly_one_case_opened_event(officer):
    before = _head()
    case = _open_case(officer)
    new = list(Event.objects.filter(seq__gte=before))
    assert [e.event_type for e in new] == ["case.opened"]
    event = new[0]
    assert event.seq == before and _head() == before + 1
    assert event.case_id == case.pk
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.agency_id == officer.agency_id
    assert event.actor_id == officer.pk
    assert event.credential_number == officer.credentials.get().number
    assert event.payload["number"] == case.number and event.payload["title"] == case.title


def test_refused_action_appends_no_event(officer):
    from zhifa.core.errors import RuleViolation

    before = _head()
    with pytest.raises(RuleViolation):
        _open_case(officer, title="   ")
    assert _head() == before
    assert not Event.objects.filter(seq__gte=before).exists()


def test_rolled_back_action_gives_its_sequence_number_back(officer):
    before = _head()
    with pytest.raises(RuntimeError), transaction.atomic():
        _open_case(officer)
        raise RuntimeError("the caller's transaction fails after the action")
    assert _head() == before and not Event.objects.filter(seq__gte=before).exists()
    case = _open_case(officer)
    assert Event.objects.get(seq=before).case_id == case.pk


def test_credential_issue_appends_one_event(make_agency, make_user, issue):
    holder = make_user(agency=make_agency())
    admin = make_user(role="admin", is_superuser=True, is_staff=True)
    before = _head()
    credential = issue(holder, actor=admin)
    new = list(Event.objects.filter(seq__gte=before))
    assert [(e.event_type, e.object_id) for e in new] == [("people.credential_issued", str(credential.pk))]


# --- gap-free sequence -------------------------------------------------------------------------------------


def test_append_rollback_leaves_no_gap():
    first = append_events(1)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = append_events(3)
        assert [e.seq for e in rolled_back] == [first.seq + 1, first.seq + 2, first.seq + 3]
        raise RuntimeError
    assert _head() == first.seq + 1
    assert append_events(1)[0].seq == first.seq + 1  # the number comes back


def test_append_rollback_of_a_savepoint_between_commits_leaves_no_gap():
    with transaction.atomic():
        a = append_events(1)[0]
        try:
            with transaction.atomic():
                append_events(2)
                raise ValueError
        except ValueError:
            pass
        b = append_events(1)[0]
    assert b.seq == a.seq + 1
    seqs = list(Event.objects.values_list("seq", flat=True))
    assert seqs == list(range(len(seqs))) and _head() == len(seqs)


def test_sequence_is_gap_free_and_matches_the_log_head():
    append_events(25)
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(_head()))


# --- canonical bytes and leaf hash --------------------------------------------------------------------------


PAYLOAD = {
    "金额": decimal.Decimal("1234.50"),
    "date": dt.date(2025, 3, 1),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "nested": {"z": [3, 2, 1], "a": None, "b": True},
    "text": "当事人“张三”\n\t引号\"与反斜杠\\",
    "emoji": "𝄞",
}


def _documented(event: Event) -> dict:
    """The fields docs/transparency.md lists for an event's leaf (and zhifa.record.log.canonical_bytes)."""
    return {
        "seq": event.seq,
        "time": event.recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "credential": event.credential_number,
        "agency": event.agency_id,
        "case": event.case_id,
        "object": [event.object_type, event.object_id],
        "type": event.event_type,
        "payload": event.payload,
    }


def test_canonical_bytes_are_rfc8785_json_of_the_documented_fields(officer):
    event = log.append("test.canonical", actor=officer, agency=officer.agency, obj=officer, case_id=42,
                       payload=PAYLOAD)
    data = log.canonical_bytes(event)
    assert data == rfc8785.dumps(_documented(event))
    # Independently of rfc8785 (no floats here): sorted keys, no whitespace, UTF-8 without \\u escapes.
    assert data == json.dumps(_documented(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert "“张三”".encode() in data and b'"payload":{"date":"2025-03-01"' in data
    assert event.payload["金额"] == "1234.50" and event.payload["id"] == "12345678-1234-5678-1234-567812345678"


def test_canonical_bytes_survive_the_database_round_trip(officer):
    event = log.append("test.canonical", actor=officer, agency=officer.agency, payload=PAYLOAD)
    stored = Event.objects.get(seq=event.seq)
    assert log.canonical_bytes(stored) == log.canonical_bytes(event)
    assert log.leaf_hash_of(stored) == bytes(stored.leaf_hash) == event.leaf_hash


def test_returned_event_is_the_stored_row(officer):
    """append() writes the row by hand and builds the Event from the same values: both must agree field by field."""
    assert [field.attname for field in Event._meta.concrete_fields] == [*log.LEAF_COLUMNS, "leaf_hash"]
    event = log.append("test.canonical", actor=officer, agency=officer.agency, obj=officer, case_id=7, payload=PAYLOAD)
    stored = Event.objects.get(seq=event.seq)
    for column in (*log.LEAF_COLUMNS, "leaf_hash"):
        assert getattr(event, column) == getattr(stored, column), column
    assert not event._state.adding


PLAIN_PAYLOAD = {"title": "涉嫌销售过期食品 “张三”\n", "count": 3, "big": 2**53 - 1, "small": -(2**53 - 1),
                 "done": False, "none": None, "parties": [{"name": "渌口区某某超市", "roles": ["当事人"]}],
                 "\u00e9": "é", "": ""}


def test_plain_payload_is_stored_as_given_and_its_bytes_are_rfc8785(officer):
    """Plain JSON (the orjson path of append) gives what the DjangoJSONEncoder path gives: the value read back,
    the RFC 8785 bytes and the leaf hash."""
    event = log.append("test.plain", actor=officer, agency=officer.agency, obj=officer, payload=PLAIN_PAYLOAD)
    stored = Event.objects.get(seq=event.seq)
    assert stored.payload == event.payload == log.normalise_payload(PLAIN_PAYLOAD)
    assert log.canonical_bytes(stored) == rfc8785.dumps(_documented(stored))
    assert log.leaf_hash_of(stored) == bytes(stored.leaf_hash) == event.leaf_hash


@pytest.mark.parametrize("payload", [{"ratio": 0.5}, {"date": dt.date(2025, 3, 1)}, {"\U0001f600": 1}],
                         ids=["float", "date", "astral_key"])
def test_payload_beyond_plain_json_takes_the_reference_path(officer, payload):
    event = log.append("test.reference", actor=officer, payload=payload)
    stored = Event.objects.get(seq=event.seq)
    assert stored.payload == event.payload == log.normalise_payload(payload)
    assert log.canonical_bytes(stored) == rfc8785.dumps(_documented(stored))
    assert log.leaf_hash_of(stored) == bytes(stored.leaf_hash) == event.leaf_hash


def test_append_statements_are_seen_by_query_capture(officer):
    """append() bypasses Django's cursor wrapper only when nothing watches the queries."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        log.append("test.watched", actor=officer)
    sql = [query["sql"] for query in captured.captured_queries]
    assert len(sql) == 2 and "record_loghead" in sql[0] and "record_event" in sql[1]


def test_append_in_a_broken_transaction_is_refused(officer):
    """As through Django's cursor: after a failed inner block without a savepoint, no statement may run."""
    before = _head()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic(savepoint=False):
            raise RuntimeError("an inner block failed")
        with pytest.raises(transaction.TransactionManagementError):
            log.append("test.broken", actor=officer)
    assert _head() == before


@pytest.mark.parametrize("name, hash_name", [("gm", "sm3"), ("intl", "sha256")])
def test_leaf_hash_is_hash_of_0x00_and_the_canonical_bytes(settings, name, hash_name):
    use_profile(settings, name)
    event = append_events(1)[0]
    data = log.canonical_bytes(event)
    assert bytes(Event.objects.get(seq=event.seq).leaf_hash) == hashlib.new(hash_name, b"\x00" + data).digest()
    # and by a second implementation (the cryptography package's OpenSSL)
    digest = hashes.Hash(hashes.SM3() if hash_name == "sm3" else hashes.SHA256())
    digest.update(b"\x00" + data)
    assert event.leaf_hash == digest.finalize()


def test_gm_and_intl_leaf_hashes_differ(settings):
    use_profile(settings, "gm")
    event = append_events(1)[0]
    use_profile(settings, "intl")
    assert log.leaf_hash_of(event) != event.leaf_hash
    assert log.leaf_hash_of(event) == hashlib.sha256(b"\x00" + log.canonical_bytes(event)).digest()


# --- who and when -----------------------------------------------------------------------------------------------


def test_actor_and_credential_number_are_recorded(officer):
    event = log.append("test.actor", actor=officer, agency=officer.agency)
    stored = Event.objects.get(seq=event.seq)
    assert stored.actor_id == officer.pk
    assert stored.actor_name == officer.get_full_name()
    assert stored.credential_number == officer.credentials.get().number != ""
    assert b'"credential":"' + stored.credential_number.encode() + b'"' in log.canonical_bytes(stored)


def test_actor_without_a_valid_credential_records_an_empty_number(make_agency, make_user, issue):
    user = make_user(agency=make_agency())
    issue(user, valid_from=dt.date(2001, 1, 1), valid_to=dt.date(2002, 1, 1))  # long expired
    assert log.append("test.actor", actor=user).credential_number == ""


CREDENTIAL_STATES = {  # number suffix: (stored status, valid_from offset, valid_to offset) in days from today
    "expired": ("valid", -400, -1),
    "not_yet": ("valid", 1, 400),
    "suspended": ("suspended", -10, 10),
    "revoked": ("revoked", -10, 10),
    "valid_b": ("valid", -10, 10),
    "valid_a": ("valid", 0, 0),
}


@pytest.mark.parametrize("held", [
    [], ["expired"], ["not_yet"], ["suspended", "revoked"], ["valid_b"], ["valid_a", "valid_b"],
    ["expired", "valid_b", "suspended"], ["revoked", "not_yet", "valid_a", "expired"],
])
def test_recorded_credential_is_the_one_valid_today(make_agency, make_user, held):
    """log.append looks the number up with one plain query: it must say what User.valid_credential says."""
    from zhifa.people.models import Credential

    user = make_user(agency=make_agency())
    today = timezone.localdate()
    for serial, state in enumerate(held):
        status, start, end = CREDENTIAL_STATES[state]
        Credential.objects.create(
            holder=user, agency=user.agency, number=f"4302{'9' if state == 'valid_b' else '1'}{serial:09d}",
            fields=["市场监管"], issuing_authority="株洲市渌口区人民政府", stored_status=status,
            valid_from=today + dt.timedelta(days=start), valid_to=today + dt.timedelta(days=end))
    expected = user.valid_credential(today)
    assert log.append("test.actor", actor=user).credential_number == (expected.number if expected else "")
    assert bool(expected) == any(state.startswith("valid") for state in held)


def test_system_event_has_no_actor():
    event = log.append("test.system", actor=None)
    assert (event.actor_id, event.actor_name, event.credential_number) == (None, "system", "")


def test_time_is_stored_in_utc(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    before = timezone.now()
    event = append_events(1)[0]
    stored = Event.objects.get(seq=event.seq)
    assert stored.recorded_at.utcoffset() == dt.timedelta(0)
    assert before <= stored.recorded_at <= timezone.now()
    utc_naive = stored.recorded_at.astimezone(dt.UTC).replace(tzinfo=None)
    if connection.vendor == "sqlite":
        (text,), = raw("SELECT CAST(recorded_at AS TEXT) FROM record_event WHERE seq = %s", [event.seq])
        assert dt.datetime.fromisoformat(text) == utc_naive
    else:
        (value,), = raw("SELECT recorded_at AT TIME ZONE 'UTC' FROM record_event WHERE seq = %s", [event.seq])
        assert value == utc_naive
    assert json.loads(log.canonical_bytes(stored))["time"] == utc_naive.isoformat(timespec="microseconds") + "Z"


def test_event_bytes_and_leaf_hash_match_the_example_in_the_public_contract(settings):
    """docs/transparency.md §2 publishes one event's bytes and its SM3 leaf hash: the code must give both."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "transparency.md").read_text(encoding="utf-8")
    example = re.search(r"```json\s*\n\s*(\{\"actor\".*\})\n", doc).group(1)
    documented_leaf = re.search(r"under `gm`:\s*`([0-9a-f]{64})`", doc).group(1)
    fields = json.loads(example)
    event = Event(
        seq=fields["seq"], recorded_at=dt.datetime.strptime(fields["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=dt.UTC), actor_id=fields["actor"], actor_name=fields["actor_name"],
        credential_number=fields["credential"], agency_id=fields["agency"], case_id=fields["case"],
        object_type=fields["object"][0], object_id=fields["object"][1], event_type=fields["type"],
        payload=fields["payload"],
    )
    assert log.canonical_bytes(event) == example.encode()
    use_profile(settings, "gm")
    assert log.leaf_hash_of(event).hex() == documented_leaf
