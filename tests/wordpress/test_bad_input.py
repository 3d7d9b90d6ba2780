"""Exports that are broken, old or odd: a clear message naming the line or the post, nothing half-imported."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from khabar.comments.models import Comment
from khabar.news.models import ArticlePage, Author
from khabar.wordpress.importer import WordPressImporter
from tests.wordpress import builder

pytestmark = pytest.mark.django_db


def run(path, **options):
    return WordPressImporter(str(path), **options).run()


def two_posts():
    return builder.export(
        builder.post(10, "الخبر الأول", comments=[builder.comment(1, "تعليق أول")]),
        builder.post(11, "الخبر الثاني"),
    )


def test_a_truncated_file_keeps_the_whole_posts_before_the_cut(tmp_path):
    text = two_posts()
    cut = text.index("الخبر الثاني") + 20
    report = run(builder.write(tmp_path, text[:cut]))
    assert not report.fatal
    assert any("مقطوع" in message and "السطر" in message for message in report.problems)
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["الخبر الأول"]
    assert Comment.objects.count() == 1


def test_a_file_cut_inside_its_header_imports_nothing_and_says_so(tmp_path):
    path = builder.write(tmp_path, two_posts()[:300])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_wordpress", str(path), stdout=out)
    assert "مقطوع" in out.getvalue() or ArticlePage.objects.count() == 0
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_import(tmp_path, version):
    report = run(builder.write(tmp_path, builder.export(builder.post(10, "خبر من ووردبريس قديم"), version=version)))
    assert report["post"].created == 1
    assert ArticlePage.objects.get().title == "خبر من ووردبريس قديم"


def test_invalid_utf8_names_the_line(tmp_path):
    raw = two_posts().encode("utf-8")
    at = raw.index("الخبر الثاني".encode("utf-8"))
    broken = raw[:at] + b"\xff\xfe" + raw[at:]
    line = broken[:at].count(b"\n") + 1
    report = run(builder.write(tmp_path, broken))
    assert any("UTF-8" in message and f"السطر {line}" in message for message in report.problems), report.problems
    assert ArticlePage.objects.filter(title="الخبر الأول").exists()


def test_entities_and_cdata_in_odd_places(tmp_path):
    item = builder.post(10, "عنوان", body="<p>أ &amp; ب &lt;ج&gt; &#1583; &nbsp;</p>")
    item = item.replace("<title><![CDATA[عنوان]]></title>", "<title>الأسعار &amp; &#1575;لأسواق</title>")
    item = item.replace("<wp:post_id>10</wp:post_id>", "<wp:post_id><![CDATA[10]]></wp:post_id>")
    report = run(builder.write(tmp_path, builder.export(item)))
    assert report["post"].created == 1, report.problems
    page = ArticlePage.objects.get()
    assert page.title == "الأسعار & الأسواق"
    assert "أ &amp; ب &lt;ج&gt; د" in page.body[0].value.source


def test_an_author_missing_from_the_header_is_created_and_reported(tmp_path):
    report = run(builder.write(tmp_path, builder.export(builder.post(10, "خبر", creator="ghost.writer"))))
    assert report["post"].created == 1
    assert any("ghost.writer" in message and "المنشور 10" in message for message in report.problems)
    assert ArticlePage.objects.get().authors.get().name == "ghost.writer"
    assert Author.objects.filter(name="ghost.writer").count() == 1


def test_a_reply_to_a_missing_comment_stands_alone(tmp_path):
    item = builder.post(10, "خبر", comments=[builder.comment(5, "رد على تعليق محذوف", parent=4)])
    report = run(builder.write(tmp_path, builder.export(item)))
    comment = Comment.objects.get()
    assert comment.parent is None and comment.body == "رد على تعليق محذوف"
    assert any("التعليق 5" in message and "(4)" in message for message in report.problems)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<html><body><p>صفحة ويب</p></body></html>", "ليس تصديراً من ووردبريس"),
        ('{"posts": []}', "ليس ملف XML"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>خلاصة</title></channel></rss>', "wp:wxr_version"),
    ],
)
def test_a_file_that_is_not_wxr_at_all(tmp_path, text, expected):
    report = run(builder.write(tmp_path, text))
    assert expected in report.fatal
    assert not report.usable
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_wordpress", str(builder.write(tmp_path, text)), stdout=out)
    assert expected in out.getvalue() or expected in str(raised.value)
    assert ArticlePage.objects.count() == 0


def test_a_missing_image_is_reported_and_the_post_still_imports(tmp_path):
    attachment = (
        "<item><title>صورة</title><link>x</link><wp:post_id>50</wp:post_id><wp:post_type>attachment</wp:post_type>"
        "<wp:status>inherit</wp:status>"
        f"<wp:attachment_url>{builder.BASE}/wp-content/uploads/2018/05/missing.jpg</wp:attachment_url></item>"
    )
    item = builder.post(10, "خبر بصورة مفقودة", meta=[("_thumbnail_id", "50")])
    (tmp_path / "uploads").mkdir()
    report = run(builder.write(tmp_path, builder.export(item, attachment)), media=str(tmp_path / "uploads"))
    assert report["post"].created == 1
    assert ArticlePage.objects.get().hero_image is None
    assert any("missing.jpg" in message for message in report.problems)


def test_a_dry_run_writes_nothing(tmp_path):
    report = run(builder.write(tmp_path, two_posts()), dry_run=True)
    assert report["post"].created == 2 and report["comment"].created == 1
    assert ArticlePage.objects.count() == 0 and Comment.objects.count() == 0


def test_a_newer_export_updates_changed_posts_and_adds_new_comments(tmp_path):
    run(builder.write(tmp_path, two_posts()))
    first = ArticlePage.objects.get(title="الخبر الأول")
    newer = builder.export(
        builder.post(
            10, "الخبر الأول (محدَّث)",
            body="<!-- wp:paragraph --><p>نص جديد للخبر.</p><!-- /wp:paragraph -->",
            modified="2018-05-10 09:00:00",
            comments=[builder.comment(1, "تعليق أول"), builder.comment(2, "رد جديد", parent=1)],
        ),
        builder.post(11, "الخبر الثاني"),
    )
    report = run(builder.write(tmp_path, newer, name="newer.xml"))
    assert (report["post"].updated, report["post"].unchanged, report["post"].created) == (1, 1, 0)
    first.refresh_from_db()
    assert first.title == "الخبر الأول (محدَّث)" and first.live
    assert "نص جديد" in first.body[0].value.source
    assert first.revisions.count() == 1
    assert Comment.objects.count() == 2
    reply = Comment.objects.get(body="رد جديد")
    assert reply.parent.body == "تعليق أول"
