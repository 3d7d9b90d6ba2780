"""The reader's search page and the headline suggestions behind the search box."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, PageViewRestriction

from khabar.arabic import CountedNoun, count_noun
from khabar.news.models import ArticlePage, SectionPage
from khabar.news.models.pages import attach_sections
from khabar.pagecache import fragments
from khabar.search import spelling
from khabar.search.backends import SearchResult, get_backend
from khabar.search.documents import body_paragraphs
from khabar.search.highlight import Matcher, highlight, snippet
from khabar.search.query import parse_query
from khabar.search.querylog import record_search

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
MAX_PAGE = 50  # deeper pages cost the engine more and no reader reads them
SUGGEST_LIMIT = 8
SUGGEST_CACHE_SECONDS = 300
RESULT_FIELDS = ("title", "path", "url_path", "first_published_at", "summary", "body")
ARTICLE_FIELDS = ("summary", "body")  # of RESULT_FIELDS, those in the article's own table
RESULTS = CountedNoun("نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة", "نتيجة")


class ResultsPage:
    """Just enough of a Paginator page for the template, over the engine's own total."""

    def __init__(self, number, total, per_page):
        self.paginator = Paginator(range(min(total, MAX_PAGE * per_page)), per_page)
        self.number = number
        self.total = total

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.paginator.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def _int(value, default=None, low=None, high=None):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    if low is not None and number < low:
        return default
    return min(number, high) if high is not None else number


def _day(value):
    """A date from ?from=/?to= (YYYY-MM-DD), or None for anything else."""
    try:
        day = date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None
    # Dates the database (or the day after) cannot hold are ignored like any other bad input.
    return day if day is None or EARLIEST_DAY <= day <= LATEST_DAY else None


EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 1, 1)


def _moment(day, end=False):
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return moment + timedelta(days=1) if end else moment


def read_filters(params, sections):
    """The filters of the search form, each ignored when invalid rather than failing the page."""
    section_id = _int(params.get("section"), low=1)
    chosen = next((s for s in sections if s["pk"] == section_id), None)
    # A section's articles include its sub-sections' (their paths start with its path), as on its own page.
    section_ids = [s["pk"] for s in sections if s["path"].startswith(chosen["path"])] if chosen else []
    section_id = chosen["pk"] if chosen else None
    since, until = _day(params.get("from")), _day(params.get("to"))
    if since and until and since > until:
        since, until = until, since
    order = "date" if params.get("sort") == "date" else "relevance"
    return {"section": section_id, "section_ids": section_ids, "from": since, "to": until, "sort": order}


def public_sections():
    """Live public sections in tree order, as the filter menu and the result cards show them.

    Built once per site-wide purge, like the site's own menu (``khabar.pagecache.fragments``).
    """

    def build():
        sections = SectionPage.objects.live().public().order_by("path")  # from the section table: SectionManager
        return [_section(s) for s in sections.only("pk", "title", "path", "url_path")], None

    return fragments.cached("search-sections", build)[0]


def _section(page, request=None):
    return {"pk": page.pk, "title": page.title, "path": page.path, "url": page.get_url(request)}


@lru_cache(maxsize=RESULTS_PER_PAGE)  # one per length of a page of hits
def _cards_sql(count):
    """SQL for the live articles among ``count`` ids, with only what a result card shows.

    No hero image, no revision fields (the page's costliest part at 10 cards); and written
    once, not compiled by the ORM on every request (that cost as much as the rest of the query).
    """
    page, article, name = Page._meta, ArticlePage._meta, connection.ops.quote_name
    page_id, article_id = name(page.pk.column), name(article.pk.column)
    columns = [f"p.{name(page.get_field(f).column)}" for f in ("id", *RESULT_FIELDS) if f not in ARTICLE_FIELDS]
    columns += [f"a.{article_id}", *(f"a.{name(article.get_field(f).column)}" for f in ARTICLE_FIELDS)]
    return (
        f"SELECT {', '.join(columns)} FROM {name(article.db_table)} a "
        f"INNER JOIN {name(page.db_table)} p ON p.{page_id} = a.{article_id} "
        f"WHERE p.{name(page.get_field('live').column)} AND p.{page_id} IN ({', '.join(['%s'] * count)})"
    )


