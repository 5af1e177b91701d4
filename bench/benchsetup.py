"""Shared set-up of the benchmark scripts: a throw-away data directory and a migrated database (SQLite, or a
scratch PostgreSQL database created and dropped by the script)."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
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
