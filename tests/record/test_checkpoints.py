"""Issue 3 §2: signed checkpoints in the C2SP format, verifiable with the published key(s), across rotation."""

from __future__ import annotations

import base64
import os
import re
import stat

import pytest
from django.conf import settings

from tests.record.conftest import append_events
from zhifa.record import checkpoints, signed_note, tree, verifier
from zhifa.record.models import Checkpoint, VerifierKey

pytestmark = pytest.mark.django_db

ALGORITHM = {"gm": ("sm2", "sm3"), "intl": ("ed25519", "sha256")}


def _published(client) -> dict:
    response = client.get("/transparency/key")
    assert response.status_code == 200
    return response.json()


def _keys(client) -> list[str]:
    return [k["key"] for k in _published(client)["keys"]]


def test_checkpoint_note_is_in_c2sp_format(crypto_profile):
    append_events(11)
    checkpoint = checkpoints.make_checkpoint()
    origin = settings.ZHIFA_LOG_ORIGIN
    lines = checkpoint.note.split("\n")
    assert lines[0] == origin
    assert lines[1] == "11" == str(checkpoint.size)
    assert base64.b64decode(lines[2], validate=True) == bytes(checkpoint.root_hash) == tree.root_hash(11)
    assert len(bytes(checkpoint.root_hash)) == 32
    assert lines[3] == ""  # the blank line between the text and its signatures
    assert re.fullmatch(rf"\u2014 {re.escape(origin)} [A-Za-z0-9+/]+=*", lines[4]), lines[4]
    assert lines[5:] == [""] and checkpoint.note.endswith("\n")
    blob = base64.b64decode(lines[4].rsplit(" ", 1)[1])
    key = signed_note.parse_verifier_key(VerifierKey.objects.get().key_string)
    assert int.from_bytes(blob[:4], "big") == key.key_id  # 4-byte key ID, then the signature


def test_checkpoint_verifies_with_the_published_key(client, crypto_profile):
    append_events(6)
    checkpoint = checkpoints.make_checkpoint()
    published = _published(client)
    algorithm, hash_name = ALGORITHM[crypto_profile]
    assert published["hash"] == hash_name
    assert [k["algorithm"] for k in published["keys"]] == [algorithm]
    body, signers = signed_note.open_checkpoint(checkpoint.note, _keys(client))
    assert (body.origin, body.size, body.root_hash) == (settings.ZHIFA_LOG_ORIGIN, 6, bytes(checkpoint.root_hash))
    assert signers == [settings.ZHIFA_LOG_ORIGIN]
    # and with the standalone verifier a third party runs (no zhifa code)
    parsed = verifier.verify_checkpoint_note(checkpoint.note, _keys(client))
    assert (parsed.size, parsed.root_hash) == (6, bytes(checkpoint.root_hash))


def test_checkpoint_does_not_verify_with_another_key(crypto_profile):
    from zhifa.record.crypto import profile

    append_events(2)
    checkpoint = checkpoints.make_checkpoint()
    stranger = signed_note.verifier_key_string(settings.ZHIFA_LOG_ORIGIN, profile().crypto.generate_signing_key())
    with pytest.raises(signed_note.NoteVerificationError):
        signed_note.open_checkpoint(checkpoint.note, [stranger])
    with pytest.raises(verifier.VerificationError):
        verifier.verify_checkpoint_note(checkpoint.note, [stranger])


def test_altered_checkpoint_note_fails_verification(crypto_profile):
    append_events(4)
    checkpoint = checkpoints.make_checkpoint()
    forged = checkpoint.note.replace("\n4\n", "\n5\n", 1)
    with pytest.raises(signed_note.NoteVerificationError):
        signed_note.open_checkpoint(forged, checkpoints.verifier_keys())


def test_no_new_checkpoint_while_the_log_has_not_grown():
    append_events(3)
    first = checkpoints.make_checkpoint()
    assert checkpoints.make_checkpoint().pk == first.pk
    assert checkpoints.make_checkpoint().pk == first.pk
    assert Checkpoint.objects.count() == 1
    append_events(1)
    second = checkpoints.make_checkpoint()
    assert second.size == 4 and Checkpoint.objects.count() == 2


