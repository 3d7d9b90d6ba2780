"""The index follows what readers may see: publish, edit, unpublish, move, delete, import, reindex."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command

from khabar.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def indexed_titles():
    return sorted(SearchDocument.objects.values_list("title", flat=True))


def test_publishing_indexes_after_the_commit(publish_article, django_capture_on_commit_callbacks, search):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = publish_article(title="افتتاح المعرض")
    assert search("المعرض") == []  # nothing slow ran inside the editor's transaction
    assert callbacks
    for callback in callbacks:
        callback()
    assert search("المعرض") == [page.pk]


def test_a_draft_is_not_indexed(section, search, django_capture_on_commit_callbacks):
    from wagtail.rich_text import RichText

    from khabar.news.models import ArticlePage

    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePage(title="مسودة سرية", live=False, body=[("text", RichText("<p>نص</p>"))])
        section.add_child(instance=page)
        page.save_revision()
    assert search("مسودة") == []


def test_editing_and_republishing_updates_the_index(publish, search, django_capture_on_commit_callbacks):
    page = publish("عنوان قديم")
    page.title = "عنوان جديد عن الانتخابات"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert search("الانتخابات") == [page.pk]
    assert indexed_titles() == ["عنوان جديد عن الانتخابات"]


def test_a_saved_draft_of_a_live_article_keeps_the_live_text_indexed(publish, search, django_capture_on_commit_callbacks):
    page = publish("النص المنشور")
    page.title = "نص لم ينشر بعد"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    assert search("المنشور") == [page.pk]
    assert search("ينشر") == []


def test_unpublishing_removes_from_the_index(publish, search, django_capture_on_commit_callbacks):
    page = publish("خبر سيسحب")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert search("سيسحب") == []
    assert SearchDocument.objects.count() == 0


def test_deleting_removes_from_the_index(publish, search, django_capture_on_commit_callbacks):
    page = publish("خبر سيحذف")
    keep = publish("خبر باق")
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert search("خبر") == [keep.pk]
    assert indexed_titles() == ["خبر باق"]


def test_moving_to_another_section_moves_the_filter(publish, search, other_section, django_capture_on_commit_callbacks):
    page = publish("مباراة الديربي")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(other_section, pos="last-child")
    assert search("الديربي", section_id=other_section.pk) == [page.pk]
    assert SearchDocument.objects.get().url.startswith(other_section.url)


def test_the_index_task_is_idempotent(publish, search):
    from khabar.search.tasks import update_article_index

    page = publish("خبر مكرر")
    update_article_index.enqueue([page.pk])
    update_article_index.enqueue([page.pk])
    assert search("مكرر") == [page.pk]
    assert SearchDocument.objects.count() == 1
    update_article_index.enqueue([page.pk + 1000])  # an id that never existed: nothing to do
    assert SearchDocument.objects.count() == 1


def test_summary_dateline_and_tags_are_searchable_as_the_lead(publish, search):
    page = publish("عنوان", "متن الخبر.", summary="موجز عن الفيضانات", dateline="الخرطوم")
    page.tags.add("السودان")
    page.save_revision().publish()
    from khabar.search.indexing import update_articles

    update_articles([page.pk])
    for word in ("الفيضانات", "الخرطوم", "السودان", "متن"):
        assert search(word) == [page.pk], word


def write_corpus(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_the_importer_feeds_the_index_in_bulk(tmp_path, home, search):
    rows = [
        {"id": f"t-{n}", "title": f"الإسرائيلي رقم {n}", "body": "نص طويل بما يكفي عن غزة.\n\nفقرة ثانية.",
         "section": "العالم", "published": "2018-02-18T12:26:59+00:00", "source": "Test"}
        for n in range(3)
    ]
    write_corpus(tmp_path / "a.jsonl.gz", rows)
    call_command("import_articles", str(tmp_path / "a.jsonl.gz"), stdout=StringIO())
    assert len(search("الاسرائيلي")) == 3
    assert len(search("غزه")) == 3


def test_reindex_command_rebuilds_with_progress(publish, search):
    page = publish("خبر للفهرسة")
    SearchDocument.objects.all().delete()
    assert search("للفهرسة") == []
    out = StringIO()
    call_command("search_reindex", batch_size=1, stdout=out)
    assert search("للفهرسة") == [page.pk]
    assert "1 / 1 articles indexed" in out.getvalue()
    assert "Search index rebuilt: 1 articles" in out.getvalue()


def test_reindex_leaves_out_unpublished_articles(publish, search, django_capture_on_commit_callbacks):
    gone = publish("خبر مسحوب")
    with django_capture_on_commit_callbacks(execute=False):
        gone.unpublish()  # the task never ran
    call_command("search_reindex", stdout=StringIO())
    assert search("مسحوب") == []


def test_khabar_search_reindex_command_line(publish, search, capsys):
    from khabar import cli

    page = publish("خبر من سطر الأوامر")
    SearchDocument.objects.all().delete()
    cli.main(["search", "reindex", "--batch-size", "200"])
    assert "Search index rebuilt: 1 articles" in capsys.readouterr().out
    assert search("الأوامر") == [page.pk]


def test_reindex_if_empty_fills_only_an_empty_index(publish, search):
    first = publish("خبر أول")
    SearchDocument.objects.all().delete()
    call_command("search_reindex", if_empty=True, stdout=StringIO())
    assert search("أول") == [first.pk]
    SearchDocument.objects.filter(pk=first.pk).update(title_terms="", title_stems="")
    out = StringIO()
    call_command("search_reindex", if_empty=True, stdout=out)
    assert out.getvalue() == ""  # not empty: left alone
