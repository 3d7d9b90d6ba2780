"""Safe XML reading shared by the RSS, Atom and NewsML-G2 parsers."""

from html import escape
from xml.etree.ElementTree import ParseError, tostring

import defusedxml
from defusedxml.ElementTree import fromstring

from .entry import FeedError


def parse_xml(payload):
    """The root element of ``payload``; entity declarations and external references are refused.

    ``forbid_entities`` stops the billion-laughs kind of bomb before any expansion; a DOCTYPE on
    its own is allowed because some real feeds still carry one (RSS 0.91's Netscape DTD).
    """
    try:
        return fromstring(payload, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as error:
        raise FeedError("رُفضت الخدمة: تحتوي على كيانات XML غير مسموح بها (حماية من الملفات المفخخة)") from error
    except (ParseError, ValueError) as error:
        raise FeedError("تعذرت قراءة الخدمة: ملف XML غير صالح") from error


def local(tag):
    """A tag without its namespace: ``{http://www.w3.org/2005/Atom}entry`` → ``entry``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, name):
    """Direct children of ``element`` named ``name`` in any namespace (feeds are loose about them)."""
    return [child for child in element if local(child.tag) == name]


def child(element, name):
    """The first direct child named ``name`` in any namespace, or None."""
    found = children(element, name)
    return found[0] if found else None


def child_text(element, name):
    """The whole text of the first child named ``name``, stripped; "" when absent."""
    found = child(element, name)
    return "".join(found.itertext()).strip() if found is not None else ""


def descendants(element, name):
    """Every element below ``element`` named ``name`` in any namespace, in document order."""
    return [node for node in element.iter() if local(node.tag) == name and node is not element]


def inner_html(element):
    """The markup inside ``element`` (XHTML in Atom or NewsML-G2) as plain HTML, namespaces dropped."""
    for node in element.iter():
        node.tag = local(node.tag)
        node.attrib = {local(name): value for name, value in node.attrib.items()}
    parts = [escape(element.text or "", quote=False)]
    parts += [tostring(node, encoding="unicode", method="html") for node in element]
    return "".join(parts)