def test_checkpoint_of_the_empty_log():
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint.size == 0
    assert bytes(checkpoint.root_hash) == tree.root_hash(0)
    body, _ = signed_note.open_checkpoint(checkpoint.note, checkpoints.verifier_keys())
    assert body.size == 0


def test_all_checkpoints_are_kept_and_consistent(crypto_profile):
    from zhifa.record import merkle
    from zhifa.record.crypto import profile

    for n in (1, 2, 5, 8):
        append_events(n)
        checkpoints.make_checkpoint()
    made = list(Checkpoint.objects.order_by("size"))
    assert [c.size for c in made] == [1, 3, 8, 16]
    h = profile().crypto.hash
    for old, new in zip(made, made[1:], strict=False):
        proof = tree.consistency_proof(old.size, new.size)
        assert merkle.verify_consistency(h, old.size, new.size, proof, bytes(old.root_hash), bytes(new.root_hash))


def test_signing_key_is_generated_at_first_use_with_mode_0600(log_key_file, crypto_profile):
    assert not log_key_file.exists()
    checkpoints.make_checkpoint()
    assert stat.S_IMODE(log_key_file.stat().st_mode) == 0o600
    key = log_key_file.read_bytes()
    checkpoints.make_checkpoint()
    assert log_key_file.read_bytes() == key  # generated once, then reused


def test_rotation_keeps_old_checkpoints_verifiable(client, crypto_profile):
    append_events(3)
    old = checkpoints.make_checkpoint()
    old_key = _keys(client)
    checkpoints.rotate_signing_key()
    append_events(2)
    new = checkpoints.make_checkpoint()

    published = _published(client)["keys"]
    assert len(published) == 2
    retired = [k for k in published if k["retired"]]
    current = [k for k in published if not k["retired"]]
    assert [k["key"] for k in retired] == old_key and len(current) == 1
    keys = [k["key"] for k in published]
    for checkpoint in (old, new):
        body, _ = signed_note.open_checkpoint(checkpoint.note, keys)
        assert body.size == checkpoint.size
        assert verifier.verify_checkpoint_note(checkpoint.note, keys).size == checkpoint.size
    # each checkpoint is signed by the key that was current when it was made
    signed_note.open_checkpoint(old.note, old_key)
    signed_note.open_checkpoint(new.note, [current[0]["key"]])
    with pytest.raises(signed_note.NoteVerificationError):
        signed_note.open_checkpoint(new.note, old_key)


def test_repeated_rotation_keeps_every_key_published(client):
    append_events(1)
    notes = [checkpoints.make_checkpoint().note]
    for _ in range(3):
        checkpoints.rotate_signing_key()
        append_events(1)
        notes.append(checkpoints.make_checkpoint().note)
    published = _published(client)["keys"]
    assert len(published) == 4 and sum(1 for k in published if k["retired"] is None) == 1
    for note in notes:
        signed_note.open_checkpoint(note, [k["key"] for k in published])


def test_checkpoint_task_signs_when_the_log_grew():
    from zhifa.record.tasks import checkpoint_task

    append_events(7)
    assert checkpoint_task.call() == 7
    assert Checkpoint.objects.get().size == 7



def test_signing_key_file_created_once_when_processes_start_together(tmp_path):
    """Web and task workers sign their first checkpoint at once: one key wins, none crashes or signs with a loser.
    (Threads race through the same file system calls as processes; the old shared temporary name lost 20/20.)"""
    import threading

    path = tmp_path / "keys" / "log-signing.pem"
    barrier, keys, errors = threading.Barrier(8), [], []

    def first_use() -> None:
        barrier.wait()
        try:
            keys.append(checkpoints._read_or_create_key(path, lambda: os.urandom(64)))
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(keys) == 8
    assert len(set(keys)) == 1 and path.read_bytes() == keys[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind
