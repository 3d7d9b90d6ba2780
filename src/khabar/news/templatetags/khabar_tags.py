"""Template filters and tags that present news in Arabic.

The formatting itself lives in ``khabar.arabic``; these adapters only supply
the site's settings (regional month names, digit style, time zone).
"""

from django import template
from django.conf import settings
from django.utils import timezone
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from khabar import arabic, pagecache
from khabar.news import jsonld
from khabar.news.urls_util import page_url
from khabar.pagecache import fragments

register = template.Library()


def _local(value):
    if value is None:
        return None
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def ar_date(value, weekday=True):
    """الخميس 26 تشرين الأول/أكتوبر 2023, in the site's regional style and digits."""
    if value is None:
        return ""
    return arabic.format_date(
        _local(value), style=settings.KHABAR_DATE_STYLE, digits=settings.KHABAR_DIGITS, weekday=bool(weekday)
    )


@register.filter
def ar_time(value):
    if value is None:
        return ""
    return arabic.format_time(_local(value), digits=settings.KHABAR_DIGITS)


@register.filter
def hijri_date(value):
    """The Umm al-Qura date, or "" when the site does not show Hijri dates."""
    if value is None or not settings.KHABAR_SHOW_HIJRI:
        return ""
    return arabic.format_hijri(_local(value), digits=settings.KHABAR_DIGITS)


@register.filter
def time_ago(value):
    """منذ ٣ ساعات for recent items, the full date for older ones."""
    if value is None:
        return ""
    relative = arabic.relative_time(value, timezone.now(), digits=settings.KHABAR_DIGITS)
    return relative or ar_date(value, weekday=False)


@register.filter
def reading_time(minutes):
    return arabic.format_reading_time(minutes, digits=settings.KHABAR_DIGITS)


@register.filter
def digits(value):
    """Numbers in the site's digit style."""
    return arabic.localize_digits(str(value), settings.KHABAR_DIGITS)


@register.filter
def iso(value):
    return value.isoformat() if value else ""


@register.simple_tag
def today():
    """Today's date as the masthead shows it."""
    return ar_date(timezone.now())


@register.simple_tag(takes_context=True)
def article_jsonld(context, page):
    """The schema.org NewsArticle of a page, as a JSON-LD script element."""
    return jsonld.script_tag(jsonld.news_article(page, context["request"]))


@register.simple_tag
def site_jsonld():
    return jsonld.script_tag(jsonld.organization())


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    return page_url(page, context.get("request"))


@register.simple_tag(takes_context=True)
def article_body(context, page):
    """The body blocks, with the dateline ("موسكو:") opening the lead paragraph."""
    rendered = [block.render(context=context.flatten()) for block in page.body]
    if page.dateline:
        dateline = format_html('<span class="dateline">{}:</span> ', page.dateline)
        first = str(rendered[0]) if rendered else ""
        if page.body and page.body[0].block_type == "text" and first.lstrip().startswith("<p"):
            head, sep, tail = first.partition(">")
            rendered[0] = mark_safe(head + sep + dateline + tail)
        else:
            rendered.insert(0, format_html("<p>{}</p>", dateline))
    return mark_safe("\n".join(str(part) for part in rendered))


@register.simple_tag
def related_articles(page):
    """The «أخبار ذات صلة» block, built once per site-wide purge: its query is the costliest of the page."""

    def build():
        html = render_to_string("includes/related_articles.html", {"related": page.related_articles()})
        return html, None

    html, _ = fragments.cached(f"related:{page.pk}", build)
    return mark_safe(html)  # rendered by our own template, escaped there


@register.simple_tag
def article_card(article, show_summary=False, show_section=False):
    """A listing's teaser card, built once per site-wide purge and shared by every page that lists it.

    Twenty cards were most of a section page's miss (about 0.4 ms each). A card shows only
    published content; its «منذ …» time ages like a cached page's (KHABAR_PAGE_CACHE_SECONDS).
    """
    flags = {"show_summary": bool(show_summary), "show_section": bool(show_section)}

    def build():
        return render_to_string("includes/article_card.html", {"article": article, **flags}), None

    html, _ = fragments.cached(f"card:{article.pk}:{flags['show_summary']:d}{flags['show_section']:d}", build)
    return mark_safe(html)  # rendered by our own template, escaped there


class PublishedPageFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        page, request = context.get("page"), context.get("request")
        # A preview shows a draft that must never reach readers, nor take their copy.
        if page is None or request is None or getattr(request, "is_preview", False) or not page.live:
            return self.nodelist.render(context)

        def build():
            html = self.nodelist.render(context)
            # A deadline the render set (a breaking flag's end, through pagecache.expire_at) is the fragment's too.
            return html, pagecache.deadline(request)

        html, ends = fragments.cached(f"{self.name}:{request.get_host()}:{page.pk}", build)
        pagecache.expire_at(request, ends)  # a kept fragment passes its deadline on to the page
        return html


@register.tag
def published_page_fragment(parser, token):
    """``{% published_page_fragment "name" %}…{% endpublished_page_fragment %}``: the enclosed part of a live
    page's template, rendered once per site-wide purge (every publish is one) and shared by all processes.

    For the parts that only published content decides (an article's text, picture, authors, tags and
    JSON-LD; the home page's lists): on a page-cache miss they were most of the render. Nothing per
    reader may go inside. A deadline set while rendering it (``pagecache.expire_at``) goes with it.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("published_page_fragment takes one name")
    nodelist = parser.parse(("endpublished_page_fragment",))
    parser.delete_first_token()
    return PublishedPageFragmentNode(bits[1].strip("\"'"), nodelist)
