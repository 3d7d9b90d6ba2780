"""Where a submission comes from: the page that sent it, and the reader's address, hashed.

The raw IP address is never stored or logged. A keyed hash (HMAC with the
site's secret) is enough to see that two comments came from the same place and
to rate-limit it, and cannot be turned back into the address without the secret.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

from khabar.comments.text import clean_line

USER_AGENT_LENGTH = 200


def _origin_of(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request):
    origins = {_origin_of(settings.SITE_URL)}
    origins.update(_origin_of(origin) for origin in settings.CSRF_TRUSTED_ORIGINS)
    origins.add(f"{request.scheme}://{request.get_host()}".lower())
    origins.discard(None)
    return origins


def origin_verdict(request):
    """True: sent by one of our pages. False: sent by another site. None: the browser did not say.

    ``Origin`` is what browsers send with every cross-site POST; ``Referer`` stands in
    for it in the rare browser that sends only that.
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = request.META.get("HTTP_REFERER")
        if not referer:
            return None
        origin = _origin_of(referer)
    elif origin == "null":
        return False  # sandboxed frames and privacy-sensitive redirects: nothing to trust
    return (origin or "").lower() in allowed_origins(request)


def client_address(request):
    """The reader's IP address, from KHABAR_COMMENTS_IP_HEADER behind a proxy, else REMOTE_ADDR.

    With a header such as X-Forwarded-For the right-most address is used: the one
    our own proxy appended, which the client cannot forge.
    """
    header = settings.KHABAR_COMMENTS_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in value.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def address_hash(address):
    """A keyed hash of an IP address (or of anything identifying, such as an e-mail)."""
    if not address:
        return ""
    return salted_hmac("khabar.comments.source", address, algorithm="sha256").hexdigest()


def user_agent(request):
    return clean_line(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
