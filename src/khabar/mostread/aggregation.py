"""The aggregation the worker runs every minute: counters into hourly rows, old hours out, the two rankings rebuilt.

Safe to run twice at once (two workers): a minute is moved to the database in the
same transaction that records it as drained (``DrainedMinute``, its primary key),
so a second run that read the same counters fails on that key, rolls back and
counts nothing. Hourly rows are added to with one atomic upsert, never read and
written back.
"""

import logging
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from khabar.mostread import counters
from khabar.mostread.models import DrainedMinute, HourlyViews, Period, Ranking
from khabar.news.models import ArticlePage

logger = logging.getLogger(__name__)

KEEP_DAYS = 8
TOP = 5
WINDOWS = {Period.DAY: timedelta(hours=24), Period.WEEK: timedelta(days=7)}


def run(now=None):
    """Drain the counters, drop hours older than KEEP_DAYS, rebuild the rankings; the views moved."""
    now = now if now is not None else time.time()
    moved = drain(now)
    prune(now)
    rank(now)
    return moved


def hour_of(moment):
    """The hour (UTC, aware) an epoch time falls in."""
    return datetime.fromtimestamp(moment // 3600 * 3600, tz=UTC)


def drain(now):
    """Move every closed minute's counters not yet drained into HourlyViews; the number of views moved."""
    minutes = counters.closed_minutes(now)
    done = set(DrainedMinute.objects.filter(minute__gte=minutes[0]).values_list("minute", flat=True))
    todo = [minute for minute in minutes if minute not in done]
    if not todo:
        return 0
    found, keys = counters.read_minutes(todo)
    ids = {page_id for views in found.values() for page_id in views}
    articles = set(ArticlePage.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    totals = Counter()
    for minute, views in found.items():
        hour = hour_of(minute * counters.MINUTE)
        for page_id, count in views.items():
            if page_id in articles:  # an article deleted since: its views go with it
                totals[page_id, hour] += count
    try:
        with transaction.atomic():
            DrainedMinute.objects.bulk_create([DrainedMinute(minute=minute) for minute in todo])
            _add_views(totals)
    except IntegrityError:
        logger.info("most read: another worker drained these minutes at the same time; they count once")
        return 0
    counters.forget(keys)
    return sum(totals.values())


def _add_views(totals):
    """Add ``{(page_id, hour): views}`` to HourlyViews in one upsert (SQLite 3.24+ and PostgreSQL alike)."""
    if not totals:
        return
    quote = connection.ops.quote_name
    table = quote(HourlyViews._meta.db_table)
    page, hour, views = (quote(HourlyViews._meta.get_field(name).column) for name in ("page", "hour", "views"))
    sql = (
        f"INSERT INTO {table} ({page}, {hour}, {views}) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({page}, {hour}) DO UPDATE SET {views} = {table}.{views} + excluded.{views}"
    )
    rows = [(page_id, connection.ops.adapt_datetimefield_value(at), count) for (page_id, at), count in totals.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def prune(now):
    """Drop hours older than KEEP_DAYS, and the marks of minutes past the counters' look-back."""
    HourlyViews.objects.filter(hour__lt=hour_of(now) - timedelta(days=KEEP_DAYS)).delete()
    DrainedMinute.objects.filter(minute__lt=counters.closed_minutes(now)[0] - 60).delete()


def rank(now):
    """Store the TOP published articles by views over the last 24 hours and the last 7 days (by the hour)."""
    published = ArticlePage.objects.published()
    for period, window in WINDOWS.items():
        since = hour_of(now) - window + timedelta(hours=1)
        top = list(
            HourlyViews.objects.filter(hour__gte=since, page__in=published.values("pk"))
            .values("page").annotate(total=Sum("views")).order_by("-total", "page")[:TOP]
        )
        urls = {article.pk: article.get_url() for article in ArticlePage.objects.filter(pk__in=[row["page"] for row in top])}
        places = [
            Ranking(period=period, rank=place, page_id=row["page"], views=row["total"], url=urls[row["page"]])
            for place, row in enumerate((row for row in top if urls.get(row["page"])), start=1)
        ]
        with transaction.atomic():
            if places:
                Ranking.objects.bulk_create(
                    places, update_conflicts=True, unique_fields=["period", "rank"], update_fields=["page", "views", "url"]
                )
            Ranking.objects.filter(period=period, rank__gt=len(places)).delete()
