"""The record every format parser returns, and the error a feed that cannot be read raises."""

from dataclasses import dataclass
from datetime import datetime


class FeedError(Exception):
    """The feed could not be read at all; the message is Arabic, for the desk."""


@dataclass
class WireEntry:
    """One agency item as the feed describes it (body not yet sanitised)."""

    guid: str  # RSS guid (or link), Atom id, ninjs uri, NewsML-G2 guid
    headline: str
    body_html: str = ""
    version: int = 1
    updated: datetime | None = None  # the agency's time for this version, timezone-aware
    url: str = ""
    dateline: str = ""  # only when the format names the place (ninjs located, NewsML-G2 dateline)
    canceled: bool = False  # the agency killed the item (ninjs pubstatus, NewsML-G2 stat:canceled)


def as_version(value):
    """A version number from "3", 3 or "3.0"; 1 when absent or unreadable."""
    try:
        return max(1, int(float(str(value).strip())))
    except (TypeError, ValueError):
        return 1
