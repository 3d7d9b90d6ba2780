"""Real services that a fault test can stop, restart or kill, and a khabar served by real processes.

Each fault test runs khabar as an operator does (granian web workers, ``khabar
worker``) against services of its own: a private ``redis-server`` on a free
port, a private PostgreSQL cluster (initdb into a temporary folder), an aiosmtpd
SMTP server that can go down and come back on the same port. The machine's own
PostgreSQL and Redis are never touched. A service that is missing skips its test
with a message, except under CI=true, where it fails.

Migrating a new database takes ~20 s, so the session migrates one template
(SQLite file and collected static files; on the PostgreSQL run, a template
database) and each test starts from a copy.
"""

import asyncio
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from aiosmtpd.controller import Controller

from tests.newsletter.conftest import Sink, free_port
from tests.pagecache.conftest import Site

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ARTICLE_TITLE = "انقطاع الكهرباء في العاصمة"
MODERATOR_EMAIL = "desk@newsroom.example"

SEED = f"""
from django.contrib.auth import get_user_model
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
section = get_or_create_section(ensure_home_page(), "العالم")
page = ArticlePage(title={ARTICLE_TITLE!r}, slug="story", body=[("text", RichText("<p>فقرة الخبر الأولى.</p>"))])
section.add_child(instance=page)
page.save_revision().publish()
get_user_model().objects.create_superuser("desk", {MODERATOR_EMAIL!r}, "not-used-here")
print(page.pk, page.url)
"""


def under_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def missing(reason):
    """Skip: a service this fault needs is absent. Under CI=true the services are there, so fail instead."""
    if under_ci():
        pytest.fail(f"{reason}; CI={os.environ['CI']}: the fault tests must run, not skip", pytrace=False)
    pytest.skip(f"{reason}: this fault test is skipped")


def postgres_run():
    """The URL of the PostgreSQL run's server (KHABAR_TEST_DATABASE_URL), or "" on the SQLite run."""
    url = os.environ.get("KHABAR_TEST_DATABASE_URL", "")
    return url if url.startswith("postgres") else ""


