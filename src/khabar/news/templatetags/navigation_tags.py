"""Site-wide pieces of every page: the section menu and the breaking-news ticker.

Both are built once per site-wide purge and shared by every page render
(``khabar.pagecache.fragments``), so a page-cache miss does not query them again.
"""

from django import template

from khabar import pagecache
from khabar.news.models import ArticlePage, HomePage, SectionPage
from khabar.pagecache import fragments

register = template.Library()
TICKER_ITEMS = 5


def _menu():
    sections = SectionPage.objects.live().public().filter(show_in_menus=True).order_by("path")
    return [{"title": s.title, "url": s.get_url(), "path": s.path} for s in sections], None


def _ticker():
    items = list(ArticlePage.objects.breaking()[:TICKER_ITEMS])
    ends = min((item.breaking_until for item in items), default=None)
    return [{"title": item.title, "url": item.get_url()} for item in items], ends.timestamp() if ends else None


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    sections, _ = fragments.cached("menu", _menu)
    page = context.get("page")
    current_path = getattr(page, "path", "")
    items = [(section, current_path.startswith(section["path"])) for section in sections]
    return {"items": items, "at_home": isinstance(page, HomePage)}


@register.inclusion_tag("includes/breaking_ticker.html", takes_context=True)
def breaking_ticker(context):
    items, ends = fragments.cached("ticker", _ticker)
    # An item leaves the ticker at its set time with nobody publishing: the cached page must go then.
    pagecache.expire_at(context.get("request"), ends)
    return {"items": items}
