"""A real zhifa server (demo data, gunicorn) in a throw-away data dir, and Debian's Chromium via Playwright."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data_dir = tmp_path_factory.mktemp("e2e-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZHIFA_"))}
    env.update(ZHIFA_DATA_DIR=str(data_dir), ZHIFA_HTTPS="0", DJANGO_SETTINGS_MODULE="zhifa.settings")
    if os.environ.get("ZHIFA_DATABASE_URL"):
        pytest.skip("the end-to-end server runs on its embedded SQLite")
    subprocess.run([sys.executable, "-m", "zhifa.cli", "demo", "--no-serve"], env=env, check=True,
                   capture_output=True, timeout=600)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "zhifa.cli", "serve", "--port", str(port), "--no-worker"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("zhifa serve did not start") from None
            time.sleep(0.3)
    accounts = json.loads((Path(data_dir) / "demo-accounts.json").read_text(encoding="utf-8"))
    yield {"base": base, "accounts": accounts, "data_dir": data_dir}
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (scripts/system-deps.sh --test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
