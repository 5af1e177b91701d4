"""Settings from the environment: typed parsing with errors naming the variable; secrets; production checks."""

from __future__ import annotations

import os
import runpy
import secrets
import stat
import string
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

import zhifa.settings
from zhifa.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str

# --- typed readers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("YES", True), (" on ", True),
                                            ("0", False), ("False", False), ("no", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("ZHIFA_X", raw)
    assert env_bool("ZHIFA_X", not value) is value


@pytest.mark.parametrize("raw", [None, ""])
def test_env_bool_unset_or_empty_gives_default(monkeypatch, raw):
    monkeypatch.delenv("ZHIFA_X", raising=False)
    if raw is not None:
        monkeypatch.setenv("ZHIFA_X", raw)
    assert env_bool("ZHIFA_X", True) is True and env_bool("ZHIFA_X", False) is False


def test_env_bool_refuses_other_values_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ZHIFA_DEBUG", "maybe")
    with pytest.raises(ConfigError, match=r"^ZHIFA_DEBUG='maybe': expected one of 1/0, true/false"):
        env_bool("ZHIFA_DEBUG")


def test_env_int_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv("ZHIFA_X", "42")
    assert env_int("ZHIFA_X", 1) == 42
    monkeypatch.delenv("ZHIFA_X")
    assert env_int("ZHIFA_X", 7) == 7


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10"])
def test_env_int_refuses_non_numbers_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("ZHIFA_LOGIN_MAX_FAILURES", raw)
    with pytest.raises(ConfigError, match=rf"^ZHIFA_LOGIN_MAX_FAILURES='{raw}': expected a whole number"):
        env_int("ZHIFA_LOGIN_MAX_FAILURES", 5, 1)


def test_env_int_refuses_values_below_minimum(monkeypatch):
    monkeypatch.setenv("ZHIFA_LOGIN_MAX_FAILURES", "0")
    with pytest.raises(ConfigError, match=r"^ZHIFA_LOGIN_MAX_FAILURES=0: must be at least 1"):
        env_int("ZHIFA_LOGIN_MAX_FAILURES", 5, 1)


def test_env_list_splits_on_commas_and_trims(monkeypatch):
    monkeypatch.setenv("ZHIFA_ALLOWED_HOSTS", " zhifa.example.gov.cn, 10.0.0.5 ,,")
    assert env_list("ZHIFA_ALLOWED_HOSTS", ["x"]) == ["zhifa.example.gov.cn", "10.0.0.5"]
    monkeypatch.setenv("ZHIFA_ALLOWED_HOSTS", "  ")
    assert env_list("ZHIFA_ALLOWED_HOSTS", ["x"]) == ["x"]


def test_env_choice_refuses_unknown_values_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ZHIFA_CRYPTO", "rot13")
    with pytest.raises(ConfigError, match=r"^ZHIFA_CRYPTO='rot13': expected one of gm, intl$"):
        env_choice("ZHIFA_CRYPTO", "gm", ("gm", "intl"))
    monkeypatch.setenv("ZHIFA_CRYPTO", "")
    assert env_choice("ZHIFA_CRYPTO", "gm", ("gm", "intl")) == "gm"


def test_env_str_reads_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "db-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("ZHIFA_X", "from-environment")
    monkeypatch.setenv("ZHIFA_X_FILE", str(secret))
    assert env_str("ZHIFA_X") == "s3cret"


def test_env_str_names_the_unreadable_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIFA_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match=r"^ZHIFA_X_FILE=.*missing: cannot read"):
        env_str("ZHIFA_X")


def test_env_str_refuses_an_empty_secret_file(monkeypatch, tmp_path):
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    monkeypatch.setenv("ZHIFA_X_FILE", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match=r"^ZHIFA_X_FILE=.*empty: the file is empty"):
        env_str("ZHIFA_X")


# --- the settings module under a given environment ------------------------------------------------------


