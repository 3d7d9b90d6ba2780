"""sitemap.xml (every public page) and the Google News sitemap (the last 48 hours)."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.utils import timezone

from khabar.news.models import ArticleNote, ArticlePage, Author, SectionPage
from khabar.news.models.pages import NEWEST_FIRST, KeyedListing, ListingPaginator, published_article_ids
from khabar.news.urls_util import absolute_url, page_url
from khabar.pagecache import fragments

NEWS_WINDOW = timedelta(hours=48)
# What get_url() (the address from the site's root) and lastmod read of an article.
SITEMAP_FIELDS = ("url_path", "path", "depth", "locale_id", "first_published_at", "last_published_at")


class SiteRootMixin:
    """Locations are absolute already: built from KHABAR_SITE_URL, not the request's host."""

    def get_urls(self, page=1, site=None, protocol=None):
        urls = []
        for item in self.paginator.page(page).object_list:
            loc = self._location(item)
            lastmod = self._get("lastmod", item)
            urls.append({"item": item, "location": loc, "lastmod": lastmod, "changefreq": None, "priority": None})
        return urls

    def _location(self, item):
        return self.location(item)


class ArticleSitemap(SiteRootMixin, Sitemap):
    limit = 5000

    def items(self):
        # The rows of the ids the paginator picked (published, newest first: see paginator), with only
        # what a <url> entry shows: a sitemap page holds 5,000 articles, and a full row each (summary,
        # captions, source) made building them cost more than writing their XML. live is checked again
        # for an unpublish in between.
        return ArticlePage.objects.live().with_newest_note().only(*SITEMAP_FIELDS)

    def location(self, item):
        return page_url(item)

    def lastmod(self, item):
        # A «تحديث»/«تصحيح» note counts as a change even when its time is set later than the publication.
        return item.modified_at

    @property
    def paginator(self):
        # The index pages the articles on every request: count them once per purge, as listings do,
        # and from an index alone (migration news 0007); a page's rows are read by their ids.
        ids = published_article_ids().order_by(*NEWEST_FIRST)
        return ListingPaginator(KeyedListing(self._items(), ids), self.limit, "sitemap-articles")

    def get_latest_lastmod(self):
        """The newest ``lastmod`` of all articles (the sitemap index shows it): two aggregate queries, once
        per purge. Django's default reads every article to find it: 9.5 s per request at 100,000 articles.
        """

        def newest():
            published = ArticlePage.objects.published()
            # Each read from the end of an index (migration news 0006 adds last_published_at's), and
            # notes checked one by one against the published articles rather than the reverse.
            times = [published.order_by(f"-{field}").values_list(field, flat=True).first()
                     for field in ("last_published_at", "first_published_at")]
            notes = ArticleNote.objects.filter(Exists(published.filter(pk=OuterRef("page"))))
            times.append(notes.order_by("-noted_at").values_list("noted_at", flat=True).first())
            return max(filter(None, times), default=None), None

        return fragments.cached("sitemap-articles-lastmod", newest)[0]


class SectionSitemap(SiteRootMixin, Sitemap):
    def items(self):
        return SectionPage.objects.live().public().order_by("path")

    def location(self, item):
        return page_url(item)

    def lastmod(self, item):
        return item.last_published_at


class AuthorSitemap(SiteRootMixin, Sitemap):
    def items(self):
        return Author.objects.order_by("pk")

    def location(self, item):
        return absolute_url(item.get_absolute_url())


def recent_news(now=None):
    """Articles for the Google News sitemap, newest first."""
    now = now or timezone.now()
    return (
        ArticlePage.objects.published()
        .filter(first_published_at__gte=now - NEWS_WINDOW)
        .newest_first()
        .with_newest_note()
        .prefetch_related("tags")[:1000]
    )


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "authors": AuthorSitemap}
