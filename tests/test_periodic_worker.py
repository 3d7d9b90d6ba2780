"""Scheduled publishing with nothing but a real ``khabar worker`` running: no cron, no timer.

The schedule is made as Wagtail's admin makes it (a revision approved to go live at a set time; a
live page with an expiry), in a ``khabar manage shell`` process. The worker's periodic thread then
enqueues ``publish_scheduled`` every 30 seconds and runs it; the test reads the database from
outside. The same worker prunes finished task results older than a week.
"""


import pytest

from tests.instance import Instance, fresh_database

DUE_IN_SECONDS = 5
# publish_scheduled is enqueued when the worker starts and then every 30 s: a page due 5 s after the
# start goes at the second round at the latest.
WITHIN_SECONDS = 45

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section

section = get_or_create_section(ensure_home_page(), "العالم")
soon = timezone.now() + timedelta(seconds={due})

scheduled = ArticlePage(title="خبر مجدول", slug="scheduled", live=False,
                        body=[("text", RichText("<p>ينشر في موعده.</p>"))])
section.add_child(instance=scheduled)
scheduled.go_live_at = soon
revision = scheduled.save_revision()
revision.publish()  # a go-live time ahead: Wagtail approves the revision for then and keeps the page a draft

expiring = ArticlePage(title="خبر ينتهي", slug="expiring", body=[("text", RichText("<p>ينتهي في موعده.</p>"))])
section.add_child(instance=expiring)
expiring.expire_at = soon
expiring.save_revision().publish()
"""

OLD_AND_NEW_RESULTS = """
from datetime import timedelta
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

now = timezone.now()
for name, age in (("old", timedelta(days=8)), ("recent", timedelta(days=2))):
    result = DBTaskResult.objects.create(
        status="SUCCESSFUL", task_path=f"tests.{name}", args_kwargs={"args": [], "kwargs": {}},
        queue_name="default", backend_name="default", started_at=now - age, finished_at=now - age,
        run_after=now - age, exception_class_path="", traceback="",
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=now - age)
"""


@pytest.fixture
def site(tmp_path):
    with fresh_database("khabar_periodic") as url:
        site = Instance(tmp_path, smtp_port=1, database_url=url, KHABAR_EMAIL_URL="locmem://")
        site.run("manage", "migrate", "--verbosity", "0")
        yield site
        site.stop_workers()


def page_state(site, slug):
    return site.query(
        "SELECT p.live, p.expired, r.approved_go_live_at IS NOT NULL FROM wagtailcore_page p "
        "LEFT JOIN wagtailcore_revision r ON r.id = p.latest_revision_id WHERE p.slug = ?",
        slug,
    )[0]


def test_the_worker_alone_publishes_and_unpublishes_on_time_and_prunes_old_results(site):
    site.run("manage", "shell", "--no-imports", "-c", SCHEDULE.format(due=DUE_IN_SECONDS))
    site.run("manage", "shell", "--no-imports", "-c", OLD_AND_NEW_RESULTS)
    assert page_state(site, "scheduled")[:2] == (0, 0)  # a draft until its time
    assert page_state(site, "expiring")[:2] == (1, 0)

    site.start_worker()
    site.wait_until(lambda: page_state(site, "scheduled")[0] == 1, WITHIN_SECONDS, "the scheduled article to go live")
    site.wait_until(lambda: page_state(site, "expiring")[:2] == (0, 1), WITHIN_SECONDS, "the expiring article to go")

    # Against the database's own times: starting the shells above may take longer than the wait itself.
    on_time = site.query("SELECT first_published_at >= go_live_at FROM wagtailcore_page WHERE slug = 'scheduled'")
    assert on_time[0][0], "published before its time"
    title = site.query("SELECT title FROM wagtailcore_page WHERE slug = 'scheduled' AND live")[0][0]
    assert title == "خبر مجدول"
    # Hourly pruning ran at the worker's start: a week-old result is gone, a two-day-old one stays.
    site.wait_until(
        lambda: not site.query("SELECT 1 FROM django_tasks_database_dbtaskresult WHERE task_path = 'tests.old'"),
        WITHIN_SECONDS, "the old task result to be pruned",
    )
    assert site.query("SELECT 1 FROM django_tasks_database_dbtaskresult WHERE task_path = 'tests.recent'")
