"""Pinned articles on the home page, simple pages («من نحن»), and sections inside sections."""

import re
from datetime import timedelta
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from khabar.news.models import InfoPage
from khabar.news.site_tree import get_or_create_section
from tests.news.test_query_counts import LIMITS

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def home_top(html):
    """(lead title, [titles of «آخر الأخبار»]) as the home page shows them."""
    top = html.split('class="home-top__lead"')[1].split("</section>")[0]
    lead, latest = top.split('class="home-top__latest"')
    title = re.compile(r'class="card__title"><a href="[^"]*">(.*?)</a>')
    return title.search(lead).group(1), title.findall(latest)


def breadcrumb(html):
    nav = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    return re.findall(r"<a [^>]*>(.*?)</a>", nav)


def publish_info_page(home, title, slug, text="نص الصفحة."):
    page = InfoPage(title=title, slug=slug, body=[("text", RichText(f"<p>{text}</p>"))])
    home.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return user


@pytest.fixture
def middle_east(section):
    """الشرق الأوسط, a published sub-section of العالم (offered to menus, which must keep it out)."""
    return get_or_create_section(section, "الشرق الأوسط")


class TestPinnedArticles:
    def test_pinned_articles_open_the_home_page_newest_pinned_as_lead(self, client, publish_article):
        publish_article(title="خبر مثبت قديم", is_pinned=True, age=timedelta(days=2))
        publish_article(title="خبر مثبت أحدث", is_pinned=True, age=timedelta(days=1))
        publish_article(title="خبر عادي", age=timedelta(hours=3))
        publish_article(title="أحدث خبر عادي", age=timedelta(minutes=5))
        lead, latest = home_top(html_of(client, "/"))
        assert lead == "خبر مثبت أحدث"
        assert latest == ["خبر مثبت قديم", "أحدث خبر عادي", "خبر عادي"]

    def test_without_pinned_articles_the_newest_leads(self, client, publish_article):
        publish_article(title="خبر أقدم", age=timedelta(hours=3))
        publish_article(title="الخبر الأحدث", age=timedelta(minutes=5))
        assert home_top(html_of(client, "/")) == ("الخبر الأحدث", ["خبر أقدم"])

    def test_a_pinned_article_is_shown_once_and_the_top_stays_eleven_long(self, client, publish_article, home):
        sport = get_or_create_section(home, "رياضة")
        publish_article(title="المثبت في الرياضة", parent=sport, is_pinned=True, age=timedelta(days=5))
        for n in range(12):
            publish_article(title=f"خبر متتابع {n}", age=timedelta(minutes=n + 1))
        html = html_of(client, "/")
        lead, latest = home_top(html)
        assert lead == "المثبت في الرياضة"
        assert latest == [f"خبر متتابع {n}" for n in range(10)]
        assert html.count(">المثبت في الرياضة<") == 1, "not again in the sport block"
        assert ">خبر متتابع 10<" in html, "the eleventh newest moves to its section's block"

    def test_an_unpublished_pinned_article_does_not_lead(self, client, publish_article):
        publish_article(title="خبر منشور", age=timedelta(hours=1))
        withdrawn = publish_article(title="مثبت سُحب", is_pinned=True)
        withdrawn.unpublish()
        html = html_of(client, "/")
        assert home_top(html) == ("خبر منشور", [])
        assert "مثبت سُحب" not in html

    def test_pinning_costs_the_home_page_no_query_per_article(self, client, publish_article):
        for n in range(3):
            publish_article(title=f"مثبت {n}", is_pinned=True, age=timedelta(hours=n + 1))
            publish_article(title=f"عادي {n}", age=timedelta(minutes=n + 1))
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            html_of(client, "/")
        assert len(captured) <= LIMITS["home"], f"{len(captured)} queries"


