"""Start-up configuration: bad values stop Medvirk with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from medvirk.settings import env

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "x9Qz7Lm2Vb8Np4Rt6Wc1Hd5Jf0Gs3Ak" * 2


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with only the given variables set."""
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "MEDVIRK_DATA_DIR": str(ROOT / "var" / "test-data"), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_malformed_database_url_stops_start_up_with_one_line():
    result = manage("check", DATABASE_URL="mysql//nobody@nowhere")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "medvirk: configuration error: DATABASE_URL: expected "
        "postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH, got 'mysql//nobody@nowhere'"
    ]


def test_mail_goes_to_the_console_unless_a_backend_is_configured():
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
    ]
    smtp = "django.core.mail.backends.smtp.EmailBackend"

    assert manage(*show).stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    assert manage(*show, EMAIL_BACKEND=smtp).stdout.strip() == smtp


def test_database_url_password_is_not_printed():
    result = manage("check", DATABASE_URL="postgres://medvirk:hemmelig@/medvirk")

    assert "hemmelig" not in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_missing_secret_key_in_production_stops_start_up_with_one_line():
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="medvirk.settings.production",
        ALLOWED_HOSTS="medvirk.example.org",
    )

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "medvirk: configuration error: SECRET_KEY: required when DEBUG is off"
    )


def test_production_without_allowed_hosts_names_the_variable():
    result = manage(
        "check", DJANGO_SETTINGS_MODULE="medvirk.settings.production", SECRET_KEY=STRONG_KEY
    )

    assert result.stderr.strip().startswith("medvirk: configuration error: ALLOWED_HOSTS:")


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="medvirk.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="medvirk.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_invalid_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(env.ConfigError, match="^DEBUG: expected true or false, got 'maybe'$"):
        env.get_bool("DEBUG", default=False)


def test_postgres_url_becomes_a_postgresql_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://medvirk:pw@db.example.org:5433/medvirk")

    config = env.get_database("DATABASE_URL", default_sqlite_path=tmp_path / "x.sqlite3")

    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example.org",
        5433,
        "medvirk",
    )


def test_no_database_url_means_embedded_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = env.get_database("DATABASE_URL", default_sqlite_path=tmp_path / "db" / "m.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "db").is_dir()


def test_suite_runs_on_the_database_database_url_names():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert connection.vendor == expected


def test_time_zone_and_default_language():
    assert (settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.USE_TZ) == (
        "Europe/Oslo",
        "nb",
        True,
    )


def setting(name: str, **environment: str) -> str:
    """The value of one setting as a fresh process under ``environment`` sees it."""
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_factor_is_required_by_default_in_production():
    value = setting(
        "MEDVIRK_TWO_FACTOR_DEFAULT",
        DJANGO_SETTINGS_MODULE="medvirk.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="medvirk.example.org",
    )

    assert value == "True"


def test_two_factor_is_off_by_default_in_the_demo():
    assert setting("MEDVIRK_TWO_FACTOR_DEFAULT", DJANGO_SETTINGS_MODULE="medvirk.settings.dev") == (
        "False"
    )


def test_a_sign_in_limit_below_one_names_the_variable(monkeypatch):
    monkeypatch.setenv("MEDVIRK_SIGNIN_FAILURES", "0")

    with pytest.raises(
        env.ConfigError, match="^MEDVIRK_SIGNIN_FAILURES: expected a whole number of 1 or more"
    ):
        env.get_int("MEDVIRK_SIGNIN_FAILURES", default=5, minimum=1)
