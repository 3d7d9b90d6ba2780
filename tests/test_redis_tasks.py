"""The scale-out mode's background work: tasks queued in Redis and run by a real ``khabar worker`` (RQ).

Everything here crosses process boundaries, as in production: the changes are
made by ``khabar manage shell`` processes, the tasks wait in a Redis database
of their own, and a ``khabar worker`` process runs them against a database file
(or, when KHABAR_TEST_DATABASE_URL names PostgreSQL, a fresh PostgreSQL
database) that every process shares. The effects are read from outside: rows in
the database, mail at a loopback SMTP server, PURGE requests at a stand-in for
the reverse proxy.

Without Redis at KHABAR_TEST_REDIS_URL (default redis://127.0.0.1:6379/9) the
tests skip, except under CI=true, where they fail: CI must cover this mode.
The Redis database named there is flushed before and after.
"""

import os
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.instance import Instance, fresh_database
from tests.newsletter.conftest import smtp_server

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("KHABAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
SITE_URL = "http://127.0.0.1:8000"


def _under_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _redis_or_skip():
    """A client for the test's Redis database, or a skip (a failure under CI) saying why there is none."""
    reason = None
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except ImportError:
        reason = 'the redis package is not installed (pip install -e ".[redis]")'
    except Exception as error:  # noqa: BLE001 - any failure to reach the server means "no Redis here"
        reason = f"Redis does not answer at {REDIS_URL} ({error})"
    if reason is None:
        return client
    if _under_ci():
        pytest.fail(f"{reason}; CI={os.environ['CI']}: the Redis task tests must run, not skip", pytrace=False)
    pytest.skip(f"{reason}: the tests of tasks through Redis and an RQ worker are skipped")


class PurgeRecorder(BaseHTTPRequestHandler):
    """Stands in for nginx's purge endpoint: records (Host header, path) of each PURGE and answers 200."""

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        with self.server.lock:
            self.server.purges.append((self.headers.get("Host"), self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purges, server.lock = [], threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sink():
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="module")
def database_url():
    with fresh_database("khabar_rq") as url:
        yield url


@pytest.fixture(scope="module")
def redis_client():
    client = _redis_or_skip()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def site(redis_client, tmp_path_factory, sink, proxy, database_url):
    """A khabar in the scale-out mode (Redis URL set: RQ tasks, Redis cache) with one ``khabar worker`` running."""
    _, smtp_port = sink
    site = Instance(
        tmp_path_factory.mktemp("redis-tasks"), smtp_port, database_url,
        KHABAR_REDIS_URL=REDIS_URL,
        KHABAR_TASKS_BACKEND="rq",
        KHABAR_SITE_URL=SITE_URL,
        KHABAR_FRONTEND_CACHE_URL=f"http://127.0.0.1:{proxy.server_port}",
    )
    site.run("manage", "migrate", "--verbosity", "0")
    site.start_worker()
    yield site
    site.stop_workers()


def shell(site, code):
    return site.run("manage", "shell", "--no-imports", "-c", code)


def worker_log(site):
    return (site.data_dir / "worker-0.log").read_text(errors="replace")


def task_status(site, result_id):
    return shell(
        site,
        "from django_tasks import default_task_backend\n"
        f"result = default_task_backend.get_result({result_id!r})\n"
        "print(result.status, *(error.exception_class_path for error in result.errors))\n",
    ).strip()


def test_khabar_worker_is_an_rq_worker_on_the_default_queue_with_a_scheduler(site):
    site.wait_until(lambda: "Listening on default" in worker_log(site), 60, "the RQ worker to listen")
    site.wait_until(lambda: "Scheduler for default started" in worker_log(site), 30, "RQ's scheduler")


def test_a_published_article_reaches_the_search_index_and_the_proxy_is_told_to_purge(site, proxy):
    shell(
        site,
        "from wagtail.rich_text import RichText\n"
        "from khabar.news.models import ArticlePage\n"
        "from khabar.news.site_tree import ensure_home_page, get_or_create_section\n"
        "section = get_or_create_section(ensure_home_page(), 'العالم')\n"
        "page = ArticlePage(title='الأمطار تعود إلى العاصمة', slug='rain',"
        " body=[('text', RichText('<p>هطلت أمطار غزيرة صباح اليوم.</p>'))])\n"
        "section.add_child(instance=page)\n"
        "page.save_revision().publish()\n",
    )
    [(page_id,)] = site.query("SELECT id FROM wagtailcore_page WHERE slug = 'rain'")

    def indexed():
        return site.query("SELECT COUNT(*) FROM khabar_search_document WHERE page_id = ?", page_id) == [(1,)]

    site.wait_until(indexed, 60, "the worker to index the published article")

    # khabar's purge task names every page that lists the article, with the public host (SITE_URL)
    # in the Host header: that is how the proxy finds its cache key.
    expected = {("127.0.0.1:8000", path) for path in ("/", "/feed/", "/sitemap.xml")}

    def purged():
        with proxy.lock:
            purges = set(proxy.purges)
        return expected <= purges and any(
            host == "127.0.0.1:8000" and path.endswith("/rain/") for host, path in purges
        )

    site.wait_until(purged, 60, "PURGE requests for the article, home, feed and sitemap at the proxy")
    # The tasks went through Redis, not the database backend's table.
    assert site.query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult") == [(0,)]


def test_a_sign_up_sends_the_confirmation_mail_from_the_worker(site, sink):
    handler, _ = sink
    shell(
        site,
        "from khabar.newsletter.subscriptions import request_subscription\n"
        "request_subscription('reader@example.org', ['daily'])\n",
    )
    site.wait_until(lambda: handler.messages(to="reader@example.org"), 60, "the confirmation mail")
    [message] = handler.messages(to="reader@example.org")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"http://127\.0\.0\.1:8000/newsletter/confirm/\S+/", text)
    assert site.query(
        "SELECT confirmation_sent_at IS NOT NULL FROM newsletter_subscriber WHERE email = 'reader@example.org'"
    ) == [(1,)]


def test_a_task_due_later_waits_for_its_time_then_runs(site, sink):
    handler, _ = sink
    out = shell(
        site,
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from khabar.newsletter.models import Subscriber\n"
        "from khabar.newsletter.tasks import send_confirmation\n"
        "subscriber = Subscriber.objects.create(email='later@example.org')\n"
        "due = timezone.now() + timedelta(seconds=12)\n"
        "result = send_confirmation.using(run_after=due).enqueue(subscriber.pk, ['weekly'])\n"
        "print(result.id, due.timestamp())\n",
    )
    result_id, due = out.split()[-2:]
    status = task_status(site, result_id)
    if time.time() < float(due):  # still before its time (a slow machine may already be past it)
        assert status == "READY"
        assert not handler.messages(to="later@example.org"), "sent before its time"
    site.wait_until(lambda: handler.messages(to="later@example.org"), 60, "the scheduled confirmation mail")
    site.wait_until(lambda: task_status(site, result_id) == "SUCCESSFUL", 30, "the task's result")


def test_a_failing_task_is_recorded_as_failed_and_the_worker_goes_on(site, sink):
    handler, _ = sink
    handler.refuse["refused@example.org"] = "550 5.1.1 no such mailbox"
    out = shell(
        site,
        "from khabar.newsletter.models import Subscriber\n"
        "from khabar.newsletter.tasks import send_confirmation\n"
        "subscriber = Subscriber.objects.create(email='refused@example.org')\n"
        "print(send_confirmation.enqueue(subscriber.pk, ['daily']).id)\n",
    )
    result_id = out.strip().splitlines()[-1]
    site.wait_until(lambda: task_status(site, result_id).startswith("FAILED"), 60, "the task to fail")
    assert task_status(site, result_id) == "FAILED smtplib.SMTPRecipientsRefused"
    assert "error while executing failure callback" not in worker_log(site)
    assert site.workers[0].poll() is None, "the worker is still running"
