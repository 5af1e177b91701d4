"""Case archives as BagIt bags (RFC 8493): documents, evidence files, the case's events with inclusion proofs,
the checkpoint they verify against, and an index (卷内目录) PDF. `verify_bag` checks one offline."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import bagit
from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from zhifa import __version__
from zhifa.cases.models import Case
from zhifa.core.pdf import render_pdf
from zhifa.crypto.profiles import get_profile
from zhifa.people.models import User
from zhifa.record import access, checkpoints, merkle, signed_note, tree
from zhifa.record.crypto import profile
from zhifa.record.log import canonical_bytes
from zhifa.record.models import Event

CHECKSUMS = ["sha256", "sha512"]


def _evidence(case: Case) -> list:
    if not apps.is_installed("zhifa.evidence"):
        return []
    from zhifa.evidence.models import EvidenceFile

    return list(EvidenceFile.objects.filter(case=case).order_by("pk"))


def export_case(case: Case, out_dir: Path, actor: User | None = None, reason: str = "") -> Path:
    """Write the case's bag into out_dir/<case number>; return its path. The export is itself recorded."""
    if actor is not None:
        access.record_access(actor, case, action="exported", agency=case.agency, case_id=case.pk,
                             marking=case.confidentiality, reason=reason)
    checkpoint = checkpoints.make_checkpoint()
    bag_dir = out_dir / case.number.replace("/", "_")
    if bag_dir.exists():
        shutil.rmtree(bag_dir)
    (bag_dir / "evidence").mkdir(parents=True)
    exported = timezone.now()
    items = []

    if apps.is_installed("zhifa.documents"):
        from zhifa.documents.actions import case_documents, document_bytes

        (bag_dir / "documents").mkdir()
        for document in case_documents(case):
            name = f"documents/{document.filename}"
            (bag_dir / name).write_bytes(document_bytes(document))
            items.append({"title": f"{document.get_kind_display()} {document.number}", "kind": "文书",
                          "date": document.issued_at, "sha256": document.sha256, "path": name})

    storage = storages["evidence"]
    for evidence in _evidence(case):
        name = f"evidence/{evidence.pk:06d}-{Path(evidence.original_name).name}"
        with storage.open(evidence.storage_key, "rb") as source, open(bag_dir / name, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        items.append({"title": evidence.title, "kind": evidence.get_kind_display(), "date": evidence.captured_at,
                      "sha256": evidence.sha256, "path": name})

    events = Event.objects.filter(case_id=case.pk, seq__lt=checkpoint.size).order_by("seq")
    with open(bag_dir / "events.jsonl", "w", encoding="utf-8") as handle:
        for event in events:
            handle.write(json.dumps({
                "seq": event.seq,
                "event": canonical_bytes(event).decode(),
                "leaf_hash": bytes(event.leaf_hash).hex(),
                "tree_size": checkpoint.size,
                "inclusion_path": [p.hex() for p in tree.inclusion_proof(event.seq, checkpoint.size)],
            }, ensure_ascii=False) + "\n")
    event_count = events.count()
    (bag_dir / "checkpoint.txt").write_text(checkpoint.note, encoding="utf-8")
    (bag_dir / "verifier-keys.txt").write_text("\n".join(checkpoints.verifier_keys()) + "\n", encoding="utf-8")
    (bag_dir / "case.json").write_text(json.dumps({
        "number": case.number, "title": case.title, "agency": case.agency.name,
        "agency_credit_code": case.agency.credit_code, "opened_at": case.opened_at.isoformat(),
        "stage": case.stage, "confidentiality": case.confidentiality, "hash": profile().hash_name,
        "evidence": items,
    }, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    (bag_dir / "index.pdf").write_bytes(render_pdf("record/archive_index.html", {
        "case": case, "opened": timezone.localtime(case.opened_at), "exported": timezone.localtime(exported),
        "items": items, "event_count": event_count, "checkpoint": checkpoint, "hash_name": profile().hash_name,
        "root_hex": bytes(checkpoint.root_hash).hex(),
    }))
    bagit.make_bag(str(bag_dir), {
        "Source-Organization": case.agency.name,
        "External-Identifier": case.number,
        "External-Description": f"{case.title}（执法全过程记录归档）",
        "Bagging-Date": timezone.localdate().isoformat(),
        "Bag-Software-Agent": f"zhifa {__version__}",
        "Zhifa-Log-Origin": settings.ZHIFA_LOG_ORIGIN,
        "Zhifa-Tree-Size": str(checkpoint.size),
        "Zhifa-Hash": profile().hash_name,
    }, checksums=CHECKSUMS)
    return bag_dir


@dataclass(frozen=True)
class BagProblem:
    object: str
    detail: str


def verify_bag(bag_dir: Path, trusted_keys: list[str] | None = None) -> list[BagProblem]:
    """Offline: the bag's manifests, the checkpoint's signature, every event's leaf hash and inclusion proof.

    Without `trusted_keys` the keys shipped in the bag are used (proves integrity, not origin: compare them
    with the keys the agency publishes at /transparency/key)."""
    problems: list[BagProblem] = []
    try:
        bagit.Bag(str(bag_dir)).validate()
    except bagit.BagError as exc:
        return [BagProblem("bag", f"BagIt validation failed: {exc}")]
    data = bag_dir / "data"
    case = json.loads((data / "case.json").read_text(encoding="utf-8"))
    hash_name = case["hash"]
    crypto = get_profile("gm" if hash_name == "sm3" else "intl")
    keys = trusted_keys or (data / "verifier-keys.txt").read_text(encoding="utf-8").split()
    try:
        checkpoint, _signers = signed_note.open_checkpoint((data / "checkpoint.txt").read_text(encoding="utf-8"), keys)
    except signed_note.NoteError as exc:
        return [BagProblem("checkpoint.txt", f"checkpoint signature: {exc}")]
    with open(data / "events.jsonl", encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            row = json.loads(line)
            leaf = merkle.leaf_hash(crypto.hash, row["event"].encode())
            name = f"events.jsonl:{line_number} (event {row['seq']})"
            if leaf.hex() != row["leaf_hash"]:
                problems.append(BagProblem(name, "the event's bytes do not match its leaf hash"))
                continue
            proof = [bytes.fromhex(p) for p in row["inclusion_path"]]
            if row["tree_size"] != checkpoint.size or not merkle.verify_inclusion(
                crypto.hash, row["seq"], checkpoint.size, leaf, proof, checkpoint.root_hash
            ):
                problems.append(BagProblem(name, "inclusion proof does not verify against the checkpoint"))
    return problems

