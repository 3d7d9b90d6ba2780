"""KHABAR_* environment variables and the project-wide invariants."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from khabar import env


@pytest.mark.parametrize(
    "url, expected",
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp+tls://user%40site:p%40ss@mail.example.org:587",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "user@site",
             "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        ("smtp://127.0.0.1:2525", {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": False}),
        ("smtp+ssl://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
    ],
    ids=["console", "smtp-tls-quoted", "smtp-plain", "smtp-ssl-default-port"],
)
def test_email_urls(url, expected):
    config = env.parse_email_url(url)
    assert {key: config[key] for key in expected} == expected


def test_unknown_email_scheme_says_what_is_allowed():
    with pytest.raises(ImproperlyConfigured, match="smtp\\+tls"):
        env.parse_email_url("pigeon://coop")


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("KHABAR_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KHABAR_DEBUG"):
        env.get_bool("KHABAR_DEBUG")


def run_settings(**variables):
    code = "import django; from django.conf import settings; settings.SECRET_KEY; print(settings.DATABASES['default']['ENGINE'])"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    environment.update(DJANGO_SETTINGS_MODULE="khabar.settings", **variables)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)


def test_production_refuses_the_default_secret(tmp_path):
    result = run_settings(KHABAR_PRODUCTION="1", KHABAR_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "KHABAR_SECRET_KEY" in result.stderr


def test_production_passes_deploy_checks(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="khabar.settings",
        KHABAR_PRODUCTION="1",
        KHABAR_SECRET_KEY="x" * 64 + "a-long-random-production-secret",
        KHABAR_DATA_DIR=str(tmp_path),
        KHABAR_ALLOWED_HOSTS="news.example.org",
        KHABAR_SITE_URL="https://news.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_is_sqlite_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL now")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # Django's test database is in memory, where SQLite reports "memory"; a file database reports "wal".
    assert mode in {"wal", "memory"}


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("path", ["khabar/css/site.css", "khabar/css/print.css", "khabar/js/site.js", "khabar/img/logo.png"])
def test_theme_files_are_found_by_collectstatic(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path), f"{path} would be missing from the collected static files"
