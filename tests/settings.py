"""Test settings: the real settings with a throw-away data directory, plain HTTP and fast hashing."""

import os
import tempfile

os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-test-"))
os.environ.setdefault("ZHIFA_HTTPS", "0")
os.environ.setdefault("ZHIFA_TASKS_IMMEDIATE", "1")

from zhifa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Sealed PDFs for every procedure step cost ~0.5 s each: only the document tests (and the e2e server) make them.
ZHIFA_DOCUMENTS_ON_ACTIONS = False
