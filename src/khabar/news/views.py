"""Reader-facing views that are not Wagtail pages: authors, tags, robots, errors, sitemaps."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from taggit.models import Tag

from khabar.news.models import ArticlePage, Author
from khabar.news.models.pages import attach_sections, paginate
from khabar.news.sitemaps import SITEMAPS, recent_news
from khabar.news.urls_util import absolute_url


def _slug(slug):
    """The slug from the URL; one holding NUL, which no slug has and PostgreSQL refuses in a query, is a 404."""
    if "\x00" in slug:
        raise Http404("لا توجد صفحة بهذا العنوان")
    return slug


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=_slug(slug))
    articles = ArticlePage.objects.published().filter(authors=author).newest_first().for_listing()
    page_obj = paginate(request, articles, listing=f"author:{author.pk}")
    page_obj.object_list = attach_sections(page_obj.object_list)
    return render(request, "news/author_page.html", {"author": author, "page_obj": page_obj})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=_slug(slug))
    articles = ArticlePage.objects.published().filter(tagged_items__tag=tag).newest_first().for_listing()
    page_obj = paginate(request, articles, listing=f"tag:{tag.pk}")
    page_obj.object_list = attach_sections(page_obj.object_list)
    return render(request, "news/tag_page.html", {"tag": tag, "page_obj": page_obj})


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap-index'))}",
        f"Sitemap: {absolute_url(reverse('news-sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def news_sitemap(request):
    """The Google News sitemap: articles of the last 48 hours with their publication data."""
    return TemplateResponse(
        request,
        "news/news_sitemap.xml",
        {"articles": recent_news(), "publication_name": settings.SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or queries here: the error may be the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
