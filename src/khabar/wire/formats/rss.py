"""RSS 2.0 (and RSS 1.0's ``item`` elements, which read the same way)."""

from .dates import parse_any
from .entry import WireEntry
from .safexml import child_text, descendants


def parse_rss(root):
    """The items of an RSS channel, newest first as the feed lists them."""
    entries = []
    for item in descendants(root, "item"):
        link = child_text(item, "link")
        title = child_text(item, "title")
        guid = child_text(item, "guid") or link or title
        if not guid or not title:
            continue  # nothing to know the item by next time, or nothing to call it
        # content:encoded holds the full HTML when an agency sends both it and a short description.
        body = child_text(item, "encoded") or child_text(item, "description")
        updated = parse_any(child_text(item, "pubDate") or child_text(item, "date") or child_text(item, "updated"))
        entries.append(WireEntry(guid=guid, headline=title, body_html=body, updated=updated, url=_http(link)))
    return entries


def _http(url):
    return url if url.startswith(("http://", "https://")) else ""
