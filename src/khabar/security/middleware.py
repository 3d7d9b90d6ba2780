"""Content-Security-Policy on every response: one for the readers' pages, one for the admin, one for data."""

from django.conf import settings

HEADER = "Content-Security-Policy"
ADMIN_PREFIX = "/admin/"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def policy_text(directives):
    """The header value of ``{"directive": [sources…]}``, in the order written."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.KHABAR_CSP`` on pages, ``KHABAR_ADMIN_CSP`` under /admin/ and ``KHABAR_DATA_CSP``
    on everything else a browser could open as a document (feeds, sitemaps, JSON, static files).

    Each policy is one fixed text, computed once: public pages are stored whole, headers
    included, by khabar's page cache and the front caches, so a per-request nonce would be
    replayed to every reader. A response that already has a policy (media, Wagtail's
    document view) keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.page = policy_text(settings.KHABAR_CSP)
        self.admin = policy_text(settings.KHABAR_ADMIN_CSP)
        self.data = policy_text(settings.KHABAR_DATA_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.policy_for(request, response)
        return response

    def policy_for(self, request, response):
        if request.path_info.startswith(ADMIN_PREFIX):
            return self.admin
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        return self.page if content_type in HTML_TYPES else self.data
