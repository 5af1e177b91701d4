"""Case archives (issue 3 §6): a BagIt bag (RFC 8493) that the Library of Congress `bagit` tool validates and
whose events verify offline against the checkpoint; a changed event or file is caught."""

from __future__ import annotations

import json

import bagit
import pytest

from zhifa.cli import main
from zhifa.record.archive import export_case, verify_bag

from .test_procedure import inquiry

pytestmark = pytest.mark.django_db


def test_case_archive_is_a_valid_bag_whose_events_verify_offline(case, team, tmp_path) -> None:
    inquiry(case, team.officer)
    bag_dir = export_case(case, tmp_path, actor=team.officer)
    bag = bagit.Bag(str(bag_dir))
    assert bag.is_valid() and set(bag.algorithms) >= {"sha256", "sha512"}
    assert bag.info["External-Identifier"] == case.number
    data = bag_dir / "data"
    lines = (data / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2 and all(json.loads(line)["inclusion_path"] is not None for line in lines)
    assert (data / "index.pdf").read_bytes().startswith(b"%PDF")
    assert list((data / "evidence").iterdir())
    assert verify_bag(bag_dir) == []
    assert main(["verify-bag", str(bag_dir)]) == 0


def test_changed_event_in_bag_is_reported(case, team, tmp_path) -> None:
    inquiry(case, team.officer)
    bag_dir = export_case(case, tmp_path)
    events = bag_dir / "data" / "events.jsonl"
    rows = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    rows[0]["event"] = rows[0]["event"].replace("inspection", "complaint")
    events.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    bagit.Bag(str(bag_dir)).save(manifests=True)  # even with fresh manifests the leaf hash gives it away
    problems = verify_bag(bag_dir)
    assert problems and "events.jsonl:1" in problems[0].object


def test_changed_file_fails_the_manifest(case, team, tmp_path) -> None:
    inquiry(case, team.officer)
    bag_dir = export_case(case, tmp_path)
    evidence = next((bag_dir / "data" / "evidence").iterdir())
    evidence.write_bytes(evidence.read_bytes() + b"x")
    assert verify_bag(bag_dir)[0].object == "bag"
    assert main(["verify-bag", str(bag_dir)]) == 1
