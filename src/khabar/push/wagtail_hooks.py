"""Web push on the readers' pages (the button in the masthead, its style and script)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from khabar.news import slots

# The same markup on every page and for every reader: the script alone learns the browser's state.
hooks.register(slots.hook_name(slots.HEADER_TOOLS), slots.include("push/button.html"))


@hooks.register(slots.hook_name(slots.HEAD_STYLES))
def push_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("khabar/css/push.css"))


@hooks.register(slots.hook_name(slots.HEAD_SCRIPTS))
def push_script(context):
    return format_html('<script src="{}" defer></script>', static("khabar/js/push.js"))

