"""Where a form submission comes from: which site's page sent it.

The comment and newsletter forms sit on pages served from a cache, so they
carry no CSRF cookie. Instead their views check the Origin (or Referer) header
that browsers attach to every cross-site POST. The rule lives here so the two
forms cannot drift apart; the reader's address and rate limits live in
``khabar.identity``.
"""

from urllib.parse import urlsplit

from django.conf import settings


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[" (a broken IPv6 host) is no address at all, so not one of ours
        return None
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