class TestTheEditor:
    def test_article_form_offers_pinning_and_closing_comments_under_one_heading(self, client, editor, section):
        html = html_of(client, f"/admin/pages/add/news/articlepage/{section.pk}/")
        assert 'name="is_pinned"' in html and "مثبت في الرئيسية" in html
        assert 'name="comments_open"' in html and "التعليقات مفتوحة" in html
        assert "الظهور" in html

    def test_a_simple_page_is_added_under_the_home_page_only(self, client, editor, home, section):
        html = html_of(client, f"/admin/pages/add/news/infopage/{home.pk}/")
        assert 'data-contentpath="body"' in html
        assert client.get(f"/admin/pages/add/news/infopage/{section.pk}/").status_code in (302, 403)

    def test_a_section_may_be_added_inside_a_section(self, client, editor, section):
        assert client.get(f"/admin/pages/add/news/sectionpage/{section.pk}/").status_code == 200

    def test_simple_pages_are_found_by_the_admin_search(self, client, editor, home):
        page = publish_info_page(home, "اتصل بنا", "اتصل-بنا", text="هاتف التحرير وبريده الإلكتروني.")
        html = html_of(client, "/admin/pages/search/?q=" + quote("اتصل بنا"))
        assert f"/admin/pages/{page.pk}/edit/" in html


class TestSimplePages:
    @pytest.mark.parametrize(
        "url",
        ["/من-نحن/", "/" + quote("من-نحن") + "/", "/" + quote("من-نحن").lower() + "/"],
        ids=["arabic", "upper-hex", "lower-hex"],
    )
    def test_served_at_its_arabic_slug_however_it_is_encoded(self, client, home, url):
        publish_info_page(home, "من نحن", "من-نحن", text="صحيفة إلكترونية مستقلة تأسست عام 2010.")
        html = html_of(client, url)
        assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["من نحن"]
        assert "صحيفة إلكترونية مستقلة تأسست عام 2010." in html
        assert 'lang="ar"' in html and 'dir="rtl"' in html

    def test_has_no_comments_and_no_article_extras(self, client, home):
        page = publish_info_page(home, "من نحن", "من-نحن")
        html = html_of(client, page.url)
        assert "اترك تعليقاً" not in html and 'id="comments"' not in html
        assert "أخبار ذات صلة" not in html and "حجم الخط" not in html

    def test_live_pages_are_linked_from_every_footer(self, client, home, publish_article):
        about = publish_info_page(home, "من نحن", "من-نحن")
        publish_info_page(home, "اتصل بنا", "اتصل-بنا")
        draft = InfoPage(title="سياسة الخصوصية", slug="الخصوصية", live=False)
        home.add_child(instance=draft)
        article = publish_article(title="خبر")
        for url in ("/", article.url, about.url):
            footer = html_of(client, url).split('class="site-footer"')[1]
            assert f'href="{about.url}">من نحن</a>' in footer, url
            assert ">اتصل بنا</a>" in footer and "سياسة الخصوصية" not in footer, url

    def test_simple_pages_stay_out_of_the_section_menu(self, client, home, section):
        publish_info_page(home, "من نحن", "من-نحن")
        nav = html_of(client, "/").split('class="site-nav"')[1].split("</nav>")[0]
        assert ">العالم</a>" in nav and "من نحن" not in nav

    def test_a_missing_page_is_404(self, client, home):
        assert client.get("/" + quote("ليست-هنا") + "/").status_code == 404


