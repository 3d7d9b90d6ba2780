"""Atom 1.0 feeds, with RFC 6721 tombstones (``at:deleted-entry``) read as withdrawals."""

from html import escape

from .dates import parse_iso
from .entry import WireEntry
from .safexml import child, children, inner_html


def parse_atom(root):
    """The entries of an Atom feed, and a canceled entry for each tombstone."""
    entries = []
    for entry in children(root, "entry"):
        guid = _text(child(entry, "id"))
        title = _text(child(entry, "title"))
        if not guid or not title:
            continue
        body = _content(child(entry, "content")) or _content(child(entry, "summary"))
        updated = parse_iso(_text(child(entry, "updated")) or _text(child(entry, "published")))
        entries.append(WireEntry(guid=guid, headline=title, body_html=body, updated=updated, url=_link(entry)))
    for tombstone in children(root, "deleted-entry"):
        ref = tombstone.get("ref", "").strip()
        if ref:
            entries.append(WireEntry(guid=ref, headline="", canceled=True, updated=parse_iso(tombstone.get("when"))))
    return entries


def _text(element):
    return "".join(element.itertext()).strip() if element is not None else ""


def _content(element):
    """HTML of an Atom text construct: ``html`` is escaped markup, ``xhtml`` a div, ``text`` plain."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = child(element, "div")
        return inner_html(div if div is not None else element).strip()
    text = "".join(element.itertext()).strip()
    if kind == "html":
        return text
    return "".join(f"<p>{escape(line.strip(), quote=False)}</p>" for line in text.split("\n") if line.strip())


def _link(entry):
    links = children(entry, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href", "").startswith(("http://", "https://")):
            return link.get("href")
    return ""
