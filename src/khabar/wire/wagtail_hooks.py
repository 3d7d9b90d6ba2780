from django.urls import path, reverse
from wagtail import hooks

from khabar.wire import admin_views, desk


@hooks.register("register_admin_urls")
def wire_desk_urls():
    return [
        path("wire/", admin_views.DeskView.as_view(), name="wire_desk"),
        path("wire/results/", admin_views.DeskView.as_view(results_only=True), name="wire_desk_results"),
        path("wire/<int:pk>/open/", admin_views.open_item, name="wire_open"),
        path("wire/<int:pk>/publish/", admin_views.publish_item, name="wire_publish"),
        path("wire/<int:pk>/merge/", admin_views.merge_item, name="wire_merge"),
        path("wire/<int:pk>/dismiss/", admin_views.dismiss_item, name="wire_dismiss"),
    ]


@hooks.register("register_admin_menu_item")
def wire_desk_menu_item():
    # Right after «الصفحات» (order 100): the desk is where a shift starts.
    return admin_views.DeskMenuItem(admin_views.TITLE, reverse("wire_desk"), icon_name=admin_views.ICON, order=150)


@hooks.register("construct_homepage_panels")
def wire_desk_panel(request, panels):
    if desk.can_use_desk(request.user):
        panels.append(admin_views.DeskPanel())
