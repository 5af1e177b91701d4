"""Shared set-up of the benchmark scripts: a throw-away data directory and a migrated database (SQLite, or a
scratch PostgreSQL database created and dropped by the script)."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def setup_django(database_url: str | None) -> Callable[[], None]:
    """A fresh data directory and migrated database; returns the cleanup function."""
    data_dir = tempfile.mkdtemp(prefix="zhifa-bench-")
    os.environ.update({"ZHIFA_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_HTTPS": "0"})
    os.environ.pop("ZHIFA_DATABASE_URL", None)
    scratch = admin = None
    if database_url:
        import psycopg

        admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
        scratch = f"zhifa_test_bench_{secrets.token_hex(4)}"
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        os.environ["ZHIFA_DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path=f"/{scratch}"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        if scratch:
            import psycopg

            with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)

    return cleanup


def make_officer():
    """An agency and an officer holding a valid credential (the actor of the benchmarks' events)."""
    import datetime as dt

    from zhifa.people.models import Agency, Credential, User

    agency = Agency.objects.create(code="bench", name="基准测试执法主体", short_name="基准", credit_code=_credit_code(),
                                   kind="administrative", level="county", jurisdiction="株洲市渌口区")
    officer = User.objects.create(username="bench-officer", full_name="基准执法员", role="officer", agency=agency)
    Credential.objects.create(holder=officer, agency=agency, number="43021226990001", fields=["市场监管"],
                              issuing_authority="株洲市渌口区人民政府", valid_from=dt.date(2000, 1, 1),
                              valid_to=dt.date(2099, 12, 31))
    return agency, officer


def _credit_code() -> str:
    from zhifa.law.identifiers import credit_code_check_char

    first17 = "11430212000000001"
    return first17 + credit_code_check_char(first17)


def make_video(path: Path, size: int) -> None:
    """`size` bytes of MPEG-TS: a generated noise clip (incompressible, like real footage) repeated."""
    import av
    from PIL import Image

    clip = path.with_suffix(".clip.ts")
    with av.open(str(clip), "w", format="mpegts") as container:
        stream = container.add_stream("mpeg2video", rate=25)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        stream.bit_rate = 40_000_000
        for _ in range(25):
            image = Image.frombytes("RGB", (640, 480), os.urandom(640 * 480 * 3))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    block = clip.read_bytes()
    block = block[: len(block) // 188 * 188]  # whole TS packets
    clip.unlink()
    with open(path, "wb") as out:
        written = 0
        while written < size:
            piece = block[: size - written]
            out.write(piece)
            written += len(piece)
