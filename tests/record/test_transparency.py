"""Issue 3 §2: the public transparency endpoints (no login, no payloads), checked with the standalone verifier."""

from __future__ import annotations

import pytest

from tests.record.conftest import append_events
from zhifa.record import checkpoints, verifier
from zhifa.record.models import Checkpoint, Event

pytestmark = pytest.mark.django_db

SECRET = "当事人身份证号430212199001011234-SECRET-4711"
HASH = {"gm": "sm3", "intl": "sha256"}


@pytest.fixture
def log(crypto_profile):
    """20 events carrying a payload that must never leave through the public endpoints, two checkpoints."""
    append_events(13, marker=SECRET)
    first = checkpoints.make_checkpoint()
    append_events(7, marker=SECRET)
    second = checkpoints.make_checkpoint()
    return first, second


def _keys(client) -> list[str]:
    return [k["key"] for k in client.get("/transparency/key").json()["keys"]]


def _checkpoint(client) -> verifier.Checkpoint:
    response = client.get("/transparency/checkpoint")
    return verifier.verify_checkpoint_note(response.content, _keys(client))


def test_checkpoint_endpoint_serves_the_latest_note_as_plain_text(client, log):
    response = client.get("/transparency/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == log[1].note
    assert _checkpoint(client).size == 20


def test_checkpoint_endpoint_makes_the_first_checkpoint_on_demand(client):
    append_events(2)
    response = client.get("/transparency/checkpoint")
    assert response.status_code == 200
    assert Checkpoint.objects.get().size == 2
    assert verifier.verify_checkpoint_note(response.content, _keys(client)).size == 2


def test_key_endpoint_names_algorithm_and_hash(client, log, crypto_profile):
    data = client.get("/transparency/key").json()
    assert data["hash"] == HASH[crypto_profile]
    assert data["origin"] and len(data["keys"]) == 1
    assert data["keys"][0]["algorithm"] == {"gm": "sm2", "intl": "ed25519"}[crypto_profile]
    assert data["keys"][0]["retired"] is None
    verifier.parse_key(data["keys"][0]["key"])


def test_proof_defaults_to_the_latest_checkpoint_and_verifies(client, log, crypto_profile):
    checkpoint = _checkpoint(client)
    for index in (0, 12, 13, 19):
        data = client.get(f"/transparency/proof/{index}").json()
        assert set(data) == {"index", "tree_size", "hash", "leaf_hash", "inclusion_path"}
        assert (data["index"], data["tree_size"], data["hash"]) == (index, 20, HASH[crypto_profile])
        leaf = bytes.fromhex(data["leaf_hash"])
        assert leaf == bytes(Event.objects.get(seq=index).leaf_hash)
        path = [bytes.fromhex(p) for p in data["inclusion_path"]]
        assert verifier.verify_inclusion(data["hash"], index, 20, leaf, path, checkpoint.root_hash)
        assert not verifier.verify_inclusion(data["hash"], index, 20, leaf, path, bytes(log[0].root_hash))


def test_proof_leaf_hash_is_the_hash_of_the_events_bytes(client, log, crypto_profile):
    from zhifa.record.log import canonical_bytes

    data = client.get("/transparency/proof/5").json()
    event_bytes = canonical_bytes(Event.objects.get(seq=5))
    assert bytes.fromhex(data["leaf_hash"]) == verifier.leaf_hash(data["hash"], event_bytes)


def test_proof_for_an_explicit_tree_size_verifies_against_that_checkpoint(client, log):
    old = verifier.verify_checkpoint_note(log[0].note, _keys(client))
    data = client.get("/transparency/proof/4", {"tree_size": 13}).json()
    assert data["tree_size"] == 13
    path = [bytes.fromhex(p) for p in data["inclusion_path"]]
    assert verifier.verify_inclusion(data["hash"], 4, 13, bytes.fromhex(data["leaf_hash"]), path, old.root_hash)


def test_proof_for_a_tree_size_beyond_the_checkpoint_but_in_the_log(client, log):
    append_events(3)  # not checkpointed yet
    data = client.get("/transparency/proof/21", {"tree_size": 23}).json()
    assert data["tree_size"] == 23 and data["index"] == 21


@pytest.mark.parametrize("index, query", [(20, {}), (25, {}), (13, {"tree_size": 13}), (0, {"tree_size": 0}),
                                          (0, {"tree_size": 10**30})])
def test_proof_404_for_an_index_outside_the_tree(client, log, index, query):
    response = client.get(f"/transparency/proof/{index}", query)
    assert response.status_code == 404
    assert response.json()["code"] in {"index_out_of_range", "tree_too_small"}


@pytest.mark.parametrize("tree_size", ["abc", "-1", "1.5", "0x10", " 3", "３", "²"])
def test_proof_400_for_a_bad_number(client, log, tree_size):
    response = client.get("/transparency/proof/1", {"tree_size": tree_size})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_parameter"


def test_proof_404_before_any_checkpoint(client):
    append_events(3)
    assert client.get("/transparency/proof/0").status_code == 404


def test_consistency_between_two_checkpoints_verifies(client, log):
    old = verifier.verify_checkpoint_note(log[0].note, _keys(client))
    new = _checkpoint(client)
    data = client.get("/transparency/consistency", {"first": 13}).json()
    assert set(data) == {"first", "second", "hash", "proof"}
    assert (data["first"], data["second"]) == (13, 20)
    proof = [bytes.fromhex(p) for p in data["proof"]]
    assert verifier.verify_consistency(data["hash"], 13, 20, proof, old.root_hash, new.root_hash)
    explicit = client.get("/transparency/consistency", {"first": 13, "second": 20}).json()
    assert explicit == data


@pytest.mark.parametrize("query, status", [
    ({}, 400), ({"first": "x"}, 400), ({"first": 21}, 400), ({"first": 5, "second": 4}, 400),
    ({"first": 1, "second": "-2"}, 400), ({"first": 1, "second": 10**9}, 404),
])
def test_consistency_rejects_bad_sizes(client, log, query, status):
    assert client.get("/transparency/consistency", query).status_code == status


def test_endpoints_need_no_login_and_leak_no_payload(client, log):
    urls = ["/transparency/checkpoint", "/transparency/key", "/transparency/consistency?first=13"]
    urls += [f"/transparency/proof/{i}" for i in range(20)] + ["/transparency/proof/3?tree_size=13"]
    assert "_auth_user_id" not in client.session
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body and "执法记录" not in body and "test.event" not in body, url
        assert "payload" not in body, url


def test_endpoints_are_read_only(client, log):
    for url in ("/transparency/checkpoint", "/transparency/key", "/transparency/proof/1", "/transparency/consistency"):
        assert client.post(url).status_code == 405


def test_proof_served_from_the_tree_when_the_event_row_is_gone(client, log, crypto_profile):
    """A deleted event (tampering) does not break the public proof: the tree's leaf is what the checkpoint signs."""
    from tests.record.conftest import drop_append_only_triggers, raw

    leaf = bytes(Event.objects.get(seq=5).leaf_hash)
    drop_append_only_triggers()
    raw("DELETE FROM record_event WHERE seq = 5")
    data = client.get("/transparency/proof/5").json()
    path = [bytes.fromhex(p) for p in data["inclusion_path"]]
    assert bytes.fromhex(data["leaf_hash"]) == leaf
    assert verifier.verify_inclusion(data["hash"], 5, data["tree_size"], leaf, path, _checkpoint(client).root_hash)


def test_proof_503_names_the_damage_when_tree_nodes_are_gone(client, log):
    from tests.record.conftest import drop_append_only_triggers, raw

    drop_append_only_triggers()
    raw("DELETE FROM record_merklenode")
    response = client.get("/transparency/proof/5")
    assert response.status_code == 503
    assert response.json()["code"] == "record_damaged"
