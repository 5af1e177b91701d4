"""Secret files in the data directory: created once, readable by their owner only (0600), written atomically."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def read_or_create(path: Path, create: Callable[[], bytes]) -> bytes:
    """The file's bytes; made with `create()` first if it does not exist."""
    if not path.exists():
        write_private(path, create())
    return path.read_bytes()
