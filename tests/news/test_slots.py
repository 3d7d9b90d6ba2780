"""News pages show the other apps' parts through slots, without their templates naming those apps."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError, engines
from django.test import RequestFactory
from wagtail import hooks

import khabar
from khabar.comments.models import Comment
from khabar.news import slots

TEMPLATES = Path(khabar.__file__).resolve().parent / "templates"
# The arrows point one way: news may not name the apps built on it.
OTHER_APPS = ("comments", "newsletter", "search", "wire", "demo")


def news_templates():
    """The templates that belong to news: its pages, the base they extend and the includes they share."""
    return [TEMPLATES / "base.html", *sorted((TEMPLATES / "news").iterdir()), *sorted((TEMPLATES / "includes").iterdir())]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def article(publish_article):
    page = publish_article(title="الحكومة تقر خطة لدعم المزارعين")
    Comment.objects.create(article=page, name="ليلى حداد", email="layla@example.org", body="تحليل دقيق.", status="approved")
    return page


@pytest.mark.django_db
class TestPagesStillShowTheOtherApps:
    def test_article_shows_the_comment_count_and_form_after_the_article(self, client, article):
        html = html_of(client, article.url)
        comments = html.index('<section class="comments" id="comments"')
        assert html.index("</article>") < comments
        assert 'id="comments-title">تعليق واحد</h2>' in html
        assert "تحليل دقيق." in html
        assert ">اترك تعليقاً<" in html
        assert '<form class="comment-form" action="/comments/post/#respond"' in html

    def test_article_head_links_the_comment_style_and_script(self, client, article):
        head = html_of(client, article.url).split("</head>")[0]
        assert '<link rel="stylesheet" href="/static/khabar/css/comments.css">' in head
        assert '<script src="/static/khabar/js/comments.js" defer></script>' in head

    def test_other_pages_load_no_comment_assets(self, client, article):
        assert "comments.css" not in html_of(client, "/")

    def test_home_shows_the_newsletter_box_in_the_footer(self, client, home):
        html = html_of(client, "/")
        footer = html[html.index('<footer class="site-footer">'):]
        assert "إشترك في قائمتنا البريدية" in footer
        assert '<form class="newsletter-form" method="post" action="/newsletter/"' in footer

    def test_newsletter_page_hides_the_footer_copy_of_its_form(self, client, home):
        assert html_of(client, "/newsletter/").count('id="newsletter-title"') == 1

    def test_home_shows_the_search_box_in_the_masthead(self, client, home):
        html = html_of(client, "/")
        masthead = html[html.index('<header class="site-header">'):html.index("</header>")]
        assert '<form class="site-search" role="search" action="/search/"' in masthead

    def test_search_assets_keep_their_place_in_the_head(self, client, home):
        head = html_of(client, "/").split("</head>")[0]
        order = ["css/site.css", "css/search.css", "css/print.css", "js/site.js", "js/search.js"]
        positions = [head.index(f"/static/khabar/{name}") for name in order]
        assert positions == sorted(positions)


class TestNewsTemplatesNameNoOtherApp:
    def test_they_load_no_tag_library_of_another_app(self):
        libraries = engines["django"].engine.libraries  # load name -> module path
        for path in news_templates():
            for load in re.findall(r"{%\s*load\s+(.*?)\s*%}", path.read_text()):
                names = load.split(" from ")[-1].split() if " from " in load else load.split()
                for name in names:
                    module = libraries.get(name, "")
                    assert not module.startswith(tuple(f"khabar.{app}." for app in OTHER_APPS)), f"{path.name} loads {name}"

    def test_they_include_or_extend_no_template_of_another_app(self):
        for path in news_templates():
            for name in re.findall(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)", path.read_text()):
                assert name.split("/")[0] not in OTHER_APPS, f"{path.name} names {name}"

    def test_the_scan_sees_the_templates(self):
        assert {"base.html", "article_page.html", "home_page.html"} <= {path.name for path in news_templates()}


class TestSlots:
    def test_a_filler_is_rendered_where_the_template_puts_the_slot(self):
        with hooks.register_temporarily(slots.hook_name(slots.ARTICLE_HEAD), lambda context: f"<b>{context['who']}</b>"):
            html = Template('{% load slot_tags %}[{% slot "article_head" %}]').render(Context({"who": "a & b"}))
        # Fillers come in hook order, and a plain string is text, not markup: it is escaped like any variable.
        assert html.startswith('[<link rel="stylesheet" href="/static/khabar/css/comments.css">')
        assert html.endswith("\n&lt;b&gt;a &amp; b&lt;/b&gt;]")

    def test_a_misspelt_slot_fails_when_the_template_is_compiled(self):
        with pytest.raises(TemplateSyntaxError, match="unknown slot"):
            Template('{% load slot_tags %}{% slot "after_artcle" %}')
        with pytest.raises(ValueError, match="unknown slot"):
            slots.hook_name("after_artcle")

    def test_site_wide_slots_run_no_sql(self, db, django_assert_num_queries):
        template = Template(
            '{% load slot_tags %}{% slot "head_styles" %}{% slot "head_scripts" %}{% slot "header_tools" %}{% slot "footer_top" %}'
        )
        context = Context({"request": RequestFactory().get("/")})
        with django_assert_num_queries(0):
            html = template.render(context)
        assert "site-search" in html and "newsletter-box" in html
