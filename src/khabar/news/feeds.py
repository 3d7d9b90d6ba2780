"""RSS feeds: the whole site and one per section."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from khabar.news.models import ArticlePage
from khabar.news.urls_util import page_url

FEED_LENGTH = 30


class ArabicRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xml:lang": "ar"}


class LatestArticlesFeed(Feed):
    feed_type = ArabicRssFeed
    language = "ar"

    def title(self):
        return f"{settings.SITE_NAME}: آخر الأخبار"

    def link(self):
        return settings.SITE_URL + "/"

    def description(self):
        return f"آخر ما نشره {settings.SITE_NAME}"

    def items(self):
        return (
            ArticlePage.objects.published().newest_first().with_newest_note()
            .prefetch_related("authors", "agencies")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return page_url(item)

    def item_guid(self, item):
        return page_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        names = [author.name for author in item.authors.all()]
        return "، ".join(names) or None


class SectionFeed(LatestArticlesFeed):
    """Mounted by SectionPage at <section>/feed/; the section arrives as a keyword."""

    def get_object(self, request, section):
        return section

    def title(self, section):
        return f"{settings.SITE_NAME}: {section.title}"

    def link(self, section):
        return page_url(section)

    def description(self, section):
        return section.intro or f"آخر أخبار {section.title}"

    def items(self, section):
        return section.articles().with_newest_note().prefetch_related("authors", "agencies")[:FEED_LENGTH]
