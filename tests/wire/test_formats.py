"""Reading each feed format (what the agency filed, before any cleaning), and telling them apart."""

import pytest

from khabar.wire.formats import FeedError, parse, sniff

from .samples import ENTITY_BOMB, EXTERNAL_ENTITY, STORIES, atom, newsml, ninjs, ninjs_item, rss, story_html


def test_each_format_is_recognised_from_the_payload_itself():
    quake = story_html("quake")
    assert sniff(rss([("g", "عنوان", quake, "")]).encode()) == "rss"
    assert sniff(atom([("urn:x", "عنوان", quake, "2026-12-02T05:00:00Z")]).encode()) == "atom"
    assert sniff(ninjs([ninjs_item("urn:x", "quake")]).encode()) == "ninjs"
    assert sniff(newsml([("urn:x", 1, "عنوان", quake, "stat:usable", "")]).encode()) == "newsml"
    with pytest.raises(FeedError, match="تعذر التعرف على صيغة الخدمة"):
        sniff(b"<html><body>not a feed</body></html>")
    with pytest.raises(FeedError, match="XML غير صالح"):
        parse(b"<rss><channel><item>")


def test_ninjs_fields():
    [entry] = parse(ninjs([ninjs_item("urn:aa:quake", "quake", version=3, located="أنقرة")]).encode())
    assert (entry.guid, entry.version, entry.dateline, entry.canceled) == ("urn:aa:quake", 3, "أنقرة", False)
    assert entry.headline == STORIES["quake"]["headline"]
    assert entry.updated.isoformat() == "2026-12-02T07:30:00+03:00"
    assert entry.url == "https://ninjs.example.org/quake"
    # A single item, ninjs 1.x names, a plain-text body.
    single = b'{"uri": "urn:one", "version": "2", "headline": "\xd8\xb9\xd8\xa7\xd8\xac\xd9\x84", "body_text": "a\\nb", "pubstatus": "canceled"}'
    [entry] = parse(single, "ninjs")
    assert (entry.headline, entry.body_html, entry.version, entry.canceled) == ("عاجل", "<p>a</p><p>b</p>", 2, True)


def test_newsml_g2_fields():
    [entry] = parse(newsml([("urn:newsml:x", 4, "عنوان الخبر", "<p>نص <b>مهم</b></p>", "stat:canceled", "بغداد")]).encode())
    assert (entry.guid, entry.version, entry.canceled, entry.dateline) == ("urn:newsml:x", 4, True, "بغداد")
    assert entry.body_html == "<p>نص <b>مهم</b></p>"
    assert entry.url == "https://g2.example.org/x"


def test_atom_html_and_text_content():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id><title type="html">عنوان &amp;lt;b&amp;gt;</title>'
        '<updated>2026-12-02T05:00:00+03:00</updated><content type="html">&lt;p&gt;نص&lt;/p&gt;</content></entry>'
        "<entry><id>urn:2</id><title>ثان</title><summary>سطر\nسطر &lt;آخر&gt;</summary></entry></feed>"
    )
    first, second = parse(feed.encode(), "atom")
    assert first.body_html == "<p>نص</p>" and first.updated.isoformat() == "2026-12-02T05:00:00+03:00"
    assert second.body_html == "<p>سطر</p><p>سطر &lt;آخر&gt;</p>" and second.updated is None


@pytest.mark.parametrize("payload", [ENTITY_BOMB, EXTERNAL_ENTITY])
def test_xml_entities_are_refused_in_every_xml_format(payload):
    for fmt in ("auto", "rss"):
        with pytest.raises(FeedError, match="كيانات XML"):
            parse(payload.encode(), fmt)
    wrapped = payload.replace("<rss version=\"2.0\"><channel>", '<feed xmlns="http://www.w3.org/2005/Atom">')
    with pytest.raises(FeedError, match="كيانات XML"):
        parse(wrapped.encode(), "atom")


def test_a_feed_of_an_unexpected_shape_is_a_feed_error_not_a_crash():
    with pytest.raises(FeedError, match="بنيتها غير متوقعة"):
        parse(b'{"items": [{"uri": "urn:x", "headline": "h", "links": 5}]}')
    with pytest.raises(FeedError, match="لا تحتوي على أخبار"):
        parse(b'{"items": 3}')
