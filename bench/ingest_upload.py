"""Ingest of a large file through the evidence upload view vs `sha256sum` of the same file (issue 3 §7).

    python bench/ingest_upload.py [--size-mb 1024] [--runs 3] [--crypto gm|intl] [--transport http|wsgi]

Sets up a throw-away data directory with a migrated SQLite database, an agency, an officer and a case, and a video
file of the given size (a generated MPEG-TS clip repeated: a real video, so the view also probes it and makes its
thumbnail). Then, in the same run:

* the baseline: `sha256sum` of the file (best of two; the file is in the page cache for both sides);
* the ingest, timed from the first byte sent to the response (302 to the evidence page): parse, hash with SHA-256
  and the profile's hash (SM3 under gm), write, fsync, link into the store, probe, thumbnail, row, event —
  - `--transport http` (default): a real multipart POST (the file sent with sendfile) to the upload view served by
    gunicorn with one sync worker, as `zhifa serve` runs it; peak RSS is the worker's VmHWM;
  - `--transport wsgi`: the same request handed to Django's WSGI handler in this process, its body streamed from
    the file (what Django's test Client does, without reading the file into memory first); peak RSS is this
    process's VmHWM, reset before the upload.

`--runs N` uploads N times and reports the fastest (the first upload of a fresh VM also pays for the kernel's
first use of the memory its page cache takes); every run is in "runs_seconds". The CPU seconds of each upload
(the serving process, all its threads) and of sha256sum are given too, with the 1-minute load average: on a busy
machine the wall-clock ratio says more about the neighbours than about the code.

Prints one JSON line. Targets: ratio ≥ 0.6 and peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchsetup import make_video  # noqa: E402  (the bench folder is the script's own)

BOUNDARY = "zhifa-bench-" + secrets.token_hex(8)


def sha256sum_seconds(path: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of the faster of two `sha256sum` runs, and the digest."""
    best, best_cpu, digest = float("inf"), 0.0, ""
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        output = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True).stdout
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if seconds < best:
            best = seconds
            best_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        digest = output.split()[0]
    return best, best_cpu, digest


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup(data_dir: Path, size: int) -> dict:
    """Migrate, and create the people and the case the upload needs; return the form fields and cookies."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "tests.settings", "ZHIFA_DATA_DIR": str(data_dir), "ZHIFA_HTTPS": "0",
        "ZHIFA_EVIDENCE_MAX_MB": str(max(4096, size // (1 << 20) + 1)),
    })
    os.environ.pop("ZHIFA_DATABASE_URL", None)
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise's STATIC_ROOT (nothing is served)
    import datetime as dt

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from zhifa.cases.models import Case
    from zhifa.law import identifiers
    from zhifa.people.models import Agency, Credential, Role, User

    first17 = "114302120BENCH0001"[:17]
    agency = Agency.objects.create(code="bench", name="基准测试执法局", short_name="基准",
                                   credit_code=first17 + identifiers.credit_code_check_char(first17),
                                   kind="administrative", level="county", jurisdiction="株洲市渌口区")
    officer = User.objects.create_user(username="bench", password="bench-password-1", full_name="基准执法员",
                                       role=Role.OFFICER, agency=agency)
    Credential.objects.create(holder=officer, agency=agency, number="43021299999", fields=["市场监管"],
                              issuing_authority="株洲市渌口区人民政府", valid_from=dt.date(2020, 1, 1),
                              valid_to=dt.date(2099, 12, 31))
    case = Case.objects.create(agency=agency, number="基准立〔2025〕1号", title="基准测试", source="inspection",
                               opened_at=timezone.now())
    client = Client()
    client.force_login(officer)
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    connections.close_all()
    return {
        "cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}", "csrf": csrf,
        "fields": {"kind": "audiovisual", "title": "执法记录仪视频（基准测试）", "case": str(case.pk),
                   "stage": "investigation", "activity": "现场检查", "officer": str(officer.pk)},
    }


def start_server(data_dir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zhifa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "900", "--chdir", str(ROOT)],
        env=env, stdout=subprocess.DEVNULL, stderr=open(data_dir / "gunicorn.log", "wb"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "gunicorn.log").read_text(errors="replace")[-3000:]) from None
            time.sleep(0.2)


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def framing(path: Path, session: dict) -> tuple[bytes, bytes]:
    preamble = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in session["fields"].items()
    ) + (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
         "Content-Type: video/mp2t\r\n\r\n").encode()
    return preamble, f"\r\n--{BOUNDARY}--\r\n".encode()


class StreamedBody:
    """A request body read from the preamble, the file and the epilogue in turn (never held whole)."""

    def __init__(self, preamble: bytes, path: Path, epilogue: bytes) -> None:
        self.parts: list = [preamble, open(path, "rb"), epilogue]  # noqa: SIM115 — closed when read to the end

    def readline(self, size: int = -1) -> bytes:
        raise NotImplementedError

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self.parts and (size < 0 or len(out) < size):
            part = self.parts[0]
            want = -1 if size < 0 else size - len(out)
            if isinstance(part, bytes):
                piece = part if want < 0 else part[:want]
                self.parts[0] = part[len(piece):]
            else:
                piece = part.read(want)
            if not piece:
                if not isinstance(part, bytes):
                    part.close()
                self.parts.pop(0)
                continue
            out = piece if not out else out + piece
        return out


def upload_wsgi(path: Path, session: dict) -> tuple[float, int, str]:
    """The request through Django's WSGI handler in this process, its body streamed from the file."""
    from django.core.handlers.wsgi import WSGIHandler

    preamble, epilogue = framing(path, session)
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/evidence/upload/", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1", "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(preamble) + path.stat().st_size + len(epilogue)),
        "HTTP_COOKIE": session["cookie"], "HTTP_X_CSRFTOKEN": session["csrf"], "wsgi.url_scheme": "http",
        "wsgi.input": StreamedBody(preamble, path, epilogue), "wsgi.errors": sys.stderr,
    }
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=int(status.split()[0]), headers=dict(headers))

    start = time.perf_counter()
    body = b"".join(WSGIHandler()(environ, start_response))
    seconds = time.perf_counter() - start
    if answer["status"] != 302:
        raise RuntimeError(f"upload answered {answer['status']}: {body[:2000].decode(errors='replace')}")
    return seconds, answer["status"], answer["headers"].get("Location", "")


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


