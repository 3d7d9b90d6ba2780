from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from khabar.news import views
from khabar.news.feeds import LatestArticlesFeed
from khabar.push import views as push_views
from khabar.security import media as security_media

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
    path("mostread/", include("khabar.mostread.urls")),
    path("newsletter/", include("khabar.newsletter.urls")),
    path("push/", include("khabar.push.urls")),
    # At the root, so that the service worker's scope is the whole site.
    path("push-sw.js", push_views.service_worker, name="push-sw"),
]

# Media uploaded by editors (a CDN or reverse proxy should serve /media/ in front of this), in DEBUG
# too: only plain images, video and audio show inline, everything else downloads (khabar.security.media).
urlpatterns += [path("media/<path:path>", security_media.serve, name="media")]

urlpatterns += [path("", include(wagtail_urls))]
