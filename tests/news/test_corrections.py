"""«تحديث» and «تصحيح» notes: shown dated under the story, counted as its change by search engines,
and never lifting an old story back to the top of the lists."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar.news.models import ArticleNote, ArticlePage
from khabar.news.templatetags.khabar_tags import ar_date, ar_time

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def add_note(page, text, kind=ArticleNote.UPDATE, when=None):
    """What the desk does: add a note in the article's form and publish."""
    page = ArticlePage.objects.get(pk=page.pk)
    page.notes.add(ArticleNote(kind=kind, text=text, noted_at=when or timezone.now()))
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def article_jsonld(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle on the page")


def parse_time(value):
    return timezone.datetime.fromisoformat(value)


def test_notes_show_after_the_story_with_their_kind_and_time(client, publish_article):
    article = publish_article(title="حريق في المرفأ", age=timedelta(hours=5))
    first = timezone.now() - timedelta(hours=3)
    article = add_note(article, "ارتفعت الحصيلة إلى ثلاثة قتلى.", when=first)
    article = add_note(article, "ورد خطأً أن الحريق بدأ ليلاً.\nبدأ صباحاً.", kind=ArticleNote.CORRECTION)

    html = client.get(article.url).content.decode()
    notes = html[html.index('class="article__notes"'):]
    notes = notes[: notes.index("</section>")]
    assert "تحديثات وتصحيحات" in notes
    items = re.findall(r'<li class="note note--(\w+)">(.*?)</li>', notes, re.S)
    assert [kind for kind, _ in items] == ["update", "correction"]  # in the order they happened
    update, correction = (body for _, body in items)
    assert "<strong class=\"note__kind\">تحديث</strong>" in update
    assert "<strong class=\"note__kind\">تصحيح</strong>" in correction
    assert f'<time datetime="{first.isoformat()}">{ar_date(first)} - {ar_time(first)}</time>' in update
    assert "ارتفعت الحصيلة إلى ثلاثة قتلى." in update
    assert "<p>ورد خطأً أن الحريق بدأ ليلاً.<br>بدأ صباحاً.</p>" in correction
    # Inside the story's text, after the body: the reader's font size applies to them too.
    body_start, notes_start = html.index("data-article-body"), html.index('class="article__notes"')
    assert body_start < notes_start < html.index("</article>")


def test_a_note_is_text_never_markup(client, publish_article):
    article = add_note(publish_article(), '<script>alert(1)</script><a href="x">رابط</a>')
    html = client.get(article.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_an_article_without_notes_shows_no_notes_block(client, publish_article):
    html = client.get(publish_article().url).content.decode()
    assert "article__notes" not in html


def test_date_modified_is_the_newest_note_when_it_is_later_than_the_publication(client, publish_article):
    article = publish_article(title="خبر", age=timedelta(days=1))
    # A note timed after the last publication (the desk set it ahead): it is the story's change.
    later = timezone.now() + timedelta(minutes=30)
    article = add_note(article, "تحديث لاحق", when=later)
    data = article_jsonld(client.get(article.url).content.decode())
    assert parse_time(data["dateModified"]) == later
    assert parse_time(data["datePublished"]) == article.first_published_at


def test_date_modified_stays_the_publication_when_the_note_is_older(client, publish_article):
    article = publish_article(title="خبر", age=timedelta(days=1))
    article = add_note(article, "تحديث قديم", when=timezone.now() - timedelta(hours=20))
    html = client.get(article.url).content.decode()
    assert parse_time(article_jsonld(html)["dateModified"]) == article.last_published_at
    assert f'<meta property="article:modified_time" content="{article.last_published_at.isoformat()}">' in html


def test_the_page_says_updated_at_the_note_time(client, publish_article):
    article = publish_article(title="خبر", age=timedelta(days=1))
    later = timezone.now() + timedelta(minutes=10)
    article = add_note(article, "تحديث", when=later)
    html = client.get(article.url).content.decode()
    assert f'آخر تحديث <time datetime="{later.isoformat()}">' in html


def test_sitemaps_give_the_note_time_as_lastmod(client, publish_article):
    three_days_ago = timezone.now() - timedelta(days=3)
    noted = add_note(
        publish_article(title="قديم", age=timedelta(days=3)), "تصحيح", kind=ArticleNote.CORRECTION,
        when=timezone.now() - timedelta(days=1),
    )
    plain = publish_article(title="بلا ملاحظات", age=timedelta(days=3))
    # Both last published three days ago; one carries a note of yesterday (entered later by a data fix).
    ArticlePage.objects.filter(pk=noted.pk).update(last_published_at=three_days_ago)
    note_time = noted.note_list[-1].noted_at

    def lastmod_of(sitemap, page):
        urls = ElementTree.fromstring(client.get(sitemap).content)
        return next(url.findtext(f"{SITEMAP}lastmod") for url in urls if url.findtext(f"{SITEMAP}loc").endswith(page.url))

    # Django's sitemap writes a date, in the site's time zone.
    assert lastmod_of("/sitemap-articles.xml", noted) == timezone.localdate(note_time).isoformat()
    assert lastmod_of("/sitemap-articles.xml", plain) == timezone.localdate(plain.last_published_at).isoformat()
    # The index's lastmod is the newest change of all: the note's.
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    articles = next(entry for entry in index if entry.findtext(f"{SITEMAP}loc").endswith("/sitemap-articles.xml"))
    assert parse_time(articles.findtext(f"{SITEMAP}lastmod")) == note_time

    # The Google News sitemap (the last 48 hours) gives the full time.
    recent = add_note(publish_article(title="حديث", age=timedelta(hours=20)), "تحديث", when=timezone.now() - timedelta(hours=1))
    ArticlePage.objects.filter(pk=recent.pk).update(last_published_at=timezone.now() - timedelta(hours=20))
    recent_plain = publish_article(title="حديث بلا ملاحظات", age=timedelta(hours=20))
    assert parse_time(lastmod_of("/news-sitemap.xml", recent)) == recent.note_list[-1].noted_at
    assert parse_time(lastmod_of("/news-sitemap.xml", recent_plain)) == recent_plain.last_published_at


def test_a_note_does_not_lift_an_old_story_in_any_list(client, publish_article, section):
    old = publish_article(title="خبر الأمس", age=timedelta(days=1))
    publish_article(title="خبر الساعة", age=timedelta(hours=1))
    old = add_note(old, "تحديث جديد على خبر الأمس")
    assert old.last_published_at > timezone.now() - timedelta(minutes=1)  # republished just now

    home = client.get("/").content.decode()
    assert home.index("خبر الساعة") < home.index("خبر الأمس")
    listing = client.get(section.url).content.decode()
    assert listing.index("خبر الساعة") < listing.index("خبر الأمس")
    for feed in ("/feed/", section.url + "feed/"):
        channel = ElementTree.fromstring(client.get(feed).content).find("channel")
        assert [item.findtext("title") for item in channel.findall("item")] == ["خبر الساعة", "خبر الأمس"]
    # The card keeps the story's own time («منذ يوم»), not the note's.
    card_times = re.findall(r'<time class="card__time" datetime="([^"]+)"', home)
    assert old.first_published_at.isoformat() in card_times
    # The story itself says it was updated.
    assert "آخر تحديث" in client.get(old.url).content.decode()


def test_notes_cost_the_article_page_at_most_one_query(client, publish_article):
    article = publish_article(title="خبر")
    client.get(article.url)
    with CaptureQueriesContext(connection) as without_notes:
        client.get(article.url)
    for n in range(3):
        article = add_note(article, f"تحديث {n}")
    client.get(article.url)
    with CaptureQueriesContext(connection) as with_notes:
        assert "تحديث 2" in client.get(article.url).content.decode()
    note_queries = [q["sql"] for q in with_notes.captured_queries if "news_articlenote" in q["sql"]]
    assert len(note_queries) == 1, note_queries  # the list, the JSON-LD and «آخر تحديث» share it
    assert len(with_notes) == len(without_notes)  # however many notes
