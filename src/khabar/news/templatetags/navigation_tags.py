"""Site-wide pieces of every page: the section menu, the footer's page links and the breaking-news ticker.

Each is built once per site-wide purge and shared by every page render
(``khabar.pagecache.fragments``), so a page-cache miss does not query them again.
"""

from django import template
from django.db.models import Q, Subquery
from wagtail.models import Page

from khabar import pagecache
from khabar.news.models import ArticlePage, HomePage, InfoPage, SectionPage
from khabar.pagecache import fragments

register = template.Library()
TICKER_ITEMS = 5
NAVIGATION = "navigation"  # the fragment's name, and its per-render copy's key


def _navigation():
    """The top-level sections shown in menus (header) and the live info pages (footer), in one query.

    Sub-sections stay out of the menu: they are reached through their section.
    """
    top_level = Page.objects.live().public().filter(depth=Subquery(HomePage.objects.values("depth")[:1]) + 1)
    pages = top_level.filter((top_level.type_q(SectionPage) & Q(show_in_menus=True)) | top_level.type_q(InfoPage))
    sections, info_pages = [], []
    for page in pages.order_by("path"):
        item = {"title": page.title, "url": page.get_url(), "path": page.path}
        (info_pages if issubclass(page.specific_class, InfoPage) else sections).append(item)
    return {"sections": sections, "pages": info_pages}, None


def _shared_navigation(context):
    # The header and the footer both show it: read the fragment once per render.
    store = context.render_context
    if NAVIGATION not in store:
        store[NAVIGATION] = fragments.cached(NAVIGATION, _navigation)[0]
    return store[NAVIGATION]


def _ticker():
    items = list(ArticlePage.objects.breaking()[:TICKER_ITEMS])
    ends = min((item.breaking_until for item in items), default=None)
    return [{"title": item.title, "url": item.get_url()} for item in items], ends.timestamp() if ends else None


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    sections = _shared_navigation(context)["sections"]
    page = context.get("page")
    current_path = getattr(page, "path", "")
    items = [(section, current_path.startswith(section["path"])) for section in sections]
    return {"items": items, "at_home": isinstance(page, HomePage)}


@register.inclusion_tag("includes/footer_pages.html", takes_context=True)
def footer_pages(context):
    """Links to «من نحن», «اتصل بنا» and the other live info pages."""
    return {"pages": _shared_navigation(context)["pages"]}


@register.inclusion_tag("includes/breaking_ticker.html", takes_context=True)
def breaking_ticker(context):
    items, ends = fragments.cached("ticker", _ticker)
    # An item leaves the ticker at its set time with nobody publishing: the cached page must go then.
    pagecache.expire_at(context.get("request"), ends)
    return {"items": items}
