from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from khabar.news import slots
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


# The search box in every page's masthead, with the style and the script that suggest headlines as one types.
hooks.register(slots.hook_name(slots.HEADER_TOOLS), slots.include("search/header_box.html"))


@hooks.register(slots.hook_name(slots.HEAD_STYLES))
def search_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("khabar/css/search.css"))


@hooks.register(slots.hook_name(slots.HEAD_SCRIPTS))
def search_script(context):
    return format_html('<script src="{}" defer></script>', static("khabar/js/search.js"))