def upload(port: int, path: Path, session: dict) -> tuple[float, int, str]:
    """POST the file as multipart/form-data, the file's bytes sent straight from the page cache (sendfile)."""
    preamble, epilogue = framing(path, session)
    length = len(preamble) + path.stat().st_size + len(epilogue)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    start = time.perf_counter()
    connection.putrequest("POST", "/evidence/upload/")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(length))
    connection.putheader("Cookie", session["cookie"])
    connection.putheader("X-CSRFToken", session["csrf"])
    connection.endheaders()
    connection.send(preamble)
    with open(path, "rb") as source:
        connection.sock.sendfile(source)
    connection.send(epilogue)
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - start
    if response.status != 302:
        raise RuntimeError(f"upload answered {response.status}: {body[:2000].decode(errors='replace')}")
    return seconds, response.status, response.getheader("Location", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3, help="uploads to time (the fastest is reported)")
    parser.add_argument("--crypto", choices=["gm", "intl"], default="gm")
    parser.add_argument("--transport", choices=["http", "wsgi"], default="http")
    args = parser.parse_args()
    os.environ["ZHIFA_CRYPTO"] = args.crypto
    size = args.size_mb << 20
    work = Path(tempfile.mkdtemp(prefix="zhifa-bench-ingest-"))
    server = None
    try:
        data_dir = work / "data"
        session = setup(data_dir, size)
        source = work / "dsj-bench.ts"
        make_video(source, size)
        baseline_seconds, baseline_cpu, expected_sha256 = sha256sum_seconds(source)
        timings, cpu = [], []
        load = os.getloadavg()[0]
        if args.transport == "http":
            server, port = start_server(data_dir)
            worker = worker_pid(server.pid)
            for _ in range(args.runs):
                before = cpu_seconds(worker)
                timings.append(upload(port, source, session)[0])
                cpu.append(cpu_seconds(worker) - before)
            peak_rss_mb = vm_hwm_mb(worker)
        else:
            import gc

            gc.collect()
            reset_peak_rss()
            for _ in range(args.runs):
                before = cpu_seconds(os.getpid())
                timings.append(upload_wsgi(source, session)[0])
                cpu.append(cpu_seconds(os.getpid()) - before)
            peak_rss_mb = vm_hwm_mb(os.getpid())
        from zhifa.evidence.models import EvidenceFile

        stored = EvidenceFile.objects.order_by("-pk").first()
        seconds = min(timings)
        result = {
            "bench": "ingest_upload",
            "bytes": size,
            "seconds": round(seconds, 3),
            "mb_per_s": round(size / seconds / 1e6, 1),
            "baseline_sha256sum_mb_per_s": round(size / baseline_seconds / 1e6, 1),
            "ratio": round(baseline_seconds / seconds, 3),
            "peak_rss_mb": round(peak_rss_mb, 1),
            "transport": args.transport,
            "crypto": args.crypto,
            "runs_seconds": [round(t, 3) for t in timings],
            "runs_cpu_seconds": [round(c, 2) for c in cpu],
            "baseline_sha256sum_seconds": round(baseline_seconds, 3),
            "baseline_cpu_seconds": round(baseline_cpu, 2),
            "loadavg_1min": round(load, 2),
            "cpus": os.cpu_count(),
            "sha256_matches": stored is not None and stored.sha256 == expected_sha256,
            "target_ratio": 0.6,
            "target_rss_mb": 200,
        }
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["sha256_matches"] else 1


if __name__ == "__main__":
    sys.exit(main())
