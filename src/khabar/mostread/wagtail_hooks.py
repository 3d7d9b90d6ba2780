from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks

from khabar.mostread import display
from khabar.news import slots


@hooks.register(slots.hook_name(slots.HEAD_STYLES))
def mostread_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("khabar/css/mostread.css"))


@hooks.register(slots.hook_name(slots.ARTICLE_HEAD))
def mostread_beacon(context):
    """The script that reports one view of this article; it reads the article's id from its own tag."""
    page = context.get("page")
    if page is None or not page.pk or getattr(context.get("request"), "is_preview", False):
        return ""  # an editor's preview is not a reader's view
    return format_html(
        '<script src="{}" defer data-mostread-page="{}" data-mostread-url="{}"></script>',
        static("khabar/js/mostread.js"), page.pk, reverse("mostread:hit"),
    )


@hooks.register(slots.hook_name(slots.HOME_ASIDE))
def mostread_on_home(context):
    return display.block("home")


@hooks.register(slots.hook_name(slots.ARTICLE_ASIDE))
def mostread_beside_article(context):
    return display.block("aside")
