"""A real khabar served by granian with several worker processes, for what only real processes show.

The test client runs in one process and bypasses the WSGI entry point, so it can
show neither the page cache (it wraps ``khabar.wsgi.application``) nor whether a
limit or a purge holds across workers. These fixtures serve a file SQLite site
the way ``khabar serve`` does and change it from yet another process.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.instance import Instance, fresh_database

SEED = """
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
section = get_or_create_section(ensure_home_page(), "العالم")
for n, title in enumerate({titles!r}):
    page = ArticlePage(title=title, slug=f"story-{{n}}", body=[("text", RichText("<p>فقرة الخبر الأولى.</p><p>والثانية.</p>"))])
    section.add_child(instance=page)
    page.save_revision().publish()
"""

# Makes the third story a breaking item for the next four seconds (run with ``site.shell``).
BREAKING_FOR_FOUR_SECONDS = """
from datetime import timedelta
from django.utils import timezone
from khabar.news.models import ArticlePage
page = ArticlePage.objects.get(slug='story-2')
page.is_breaking = True
page.breaking_until = timezone.now() + timedelta(seconds=4)
page.save_revision().publish()
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site(Instance):
    """An ``Instance`` with a web server: ``get``/``post`` talk HTTP to it, ``shell`` changes it from outside."""

    def serve(self, workers=2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environ["KHABAR_SITE_URL"] = self.base
        log = open(self.data_dir / "web.log", "w")
        self.web = subprocess.Popen(
            [sys.executable, "-m", "granian", "khabar.wsgi:application", "--interface", "wsgi",
             "--port", str(self.port), "--workers", str(workers), "--blocking-threads", "4", "--no-access-log"],
            env=self.environ, stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir, start_new_session=True,
        )
        self.wait_until(self._answers, 60, f"granian on port {self.port}")

    def _answers(self):
        try:
            self.get("/robots.txt")
            return True
        except OSError:
            return False

    def stop(self):
        self.kill(self.web)

    def request(self, path, data=None, headers=None):
        """(status, headers, text) of one request on a new connection (so the workers take turns)."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path, **headers):
        return self.request(path, headers=headers)

    def shell(self, code):
        return self.run("manage", "shell", "--no-imports", "-c", code)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def scale_out_settings():
    """On the PostgreSQL run with a Redis to use (``.ci/run`` sets both): the scale-out mode, where pages,
    purge counters and rate limits live in Redis. Otherwise the embedded mode (files). Both must hold."""
    redis_url = os.environ.get("KHABAR_TEST_REDIS_URL", "")
    if not (os.environ.get("KHABAR_TEST_DATABASE_URL", "").startswith("postgres") and redis_url):
        return {}
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return {"KHABAR_REDIS_URL": redis_url}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with fresh_database("khabar_pagecache") as database_url:
        site = Site(
            tmp_path_factory.mktemp("pagecache-site"), 1, database_url,
            KHABAR_COMMENTS_MIN_SECONDS=0, KHABAR_COMMENTS_MODERATION="none", KHABAR_TASKS_BACKEND="immediate",
            **scale_out_settings(),
        )
        site.run("manage", "migrate", "--verbosity", "0")
        site.run("manage", "collectstatic", "--noinput", "--verbosity", "0")  # pages link hashed static names
        site.shell(SEED.format(titles=["خبر أول عن الطقس", "خبر ثان عن الأسواق", "خبر ثالث عن الرياضة"]))
        site.serve(workers=2)
        yield site
        site.stop()


def wait_for(condition, timeout=10, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False
