"""What a change purges: khabar's page cache at once, the front cache (CDN, proxy) through a task.

A published, unpublished, moved or deleted page, or an edited author or agency,
changes what many pages show: lists on home, sections, tags and authors, the
breaking ticker and related articles on every page, feeds and sitemaps. khabar's
own cache is purged whole (one counter: cheap, and never too little). The front
cache is purged by URL: the page itself and every page that lists it.

A visible change to one article only (a comment approved) purges that article.
Purges run after the transaction commits, so no render can store the old content
under the new generation.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from khabar import pagecache


def urls_showing(page):
    """The absolute URLs that show ``page`` or list it, for the front cache (keyed by the site's host)."""
    from khabar.news.models import ArticlePage

    site = page.get_site()
    root = site.root_url if site else settings.SITE_URL
    urls = {page.get_url(), "/", reverse("feed"), reverse("sitemap-index"), reverse("news-sitemap")}
    specific = page.specific
    if isinstance(specific, ArticlePage):
        urls.add(reverse("sitemap-section", args=["articles"]))
        # A section's listing and feed include its sub-sections' articles: every section above counts.
        for section in specific.section_trail:
            section_url = section.get_url()
            if section_url:
                urls.update({section_url, section_url + "feed/"})
        urls.update(reverse("tag", args=[tag.slug]) for tag in specific.tags.all())
        urls.update(author.get_absolute_url() for author in specific.authors.all())
    # get_url() is relative on a one-site install and absolute when several sites share the tree.
    return sorted(url if url.startswith("http") else root + url for url in urls if url)


def _queue_front_purge(urls):
    """Tell the CDN or reverse proxy (``KHABAR_FRONTEND_CACHE_URL``) to forget these URLs.

    Wagtail's purge queues its own task, so the editor's request never waits on the proxy.
    """
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        purge_urls_from_cache(sorted(urls))


def site_changed(pages=()):
    """After the commit: every cached page is stale; the front forgets the pages showing ``pages``."""
    urls = set()
    for page in pages:
        urls.update(urls_showing(page))

    def purge():
        pagecache.purge_all()
        _queue_front_purge(urls)

    transaction.on_commit(purge)


def pages_changed(pages):
    """After the commit: these pages alone are stale (their own change, e.g. a comment shown)."""
    pages = list(pages)
    paths = [url for url in (page.get_url() for page in pages) if url]
    urls = {page.full_url for page in pages if page.full_url}

    def purge():
        pagecache.purge_paths(paths)
        _queue_front_purge(urls)

    transaction.on_commit(purge)
