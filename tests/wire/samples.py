"""Agency feeds in each format, with Arabic wire copy written for these tests."""

import json
from html import escape

# Three stories, as an agency would file them: a dateline, a lead, a quote, the credit at the end.
STORIES = {
    "quake": {
        "headline": "زلزال بقوة 5,8 درجات يضرب جنوب تركيا دون أنباء عن ضحايا",
        "paragraphs": [
            "أنقرة - أ ف ب: ضرب زلزال بقوة 5,8 درجات على مقياس ريختر جنوب تركيا فجر اليوم الأربعاء، وفق ما أعلنت هيئة إدارة الكوارث والطوارئ.",
            "وقالت الهيئة في بيان إن مركز الزلزال كان على عمق عشرة كيلومترات قرب بلدة كهرمان مرعش، ولم ترد حتى الآن أنباء عن ضحايا.",
            "وشعر السكان بالهزة في عدد من الولايات المجاورة، وخرج كثيرون إلى الشوارع خشية هزات ارتدادية. (أ ف ب)",
        ],
    },
    "talks": {
        "headline": "محادثات جديدة في الدوحة بشأن الهدنة في السودان",
        "paragraphs": [
            "الدوحة: بدأت في العاصمة القطرية اليوم جولة جديدة من المحادثات غير المباشرة بين طرفي النزاع في السودان.",
            "وقال مصدر مطلع إن الجولة تركز على فتح ممرات آمنة لإيصال المساعدات الإنسانية إلى إقليم دارفور منذ .2023",
            "(وكالات)",
        ],
    },
    "oil": {
        "headline": "أسعار النفط ترتفع مع تراجع المخزونات الأمريكية",
        "paragraphs": [
            "لندن (رويترز) - ارتفعت أسعار النفط في التعاملات الآسيوية اليوم بعد أن أظهرت بيانات رسمية تراجع مخزونات الخام الأمريكية.",
            "وصعد خام برنت 60 سنتاً إلى 81,20 دولار للبرميل، فيما زاد خام غرب تكساس الوسيط 55 سنتاً.",
        ],
    },
}


def story_html(key, extra=""):
    story = STORIES[key]
    return "".join(f"<p>{escape(p)}</p>" for p in story["paragraphs"]) + extra


def rss(items):
    """items: (guid, headline, html, pubDate RFC 822) tuples."""
    entries = "".join(
        f"<item><title>{escape(h)}</title><link>https://wire.example.org/{g}</link>"
        f'<guid isPermaLink="false">{g}</guid><pubDate>{d}</pubDate>'
        f"<description>{escape(body)}</description></item>"
        for g, h, body, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>وكالة الصحافة الفرنسية</title>'
        f"<link>https://wire.example.org/</link><description>الخدمة العربية</description>{entries}</channel></rss>"
    )


def atom(entries, tombstones=()):
    """entries: (id, headline, xhtml body, updated ISO) tuples; tombstones: ids."""
    body = "".join(
        f"<entry><id>{i}</id><title>{escape(h)}</title><updated>{u}</updated>"
        f'<link rel="alternate" href="https://atom.example.org/{i.rsplit(":", 1)[-1]}"/>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{b}</div></content></entry>'
        for i, h, b, u in entries
    )
    dead = "".join(f'<at:deleted-entry ref="{ref}" when="2026-12-02T09:00:00Z"/>' for ref in tombstones)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:at="http://purl.org/atompub/tombstones/1.0">'
        "<title>رويترز - الخدمة العربية</title><id>urn:reuters:ar</id><updated>2026-12-02T08:00:00Z</updated>"
        f"{body}{dead}</feed>"
    )


def ninjs_item(uri, key, version=1, pubstatus="usable", located="", html=None, versioncreated="2026-12-02T07:30:00+03:00"):
    story = STORIES[key]
    item = {
        "uri": uri,
        "version": str(version),
        "versioncreated": versioncreated,
        "pubstatus": pubstatus,
        "type": "text",
        "language": "ar",
        "headlines": [{"role": "main", "value": story["headline"]}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": html if html is not None else story_html(key)}],
        "links": [{"rel": "canonical", "href": f"https://ninjs.example.org/{uri.rsplit(':', 1)[-1]}"}],
    }
    if located:
        item["located"] = located
    return item


def ninjs(items):
    return json.dumps({"items": items}, ensure_ascii=False)


def newsml(items):
    """items: (guid, version, headline, xhtml body, status qcode, located) tuples."""
    news_items = "".join(
        f'<newsItem guid="{g}" version="{v}" standard="NewsML-G2" standardversion="2.29">'
        f'<itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-12-02T06:00:00Z</versionCreated>'
        f'<pubStatus qcode="{s}"/><link rel="irel:seeAlso" href="https://g2.example.org/{g.rsplit(":", 1)[-1]}"/></itemMeta>'
        f"<contentMeta><headline>{escape(h)}</headline>"
        + (f"<located><name>{escape(place)}</name></located>" if place else "")
        + "<dateline>أ ف ب</dateline></contentMeta>"
        f'<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{escape(h)}</title></head><body>{b}</body></html></inlineXML></contentSet></newsItem>"
        for g, v, h, b, s, place in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-12-02T06:01:00Z</sent></header>'
        f"<itemSet>{news_items}</itemSet></newsMessage>"
    )


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "هههههههههه">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    '<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
    '<rss version="2.0"><channel><item><title>&g;</title><guid>bomb-1</guid><description>x</description></item></channel></rss>'
)

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><item><title>خبر &secret;</title><guid>xxe-1</guid>'
    "<description>نص</description></item></channel></rss>"
)
