"""KHABAR_* environment variables and the project-wide invariants."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

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


def run_settings(code=None, **variables):
    """Run ``code`` in a fresh process on khabar.settings, with only ``variables`` of the KHABAR_* and PORT."""
    code = code or (
        "import django; from django.conf import settings; settings.SECRET_KEY; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k != "PORT"}
    environment.update(DJANGO_SETTINGS_MODULE="khabar.settings", **variables)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)


def settings_seen_by(**variables):
    """The public address as a process of its own (the web, a worker, a cron job) reads it."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, *settings.CSRF_TRUSTED_ORIGINS)"
    )
    result = run_settings(code, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


SHOW_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
SERVE = """
import subprocess, sys
from khabar import cli

def prepare():  # instead of migrating: show the web's address, then start a worker the way serve does
    cli._django()
    from django.conf import settings
    print(settings.SITE_URL, flush=True)
    subprocess.run([sys.executable, "-c", %r], check=True)
    sys.exit(0)

cli.prepare = prepare
cli.main(["serve", *sys.argv[1:]])
""" % SHOW_SITE_URL


@pytest.mark.parametrize(
    "variables, arguments, expected",
    [
        ({}, [], "http://127.0.0.1:8000"),
        ({"PORT": "9123"}, [], "http://127.0.0.1:9123"),
        ({"PORT": "9123"}, ["--port", "9123"], "http://127.0.0.1:9123"),
    ],
    ids=["defaults", "port-in-the-environment", "port-on-the-command-line-too"],
)
def test_a_worker_without_khabar_site_url_links_where_the_web_answers(tmp_path, variables, arguments, expected):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k != "PORT"}
    environment.update(DJANGO_SETTINGS_MODULE="khabar.settings", KHABAR_DATA_DIR=str(tmp_path), **variables)
    served = subprocess.run(
        [sys.executable, "-c", SERVE, *arguments], env=environment, capture_output=True, text=True
    )
    assert served.returncode == 0, served.stderr
    web, its_worker = served.stdout.split()
    # A worker or cron job started on its own (a service unit, crontab), with the same environment.
    alone = subprocess.run([sys.executable, "-c", SHOW_SITE_URL], env=environment, capture_output=True, text=True)
    assert alone.returncode == 0, alone.stderr
    assert web == its_worker == alone.stdout.strip() == expected


def test_site_url_default_is_the_one_the_readme_gives(tmp_path):
    assert settings_seen_by(KHABAR_DATA_DIR=str(tmp_path)) == ["http://127.0.0.1:8000"] * 3


def test_site_url_set_by_the_operator_wins(tmp_path):
    seen = settings_seen_by(PORT="9123", KHABAR_SITE_URL="https://news.example.org/", KHABAR_DATA_DIR=str(tmp_path))
    assert seen == ["https://news.example.org"] * 3


def test_email_settings_are_plain_assignments():
    # A search of the code for EMAIL_HOST must find where it is set (no globals().update).
    source = (Path(__file__).resolve().parents[1] / "src" / "khabar" / "settings.py").read_text()
    assert "globals()" not in source
    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
                 "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"):
        assert re.search(rf"^{name} = ", source, re.M), name


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


def test_embedded_default_is_a_sqlite_file_in_wal_mode(tmp_path):
    # The test database is in memory, where SQLite can only answer "memory": open the real
    # default instead, a file in KHABAR_DATA_DIR, as every khabar process opens it.
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    for pragma in ('journal_mode', 'synchronous', 'busy_timeout'):\n"
        "        cursor.execute('PRAGMA ' + pragma)\n"
        "        print(pragma, cursor.fetchone()[0])\n"
        "print('file', connection.settings_dict['NAME'])\n"
    )
    result = run_settings(code, KHABAR_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert seen == {
        "journal_mode": "wal",
        "synchronous": "1",  # NORMAL: safe with WAL, without a sync on every commit
        "busy_timeout": "5000",
        "file": str(tmp_path / "khabar.sqlite3"),
    }


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("path", ["khabar/css/site.css", "khabar/css/print.css", "khabar/js/site.js", "khabar/img/logo.png"])
def test_theme_files_are_found_by_collectstatic(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path), f"{path} would be missing from the collected static files"
