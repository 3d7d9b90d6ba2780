"""The article page as a reader and a search engine see it."""

import json
import re
from datetime import datetime, timezone as dt_timezone

import pytest
from django.test import override_settings

from khabar.news.models import Agency, Author


def jsonld_of(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.fixture
def article(publish_article):
    page = publish_article(
        title="الحكومة تقر خطة لدعم المزارعين",
        dateline="عمّان",
        summary="خطة من ثلاث مراحل لدعم صغار المزارعين.",
        paragraphs=["أقرت الحكومة خطة جديدة لدعم المزارعين.", "وقال الوزير: “الخطة تبدأ الشهر المقبل”."],
    )
    page.authors.add(Author.objects.create(name="سلمى الخطيب", slug="salma"))
    page.agencies.add(Agency.objects.create(name="وكالات", credit="وكالات"))
    page.tags.add("الزراعة", "الاقتصاد")
    page.save_revision().publish()
    return page


@pytest.mark.django_db
class TestArticlePage:
    def test_headline_is_the_only_h1(self, client, article):
        html = client.get(article.url).content.decode()
        assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == ["الحكومة تقر خطة لدعم المزارعين"]

    def test_page_is_arabic_right_to_left(self, client, article):
        html = client.get(article.url).content.decode()
        assert '<html lang="ar" dir="rtl">' in html

    def test_dateline_opens_the_lead_paragraph(self, client, article):
        html = client.get(article.url).content.decode()
        assert re.search(r'<p[^>]*><span class="dateline">عمّان:</span> أقرت الحكومة', html)

    def test_agency_credit_follows_the_body(self, client, article):
        html = client.get(article.url).content.decode()
        assert '<p class="article__credit">(وكالات)</p>' in html

    def test_breadcrumb_author_tags_and_section(self, client, article):
        html = client.get(article.url).content.decode()
        assert 'href="/author/salma/" rel="author">سلمى الخطيب</a>' in html
        assert ">العالم</a></li>" in html
        assert 'rel="tag">الزراعة</a>' in html

    def test_font_size_control_starts_at_zero(self, client, article):
        html = client.get(article.url).content.decode()
        control = re.search(r"<div class=\"font-size\".*?</div>", html, re.S).group(0)
        assert "حجم الخط" in control
        assert re.search(r"<output[^>]*data-font-counter[^>]*>0</output>", control)
        assert "hidden" in control.split(">")[0], "without JavaScript the control stays out of the way"

    @override_settings(KHABAR_DATE_STYLE="levant", KHABAR_DIGITS="western", TIME_ZONE="Asia/Riyadh")
    def test_publish_date_in_levant_style(self, client, article):
        article.first_published_at = datetime(2023, 10, 26, 9, 30, tzinfo=dt_timezone.utc)
        article.save(update_fields=["first_published_at"])
        html = client.get(article.url).content.decode()
        assert "الخميس 26 تشرين الأول/أكتوبر 2023 - 12:30" in html

    @override_settings(KHABAR_DATE_STYLE="egypt", KHABAR_DIGITS="arabic", KHABAR_SHOW_HIJRI=True)
    def test_egyptian_months_arabic_indic_digits_and_hijri(self, client, article):
        article.first_published_at = datetime(2023, 10, 26, 9, 30, tzinfo=dt_timezone.utc)
        article.save(update_fields=["first_published_at"])
        html = client.get(article.url).content.decode()
        assert "الخميس ٢٦ أكتوبر ٢٠٢٣" in html
        assert "هـ" in html

    def test_reading_time_is_shown(self, client, article):
        assert "قراءة في دقيقة" in client.get(article.url).content.decode()

    def test_share_links_need_no_third_party_script(self, client, article):
        html = client.get(article.url).content.decode()
        for host in ("https://wa.me/", "https://t.me/share/url", "https://x.com/intent/post", "facebook.com/sharer"):
            assert host in html
        scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        assert scripts and all(src.startswith("/static/") for src in scripts)

    def test_jsonld_news_article(self, client, article):
        data = jsonld_of(client.get(article.url).content.decode())
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == article.title
        assert data["inLanguage"] == "ar"
        assert data["datePublished"] == article.first_published_at.isoformat()
        assert data["author"] == [{"@type": "Person", "name": "سلمى الخطيب", "url": "http://127.0.0.1:8000/author/salma/"}]
        assert data["locationCreated"] == {"@type": "Place", "name": "عمّان"}
        assert data["sourceOrganization"]["name"] == "وكالات"
        assert data["publisher"]["name"]

    def test_canonical_and_social_meta(self, client, article):
        html = client.get(article.url).content.decode()
        canonical = "http://127.0.0.1:8000" + article.url
        assert f'<link rel="canonical" href="{canonical}">' in html
        assert f'<meta property="og:url" content="{canonical}">' in html
        assert '<meta property="og:title" content="الحكومة تقر خطة لدعم المزارعين">' in html
        assert '<meta name="twitter:card"' in html

    def test_headline_markup_is_escaped(self, client, publish_article):
        page = publish_article(title='<script>alert("x")</script> عنوان')
        html = client.get(page.url).content.decode()
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;" in html
        assert "\\u003Cscript\\u003E" in html  # inside JSON-LD, too

    def test_related_articles_share_a_tag(self, client, article, publish_article):
        other = publish_article(title="أسعار القمح ترتفع")
        other.tags.add("الزراعة")
        other.save_revision().publish()
        html = client.get(article.url).content.decode()
        related = html.split('id="related-title"')[1]
        assert "أسعار القمح ترتفع" in related

    def test_draft_is_not_public(self, client, section):
        from khabar.news.models import ArticlePage

        draft = ArticlePage(title="مسودة لم تنشر", live=False)
        section.add_child(instance=draft)
        assert client.get("/العالم/مسودة-لم-تنشر/").status_code == 404