class TestSubSections:
    def test_an_article_of_a_sub_section_lives_at_its_nested_address(self, client, section, middle_east, publish_article):
        article = publish_article(title="محادثات في الدوحة", parent=middle_east)
        assert unquote(article.url) == "/العالم/الشرق-الأوسط/محادثات-في-الدوحة/"
        assert article.section == middle_east
        html = html_of(client, "/العالم/الشرق-الأوسط/محادثات-في-الدوحة/")
        assert "محادثات في الدوحة" in html
        assert breadcrumb(html) == ["الرئيسية", "العالم", "الشرق الأوسط"]
        assert '<meta property="article:section" content="الشرق الأوسط">' in html

    def test_both_sections_list_it_newest_first(self, client, section, middle_east, publish_article):
        publish_article(title="خبر العالم", age=timedelta(hours=2))
        publish_article(title="محادثات في الدوحة", parent=middle_east, age=timedelta(hours=1))
        world = html_of(client, section.url)
        assert world.index("محادثات في الدوحة") < world.index("خبر العالم")
        assert ">الشرق الأوسط</a>" in world.split('class="article-list"')[1], "the card names its own section"
        sub = html_of(client, middle_east.url)
        assert "محادثات في الدوحة" in sub and "خبر العالم" not in sub
        assert breadcrumb(sub) == ["الرئيسية", "العالم"]

    def test_a_top_level_section_shows_no_breadcrumb(self, client, section, publish_article):
        publish_article(title="خبر")
        assert 'class="breadcrumb"' not in html_of(client, section.url)

    def test_feeds_of_both_sections_carry_it(self, client, section, middle_east, publish_article):
        publish_article(title="محادثات في الدوحة", parent=middle_east)
        for url in (section.url + "feed/", middle_east.url + "feed/"):
            assert "محادثات في الدوحة" in html_of(client, url), url

    def test_sitemaps_list_the_sub_section_and_its_article(self, client, middle_east, publish_article):
        article = publish_article(title="محادثات في الدوحة", parent=middle_east)

        def locations(url):
            tree = ElementTree.fromstring(client.get(url).content)
            return [loc.text for loc in tree.iter(f"{SITEMAP}loc")]

        assert any(loc.endswith(quote(middle_east.url)) or loc.endswith(middle_east.url) for loc in locations("/sitemap-sections.xml"))
        assert any(loc.endswith(quote(article.url)) or loc.endswith(article.url) for loc in locations("/sitemap-articles.xml"))

    def test_menu_and_home_blocks_keep_to_top_level_sections(self, client, home, section, middle_east, publish_article):
        assert middle_east.show_in_menus, "offered to menus, still kept out of the top-level menu"
        publish_article(title="محادثات في الدوحة", parent=middle_east, age=timedelta(days=1))
        for n in range(11):  # fill the top of the home page, so the sub-section's article goes to a block
            publish_article(title=f"خبر جديد {n}", parent=get_or_create_section(home, "رياضة"), age=timedelta(minutes=n + 1))
        html = html_of(client, "/")
        nav = html.split('class="site-nav"')[1].split("</nav>")[0]
        assert ">العالم</a>" in nav and "الشرق الأوسط" not in nav
        blocks = re.findall(r'<h2 class="block-title" id="section-\d+"><a [^>]*>(.*?)</a>', html)
        assert "الشرق الأوسط" not in blocks
        world_block = html.split(f'id="section-{section.pk}"')[1].split("</section>")[0]
        assert "محادثات في الدوحة" in world_block

    def test_search_by_the_parent_section_finds_sub_section_articles(self, client, section, middle_east, publish_article, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            publish_article(title="محادثات الهدنة في الدوحة", parent=middle_east)
        for chosen in (section, middle_east):
            html = html_of(client, f"/search/?q={quote('الهدنة')}&section={chosen.pk}")
            titles = re.findall(r'class="search-result__title"><a [^>]+>(.*?)</a>', html)
            assert [re.sub(r"<[^>]+>", "", t) for t in titles] == ["محادثات الهدنة في الدوحة"], chosen.title
        options = re.findall(r'<option value="\d+"[^>]*>(.*?)</option>', html)
        assert options.index("العالم") < options.index("الشرق الأوسط")

    def test_nested_pages_render_in_a_bounded_number_of_queries(self, client, middle_east, publish_article):
        article = publish_article(title="محادثات في الدوحة", parent=middle_east)
        for name, url in (("article", article.url), ("section", middle_east.url)):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                html_of(client, url)
            assert len(captured) <= LIMITS[name], f"{name}: {len(captured)} queries"
