"""Answers every page request needs before routing, kept as shared fragments instead of asked of the database.

Wagtail asks, on each request, which Site serves the host (one query), that site's home page
(two more: the page, then its specific type) and, for the page found, the view restrictions on
it and its ancestors (two more). These change almost never; a page-cache miss paid ~5 ms of ORM
work for them. Both are kept until the next site-wide purge, which a Site, a home page or a view
restriction change triggers (signal_handlers).
"""

from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from khabar.pagecache import api, fragments


def site_for_request(request):
    """The Site serving ``request`` with its home page loaded as its own type, or None (Wagtail's rules)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def build():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None, None
        # Wagtail routes from site.root_page.localized.specific: hand it the specific page already.
        site.root_page = site.root_page.specific
        return site, None

    return fragments.cached(f"site:{hostname}:{port}", build)[0]


class KnownSiteMiddleware:
    """Gives Wagtail the request's Site from the shared fragment (Wagtail reads ``request._wagtail_site``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without the shared fragments (KHABAR_FRAGMENT_CACHE=off) Wagtail asks, and only when a view needs it.
        if api.config().fragments:
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def _restricted_paths():
    """Tree paths of the pages that carry a view restriction; None when any page is an alias.

    Aliases take their source's restrictions, which a path prefix cannot tell: then every
    page asks Wagtail as before.
    """
    if Page.objects.filter(alias_of__isnull=False).exists():
        return None, None
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True)), None


class KnownRestrictionsMixin:
    """Page types whose view restrictions are read from the database only when some restriction covers them."""

    def get_view_restrictions(self):
        paths, _ = fragments.cached("restricted-paths", _restricted_paths)
        if paths is not None and not any(self.path.startswith(path) for path in paths):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
