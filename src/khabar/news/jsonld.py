"""schema.org structured data for search engines (NewsArticle, Organization)."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from khabar.news.urls_util import absolute_url, page_url

BREAKING_GENRE = "Breaking News"

# Characters that could close the <script> element or start markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_tag(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def organization():
    return {
        "@context": "https://schema.org",
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", "url": absolute_url(static("khabar/img/logo.png"))},
    }


def news_article(page, request=None):
    """The NewsArticle of an article page; never carries reader or commenter data."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.description,
        "inLanguage": "ar",
        "mainEntityOfPage": page_url(page, request),
        "url": page_url(page, request),
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        # The later of the last publication and the newest «تحديث»/«تصحيح» note.
        "dateModified": page.modified_at.isoformat() if page.modified_at else None,
        "articleSection": page.section.title if page.section else None,
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "logo": {"@type": "ImageObject", "url": absolute_url(static("khabar/img/logo.png"))},
        },
    }
    authors = [
        {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
        for author in page.author_list
    ]
    if authors:
        data["author"] = authors
    else:
        data["author"] = {"@type": "Organization", "name": settings.SITE_NAME}
    if page.dateline:
        data["locationCreated"] = {"@type": "Place", "name": page.dateline}
    agencies = [{"@type": "NewsMediaOrganization", "name": agency.name} for agency in page.agency_list]
    if agencies:
        data["sourceOrganization"] = agencies if len(agencies) > 1 else agencies[0]
    if page.hero_image:
        data["image"] = [absolute_url(page.hero_image.get_rendition("fill-1200x675").url)]
    keywords = [tag.name for tag in page.tag_list]
    if keywords:
        data["keywords"] = keywords
    if page.is_breaking_now:
        # schema.org has no urgency property. "genre" is CreativeWork's own word for the kind of work
        # (free text); "keywords" stay the article's topics (its tags) and "backstory" is prose on how
        # the story was reported. The value is the English term machines read, as the visible badge
        # says «عاجل»; it leaves with the flag (the page's cache ends then, ArticlePage.get_context).
        data["genre"] = BREAKING_GENRE
    return {key: value for key, value in data.items() if value is not None}
