from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from khabar.search import admin_urls
from khabar.search.admin_views import PERMISSION


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("search-queries/", include(admin_urls, namespace="khabar_search_admin"))]


class SearchQueriesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_search_queries_report():
    return SearchQueriesMenuItem(
        "عبارات البحث", reverse("khabar_search_admin:queries"), name="khabar-search-queries", icon_name="search", order=1400
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(content_type__app_label="khabar_search", codename="view_searchquerylog")
