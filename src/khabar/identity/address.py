"""Where a request comes from, and a keyed hash that stands in for anything that identifies a reader.

A raw IP or e-mail address is never put in a cache key, a log line or a column
that was not made to hold it. ``keyed_hash`` (an HMAC with the site's secret)
is enough to see that two requests came from the same place, and cannot be
turned back into the address without the secret.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac


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


def keyed_hash(value, purpose):
    """A hex HMAC-SHA256 of ``value`` keyed by the site's secret and ``purpose``; "" for no value.

    ``purpose`` separates uses, so a hash made for one never matches one made
    for another. A hash that is stored must keep its purpose string for ever:
    changing it makes old rows stop matching new ones.
    """
    if not value:
        return ""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()