def wait_until(condition, timeout, what, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


# --- services -----------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, its data in ``directory`` (append-only file, fsync always),
    so queued tasks outlive a stop and a start, as on a production Redis with persistence."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        log = open(self.directory / "redis.log", "a")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until(self.answers, 20, f"redis-server on port {self.port}")

    def answers(self):
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
        except redis.exceptions.RedisError:
            return False

    def stop(self):
        """SIGTERM, as ``systemctl stop redis`` does; waits until the port is closed."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        missing("redis-server is not installed")
    try:
        import redis  # noqa: F401
    except ImportError:
        missing('the redis package is not installed (pip install -e ".[redis]")')
    directory = Path(tempfile.mkdtemp(prefix="khabar-fault-redis-"))
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


class PostgresCluster:
    """A private PostgreSQL cluster (initdb into a temporary folder) on a free port, as user ``postgres``.

    PostgreSQL refuses to run as root: when the tests run as root, its commands run through
    ``runuser -u postgres``.
    """

    def __init__(self, directory):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")

    def _run(self, *command, timeout=120):
        result = subprocess.run([*self.as_postgres, *command], capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"

    def create(self):
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")

    def start(self):
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=60")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "postgres.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        """``fast``: the way ``systemctl restart postgresql`` stops it: every session is cut off."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return urlsplit(self.url)._replace(path=f"/{name}").geturl()


@pytest.fixture
def postgres_cluster():
    if not (PG_BIN / "initdb").exists():
        missing(f"PostgreSQL 15's programs are not at {PG_BIN}")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing("running as root without runuser: PostgreSQL cannot be started as user postgres")
    directory = Path(tempfile.mkdtemp(prefix="khabar-fault-pg-"))
    cluster = PostgresCluster(directory)
    cluster.create()
    cluster.start()
    yield cluster
    try:
        cluster.stop("immediate")
    except AssertionError:
        pass  # already stopped
    shutil.rmtree(directory, ignore_errors=True)


class SmtpServer:
    """aiosmtpd on a fixed loopback port that can be stopped ("SMTP down") and started again."""

    def __init__(self, sink=None):
        self.sink = sink or Sink()
        self.port = free_port()
        self.controller = None

    def start(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


class HoldingSink(Sink):
    """Accepts mail, except that while ``hold`` is set a client waits at RCPT TO, before any message is sent."""

    def __init__(self):
        super().__init__()
        self.hold = threading.Event()
        self.waiting = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold.is_set():
            self.waiting += 1
            while self.hold.is_set():
                await asyncio.sleep(0.05)
            self.waiting -= 1
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


# --- khabar -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """A migrated, seeded site to copy: (folder with collected static files and, on the SQLite run, the
    database file; on the PostgreSQL run, the name of a template database on that server, else None)."""
    from tests.instance import Instance

    folder = tmp_path_factory.mktemp("faults-template")
    server = postgres_run()
    pg_template = f"khabar_faults_template_{uuid.uuid4().hex[:8]}" if server else None
    if server:
        import psycopg

        maintenance = urlsplit(server)._replace(scheme="postgresql", path="/postgres").geturl()
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{pg_template}"')
    site = Instance(folder, 1, urlsplit(server)._replace(path=f"/{pg_template}").geturl() if server else None)
    site.environ["KHABAR_STATIC_ROOT"] = str(folder / "static")
    try:
        site.run("manage", "migrate", "--verbosity", "0")
        site.run("manage", "collectstatic", "--noinput", "--verbosity", "0")  # pages link hashed static names
        site.run("manage", "shell", "--no-imports", "-c", SEED)
        yield folder, pg_template
    finally:
        if server:
            with psycopg.connect(maintenance, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{pg_template}" WITH (FORCE)')


@contextmanager
def database_like_the_run(template, prefix):
    """None on the SQLite run (the test copies the template file); on the PostgreSQL run a new database
    cloned from the template, dropped after."""
    folder, pg_template = template
    server = postgres_run()
    if not server:
        yield None
        return
    import psycopg

    maintenance = urlsplit(server)._replace(scheme="postgresql", path="/postgres").geturl()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class FaultSite(Site):
    """A ``Site`` (granian web + ``khabar worker``) started from the session's template."""

    def __init__(self, template, data_dir, smtp_port, database_url=None, **settings):
        folder, _ = template
        settings = {
            "KHABAR_STATIC_ROOT": str(folder / "static"),
            "KHABAR_COMMENTS_MIN_SECONDS": 0,
            "KHABAR_LOG_LEVEL": "WARNING",
            **settings,
        }
        super().__init__(data_dir, smtp_port, database_url, **settings)
        if database_url is None:
            shutil.copy(folder / "khabar.sqlite3", self.database)
        [(self.article_id,)] = self.query("SELECT page_ptr_id FROM news_articlepage")
        [(self.article_path,)] = self.query(
            "SELECT url_path FROM wagtailcore_page WHERE id = ?", self.article_id
        )
        # url_path starts with the root page's slug ("/home/…"); the public path drops it.
        self.article_path = quote("/" + self.article_path.split("/", 2)[2])
        self.section_path = self.article_path.rsplit("/", 2)[0] + "/"

    def serve(self, workers=2):
        super().serve(workers)
        self.token = json.loads(self.get(f"/comments/token/{self.article_id}/")[2])["token"]

    def comment(self, body, email="reader@example.org", name="قارئ"):
        """Post the article's comment form as a browser on this site does: (status, headers, page text)."""
        data = urlencode({
            "name": name, "email": email, "url": "", "body": body, "homepage": "",
            "article": self.article_id, "parent": "", "token": self.token,
        }).encode()
        return self.request("/comments/post/", data=data, headers={"Origin": self.base})

    def sign_up(self, email, lists=("daily",)):
        """Post the newsletter box: (status, headers, page text)."""
        data = urlencode({"email": email, "name": "", "lists": list(lists), "website": ""}, doseq=True).encode()
        return self.request("/newsletter/", data=data, headers={"Origin": self.base})

    def comments_with(self, marker):
        return self.query("SELECT body FROM comments_comment WHERE body LIKE ?", f"%{marker}%")


def kill_group(process, sig=signal.SIGKILL):
    """Send ``sig`` to a process started with start_new_session (it and every child)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(30)


def stop_group(process, grace=15):
    """SIGTERM to a process group, as an operator stops a service; SIGKILL whatever is left after ``grace`` s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # a child still there (e.g. a granian worker slow to stop)
    except ProcessLookupError:
        pass
    process.wait(30)
