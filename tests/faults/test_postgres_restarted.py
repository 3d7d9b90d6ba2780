"""PostgreSQL restarted while readers read and comment: khabar recovers by itself, nothing answered is lost.

A private PostgreSQL cluster (the machine's server is never touched) serves
khabar's granian web workers and ``khabar worker``. Four readers load article
and section pages (the page cache off, so every request needs the database)
and post comments; PostgreSQL is stopped ("fast": every session is cut off) and
started again after two seconds, as ``systemctl restart postgresql`` does.
Neither the web server nor the worker is restarted. Afterwards: every request
made once PostgreSQL is back succeeds, every comment answered 303 is in the
database, and the task worker (the same process) mails the moderators about
comments posted after the restart. Runs in the PostgreSQL run.
"""

import subprocess
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.faults.conftest import MODERATOR_EMAIL, PG_BIN, FaultSite, postgres_run, wait_until

READERS = 4
OUTAGE_SECONDS = 2


def copy_template(template_url, target_url):
    """The migrated, seeded template database of the session, copied into the private cluster."""
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", template_url],
                          capture_output=True, text=True, timeout=120, check=True).stdout
    subprocess.run([str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", target_url], input=dump,
                   capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.skipif(
    not postgres_run(), reason="restarts a PostgreSQL cluster of its own: runs in the PostgreSQL run only"
)
def test_khabar_recovers_from_a_postgresql_restart_without_being_restarted(template, tmp_path, postgres_cluster, smtp):
    server = postgres_run()

    database_url = postgres_cluster.create_database("khabar_fault")
    copy_template(urlsplit(server)._replace(path=f"/{template[1]}").geturl(), database_url)
    site = FaultSite(
        template, tmp_path, smtp.port, database_url,
        KHABAR_PAGE_CACHE=0, KHABAR_FRAGMENT_CACHE=0,
        KHABAR_COMMENTS_FLOOD_SECONDS=0, KHABAR_COMMENTS_HOURLY_LIMIT=0, KHABAR_COMMENTS_NOTIFY_DELAY=1,
    )
    site.serve(workers=2)
    worker = site.start_worker()
    web_pid = site.web.pid
    outcomes = []  # (started, kind, marker, status) with status None when no answer came
    stop = threading.Event()

    def read_and_comment(reader):
        for n in range(100_000):
            if stop.is_set():
                return
            started = time.monotonic()
            marker = f"pg-{reader}-{n}"
            try:
                if n % 3 == 2:
                    kind, status = "comment", site.comment(f"تعليق رقم {marker} والخادم يعود")[0]
                else:
                    kind = "page"
                    status = site.get(site.article_path if n % 3 else site.section_path)[0]
            except OSError:
                kind, status = "?", None
            outcomes.append((started, kind, marker, status))
            time.sleep(0.02)

    readers = [threading.Thread(target=read_and_comment, args=(reader,)) for reader in range(READERS)]
    try:
        for reader in readers:
            reader.start()
        wait_until(lambda: len(outcomes) >= 40, 120, "40 requests before the restart")
        assert all(status in (200, 303) for _, _, _, status in outcomes), "the load works before the fault"

        down = time.monotonic()
        postgres_cluster.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        postgres_cluster.start()
        back = time.monotonic()
        wait_until(lambda: sum(started > back + 1 for started, *_ in outcomes) >= 60, 120, "60 requests after")
        stop.set()
        for reader in readers:
            reader.join(60)

        after = [(kind, status) for started, kind, _, status in outcomes if started > back + 1]
        failed_after = [item for item in after if item[1] not in (200, 303)]
        assert not failed_after, f"{len(failed_after)} of {len(after)} requests failed once PostgreSQL was back"
        assert site.web.poll() is None and site.web.pid == web_pid, "the web server was not restarted"
        assert worker.poll() is None, "the task worker went on (the same process)"

        answered = {marker for _, kind, marker, status in outcomes if kind == "comment" and status == 303}
        stored = {body.split()[2] for (body,) in site.query("SELECT body FROM comments_comment")}
        assert answered <= stored, f"comments answered 303 but missing: {sorted(answered - stored)[:5]}"

        last = max((started, marker) for started, kind, marker, status in outcomes
                   if kind == "comment" and status == 303)[1]
        wait_until(
            lambda: any(last in message.get_body(preferencelist=("plain",)).get_content()
                        for message in smtp.sink.messages(to=MODERATOR_EMAIL)),
            60, "the worker to mail the moderators about a comment posted after the restart",
        )
        during = [status for started, _, _, status in outcomes if down - 0.5 <= started <= back + 1]
        print(f"\nPostgreSQL restart: {len(outcomes)} requests, {len(during)} around the outage "
              f"({sum(s not in (200, 303) for s in during)} failed there), {len(after)} after it (0 failed); "
              f"{len(answered)} comments answered 303, 0 lost; web and worker not restarted")
    finally:
        stop.set()
        site.stop_workers()
        site.stop()
