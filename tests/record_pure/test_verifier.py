"""The standalone verifier, cross-checked with zhifa.record.merkle and signed_note, offline and over HTTP."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from zhifa.crypto import PROFILE_NAMES, CryptoProfile, SigningKey, get_profile
from zhifa.record import merkle, signed_note, verifier
from zhifa.record.merkle import InMemoryNodeStore, TreeBuilder

from . import leaf_data
from .test_merkle import RFC_CONSISTENCY, RFC_INCLUSION, RFC_LEAVES, RFC_ROOTS, consistency_tamperings

VERIFIER_SOURCE = Path(verifier.__file__)
BASE = "https://zhifa.example.gov.cn"
ORIGIN = "zhifa.example.gov.cn/log"
Tamper = Callable[[str, dict[str, Any]], None]


# --- standalone --------------------------------------------------------------------------------------------


def test_imports_only_stdlib_cryptography_and_tongsuopy() -> None:
    tree = ast.parse(VERIFIER_SOURCE.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module
            roots.add(node.module.split(".")[0])
    assert roots - set(sys.stdlib_module_names) == {"cryptography", "tongsuopy"}


def test_pure_modules_import_no_django() -> None:
    code = (
        "import sys, zhifa.crypto, zhifa.record.merkle, zhifa.record.signed_note, zhifa.record.verifier;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')];"
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_verifier_runs_as_a_copied_file(tmp_path: Path) -> None:
    copy = tmp_path / "verifier.py"
    copy.write_text(VERIFIER_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(copy), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "--previous-checkpoint" in done.stdout
    done = subprocess.run([sys.executable, str(copy)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2


# --- Merkle verification agrees with zhifa.record.merkle ---------------------------------------------------


def test_rfc_vectors() -> None:
    def leaf(i: int) -> bytes:
        return verifier.leaf_hash("sha256", bytes.fromhex(RFC_LEAVES[i]))

    for index, size, path in RFC_INCLUSION:
        proof = [bytes.fromhex(p) for p in path]
        root = bytes.fromhex(RFC_ROOTS[size - 1])
        assert verifier.verify_inclusion("sha256", index, size, leaf(index), proof, root)
        assert not verifier.verify_inclusion("sha256", index, size, leaf(index), proof[::-1] + [root], root)
    for m, n, path in RFC_CONSISTENCY:
        proof = [bytes.fromhex(p) for p in path]
        root_m, root_n = bytes.fromhex(RFC_ROOTS[m - 1]), bytes.fromhex(RFC_ROOTS[n - 1])
        assert verifier.verify_consistency("sha256", m, n, proof, root_m, root_n)
        if proof:
            for probe in consistency_tamperings(m, n, proof, root_m, root_n):
                assert not verifier.verify_consistency("sha256", *probe), probe


@pytest.mark.parametrize("profile_name", PROFILE_NAMES)
def test_agrees_with_merkle_module_on_many_sizes(profile_name: str) -> None:
    profile = get_profile(profile_name)
    h, name = profile.hash, profile.hash_name
    leaves = [verifier.leaf_hash(name, leaf_data(i)) for i in range(67)]
    assert leaves == [merkle.leaf_hash(h, leaf_data(i)) for i in range(67)]
    store = InMemoryNodeStore()
    store.put_nodes(TreeBuilder(h, store, 0).append(leaves))
    roots = [merkle.root_hash(h, store, n) for n in range(68)]
    for n in range(1, 68):
        for i in range(n):
            proof = merkle.inclusion_proof(h, store, i, n)
            assert verifier.verify_inclusion(name, i, n, leaves[i], proof, roots[n])
            assert not verifier.verify_inclusion(name, i, n, leaves[(i + 1) % 67], proof, roots[n])
            if proof:
                bad = list(proof)
                bad[i % len(bad)] = bytes(32)
                assert not verifier.verify_inclusion(name, i, n, leaves[i], bad, roots[n])
        for m in range(0, n + 1):
            proof = merkle.consistency_proof(h, store, m, n)
            assert verifier.verify_consistency(name, m, n, proof, roots[m], roots[n])
            assert verifier.verify_consistency(
                name, m, n, proof, roots[m], roots[n]
            ) == merkle.verify_consistency(h, m, n, proof, roots[m], roots[n])
            if 0 < m < n:
                assert not verifier.verify_consistency(name, m, n, proof, roots[m - 1], roots[n])
                assert not verifier.verify_consistency(name, m, n, proof, roots[m], roots[n - 1])
                assert not verifier.verify_consistency(name, m, n, proof[:-1], roots[m], roots[n])


# --- checkpoint notes agree with zhifa.record.signed_note --------------------------------------------------


@pytest.mark.parametrize("profile_name", PROFILE_NAMES)
def test_checkpoint_notes(profile_name: str) -> None:
    profile = get_profile(profile_name)
    key, new_key = profile.generate_signing_key(), profile.generate_signing_key()
    vkey, new_vkey = (signed_note.verifier_key_string(ORIGIN, k) for k in (key, new_key))
    root = profile.hash(b"root")
    body = signed_note.Checkpoint(ORIGIN, 12345, root, ("ext",)).body()
    note = signed_note.sign_note(body, ORIGIN, key)
    checkpoint = verifier.verify_checkpoint_note(note, [vkey])
    assert verifier.verify_checkpoint_note(note, vkey) == checkpoint
    assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == (ORIGIN, 12345, root)
    assert checkpoint.extensions == ("ext",) and checkpoint.signed_by == (ORIGIN,)
    rotated = signed_note.add_signature(note, ORIGIN, new_key)
    assert verifier.verify_checkpoint_note(rotated.encode(), [new_vkey]).size == 12345
    with pytest.raises(verifier.VerificationError, match="no signature"):
        verifier.verify_checkpoint_note(note, [new_vkey])
    with pytest.raises(verifier.VerificationError, match="does not verify"):
        verifier.verify_checkpoint_note(note.replace("12345", "12346"), [vkey])
    for bad_note in (note.replace("\n\n", "\n"), note[:-1], note.replace("— ", "-- ")):
        with pytest.raises(verifier.VerificationError):
            verifier.verify_checkpoint_note(bad_note, [vkey])
    with pytest.raises(ValueError):
        verifier.verify_checkpoint_note(note, [vkey.replace("+", "-", 1)])
    for body_text in ("o\n012\nAAAA\n", "o\n12\n", "o\n12\nAAAA\n\n"):
        unsigned = signed_note.sign_note(body_text, ORIGIN, key)
        with pytest.raises(verifier.VerificationError):
            verifier.verify_checkpoint_note(unsigned, [vkey])
    # both parsers read a key the same way, and refuse the same mangled ones
    parsed = verifier.parse_key(vkey)
    assert parsed.public_key == key.public_bytes() and parsed.algorithm == key.algorithm


# --- the command line, against a fake log ------------------------------------------------------------------


class FakeLog:
    """A log served the way docs/transparency.md says, built with zhifa.record.merkle and signed_note."""

    def __init__(self, profile: CryptoProfile, key: SigningKey, events: int, origin: str = ORIGIN) -> None:
        self.profile, self.key, self.origin = profile, key, origin
        self.store = InMemoryNodeStore()
        self.builder = TreeBuilder(profile.hash, self.store, 0)
        self.leaves: list[bytes] = []
        self.tamper: Tamper | None = None
        self.grow(events)

    def grow(self, events: int, salt: bytes = b"") -> None:
        new = [
            merkle.leaf_hash(self.profile.hash, salt + leaf_data(len(self.leaves) + i)) for i in range(events)
        ]
        self.leaves += new
        self.store.put_nodes(self.builder.append(new))

    def checkpoint(self) -> str:
        size = self.builder.size
        body = signed_note.Checkpoint(
            self.origin, size, merkle.root_hash(self.profile.hash, self.store, size)
        )
        return signed_note.sign_note(body.body(), self.origin, self.key)

    def fetch(self, url: str) -> bytes:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == BASE
        query = {k: int(v[0]) for k, v in parse_qs(parts.query).items()}
        h = self.profile.hash
        if parts.path == "/transparency/checkpoint":
            return self.checkpoint().encode()
        doc: dict[str, Any]
        if parts.path.startswith("/transparency/proof/"):
            index, size = int(parts.path.rsplit("/", 1)[1]), query["tree_size"]
            doc = {
                "index": index,
                "tree_size": size,
                "hash": self.profile.hash_name,
                "leaf_hash": self.leaves[index].hex(),
                "inclusion_path": [p.hex() for p in merkle.inclusion_proof(h, self.store, index, size)],
            }
        elif parts.path == "/transparency/consistency":
            m, n = query["first"], query["second"]
            proof = merkle.consistency_proof(h, self.store, m, n)
            doc = {"first": m, "second": n, "hash": self.profile.hash_name, "proof": [p.hex() for p in proof]}
        else:
            raise verifier.VerificationError(f"404 {url}")
        if self.tamper:
            self.tamper(parts.path, doc)
        return json.dumps(doc).encode()


@pytest.fixture(params=PROFILE_NAMES)
def log(request: pytest.FixtureRequest) -> FakeLog:
    profile = get_profile(request.param)
    return FakeLog(profile, profile.generate_signing_key(), 37)


def run(log: FakeLog, *args: str) -> int:
    vkey = signed_note.verifier_key_string(log.origin, log.key)
    return verifier.main(["--base-url", BASE + "/", "--key", vkey, *args], fetch=log.fetch)


def test_cli_checkpoint_and_inclusion(
    log: FakeLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(log) == 0
    assert "OK checkpoint" in capsys.readouterr().out
    event = tmp_path / "event.json"
    event.write_bytes(leaf_data(20))
    assert run(log, "--index", "20", "--leaf-data", str(event)) == 0
    assert run(log, "--index", "36", "--leaf-hash", log.leaves[36].hex()) == 0
    assert "is included" in capsys.readouterr().out
    assert run(log, "--index", "20", "--leaf-hash", log.leaves[21].hex()) == 1  # not the event we hold
    event.write_bytes(leaf_data(20) + b" ")
    assert run(log, "--index", "20", "--leaf-data", str(event)) == 1
    assert run(log, "--index", "37") == 1  # beyond the checkpoint
    assert "FAIL" in capsys.readouterr().err


def test_cli_append_only_growth(log: FakeLog, tmp_path: Path) -> None:
    saved = tmp_path / "checkpoint.txt"
    assert run(log, "--save-checkpoint", str(saved)) == 0
    vkey = signed_note.verifier_key_string(ORIGIN, log.key)
    saved_body = signed_note.open_note(saved.read_text(encoding="utf-8"), [vkey])[0]
    assert saved_body == signed_note.open_note(log.checkpoint(), [vkey])[0]
    assert run(log, "--previous-checkpoint", str(saved)) == 0  # same size
    log.grow(29)
    assert run(log, "--previous-checkpoint", str(saved), "--index", "50") == 0
    for size in (1, 2, 8, 31, 64):  # older checkpoints of every shape
        earlier = FakeLog(log.profile, log.key, size)
        saved.write_text(earlier.checkpoint(), encoding="utf-8")
        assert run(log, "--previous-checkpoint", str(saved)) == 0


def test_cli_detects_a_rewritten_history(log: FakeLog, tmp_path: Path) -> None:
    saved = tmp_path / "checkpoint.txt"
    forked = FakeLog(log.profile, log.key, 0)  # the same key signed a log whose past differs
    forked.grow(5)
    forked.grow(25, salt=b"rewritten ")
    saved.write_text(forked.checkpoint(), encoding="utf-8")
    assert run(log, "--previous-checkpoint", str(saved)) == 1
    bigger = FakeLog(log.profile, log.key, 40)  # the log shrank since
    saved.write_text(bigger.checkpoint(), encoding="utf-8")
    assert run(log, "--previous-checkpoint", str(saved)) == 1
    same_size = FakeLog(log.profile, log.key, 0)
    same_size.grow(37, salt=b"x")
    saved.write_text(same_size.checkpoint(), encoding="utf-8")
    assert run(log, "--previous-checkpoint", str(saved)) == 1
    other_origin = FakeLog(log.profile, log.key, 10, origin="other.example/log")
    saved.write_text(other_origin.checkpoint(), encoding="utf-8")
    assert (
        run(
            log,
            "--previous-checkpoint",
            str(saved),
            "--key",
            signed_note.verifier_key_string("other.example/log", log.key),
        )
        == 1
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path, doc: (
            doc.update(inclusion_path=[bytes(32).hex(), *doc["inclusion_path"][1:]])
            if "proof" in path
            else None
        ),
        lambda path, doc: doc.update(proof=doc["proof"][:-1]) if "consistency" in path else None,
        lambda path, doc: doc.update(hash="sha256" if doc["hash"] == "sm3" else "sm3"),
        lambda path, doc: doc.update(tree_size=doc.get("tree_size", 0) + 1) if "proof" in path else None,
        lambda path, doc: doc.update(first=str(doc.get("first"))) if "consistency" in path else None,
        lambda path, doc: doc.update(leaf_hash="zz") if "proof" in path else None,
        lambda path, doc: doc.update(inclusion_path="00") if "proof" in path else None,
    ],
)
def test_cli_rejects_tampered_answers(log: FakeLog, tmp_path: Path, tamper: Tamper) -> None:
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(FakeLog(log.profile, log.key, 30).checkpoint(), encoding="utf-8")
    log.tamper = tamper
    assert run(log, "--index", "3", "--previous-checkpoint", str(saved)) == 1


def test_cli_rejects_a_checkpoint_by_another_key(log: FakeLog) -> None:
    impostor = FakeLog(log.profile, log.profile.generate_signing_key(), 37)
    vkey = signed_note.verifier_key_string(ORIGIN, log.key)
    assert verifier.main(["--base-url", BASE, "--key", vkey], fetch=impostor.fetch) == 1


def test_cli_usage_errors(log: FakeLog, capsys: pytest.CaptureFixture[str]) -> None:
    vkey = signed_note.verifier_key_string(ORIGIN, log.key)
    assert verifier.main([], fetch=log.fetch) == 2
    assert verifier.main(["--base-url", BASE, "--key", "nonsense"], fetch=log.fetch) == 2
    assert verifier.main(["--base-url", BASE, "--key", vkey, "--leaf-hash", "00"], fetch=log.fetch) == 2
    assert verifier.main(["--base-url", BASE, "--key", vkey, "--index", "x"], fetch=log.fetch) == 2
    assert verifier.main(["--base-url", BASE, "--key", vkey, "--index", "1", "--leaf-hash", "xy"]) == 2
    assert run(log, "--previous-checkpoint", "/nonexistent/checkpoint") == 2
    other = get_profile("gm" if log.profile.name == "intl" else "intl").generate_signing_key()
    mixed = ["--key", signed_note.verifier_key_string("x", other)]
    assert run(log, *mixed) == 2  # two key types: the hash must be named
    assert run(log, *mixed, "--hash", log.profile.hash_name) == 0
    capsys.readouterr()


# --- over real HTTP ----------------------------------------------------------------------------------------


@pytest.fixture
def served(log: FakeLog) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            try:
                body = log.fetch(BASE + self.path)
            except verifier.VerificationError:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_cli_over_http(log: FakeLog, served: str, tmp_path: Path) -> None:
    vkey = signed_note.verifier_key_string(ORIGIN, log.key)
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(FakeLog(log.profile, log.key, 9).checkpoint(), encoding="utf-8")
    args = ["--base-url", served, "--key", vkey, "--index", "7", "--previous-checkpoint", str(saved)]
    assert verifier.main(args) == 0
    assert verifier.main(["--base-url", served + "/missing", "--key", vkey]) == 1
