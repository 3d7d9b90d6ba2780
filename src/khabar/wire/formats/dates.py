"""Times as feeds write them: RFC 822 in RSS, ISO 8601 in Atom, ninjs and NewsML-G2."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_rfc822(text):
    """``Wed, 02 Dec 2026 07:00:00 +0300`` as an aware datetime; None when unreadable."""
    try:
        value = parsedate_to_datetime((text or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(value)


def parse_iso(text):
    """``2026-12-02T07:00:00+03:00`` (or ``…Z``) as an aware datetime; None when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return _aware(value)


def parse_any(text):
    """Either form: feeds mix them (an RSS ``dc:date`` is ISO 8601)."""
    return parse_iso(text) or parse_rfc822(text)


def _aware(value):
    # A time with no zone is taken as UTC: agencies that omit it file in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
