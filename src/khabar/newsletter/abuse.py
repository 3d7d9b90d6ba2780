"""Defences of the sign-up form, which is exempt from CSRF so cached pages can carry it.

Why that is safe: a sign-up only ever mails a confirmation link to the address
typed in, and nothing changes until its owner follows it. A forged cross-site
POST can achieve no more than typing the address into the form yourself. What
remains is volume, handled here: a same-origin check on Origin/Referer (browsers
send Origin with every cross-site POST), a honeypot field (forms.py) and
per-IP and per-address limits counted in the cache.
"""

import hashlib

from django.conf import settings

from khabar.request_source import client_ip, count_attempt, origin_verdict

WINDOW_SECONDS = 3600


def is_same_origin(request):
    """False when the browser says the form was posted from another site.

    A request with neither header (a privacy extension, a script) passes: the
    rate limits still apply, and browsers always send Origin cross-site.
    """
    return origin_verdict(request) is not False


def _over_limit(key, limit):
    """Count one more attempt under ``key`` and say whether the hourly limit is exceeded."""
    return count_attempt(key, WINDOW_SECONDS) > limit


def ip_over_limit(request):
    return _over_limit(f"khabar:newsletter:ip:{client_ip(request)}", settings.KHABAR_NEWSLETTER_IP_LIMIT)


def address_over_limit(email):
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _over_limit(f"khabar:newsletter:address:{digest}", settings.KHABAR_NEWSLETTER_ADDRESS_LIMIT)
