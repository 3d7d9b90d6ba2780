"""The «الأكثر قراءة» block as pages show it: read from the stored rankings in one query, shared by every page.

The block is the same for every reader and every article, so it is built once and
kept as a shared fragment (``khabar.pagecache.fragments``) for ``FRAGMENT_SECONDS``
or until the next publish: a page that misses the cache adds at most one query.
"""

import time
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from khabar.mostread.models import Period, Ranking
from khabar.pagecache import fragments

# A cached page shows a list at most this old, plus the page's own life and the minute between aggregations.
FRAGMENT_SECONDS = 300
VARIANTS = {"home": "mostread/home.html", "aside": "mostread/aside.html"}


@dataclass(frozen=True)
class Place:
    title: str
    url: str


def current_lists():
    """``[(period, label, [Place, ...]), ...]`` for the 24-hour and 7-day lists; articles unpublished since are left out."""
    rows = (
        Ranking.objects.filter(page__live=True)
        .order_by("period", "rank")
        .values_list("period", "page__title", "url")
    )
    places = {period: [] for period in Period.values}
    for period, title, url in rows:
        places[period].append(Place(title, url))
    return [(period.value, period.label, places[period.value]) for period in (Period.DAY, Period.WEEK)]


def block(variant):
    """The rendered block for ``variant`` ("home" or "aside"); "" while nothing has been read yet."""

    def build():
        lists = current_lists()
        html = render_to_string(VARIANTS[variant], {"lists": lists}) if any(places for _, _, places in lists) else ""
        return html, time.time() + FRAGMENT_SECONDS

    html, _ = fragments.cached(f"mostread:{variant}", build)
    return mark_safe(html)  # rendered by our own templates, which escape every title
