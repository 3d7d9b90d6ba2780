from django.contrib.auth.decorators import user_passes_test
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from khabar.wordpress import admin_views

# Importing a site writes sections, pages, accounts and redirects: superusers only.
superuser_only = user_passes_test(lambda user: user.is_active and user.is_superuser)


@hooks.register("register_admin_urls")
def wordpress_urls():
    return [
        path("import/wordpress/", superuser_only(admin_views.upload), name="wordpress_import"),
        path("import/wordpress/<int:pk>/", superuser_only(admin_views.run_detail), name="wordpress_import_run"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def wordpress_menu_item():
    return SuperuserMenuItem("الاستيراد من ووردبريس", reverse("wordpress_import"), icon_name="download", order=900)
