"""Absolute URLs built from KHABAR_SITE_URL, the one public address of the site."""

from django.conf import settings


def absolute_url(path):
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def page_url(page, request=None):
    """The canonical public URL of a Wagtail page."""
    return absolute_url(page.get_url(request=request) or "/")
