"""The shared WordPress 6.1 export, imported whole and checked against the counts its README gives.

The export is imported once for the module (twice: the second run must change nothing) inside
a transaction that is rolled back at the end, so the other tests never see it.
"""

import csv
import re
from collections import Counter
from datetime import datetime, timezone as dt_timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision

from khabar.comments.models import Comment, Status
from khabar.news.models import ArticlePage, Author, InfoPage, SectionPage
from khabar.wordpress import wxr
from khabar.wordpress.importer import WordPressImporter
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    export = shared_path("wordpress/wxr-arabic-news.xml")
    uploads = shared_path("wordpress/uploads")
    with django_db_blocker.unblock(), transaction.atomic():
        first = WordPressImporter(str(export), media=str(uploads)).run()
        pages_after_first = Page.objects.count()
        second = WordPressImporter(str(export), media=str(uploads)).run()
        yield SimpleNamespace(first=first, second=second, pages_after_first=pages_after_first, export=export)
        transaction.set_rollback(True)


# The export's two scheduled posts; once their time has passed, they import live (as WordPress would publish them).
SCHEDULED = [datetime(2026, 12, 3, 4, 30, tzinfo=dt_timezone.utc), datetime(2026, 12, 8, 6, 30, tzinfo=dt_timezone.utc)]


def upper_hex(path):
    return re.sub(r"%[0-9a-f]{2}", lambda match: match.group().upper(), path)


def articles():
    return ArticlePage.objects.all()


def test_posts_come_across_with_their_statuses(imported):
    posts = imported.first["post"]
    assert posts.created == 298  # 291 published + 3 drafts + 2 scheduled + 2 private
    assert posts.skipped == {"في سلة المهملات": 2}
    went_live = sum(1 for moment in SCHEDULED if moment <= timezone.now())  # scheduled, and their time has come
    live = articles().filter(live=True)
    assert live.count() == 291 + 2 + went_live
    assert articles().filter(live=False, go_live_at=None).count() == 3  # the drafts
    restricted = PageViewRestriction.objects.filter(page__in=live)
    assert restricted.filter(restriction_type=PageViewRestriction.PASSWORD, password="khabar").count() == 1
    assert restricted.filter(restriction_type=PageViewRestriction.GROUPS).count() == 2  # the private posts
    # Public: published (and scheduled ones now out), less the password one.
    assert ArticlePage.objects.published().count() == 291 - 1 + went_live
    assert not articles().filter(title__endswith="__trashed").exists()


def test_scheduled_posts_wait_for_their_time(imported):
    now = timezone.now()
    scheduled = articles().filter(go_live_at__gt=now)
    for page in scheduled:
        assert not page.live
        assert Revision.objects.filter(object_id=str(page.pk), approved_go_live_at=page.go_live_at).exists()
    assert scheduled.count() == sum(1 for moment in SCHEDULED if moment > now)


def test_sticky_posts_are_pinned_and_the_seed_article_is_whole(imported, client):
    assert articles().filter(is_pinned=True).count() == 2
    seed = articles().get(title__startswith="موسكو تبحث مع وفد حماس")
    assert seed.is_pinned
    assert seed.dateline == "موسكو"
    assert seed.credit == "وكالات"
    assert seed.first_published_at == datetime(2023, 10, 26, 16, 40, tzinfo=dt_timezone.utc)
    assert seed.source_name and seed.source_url == ""  # its source_url field names a file, not a link
    html = client.get(seed.url).content.decode()
    assert "منذ 2006." in html and "منذ .2006" not in html
    assert "(وكالات)" not in seed.plain_text()
    home = client.get("/").content.decode()
    assert seed.title in home


