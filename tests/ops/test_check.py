"""``khabar check``: the deployment checklist, run as a process with the operator's environment."""

import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.instance import KHABAR
from tests.newsletter.conftest import free_port, smtp_server
from tests.ops.sites import new_site

SECRET = "k3-" + "Zq8vR2mXw9LpT4yN6bHc1JdF5gKs7AeU0oIi" * 2


class PurgeServer(ThreadingHTTPServer):
    """A stand-in for nginx's purge endpoint: answers PURGE with 204 and remembers what it was asked."""

    def __init__(self):
        self.requests = []
        super().__init__(("127.0.0.1", 0), PurgeHandler)


class PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.requests.append((self.command, self.path, self.headers["Host"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def production(tmp_path):
    """The environment of a sound production deployment: a mail server and a front cache that answer."""
    purge = PurgeServer()
    threading.Thread(target=purge.serve_forever, daemon=True).start()
    with smtp_server() as (_, smtp_port):
        site = new_site(
            tmp_path / "site",
            KHABAR_PRODUCTION="1",
            KHABAR_SECRET_KEY=SECRET,
            KHABAR_SITE_URL="https://news.example.org",
            KHABAR_ALLOWED_HOSTS="news.example.org",
            KHABAR_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            KHABAR_DEFAULT_FROM_EMAIL="خبر <news@news.example.org>",
            KHABAR_FRONTEND_CACHE_URL=f"http://127.0.0.1:{purge.server_address[1]}",
            KHABAR_BACKUP_DIR=tmp_path / "backups",
        )
        site.purges = purge.requests
        yield site
    purge.shutdown()
    purge.server_close()


def check(site, **changes):
    environ = {**site.environ, **{key: str(value) for key, value in changes.items()}}
    result = subprocess.run([*KHABAR, "check"], env=environ, capture_output=True, text=True, timeout=120)
    lines = {}
    for line in result.stdout.splitlines()[1:-1]:
        level, topic, text = re.match(r"(ok|warning|BLOCKER) +(.+?)  +(.*)", line).groups()
        lines.setdefault(topic, []).append((level, text))
    return result, lines


def test_a_sound_production_configuration_passes(production):
    result, lines = check(production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No blockers" in result.stdout.splitlines()[-1]
    for topic in ("production mode", "django check --deploy", "secret key", "site address", "allowed hosts",
                  "e-mail", "cache default", "cache pages", "front cache", "database", "media folder",
                  "backup folder"):
        assert [level for level, _ in lines[topic]] == ["ok"], (topic, lines[topic])
    assert "accepts purges (HTTP 204)" in lines["front cache"][0][1]
    # The probe is the purge Wagtail sends on publish, for the public host.
    assert production.purges == [("PURGE", "/", "news.example.org")]
    assert SECRET not in result.stdout


BLOCKERS = {
    # variable: (its value, the line that must turn BLOCKER, words of its advice)
    "KHABAR_HSTS_SECONDS": ("0", "django security.W004", "SECURE_HSTS_SECONDS"),
    "KHABAR_SECRET_KEY": ("short-but-not-the-default", "secret key", "50 or more random characters"),
    "KHABAR_SITE_URL": ("http://news.example.org", "site address", "not https"),
    "KHABAR_ALLOWED_HOSTS": ("*", "allowed hosts", "wildcard"),
    "KHABAR_EMAIL_URL": ("console://", "e-mail", "console://, not to readers"),
    "KHABAR_FRONTEND_CACHE_URL": ("http://127.0.0.1:{closed}", "front cache", "does not answer"),
    "KHABAR_MEDIA_ROOT": ("{file}/media", "media folder", "is not a folder"),
    "KHABAR_BACKUP_DIR": ("{file}/backups", "backup folder", "is not a folder"),
}


def test_every_blocker_is_named_with_what_to_do(production, tmp_path):
    (tmp_path / "a-file").write_text("")
    changes = {variable: value.format(closed=free_port(), file=tmp_path / "a-file")
               for variable, (value, _, _) in BLOCKERS.items()}
    result, lines = check(production, **changes)
    assert result.returncode == 1
    for variable, (_, topic, advice) in BLOCKERS.items():
        assert any(level == "BLOCKER" and advice in text for level, text in lines.get(topic, [])), (topic, lines)
    assert "blocker(s)" in result.stdout.splitlines()[-1]


def test_one_blocker_alone_fails_the_check(production):
    result, lines = check(production, KHABAR_ALLOWED_HOSTS="other.example.org")
    assert result.returncode == 1
    [(level, text)] = lines["allowed hosts"]
    assert level == "BLOCKER" and "news.example.org is not in KHABAR_ALLOWED_HOSTS" in text
    assert result.stdout.splitlines()[-1].startswith("1 blocker(s)")


def test_outside_production_the_first_blocker_says_to_turn_it_on(production):
    result, lines = check(production, KHABAR_PRODUCTION="0")
    assert result.returncode == 1
    [(level, text)] = lines["production mode"]
    assert level == "BLOCKER" and "Set KHABAR_PRODUCTION=1" in text
    # Django's deploy findings are then what production mode would fix: shown as warnings.
    assert [level for level, _ in lines["django security.W012"]] == ["warning"]


def test_the_default_secret_in_production_is_a_blocker_not_a_crash(production):
    environ = {key: value for key, value in production.environ.items() if key != "KHABAR_SECRET_KEY"}
    result = subprocess.run([*KHABAR, "check"], env=environ, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert re.search(r"^BLOCKER +settings +KHABAR_PRODUCTION is on: set KHABAR_SECRET_KEY", result.stdout, re.M)
    assert "Traceback" not in result.stderr


def test_a_cache_of_one_process_is_a_blocker(production, tmp_path):
    (tmp_path / "per_process.py").write_text(
        "from khabar.settings import *  # noqa\n"
        "CACHES = {**CACHES, 'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    result, lines = check(production, DJANGO_SETTINGS_MODULE="per_process", PYTHONPATH=tmp_path)
    assert result.returncode == 1
    [(level, text)] = lines["cache default"]
    assert level == "BLOCKER" and "KHABAR_REDIS_URL" in text
    assert lines["cache pages"][0][0] == "ok"


def test_a_database_not_migrated_yet_is_a_warning(production):
    production.database.unlink()  # a new database: khabar serve would migrate it
    result, lines = check(production)
    assert result.returncode == 0, result.stdout
    [(level, text)] = lines["database"]
    assert level == "warning" and "migrations not applied yet" in text
