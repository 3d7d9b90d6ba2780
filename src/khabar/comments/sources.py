"""The reader's address, hashed, and their browser's name, trimmed (origin checks: khabar.request_source).

The raw IP address is never stored or logged: ``Comment.ip_hash`` holds a keyed
hash of it (see ``khabar.identity.address``), enough to see that two comments
came from the same place.
"""

from khabar.comments.text import clean_line
from khabar.identity.address import client_ip, keyed_hash

USER_AGENT_LENGTH = 200
# The purpose of the hashes stored in Comment.ip_hash: with another, old rows would stop matching new ones.
SOURCE_PURPOSE = "khabar.comments.source"


def address_hash(request):
    """The keyed hash of the reader's IP address, as stored with their comment."""
    return keyed_hash(client_ip(request), SOURCE_PURPOSE)


def user_agent(request):
    return clean_line(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