def _strong_key() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Evaluate zhifa/settings.py afresh under an environment holding only the given ZHIFA_* variables."""

    def load(**env) -> dict:
        for name in list(os.environ):
            if name.startswith("ZHIFA_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "data"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(zhifa.settings.__file__)

    return load


def test_generated_secret_key_kept_in_data_dir_mode_0600(load_settings, tmp_path):
    first = load_settings()
    path = tmp_path / "data" / "secret-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first["SECRET_KEY"]) >= 50 and path.read_text(encoding="utf-8").strip() == first["SECRET_KEY"]
    assert load_settings()["SECRET_KEY"] == first["SECRET_KEY"], "kept, not regenerated"
    assert [p.name for p in path.parent.iterdir() if "secret" in p.name] == ["secret-key"], "no temporary left"


def test_damaged_secret_key_file_is_an_error(load_settings, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret-key").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="secret-key"):
        load_settings()


def test_secret_key_read_from_file(load_settings, tmp_path):
    key = _strong_key()
    (tmp_path / "key").write_text(key + "\n", encoding="utf-8")
    assert load_settings(ZHIFA_SECRET_KEY_FILE=str(tmp_path / "key"))["SECRET_KEY"] == key
    assert not (tmp_path / "data" / "secret-key").exists()


def test_short_secret_key_refused(load_settings):
    with pytest.raises(ConfigError, match="^ZHIFA_SECRET_KEY: must be at least 50 characters"):
        load_settings(ZHIFA_SECRET_KEY="too-short")


def test_production_defaults_are_secure(load_settings):
    conf = load_settings(ZHIFA_SECRET_KEY=_strong_key())
    assert conf["DEBUG"] is False and conf["HTTPS"] is True
    assert conf["SESSION_COOKIE_SECURE"] and conf["CSRF_COOKIE_SECURE"] and conf["SECURE_SSL_REDIRECT"]
    assert conf["SECURE_HSTS_SECONDS"] >= 31536000
    assert conf["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert conf["SESSION_COOKIE_AGE"] == 30 * 60 and conf["SESSION_SAVE_EVERY_REQUEST"]
    assert conf["LANGUAGE_CODE"] == "zh-hans" and conf["TIME_ZONE"] == "Asia/Shanghai"
    assert conf["ZHIFA_CRYPTO"] == "gm"


def test_database_url_selects_postgresql(load_settings):
    conf = load_settings(ZHIFA_DATABASE_URL="postgres://zhifa:pw@db.internal:5432/zhifa")
    db = conf["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"], db["USER"]) == (
        "django.db.backends.postgresql", "db.internal", "zhifa", "zhifa")


def test_default_database_is_sqlite_wal_in_data_dir(load_settings, tmp_path):
    db = load_settings()["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "data" / "zhifa.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.parametrize(("env", "message"), [
    ({"ZHIFA_DATABASE_URL": "mysql://u:p@h/db"}, "^ZHIFA_DATABASE_URL: only postgres:// and sqlite://"),
    ({"ZHIFA_DATABASE_URL": "nonsense://x"}, "^ZHIFA_DATABASE_URL"),
    ({"ZHIFA_CRYPTO": "des"}, "^ZHIFA_CRYPTO='des'"),
    ({"ZHIFA_DEBUG": "yes please"}, "^ZHIFA_DEBUG="),
    ({"ZHIFA_SESSION_IDLE_MINUTES": "0"}, "^ZHIFA_SESSION_IDLE_MINUTES=0: must be at least 1"),
    ({"ZHIFA_STORAGE": "ftp"}, "^ZHIFA_STORAGE='ftp'"),
])
def test_bad_settings_refused_naming_the_variable(load_settings, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(**env)


def test_idle_minutes_setting_sets_session_age(load_settings):
    assert load_settings(ZHIFA_SESSION_IDLE_MINUTES="10")["SESSION_COOKIE_AGE"] == 600


def test_test_settings_differ_from_real_ones_only_where_meant():
    assert django_settings.PASSWORD_HASHERS != zhifa.settings.PASSWORD_HASHERS
    assert django_settings.SESSION_COOKIE_AGE == zhifa.settings.SESSION_COOKIE_AGE


# --- manage.py check --deploy ---------------------------------------------------------------------------


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    clean.update(DJANGO_SETTINGS_MODULE="zhifa.settings", ZHIFA_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warning(tmp_path):
    result = _check_deploy(tmp_path, ZHIFA_SECRET_KEY=_strong_key(), ZHIFA_ALLOWED_HOSTS="zhifa.example.gov.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_catches_plain_http(tmp_path):
    result = _check_deploy(tmp_path, ZHIFA_SECRET_KEY=_strong_key(), ZHIFA_ALLOWED_HOSTS="zhifa.example.gov.cn",
                           ZHIFA_HTTPS="0")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_configuration_error_exits_2_with_the_variable_named(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    clean.update(DJANGO_SETTINGS_MODULE="zhifa.settings", ZHIFA_DATA_DIR=str(tmp_path), ZHIFA_DEBUG="maybe")
    result = subprocess.run([sys.executable, "-m", "zhifa.cli", "manage", "check"], env=clean, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "ZHIFA_DEBUG='maybe'" in result.stderr and "Traceback" not in result.stderr
