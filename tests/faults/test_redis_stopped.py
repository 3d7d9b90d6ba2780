"""Redis stopped while readers read, comment and sign up; then started again.

khabar in the scale-out mode (Redis for the cache, the page cache's purge
counters, the rate limits and the RQ task queue) against a private
``redis-server`` with an append-only file, so what was queued outlives the stop,
as on a production Redis with persistence. While Redis is down:

* pages are still served: the page cache and the shared fragments fail open and
  render (200, never 500);
* the rate limits fail closed: a comment or a sign-up is answered 503 with an
  Arabic "try again shortly" (the comment form keeps the reader's text) and
  nothing is saved, so no write is left half done with its task unqueued;
* the task queued before the stop (the moderators' mail, due while Redis is
  down) waits, and runs once Redis is back; the worker is not restarted.
"""

import time

from khabar.identity.limits import UNAVAILABLE

from tests.faults.conftest import (
    ARTICLE_TITLE,
    MODERATOR_EMAIL,
    FaultSite,
    database_like_the_run,
    wait_until,
)

NOTIFY_DELAY = 8


def test_pages_are_served_writes_refused_clearly_and_queued_tasks_wait(template, tmp_path, redis_server, smtp):
    with database_like_the_run(template, "khabar_fault_redis") as database_url:
        site = FaultSite(
            template, tmp_path, smtp.port, database_url,
            KHABAR_REDIS_URL=redis_server.url, KHABAR_TASKS_BACKEND="rq",
            KHABAR_COMMENTS_NOTIFY_DELAY=NOTIFY_DELAY, KHABAR_COMMENTS_FLOOD_SECONDS=2,
        )
        site.serve(workers=2)
        worker = site.start_worker()
        try:
            log = site.data_dir / "worker-0.log"
            wait_until(lambda: "Scheduler for default started" in log.read_text(errors="replace"), 120,
                       "the RQ worker and its scheduler to listen")
            pages = ["/", site.article_path, site.section_path]
            for path in pages:
                site.get(path)
            assert site.get(site.article_path)[1]["X-Khabar-Cache"] == "HIT"

            status, _, _ = site.comment("تعليق قبل توقف ريدس", email="first@example.org")
            assert status == 303
            due = time.monotonic() + NOTIFY_DELAY
            redis_server.stop()

            # --- Redis is down -------------------------------------------------------------
            outcomes = []
            for _ in range(5):
                for path in pages:
                    status, _, text = site.get(path)
                    outcomes.append(status)
                    assert status == 200, f"{path} answered {status} with Redis down"
            assert ARTICLE_TITLE in site.get(site.article_path)[2]

            status, headers, text = site.comment("تعليق أثناء العطل يبقى نصه", email="second@example.org")
            assert status == 503, "a comment with Redis down: neither a 500 nor an unlimited pass"
            assert UNAVAILABLE in text and "نصّك محفوظ أدناه" in text
            assert "تعليق أثناء العطل يبقى نصه" in text, "the form keeps the reader's text"
            assert int(headers["Retry-After"]) > 0
            assert site.comments_with("أثناء العطل") == []

            status, headers, text = site.sign_up("during@example.org")
            assert status == 503 and UNAVAILABLE in text and int(headers["Retry-After"]) > 0
            assert site.query("SELECT email FROM newsletter_subscriber") == []

            while time.monotonic() < due + 2:  # the moderators' mail falls due while Redis is away
                time.sleep(0.2)
            assert smtp.sink.messages() == [], "nothing can have run: the task is in the stopped Redis"
            assert worker.poll() is None

            # --- Redis is back ---------------------------------------------------------------
            redis_server.start()
            back = time.monotonic()
            wait_until(lambda: smtp.sink.messages(to=MODERATOR_EMAIL), 60, "the mail queued before the stop")
            resumed_after = time.monotonic() - back
            assert worker.poll() is None, "the same worker went on"

            wait_until(lambda: site.comment("تعليق أثناء العطل يبقى نصه", email="second@example.org")[0] == 303,
                       20, "the comment to be accepted again", step=1)
            assert len(site.comments_with("أثناء العطل")) == 1
            status, _, _ = site.sign_up("during@example.org")
            assert status == 302
            wait_until(lambda: smtp.sink.messages(to="during@example.org"), 60, "the confirmation mail")
            time.sleep(1)
            about_first = [message for message in smtp.sink.messages(to=MODERATOR_EMAIL)
                           if "قبل توقف ريدس" in message.get_body(preferencelist=("plain",)).get_content()]
            assert len(about_first) == 1, "the comment from before the stop is mailed once"
            assert len(smtp.sink.messages(to="during@example.org")) == 1
            print(f"\nRedis stopped: {len(outcomes)} page requests while down, "
                  f"{sum(s != 200 for s in outcomes)} failed; 2 writes refused with 503; "
                  f"1 queued task ran {resumed_after:.1f} s after Redis came back; 2 mails sent once")
        finally:
            site.stop_workers()
            site.stop()
