"""Lifting the dateline and the agency credit out of plain agency copy."""

import pytest

from khabar.news.article_text import agency_name, paragraphs_to_html, split_agency_credit, split_dateline


@pytest.mark.parametrize(
    "lead, dateline, rest",
    [
        ("موسكو: بحث المسؤولون الروس", "موسكو", "بحث المسؤولون الروس"),
        ("القدس المحتلة: قالت مصادر", "القدس المحتلة", "قالت مصادر"),
        ("الدار البيضاء : افتتح المعرض", "الدار البيضاء", "افتتح المعرض"),
        ("وقال الوزير: إن الخطة جاهزة", "", "وقال الوزير: إن الخطة جاهزة"),
        ("أضاف: لا تعليق", "", "أضاف: لا تعليق"),
        ("بحث المسؤولون اليوم في موسكو مسألة الأسرى: وهي قضية", "", "بحث المسؤولون اليوم في موسكو مسألة الأسرى: وهي قضية"),
        ("London: the talks", "", "London: the talks"),
        ("الساعة 10:30 بدأ الاجتماع", "", "الساعة 10:30 بدأ الاجتماع"),
    ],
    ids=["city", "two-words", "space-before-colon", "reported-speech", "verb", "colon-late", "latin", "time"],
)
def test_split_dateline(lead, dateline, rest):
    assert split_dateline([lead, "فقرة ثانية"]) == (dateline, [rest, "فقرة ثانية"])


@pytest.mark.parametrize(
    "paragraphs, credit, rest",
    [
        (["نص الخبر.", "(وكالات)"], "وكالات", ["نص الخبر."]),
        (["نص الخبر.", "(رويترز)."], "رويترز", ["نص الخبر."]),
        (["نص الخبر.", "( أ ف ب )"], "أ ف ب", ["نص الخبر."]),
        (["نص الخبر. (أ ف ب)"], "أ ف ب", ["نص الخبر."]),
        (["قال إنه سيعود (في الصيف)"], "", ["قال إنه سيعود (في الصيف)"]),
        (["نص", "(هذه جملة طويلة بين قوسين لا تشبه اسم وكالة أنباء أبداً)"], "", None),
    ],
    ids=["wakalat", "reuters-full-stop", "afp-spaced", "afp-inline", "parenthesis-not-credit", "long-bracket"],
)
def test_split_agency_credit(paragraphs, credit, rest):
    assert split_agency_credit(paragraphs) == (credit, paragraphs if rest is None else rest)


def test_agency_names_from_credits():
    assert agency_name("أ ف ب") == "وكالة الصحافة الفرنسية"
    assert agency_name("وكالة مجهولة") == "وكالة مجهولة"


def test_paragraphs_are_escaped_and_bidi_repaired():
    html = paragraphs_to_html(["<b>حصار</b> منذ .2006", "فقرة"])
    assert html == "<p>&lt;b&gt;حصار&lt;/b&gt; منذ 2006.</p><p>فقرة</p>"
