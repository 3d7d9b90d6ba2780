"""Site-wide pieces of every page: the section menu and the breaking-news ticker."""

from django import template

from khabar.news.models import ArticlePage, HomePage, SectionPage

register = template.Library()


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    sections = SectionPage.objects.live().public().filter(show_in_menus=True).order_by("path")
    page = context.get("page")
    current_path = getattr(page, "path", "")
    items = [(section, current_path.startswith(section.path)) for section in sections]
    return {"items": items, "at_home": isinstance(page, HomePage), "request": context.get("request")}


@register.inclusion_tag("includes/breaking_ticker.html", takes_context=True)
def breaking_ticker(context):
    return {"items": list(ArticlePage.objects.breaking()[:5]), "request": context.get("request")}