def test_sections_keep_the_category_tree(imported):
    titles = set(SectionPage.objects.values_list("title", flat=True))
    assert {"العالم", "الشرق الأوسط", "رياضة", "اقتصاد", "تكنولوجيا", "ثقافة", "محليات"} <= titles
    assert "غير مصنف" not in titles  # WordPress's empty default category
    world = SectionPage.objects.get(title="العالم")
    middle_east = SectionPage.objects.get(title="الشرق الأوسط")
    assert middle_east.get_parent().specific == world
    # The README counts posts per category with the two trashed ones, which are not imported.
    trashed = Counter(
        unquote(post.categories[0]) for post in wxr.posts(str(imported.export)) if post.status == "trash"
    )
    for title, slug, in_readme in (("العالم", "العالم", 56), ("الشرق الأوسط", "الشرق-الأوسط", 55), ("رياضة", "رياضة", 50)):
        section = SectionPage.objects.get(title=title)
        assert ArticlePage.objects.child_of(section).count() == in_readme - trashed[slug], title


def test_tags_and_authors_come_across_once(imported):
    assert imported.first["tag"].created == 559
    assert Tag.objects.count() == 559
    assert Tag.objects.filter(news_articletag_items__isnull=False).distinct().count() == 555  # 4 tag only trashed posts
    names = set(Author.objects.values_list("name", flat=True))
    assert {"محمد القحطاني", "سارة الحداد", "يوسف بن علي", "نورة الدوسري"} <= names
    staff = get_user_model().objects.filter(username__in=["m.alqahtani", "sara.haddad", "y.benali", "noura.dosari"])
    assert staff.count() == 4
    assert not any(user.has_usable_password() for user in staff)  # they set one through the reset mail


def test_excerpts_dates_and_comment_settings(imported):
    assert articles().exclude(summary="").count() == 75
    updated = [a for a in articles().filter(live=True) if a.is_updated()]
    assert len(updated) >= 55  # 60 posts were modified after publishing (some by minutes only)
    assert articles().filter(comments_open=False).count() == 6
    assert articles().exclude(source_name="").count() == 298


def test_comments_keep_threading_status_and_staff(imported):
    comments = Comment.objects.all()
    assert comments.filter(status=Status.APPROVED).count() == 220
    assert comments.filter(status=Status.PENDING).count() == 15
    assert comments.filter(status=Status.TRASH).count() == 5
    assert imported.first["comment"].skipped  # the two pingbacks, with the reason
    assert sum(imported.first["comment"].skipped.values()) == 2

    def depth(comment):
        return 1 if comment.parent_id is None else 1 + depth(comment.parent)

    depths = [depth(c) for c in comments.select_related("parent__parent")]
    assert (depths.count(1), depths.count(2), depths.count(3)) == (171, 53, 16)
    staff_replies = comments.filter(is_staff_reply=True)
    assert staff_replies.count() == 10
    assert all(reply.user_id for reply in staff_replies)
    assert comments.values("article").distinct().count() == 60


def test_images_are_rehosted_once_each(imported):
    Image = get_image_model()
    assert Image.objects.count() == 100
    assert articles().exclude(hero_image=None).count() == 99  # the 100th featured image is on a trashed post
    seen = set()
    for article in articles().exclude(hero_image=None):
        figures = [b.value["image"].pk for b in article.body if b.block_type == "figure"]
        assert article.hero_image_id not in figures  # the featured image is not repeated in the text
        seen.add(article.hero_image_id)
        assert Path(article.hero_image.file.path).exists()
    assert len(seen) == 99
    assert imported.first["image"].created == 100 and not imported.first["image"].skipped


def test_pages_become_simple_pages(imported, client):
    pages = InfoPage.objects.live()
    assert set(pages.values_list("title", flat=True)) == {"من نحن", "اتصل بنا"}
    response = client.get("/%D9%85%D9%86-%D9%86%D8%AD%D9%86/")
    assert response.status_code == 200 and "من نحن" in response.content.decode()


def test_a_second_run_changes_nothing(imported):
    report = imported.second
    for kind in ("post", "page", "comment", "image", "author", "section", "redirect", "tag"):
        assert report[kind].created == 0, kind
        assert report[kind].updated == 0, kind
    assert report["post"].unchanged == 298
    assert Page.objects.count() == imported.pages_after_first


