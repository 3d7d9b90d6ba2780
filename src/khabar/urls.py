from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from khabar.news import views
from khabar.news.feeds import LatestArticlesFeed

handler404 = "khabar.news.views.page_not_found"
handler500 = "khabar.news.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("author/<str:slug>/", views.author_detail, name="author"),
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("search/", include("khabar.search.urls")),
    path("comments/", include("khabar.comments.urls")),
    path("newsletter/", include("khabar.newsletter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # Media uploaded by editors; a CDN or reverse proxy should serve /media/ in front of this.
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]
