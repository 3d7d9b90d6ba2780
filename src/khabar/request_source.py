"""Where a form submission comes from: which site's page sent it, and the reader's address.

The comment and newsletter forms sit on pages served from a cache, so they
carry no CSRF cookie. Instead their views check the Origin (or Referer) header
that browsers attach to every cross-site POST, and rate-limit by address.
Both rules live here so the two forms cannot drift apart.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache


def _origin_of(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request):
    origins = {_origin_of(settings.SITE_URL), f"{request.scheme}://{request.get_host()}".lower()}
    origins.update(_origin_of(origin) for origin in settings.CSRF_TRUSTED_ORIGINS)
    origins.discard(None)
    return origins


def origin_verdict(request):
    """True: sent by one of our pages. False: sent by another site. None: the browser did not say.

    ``Referer`` stands in for ``Origin`` in the rare browser that sends only that;
    ``Origin: null`` (sandboxed frames, privacy redirects) is never trusted.
    """
    origin = request.META.get("HTTP_ORIGIN") or None  # an empty header says nothing
    if origin is None:
        referer = request.META.get("HTTP_REFERER")
        if not referer:
            return None
        origin = _origin_of(referer)
    elif origin == "null":
        return False
    return (origin or "").lower() in allowed_origins(request)


def client_ip(request):
    """The reader's IP address: from KHABAR_CLIENT_IP_HEADER behind a proxy, else REMOTE_ADDR.

    With a header such as X-Forwarded-For the right-most address is used: the one
    our own proxy appended, which the client cannot forge.
    """
    header = settings.KHABAR_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in value.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def count_attempt(key, window_seconds):
    """Count one more attempt under ``key`` in Django's cache; the total within the window."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1
