"""Choosing the parser: the format the agency is configured with, or the one the payload shows."""

from .atom import parse_atom
from .entry import FeedError
from .newsml import parse_newsml
from .ninjs import parse_ninjs
from .rss import parse_rss
from .safexml import local, parse_xml

FORMATS = ("auto", "rss", "atom", "ninjs", "newsml")
# The root element that each XML format opens with.
_XML_ROOTS = {"rss": "rss", "RDF": "rss", "feed": "atom", "newsMessage": "newsml", "newsItem": "newsml"}
_PARSERS = {"rss": parse_rss, "atom": parse_atom, "newsml": parse_newsml}


def sniff(payload):
    """"ninjs" for JSON, else the XML format named by the root element; FeedError when neither."""
    if sniff_is_json(payload):
        return "ninjs"
    return _xml_format(parse_xml(payload))


def parse(payload, fmt="auto"):
    """The WireEntries of ``payload`` read as ``fmt`` ("auto" sniffs); FeedError when it cannot be read."""
    if fmt not in FORMATS:
        raise FeedError(f"صيغة غير معروفة: {fmt}")
    if fmt == "ninjs" or (fmt == "auto" and sniff_is_json(payload)):
        return _guarded(parse_ninjs, payload)
    root = parse_xml(payload)
    found = _xml_format(root)
    if fmt != "auto" and found != fmt:
        raise FeedError(f"الخدمة ليست بالصيغة المعلنة ({fmt})، بل تبدو {found}")
    return _guarded(_PARSERS[found], root)


def sniff_is_json(payload):
    """True when the payload opens like JSON (an object or a list)."""
    head = payload.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] if isinstance(payload, bytes) else payload.lstrip()[:1]
    return head in (b"{", b"[", "{", "[")


def _xml_format(root):
    found = _XML_ROOTS.get(local(root.tag))
    if found is None:
        raise FeedError("تعذر التعرف على صيغة الخدمة: ليست RSS ولا Atom ولا ninjs ولا NewsML-G2")
    return found


def _guarded(parser, document):
    """Run ``parser``; a document shaped in a way no parser expects is a FeedError, not a crash."""
    try:
        return parser(document)
    except FeedError:
        raise
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        raise FeedError("تعذرت قراءة الخدمة: بنيتها غير متوقعة") from error
