"""IPTC ninjs (JSON) items, 2.x field names first and the 1.x ones as a fallback.

A feed may be one item, a list of items, or an object holding them under ``items`` (or ``data``).
"""

import json
from html import escape

from .dates import parse_iso
from .entry import FeedError, WireEntry, as_version

CANCELED = {"canceled", "cancelled"}


def parse_ninjs(payload):
    """The items of a ninjs payload (bytes or str)."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError("تعذرت قراءة الخدمة: ملف JSON غير صالح") from error
    if isinstance(data, dict) and "uri" not in data:
        data = data.get("items", data.get("data"))
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedError("تعذرت قراءة الخدمة: لا تحتوي على أخبار بصيغة ninjs")
    return [entry for entry in map(_entry, data) if entry is not None]


def _entry(item):
    if not isinstance(item, dict):
        return None
    guid = _string(item.get("uri")) or _string(item.get("guid"))
    canceled = _string(item.get("pubstatus")).lower() in CANCELED
    headline = _main_value(item.get("headlines")) or _string(item.get("headline"))
    if not guid or (not headline and not canceled):
        return None
    return WireEntry(
        guid=guid,
        headline=headline,
        body_html=_body(item),
        version=as_version(item.get("version")),
        updated=parse_iso(_string(item.get("versioncreated")) or _string(item.get("firstcreated"))),
        url=_url(item),
        dateline=_located(item),
        canceled=canceled,
    )


def _string(value):
    return value.strip() if isinstance(value, str) else ""


def _main_value(values, contenttype=None):
    """The ``value`` of the entry whose role is "main" (else the first), optionally of one content type."""
    if not isinstance(values, list):
        return ""
    values = [v for v in values if isinstance(v, dict) and _string(v.get("value"))]
    if contenttype:
        values = [v for v in values if _string(v.get("contenttype")).lower() in contenttype]
    values.sort(key=lambda v: _string(v.get("role")) != "main")  # stable: "main" first, then feed order
    return _string(values[0]["value"]) if values else ""


def _body(item):
    html = _main_value(item.get("bodies"), {"text/html", "application/xhtml+xml"}) or _string(item.get("body_html"))
    if html:
        return html
    text = _main_value(item.get("bodies"), {"text/plain", ""}) or _string(item.get("body_text"))
    return "".join(f"<p>{escape(line.strip(), quote=False)}</p>" for line in text.split("\n") if line.strip())


def _url(item):
    for link in item.get("links") or []:
        rel = _string(link.get("rel")).rsplit("/", 1)[-1] if isinstance(link, dict) else None
        if rel in {"canonical", "alternate", "self", ""}:
            href = _string(link.get("href"))
            if href.startswith(("http://", "https://")):
                return href
    url = _string(item.get("url"))
    return url if url.startswith(("http://", "https://")) else ""


def _located(item):
    located = item.get("located")
    if isinstance(located, dict):
        located = located.get("name")
    if _string(located):
        return _string(located)
    # ninjs 2 names the place of filing among ``places`` with rel "located" (or role "dateline").
    for place in item.get("places") or []:
        if not isinstance(place, dict):
            continue
        if {_string(place.get("rel")), _string(place.get("role"))} & {"located", "dateline"}:
            return _string(place.get("name"))
    return ""
