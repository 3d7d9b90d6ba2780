"""A khabar of its own in a temporary directory, driven through the ``khabar`` command as an operator would.

pytest-django's in-memory test database cannot be shared with another process,
so tests that need a real task worker set up a file SQLite database here.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

KHABAR = [str(Path(sys.executable).with_name("khabar"))]
if not Path(KHABAR[0]).exists():
    KHABAR = [sys.executable, "-m", "khabar.cli"]

SEED_ARTICLE = """
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
section = get_or_create_section(ensure_home_page(), "العالم")
page = ArticlePage(title={title!r}, body=[("text", RichText("<p>فقرة الخبر.</p>"))])
section.add_child(instance=page)
page.save_revision().publish()
"""

SEED_SUBSCRIBERS = """
from khabar.newsletter.models import Subscriber
Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{{n:05d}}@example.org", status="active", daily=True) for n in range({count})],
    batch_size=1000,
)
"""


class Instance:
    """``database_url`` None: a file SQLite database in ``data_dir``; else an empty PostgreSQL database."""

    def __init__(self, data_dir, smtp_port, database_url=None, **settings):
        self.data_dir = Path(data_dir)
        self.database = self.data_dir / "khabar.sqlite3"
        self.database_url = database_url or f"sqlite:///{self.database}"
        self.environ = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("KHABAR_", "DJANGO_")) and key != "PYTEST_CURRENT_TEST"
        }
        self.environ.update(
            DJANGO_SETTINGS_MODULE="khabar.settings",
            KHABAR_DATA_DIR=str(self.data_dir),
            KHABAR_DATABASE_URL=self.database_url,
            KHABAR_TASKS_BACKEND="database",
            KHABAR_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            KHABAR_LOG_LEVEL="WARNING",
            KHABAR_SITE_URL="http://127.0.0.1:8000",
        )
        self.environ.update({key: str(value) for key, value in settings.items()})
        self.workers = []

    def run(self, *args, timeout=300):
        result = subprocess.run(
            [*KHABAR, *args], env=self.environ, capture_output=True, text=True, timeout=timeout, cwd=self.data_dir
        )
        assert result.returncode == 0, f"khabar {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def setup(self, subscribers, article_title="خبر للنشرة"):
        self.run("manage", "migrate", "--verbosity", "0")
        self.run("manage", "shell", "--no-imports", "-c", SEED_ARTICLE.format(title=article_title))
        self.run("manage", "shell", "--no-imports", "-c", SEED_SUBSCRIBERS.format(count=subscribers))

    def start_worker(self):
        log = open(self.data_dir / f"worker-{len(self.workers)}.log", "w")
        worker = subprocess.Popen(
            [*KHABAR, "worker"], env=self.environ, stdout=log, stderr=subprocess.STDOUT,
            cwd=self.data_dir, start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def kill(self, worker, sig=signal.SIGKILL):
        if worker.poll() is None:
            os.killpg(worker.pid, sig)
        worker.wait(30)

    def stop_workers(self):
        for worker in self.workers:
            if worker.poll() is None:
                self.kill(worker, signal.SIGTERM)

    def query(self, sql, *params):
        """Rows of a read-only query, written with ``?`` placeholders."""
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as connection:
                return [tuple(row) for row in connection.execute(sql.replace("?", "%s"), params).fetchall()]
        connection = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def wait_until(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@contextmanager
def fresh_database(prefix):
    """None (each Instance gets a database file) on the SQLite run; on the PostgreSQL run
    (``KHABAR_TEST_DATABASE_URL``) the URL of a new empty database on that server, dropped after."""
    server = os.environ.get("KHABAR_TEST_DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield None
        return
    import psycopg

    parts = urlsplit(server)._replace(scheme="postgresql")
    maintenance = parts._replace(path="/postgres").geturl()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
