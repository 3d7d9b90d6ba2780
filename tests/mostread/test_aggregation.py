"""The aggregation: minute counters become hourly rows, old hours go, the 24-hour and 7-day rankings are stored."""

import time
from datetime import timedelta

import pytest

from khabar import periodic
from khabar.mostread import aggregation, counters, tasks
from khabar.mostread.models import DrainedMinute, HourlyViews, Ranking

pytestmark = pytest.mark.django_db

HOUR = 3600


def count(page, views, at):
    for _ in range(views):
        assert counters.record_view(page.pk, now=at)


def hourly(page):
    return {row.hour.timestamp(): row.views for row in HourlyViews.objects.filter(page=page).order_by("hour")}


def ranking(period):
    return [(place.rank, place.page.title, place.views, place.url) for place in Ranking.objects.filter(period=period)]


def test_the_task_runs_every_minute_in_the_worker():
    assert (tasks.aggregate_views.module_path, 60) in periodic.scheduled()


def test_counts_become_one_row_per_article_and_hour(publish_article):
    article = publish_article(title="خبر الساعة")
    now = time.time()
    this_hour = now // HOUR * HOUR
    count(article, 2, this_hour - HOUR + 10)  # the previous hour, two minutes of it
    count(article, 1, this_hour - HOUR + 70)
    count(article, 4, this_hour - 200)  # still the previous hour: its last minutes
    assert aggregation.run(now=this_hour + 200) == 7
    assert hourly(article) == {this_hour - HOUR: 7}
    count(article, 3, this_hour + 250)  # in a minute the first run could not read yet
    assert aggregation.run(now=this_hour + 400) == 3
    assert hourly(article) == {this_hour - HOUR: 7, this_hour: 3}


def test_a_minute_is_drained_only_once_it_is_over(publish_article):
    article = publish_article()
    now = time.time()
    count(article, 1, now)
    assert aggregation.run(now=now) == 0, "the current minute may still be counting"
    assert aggregation.run(now=now + 180) == 1


def test_running_twice_counts_the_same(publish_article, monkeypatch):
    article = publish_article()
    now = time.time()
    count(article, 3, now)
    monkeypatch.setattr(counters, "forget", lambda keys: None)  # the counters stay readable after the first run
    assert aggregation.run(now=now + 180) == 3
    assert aggregation.run(now=now + 180) == 0
    assert aggregation.run(now=now + 240) == 0
    assert sum(hourly(article).values()) == 3


def test_two_workers_at_once_count_once(publish_article, monkeypatch):
    """The second worker reads the same counters while the first commits: its drain is rolled back."""
    article = publish_article()
    now = time.time() + 180
    count(article, 4, now - 180)
    read = counters.read_minutes
    other_worker = []

    def read_while_another_worker_drains(minutes):
        found = read(minutes)
        if not other_worker:
            other_worker.append("draining")
            other_worker[0] = aggregation.drain(now)  # commits the same minutes first
        return found

    monkeypatch.setattr(counters, "read_minutes", read_while_another_worker_drains)
    assert aggregation.drain(now) == 0
    assert other_worker == [4]
    assert sum(hourly(article).values()) == 4
    assert DrainedMinute.objects.count() == len(counters.closed_minutes(now))


def test_hours_older_than_eight_days_are_dropped(publish_article):
    article = publish_article()
    now = time.time()
    nine_days, seven_days = (aggregation.hour_of(now) - timedelta(days=d) for d in (9, 7))
    HourlyViews.objects.create(page=article, hour=nine_days, views=50)
    HourlyViews.objects.create(page=article, hour=seven_days, views=5)
    aggregation.run(now=now)
    assert list(HourlyViews.objects.values_list("hour", "views")) == [(seven_days, 5)]


def test_the_day_and_week_rankings_differ_by_their_window(publish_article):
    now = time.time()
    hour = aggregation.hour_of(now)
    old_hit, fresh, steady, quiet = (publish_article(title=t) for t in ("خبر الأسبوع", "خبر اليوم", "خبر دائم", "خبر هادئ"))
    for article, age_hours, views in (
        (old_hit, 72, 900),  # three days ago: the week's first, absent from the day
        (fresh, 2, 40),
        (steady, 10, 30), (steady, 100, 30),
        (quiet, 1, 5),
    ):
        HourlyViews.objects.create(page=article, hour=hour - timedelta(hours=age_hours), views=views)
    aggregation.run(now=now)
    assert ranking("day") == [(1, "خبر اليوم", 40, fresh.url), (2, "خبر دائم", 30, steady.url), (3, "خبر هادئ", 5, quiet.url)]
    assert [title for _, title, _, _ in ranking("week")] == ["خبر الأسبوع", "خبر دائم", "خبر اليوم", "خبر هادئ"]


def test_a_ranking_keeps_five_and_only_published_articles(publish_article):
    now = time.time()
    hour = aggregation.hour_of(now)
    articles = [publish_article(title=f"خبر {n}") for n in range(7)]
    for n, article in enumerate(articles):
        HourlyViews.objects.create(page=article, hour=hour, views=100 - n)
    articles[0].unpublish()
    aggregation.run(now=now)
    assert [title for _, title, _, _ in ranking("day")] == ["خبر 1", "خبر 2", "خبر 3", "خبر 4", "خبر 5"]
    for article in articles[1:4]:
        article.unpublish()
    aggregation.run(now=now)
    assert [title for _, title, _, _ in ranking("day")] == ["خبر 4", "خبر 5", "خبر 6"]
    assert Ranking.objects.filter(period="day").count() == 3


def test_views_of_a_deleted_article_go_with_it(publish_article):
    article = publish_article()
    now = time.time()
    count(article, 2, now)
    article.delete()
    assert aggregation.run(now=now + 180) == 0
    assert not HourlyViews.objects.exists() and not Ranking.objects.exists()
