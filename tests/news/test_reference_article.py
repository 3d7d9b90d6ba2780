"""The reference page (../shared/reference/seed-article.txt) imported and rendered end to end."""

import json
import re

import pytest
from django.core.management import call_command

from khabar.news.models import ArticlePage
from tests.conftest import shared_path

PUBLISHED = "2023-10-26T10:00:00+03:00"  # the Thursday the article reports ("اليوم الخميس")


def reference_record():
    """The article of the reference page as one corpus record: the page's chrome left out."""
    lines = shared_path("reference/seed-article.txt").read_text(encoding="utf-8").split("\n")
    title = lines[0].strip()
    start = lines.index("0") + 1  # the font-size counter closes the page's header
    end = lines.index("(وكالات)") + 1  # the credit closes the article; the comment form follows
    body = "\n".join(lines[start:end]).strip()
    return {
        "id": "reference/seed-article.txt",
        "title": title,
        "body": body,
        "section": "الشرق الأوسط",
        "published": PUBLISHED,
        "source": "khabar",
        "url": "",
    }


@pytest.fixture
def reference_page(db, tmp_path):
    path = tmp_path / "reference.jsonl"
    path.write_text(json.dumps(reference_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_articles", str(path))
    return ArticlePage.objects.get(import_id="reference/seed-article.txt")


@pytest.fixture
def html(client, reference_page):
    response = client.get(reference_page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_fields_lifted_out_of_the_copy(reference_page):
    assert reference_page.dateline == "موسكو"
    assert reference_page.credit == "وكالات"
    assert reference_page.title == "موسكو تبحث مع وفد حماس إطلاق سراح الأجانب وإجلاء المواطنين الروس من غزة"


def test_headline_in_h1(html, reference_page):
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == [reference_page.title]


def test_font_size_control_with_counter_zero(html):
    assert re.search(r'<span class="font-size__label"[^>]*>حجم الخط</span>', html)
    assert re.search(r"<output[^>]*data-font-counter[^>]*>0</output>", html)


def test_dateline_before_the_lead(html):
    assert re.search(r'<p[^>]*><span class="dateline">موسكو:</span> بحث المسؤولون الروس اليوم الخميس', html)


def test_quotation_paragraphs(html):
    assert "وقالت الخارجية الروسية في بيان، نقلت مقتطفات منه قناة “آر تي عربية” الروسية: “عضو المكتب" in html
    assert "وأضافت الوزارة: “تم تأكيد موقف روسيا الثابت" in html
    assert html.count("“طوفان الأقصى”") == 2


def test_agency_credit(html):
    assert '<p class="article__credit">(وكالات)</p>' in html


def test_arabic_right_to_left(html):
    assert '<html lang="ar" dir="rtl">' in html


def test_bidi_displaced_full_stop_repaired(html):
    assert "منذ 2006." in html
    assert "منذ .2006" not in html


def test_jsonld_matches_the_page(html, reference_page):
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["headline"] == reference_page.title
    assert data["datePublished"] == "2023-10-26T07:00:00+00:00"
    assert data["locationCreated"]["name"] == "موسكو"
    assert data["sourceOrganization"]["name"] == "وكالات"


def test_levant_date_as_in_the_reference(html):
    assert "الخميس 26 تشرين الأول/أكتوبر 2023" in html