def _results(hits, matcher, sections, request):
    """The articles of ``hits``, in hit order, with marked headline and snippet, in a fixed number of queries."""
    if not hits:
        return []
    found = ArticlePage.objects.raw(_cards_sql(len(hits)), [h.page_id for h in hits])
    # Live and public, as published() says: the index may lag behind an unpublish or a new view restriction.
    private = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    pages = {p.pk: p for p in found if not p.path.startswith(private)}
    ordered = [pages[h.page_id] for h in hits if h.page_id in pages]
    by_path = {s["path"]: s for s in sections}
    parents = {a.pk: by_path.get(a.path[: -Page.steplen]) for a in ordered}
    if None in parents.values():  # a parent that is not a listed section: ask as other listings do
        for article in attach_sections([a for a in ordered if parents[a.pk] is None]):
            parents[article.pk] = article.section and _section(article.section, request)
    results = []
    for article in ordered:
        text = "\n".join(filter(None, [article.summary, *body_paragraphs(article.body)]))
        results.append(
            {
                "article": article,
                "section": parents[article.pk],
                "title": highlight(article.title, matcher),
                "snippet": snippet(text, matcher),
            }
        )
    return results


def _search(query, filters, number):
    return get_backend().search(
        query,
        section_id=filters["section_ids"],
        since=_moment(filters["from"]),
        until=_moment(filters["to"], end=True),
        order=filters["sort"],
        offset=(number - 1) * RESULTS_PER_PAGE,
        limit=RESULTS_PER_PAGE,
    )


@require_GET
def search(request):
    """/search/?q=: results, filters, pagination, and help when nothing is found. Never a 500 for a query."""
    raw = request.GET.get("q", "")
    query = parse_query(raw)
    sections = public_sections()
    filters = read_filters(request.GET, sections)
    number = requested = _int(request.GET.get("page"), default=1, low=1, high=MAX_PAGE)
    context = {
        "search_query": raw[:256],
        "query": query,
        "sections": sections,
        "filters": filters,
        "filtered": bool(filters["section"] or filters["from"] or filters["to"]),
        "results": [],
        "page_obj": None,
        "total": 0,
        "relaxed": False,
        "failed": False,
        "did_you_mean": "",
        "closest_titles": [],
    }
    if not query.is_empty:
        try:
            result = _search(query, filters, number)
            if result.total and not result.hits:
                # ?page= past the end (an old link, a typed number): show the last page instead.
                number = ResultsPage(1, result.total, RESULTS_PER_PAGE).paginator.num_pages
                result = _search(query, filters, number)
        except DatabaseError:
            # Analysis leaves no engine syntax in a query, so this is the database itself: say so, don't 500.
            logger.exception("search failed for %r", query.folded())
            result, context["failed"] = SearchResult([], 0), True
        matcher = Matcher(query)
        context.update(
            results=_results(result.hits, matcher, sections, request),
            total=result.total,
            total_label=count_noun(result.total, RESULTS, settings.KHABAR_DIGITS) if result.total else "",
            relaxed=result.relaxed,
            page_obj=ResultsPage(number, result.total, RESULTS_PER_PAGE) if result.total else None,
        )
        if requested == 1 and not context["failed"]:
            record_search(query.folded(), result.total)
        if not result.total and not context["failed"]:
            context["did_you_mean"], context["closest_titles"] = spelling.suggestions(query)
    elif any(c.isalnum() for c in query.folded()):
        record_search(query.folded(), 0)  # only stopwords: editors should see those searches too
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@cache_control(public=True, max_age=SUGGEST_CACHE_SECONDS)
def suggest(request):
    """/search/suggest/?q=: headlines whose words start as the reader's do, as JSON, cached per folded prefix."""
    text = " ".join(request.GET.get("q", "")[:100].split())
    words = get_backend().analyzer.analyze(text)
    key = "khabar-search-suggest:" + hashlib.sha1(" ".join(words).encode()).hexdigest()
    suggestions = cache.get(key) if words else []
    if suggestions is None:
        try:
            found = get_backend().suggest(text, limit=SUGGEST_LIMIT)
        except DatabaseError:
            logger.exception("suggestions failed")
            found = []
        suggestions = [{"title": s.title, "url": s.url} for s in found]
        cache.set(key, suggestions, SUGGEST_CACHE_SECONDS)
    return JsonResponse({"query": text, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})

