"""The reader's address, hashed, and their browser's name, trimmed (origin checks: khabar.request_source).

The raw IP address is never stored or logged. A keyed hash (HMAC with the
site's secret) is enough to see that two comments came from the same place and
to rate-limit it, and cannot be turned back into the address without the secret.
"""

from django.utils.crypto import salted_hmac

from khabar.comments.text import clean_line

USER_AGENT_LENGTH = 200


def address_hash(address):
    """A keyed hash of an IP address (or of anything identifying, such as an e-mail)."""
    if not address:
        return ""
    return salted_hmac("khabar.comments.source", address, algorithm="sha256").hexdigest()


def user_agent(request):
    return clean_line(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
