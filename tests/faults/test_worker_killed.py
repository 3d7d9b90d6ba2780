"""The task worker killed with SIGKILL in the middle of a task: it is started again and the task runs.

``khabar serve`` runs the web server and a ``khabar worker`` child (the
database task backend). The task is the moderators' mail about comments waiting
for review; the SMTP server holds the worker at RCPT TO, before any message is
sent, so the kill lands mid-task for certain. ``khabar serve`` starts a new
worker (as systemd's ``Restart=always`` does for a ``khabar worker`` unit), which
puts the dead worker's task back in the queue: the mail arrives, once. Runs on
the run's database (SQLite, or PostgreSQL on the PostgreSQL run).
"""

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.faults.conftest import (
    MODERATOR_EMAIL,
    FaultSite,
    HoldingSink,
    SmtpServer,
    database_like_the_run,
    free_port,
    stop_group,
    wait_until,
)
from tests.instance import KHABAR

PENDING = """
from django.db import transaction
from khabar.comments.models import Comment, Status
from khabar.news.models import ArticlePage
page = ArticlePage.objects.get(slug="story")
with transaction.atomic():
    for n in range(3):
        Comment.objects.create(article=page, name="قارئ", email=f"r{n}@example.org",
                               body=f"تعليق ينتظر المراجعة {n}", status=Status.PENDING)
"""
TASKS = "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?"
NOTIFY = "%notify_moderators"


def task_worker_of(serve):
    """The pid of ``khabar serve``'s task worker child, or None."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if parent == serve.pid and b"khabar.cli" in command and b"worker" in command:
            return int(stat.parent.name)
    return None


def test_a_task_cut_off_by_sigkill_runs_again_in_the_restarted_worker(template, tmp_path):
    sink = HoldingSink()
    smtp = SmtpServer(sink)
    smtp.start()
    with database_like_the_run(template, "khabar_fault_worker") as database_url:
        site = FaultSite(
            template, tmp_path, smtp.port, database_url,
            KHABAR_COMMENTS_NOTIFY_DELAY=1, KHABAR_STATIC_ROOT=str(tmp_path / "static"),
        )
        serve = subprocess.Popen(
            [*KHABAR, "serve", "--port", str(free_port()), "--workers", "1"], env=site.environ,
            stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        )
        try:
            wait_until(lambda: task_worker_of(serve), 180, "khabar serve to start its task worker")
            first = task_worker_of(serve)
            sink.hold.set()
            site.shell(PENDING)
            wait_until(lambda: sink.waiting, 60, "the worker to reach the SMTP server mid-task")
            [(task_id, status)] = site.query(TASKS, NOTIFY)
            assert status == "RUNNING"
            os.kill(first, signal.SIGKILL)  # no chance to tidy up
            sink.hold.clear()
            assert sink.messages() == [], "nothing was sent before the kill"

            killed = time.monotonic()
            wait_until(lambda: task_worker_of(serve) not in (None, first), 30, "khabar serve to start a new worker")
            wait_until(lambda: sink.messages(to=MODERATOR_EMAIL), 90, "the moderators' mail")
            resumed_after = time.monotonic() - killed
            wait_until(lambda: site.query(TASKS, NOTIFY)[0][1] == "SUCCESSFUL", 30, "the task to be recorded as done")
            time.sleep(1.5)  # a second copy would come now
            [message] = sink.messages()
            assert "3 تعليقات بانتظار المراجعة" in message["Subject"]
            assert site.query(TASKS, NOTIFY) == [(task_id, "SUCCESSFUL")], "the same task ran again, and only it"
            assert site.query("SELECT COUNT(*) FROM comments_comment WHERE moderators_notified_at IS NULL") == [(0,)]
            assert serve.poll() is None
            print(f"\nworker SIGKILL: 1 task resumed and done {resumed_after:.1f} s after the kill; 1 mail, sent once")
        finally:
            sink.hold.clear()
            stop_group(serve)
            smtp.stop()
