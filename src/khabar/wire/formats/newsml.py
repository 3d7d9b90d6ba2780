"""NewsML-G2 text items: a ``newsMessage`` of ``newsItem``s, or one ``newsItem`` on its own."""

import re
from html import escape

from .dates import parse_iso
from .entry import WireEntry, as_version
from .safexml import child, child_text, descendants, inner_html, local


def parse_newsml(root):
    """The news items of a NewsML-G2 document."""
    items = [root] if local(root.tag) == "newsItem" else descendants(root, "newsItem")
    return [entry for entry in map(_entry, items) if entry is not None]


def _entry(item):
    guid = item.get("guid", "").strip()
    meta = child(item, "itemMeta")
    content_meta = child(item, "contentMeta")
    status = child(meta, "pubStatus") if meta is not None else None
    canceled = status is not None and status.get("qcode", "").split(":")[-1] in {"canceled", "cancelled"}
    headline = child_text(content_meta, "headline") if content_meta is not None else ""
    if not guid or (not headline and not canceled):
        return None
    return WireEntry(
        guid=guid,
        headline=headline,
        body_html=_body(item),
        version=as_version(item.get("version")),
        updated=parse_iso(child_text(meta, "versionCreated")) if meta is not None else None,
        url=_url(meta),
        dateline=_dateline(content_meta),
        canceled=canceled,
    )


def _body(item):
    for inline in descendants(item, "inlineXML"):
        body = next(iter(descendants(inline, "body")), None)
        return inner_html(body if body is not None else inline).strip()
    for inline in descendants(item, "inlineData"):
        text = "".join(inline.itertext())
        return "".join(f"<p>{escape(line.strip(), quote=False)}</p>" for line in text.split("\n") if line.strip())
    return ""


def _url(meta):
    if meta is None:
        return ""
    for link in descendants(meta, "link"):
        href = link.get("href", "").strip()
        if href.startswith(("http://", "https://")):
            return href
    return ""


def _dateline(content_meta):
    """The place of filing: ``located/name``, else the ``dateline`` text without its agency tail."""
    if content_meta is None:
        return ""
    located = child(content_meta, "located")
    if located is not None:
        name = child_text(located, "name")
        if name:
            return name
    dateline = child_text(content_meta, "dateline")
    # "موسكو - أ ف ب" or "موسكو (رويترز) -": the place is what precedes the agency.
    return re.split(r"\s*[-–—(]\s*", dateline, maxsplit=1)[0].strip(" ,،:") if dateline else ""
