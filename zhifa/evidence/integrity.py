"""Re-hash every stored evidence object (streaming) against its row, and each row against its record event.

`check_files()` is what `zhifa verify` calls: each problem is a Finding naming the EvidenceFile ("evidence:<id>"):

* `file_missing` — the object is not in storage;
* `file_changed` — its size, SHA-256 or log hash differs from the row's;
* `row_changed` — the row's hashes or size differ from its `evidence.added`/`evidence.corrected` event, the part
  the Merkle tree protects (the row was edited in the database);
* `row_unrecorded` — no event records the row (it was inserted behind the platform's back);
* `thumbnail_missing` / `thumbnail_changed` — the thumbnail no longer matches its content address.

Objects shared by several rows (identical content) are hashed once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from zhifa.crypto.profiles import get_profile
from zhifa.evidence import store
from zhifa.evidence.models import EvidenceFile
from zhifa.record.models import Event

EVENT_TYPES = ("evidence.added", "evidence.corrected")
PROFILE_OF_HASH = {"sm3": "gm", "sha256": "intl"}


@dataclass(frozen=True)
class Finding:
    kind: str
    object: str  # "evidence:<id>"
    detail: str


def _hash_object(key: str, algorithms: set[str]) -> tuple[int, dict[str, str]]:
    """Size and hex digests of a stored object, read once in chunks; the extra hashes run on another core."""
    sha256 = hashlib.sha256()
    others = {name: store.BackgroundHash(get_profile(PROFILE_OF_HASH[name]).new_hash)
              for name in algorithms if name != "sha256"}
    size = 0
    try:
        for chunk in store.open_range(key):
            size += len(chunk)
            sha256.update(chunk)
            for hasher in others.values():
                hasher.update(chunk)
    finally:
        for hasher in others.values():
            hasher.close()
    digests = {"sha256": sha256.hexdigest()}
    digests.update({name: hasher.digest().hex() for name, hasher in others.items()})
    return size, digests


def _recorded(rows: list[EvidenceFile]) -> dict[str, dict]:
    """The payload of each row's event, by object id."""
    label = EvidenceFile._meta.label_lower
    ids = [str(row.pk) for row in rows]
    events: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        for object_id, payload in Event.objects.filter(
            object_type=label, object_id__in=ids[start:start + 500], event_type__in=EVENT_TYPES,
        ).values_list("object_id", "payload"):
            events[object_id] = payload
    return events


def check_files(progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    """Every finding about stored evidence; `progress(done_bytes, total_bytes)` is called after each object."""
    rows = list(EvidenceFile.objects.order_by("pk"))
    findings: list[Finding] = []
    events = _recorded(rows)
    for row in rows:
        name = f"evidence:{row.pk}"
        payload = events.get(str(row.pk))
        if payload is None:
            findings.append(Finding("row_unrecorded", name, "证据记录没有对应的记录事件（可能被直接写入数据库）"))
            continue
        for field in ("sha256", "log_hash", "size"):
            if payload.get(field) != getattr(row, field):
                detail = f"证据记录的 {field} 与记录事件不一致：{getattr(row, field)} ≠ {payload.get(field)}"
                findings.append(Finding("row_changed", name, detail))
    by_key: dict[str, list[EvidenceFile]] = defaultdict(list)
    for row in rows:
        by_key[row.storage_key].append(row)
    total = sum(group[0].size for group in by_key.values())
    done = 0
    for key, group in by_key.items():
        algorithms = {row.log_hash_algorithm for row in group} | {"sha256"}
        try:
            size, digests = _hash_object(key, algorithms)
        except FileNotFoundError:
            findings.extend(Finding("file_missing", f"evidence:{row.pk}", f"存储对象 {key} 缺失") for row in group)
        else:
            for row in group:
                problems = []
                if size != row.size:
                    problems.append(f"大小 {size} ≠ {row.size}")
                if digests["sha256"] != row.sha256:
                    problems.append(f"SHA-256 {digests['sha256']} ≠ {row.sha256}")
                if digests.get(row.log_hash_algorithm) != row.log_hash:
                    problems.append(f"{row.log_hash_algorithm.upper()} {digests.get(row.log_hash_algorithm)} ≠ "
                                    f"{row.log_hash}")
                if problems:
                    findings.append(Finding("file_changed", f"evidence:{row.pk}",
                                            f"存储对象 {key} 已被改动：" + "；".join(problems)))
        done += group[0].size
        if progress is not None:
            progress(done, total)
    findings.extend(_check_thumbnails(rows))
    return findings


def _check_thumbnails(rows: list[EvidenceFile]) -> list[Finding]:
    findings = []
    checked: dict[str, str | None] = {}
    for row in rows:
        key = row.thumbnail_key
        if not key:
            continue
        if key not in checked:
            try:
                _, digests = _hash_object(key, {"sha256"})
            except FileNotFoundError:
                checked[key] = None
            else:
                checked[key] = digests["sha256"]
        if checked[key] is None:
            findings.append(Finding("thumbnail_missing", f"evidence:{row.pk}", f"缩略图 {key} 缺失"))
        elif store.key_for(checked[key]) != key:
            findings.append(Finding("thumbnail_changed", f"evidence:{row.pk}", f"缩略图 {key} 已被改动"))
    return findings