def permalinks():
    rows = list(csv.DictReader(
        shared_path("wordpress/urls.tsv").open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE
    ))
    assert len(rows) == 293
    return rows


def page_at(path):
    """The live page a site path serves (what Wagtail's routing finds), or None."""
    home = Page.objects.get(depth=2)
    parts = [unquote(part) for part in urlsplit(path).path.strip("/").split("/") if part]
    return Page.objects.live().filter(url_path=home.url_path + "".join(f"{part}/" for part in parts)).first()


def test_every_old_permalink_redirects_to_its_page(imported, client):
    failures = []
    for number, row in enumerate(permalinks()):
        response = client.get(row["path"])
        if response.status_code == 200 and row["post_type"] == "page":
            target = page_at(row["path"])  # a simple page keeps its address: nothing to redirect
        elif response.status_code == 301:
            target = page_at(response["Location"])
            if number % 25 == 0:  # and a sample read as a reader gets it
                shown = client.get(response["Location"])
                assert shown.status_code == 200 and row["title"] in shown.content.decode().replace("&quot;", '"')
        else:
            failures.append((row["path"], response.status_code))
            continue
        if target is None or target.title != row["title"]:
            failures.append((row["path"], getattr(target, "title", None)))
    assert failures == [], failures[:3]


def test_old_links_of_every_kind(imported, client):
    seed = articles().get(title__startswith="موسكو تبحث مع وفد حماس")
    row = next(r for r in permalinks() if r["wp_post_id"] == "403")
    upper = upper_hex(row["path"])
    assert upper != row["path"]
    for path in (row["path"], upper, unquote(row["path"]), "/?p=403", row["path"] + "feed/"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == seed.url, path
    assert client.get("/?p=999999").status_code == 404
    assert client.get("/feed/").status_code == 200

    world = SectionPage.objects.get(title="العالم")
    middle_east = SectionPage.objects.get(title="الشرق الأوسط")
    world_slug = "%d8%a7%d9%84%d8%b9%d8%a7%d9%84%d9%85"
    assert client.get(f"/category/{world_slug}/")["Location"] == world.url
    child = client.get(f"/category/{world_slug}/%d8%a7%d9%84%d8%b4%d8%b1%d9%82-%d8%a7%d9%84%d8%a3%d9%88%d8%b3%d8%b7/")
    assert child.status_code == 301 and child["Location"] == middle_east.url

    tag = client.get("/tag/%d8%a5%d9%8a%d8%b1%d8%a7%d9%86/", follow=True)
    assert tag.status_code == 200 and "إيران" in tag.content.decode()

    author = client.get("/author/m.alqahtani/")
    assert author.status_code == 301
    assert "محمد القحطاني" in client.get(author["Location"]).content.decode()


def test_upload_urls_redirect_to_the_rehosted_images(imported, client, settings):
    Image = get_image_model()
    for path in (
        "/wp-content/uploads/2018/05/news-20180509-50.jpg",
        "/wp-content/uploads/2018/05/news-20180509-50-1024x576.jpg",
        "/?attachment_id=191",
    ):
        response = client.get(path)
        assert response.status_code == 301, path
        location = urlsplit(response["Location"]).path
        assert location.startswith(settings.MEDIA_URL)
        name = unquote(location[len(settings.MEDIA_URL):])
        assert Image.objects.filter(file=name).exists()


def test_arabic_file_names_redirect_raw_and_encoded(imported, client):
    export = wxr.scan(str(imported.export))
    arabic = [a for a in export.attachments.values() if any("\u0600" <= ch <= "\u06ff" for ch in a.relative_path)]
    assert len(arabic) == 3
    for attachment in arabic:
        for path in (quote(attachment.relative_path), upper_hex(quote(attachment.relative_path))):
            response = client.get(f"/wp-content/uploads/{path}")
            assert response.status_code == 301, path
