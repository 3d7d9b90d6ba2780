"""Text made from an article's body keeps its word boundaries wherever it is joined or cut.

A body's paragraphs are separate blocks with nothing between them ("…غزة.</p><p>وقالت…").
Wherever khabar turns them into plain text (the lead card's summary, meta descriptions,
feed items, JSON-LD, mail, search) the last word of one paragraph and the first of the next
stay two words: «غزة. وقالت», never «غزة.وقالت».
"""

import html as html_module
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from khabar.news.article_text import rich_text_paragraphs, shorten
from khabar.news.models import ArticlePage

pytestmark = pytest.mark.django_db

# The opening of the reference article (../shared/reference/seed-article.txt): two paragraphs.
PARAGRAPHS = (
    "بحث المسؤولون الروس اليوم الخميس مع وفد قيادي من حركة حماس في موسكو، مسألة إطلاق سراح "
    "المحتجزين الأجانب وإجلاء المواطنين الروس من قطاع غزة.",
    "وقالت الخارجية الروسية في بيان، نقلت مقتطفات منه قناة “آر تي عربية” الروسية: “جرت مباحثات "
    "لمواصلة الجهود الروسية للإفراج فورا عن المحتجزين الأجانب المتواجدين في قطاع غزة”.",
)
GLUED = "غزة.وقالت"
APART = "غزة. وقالت"


@pytest.fixture
def article(publish_article):
    """The reference article's opening, as a desk that wrote no summary publishes it."""
    return publish_article(title="موسكو تبحث مع وفد حماس إطلاق سراح الأجانب", paragraphs=PARAGRAPHS)


def test_home_page_lead_summary_of_the_reference_article(client, home, tmp_path):
    from tests.news.test_reference_article import reference_record

    path = tmp_path / "reference.jsonl"
    path.write_text(json.dumps(reference_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_articles", str(path))
    page = ArticlePage.objects.get(import_id="reference/seed-article.txt")
    assert not page.summary, "the reference copy has no summary: the lead card shows the body's opening"
    html = client.get("/").content.decode()
    (summary,) = re.findall(r'<p class="card__summary">(.*?)</p>', html, re.S)
    assert GLUED not in summary
    assert "من قطاع غزة. وقالت الخارجية" in summary


def test_description_joins_paragraphs_with_a_space(article):
    assert GLUED not in article.description
    assert APART in article.description


def test_description_is_cut_after_a_whole_word(article):
    assert article.description.endswith("…")
    assert len(article.description) <= 201
    opening = " ".join(PARAGRAPHS)
    kept = article.description[:-1]
    assert opening.startswith(kept)
    assert opening[len(kept)] == " ", "the last word shown is a whole word"


def test_meta_and_social_descriptions(client, article):
    html = client.get(article.url).content.decode()
    for name in ('name="description"', 'property="og:description"', 'name="twitter:description"'):
        content = html_module.unescape(re.search(rf'<meta {name} content="([^"]*)"', html).group(1))
        assert APART in content, name


def test_feed_item_description(client, article):
    channel = ElementTree.fromstring(client.get("/feed/").content).find("channel")
    description = channel.find("item").findtext("description")
    assert GLUED not in description
    assert APART in description


def test_jsonld_description(client, article):
    html = client.get(article.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert GLUED not in data["description"]
    assert APART in data["description"]


def test_entities_in_the_body_are_read_once(client, publish_article):
    page = publish_article(title="أسواق", paragraphs=("أرباح &amp; خسائر &lt;اليوم&gt;.", "فقرة ثانية."))
    assert page.description == "أرباح & خسائر <اليوم>. فقرة ثانية."
    html = client.get(page.url).content.decode()
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


@pytest.mark.parametrize(
    "markup, paragraphs",
    [
        ("<p>الأولى.</p><p>الثانية.</p>", ["الأولى.", "الثانية."]),
        ('<p data-block-key="a1">سطر<br/>وسطر</p>', ["سطر", "وسطر"]),
        ("<h2>عنوان</h2><p>نص</p>", ["عنوان", "نص"]),
        ("<ul><li>بند</li><li>وبند</li></ul>", ["بند", "وبند"]),
        ("<blockquote>قال</blockquote><p>ثم</p>", ["قال", "ثم"]),
        ('<p>رابط <a href="https://example.org/">إلى</a> <b>موقع</b></p>', ["رابط إلى موقع"]),
        ("<p>أ &amp; ب</p>", ["أ & ب"]),
        ("", []),
    ],
    ids=["paragraphs", "line-break", "heading", "list-items", "blockquote", "inline-tags", "entity", "empty"],
)
def test_rich_text_paragraphs(markup, paragraphs):
    assert rich_text_paragraphs(markup) == paragraphs


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("كلمة أخرى", 20, "كلمة أخرى"),
        ("كلمة أخرى ثالثة", 9, "كلمة أخرى…"),  # the limit falls right after a word: it stays
        ("كلمة أخرى ثالثة", 12, "كلمة أخرى…"),  # the limit falls inside a word: it goes
        ("أولى، ثانية", 8, "أولى…"),  # no comma dangling before the ellipsis
        ("فقرة.\n\nوفقرة", 20, "فقرة. وفقرة"),
        ("ا" * 30, 10, "ا" * 10 + "…"),
    ],
    ids=["fits", "limit-after-word", "limit-inside-word", "comma", "paragraphs", "one-long-word"],
)
def test_shorten_keeps_whole_words(text, limit, expected):
    assert shorten(text, limit) == expected
