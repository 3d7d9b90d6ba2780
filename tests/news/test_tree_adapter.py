"""The bulk writer's shortcuts through Wagtail and treebeard still hold after an upgrade.

khabar.news.importing.tree_adapter leans on private names of Wagtail, treebeard and modelsearch
to add thousands of pages without several queries each. A release may rename or change any of
them without notice; these tests say which one moved, before an import can corrupt a page tree.
"""

import inspect
from datetime import timedelta
from unittest import mock

import pytest
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch import signal_handlers as modelsearch_signals
from treebeard.mp_tree import MP_Node
from wagtail import signal_handlers as wagtail_signals
from wagtail.models import Page, PageLogEntry
from wagtail.rich_text import RichText

from khabar.news.importing import tree_adapter
from khabar.news.importing.writer import ArticleWriter, NewArticle
from khabar.news.models import ArticlePage, SectionPage

FIX = "After a Wagtail, treebeard or modelsearch upgrade, adapt khabar/news/importing/tree_adapter.py (and this test)."


def parameters(function):
    return list(inspect.signature(function).parameters)


# --- the private names, one by one -------------------------------------------------------
def test_treebeard_builds_a_child_path_with_MP_Node__get_path():
    assert isinstance(inspect.getattr_static(MP_Node, "_get_path", None), classmethod), (
        f"treebeard's MP_Node._get_path is gone or no longer a classmethod. {FIX}"
    )
    assert parameters(Page._get_path) == ["path", "depth", "newstep"], (
        f"treebeard's MP_Node._get_path(path, depth, newstep) changed its signature. {FIX}"
    )
    assert Page._get_path("0001", 2, 1) == "00010001" and Page._get_path("0001", 2, 37) == "00010011", (
        f"treebeard's MP_Node._get_path no longer builds base-36 paths of steplen 4. {FIX}"
    )


def test_treebeard_reads_a_position_with_MP_Node__get_lastpos_in_path():
    assert callable(getattr(MP_Node, "_get_lastpos_in_path", None)), (
        f"treebeard's MP_Node._get_lastpos_in_path is gone. {FIX}"
    )
    assert Page(path="0001000A")._get_lastpos_in_path() == 10, (
        f"treebeard's MP_Node._get_lastpos_in_path no longer returns a node's position. {FIX}"
    )


@pytest.mark.django_db
def test_treebeard_get_parent_answers_from__cached_parent_obj(django_assert_num_queries):
    parent = object()
    page = Page(path="00010001", depth=2)
    page._cached_parent_obj = parent
    with django_assert_num_queries(0):
        found = page.get_parent()
    assert found is parent, f"treebeard's MP_Node.get_parent() no longer reads _cached_parent_obj. {FIX}"


@pytest.mark.django_db
def test_wagtail_is_site_root_answers_from__is_site_root(django_assert_num_queries):
    page = Page(path="00010001", depth=2)
    page._is_site_root = False
    with django_assert_num_queries(0):
        answer = page.is_site_root()
    assert answer is False, f"Wagtail's Page.is_site_root() no longer reads _is_site_root. {FIX}"


def test_wagtail_page_save_takes_clean_and_log_action():
    assert {"clean", "log_action"} <= set(parameters(Page.save)), (
        f"Wagtail's Page.save(clean=..., log_action=...) changed its signature. {FIX}"
    )


@pytest.mark.django_db
def test_modelsearch_indexes_each_saved_article_through_post_save_signal_handler():
    connected = post_save.disconnect(modelsearch_signals.post_save_signal_handler, sender=ArticlePage)
    if connected:
        post_save.connect(modelsearch_signals.post_save_signal_handler, sender=ArticlePage)
    assert connected, (
        "modelsearch.signal_handlers.post_save_signal_handler is no longer ArticlePage's post_save receiver: "
        f"a bulk import would queue one search task per page again. {FIX}"
    )


def test_wagtail_offers_disable_reference_index_auto_update():
    toggle = getattr(wagtail_signals, "disable_reference_index_auto_update", None)
    assert toggle is not None, f"wagtail.signal_handlers.disable_reference_index_auto_update is gone. {FIX}"
    with toggle():
        pass


# --- a real bulk insert, checked the way treebeard and a reader would ---------------------
def new_article(writer, section_title, title, n):
    page = ArticlePage(
        title=title,
        live=True,
        first_published_at=timezone.now() - timedelta(minutes=n),
        last_published_at=timezone.now() - timedelta(minutes=n),
        body=[("text", RichText(f"<p>نص الخبر رقم {n}.</p>"))],
        import_id=f"adapter-{n}",
    )
    section = writer.section(section_title)
    return NewArticle(page=page, section=section, authors=["سلمى"], credits=["رويترز"], tags=["غزة"])


def assert_tree_is_sound():
    evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Page.find_problems()
    problems = {
        "characters outside the alphabet": evil_chars,
        "paths of the wrong length": bad_steplen,
        "orphans": orphans,
        "wrong depth": wrong_depth,
        "wrong numchild": wrong_numchild,
    }
    found = {name: ids for name, ids in problems.items() if ids}
    assert not found, f"treebeard's Page.find_problems() reports a damaged tree after a bulk write: {found}. {FIX}"


@pytest.mark.django_db
def test_a_bulk_write_leaves_a_sound_tree_whose_pages_answer_by_url(section, publish_article, client):
    publish_article(title="خبر كتبه المحرر قبل الاستيراد")
    writer = ArticleWriter()
    enqueue = mock.patch.object(modelsearch_signals, "insert_or_update_object_task")
    with enqueue as per_page_task:
        first = writer.write([new_article(writer, section.title, "خبر مستورد مكرر", n) for n in range(3)])
        second = writer.write(
            [new_article(writer, "اقتصاد", f"خبر اقتصادي رقم {n}", n) for n in range(3, 8)]
            + [new_article(writer, section.title, "خبر مستورد مكرر", 8)]
        )
    queued = [call.args[:2] for call in per_page_task.enqueue.call_args_list]
    assert ("news", "articlepage") not in queued, f"bulk_indexing() no longer stops per-page search tasks. {FIX}"
    publish_article(title="خبر كتبه المحرر بعد الاستيراد")

    assert_tree_is_sound()
    economy = SectionPage.objects.get(title="اقتصاد")
    assert ArticlePage.objects.child_of(section).count() == Page.objects.get(pk=section.pk).numchild == 6
    assert ArticlePage.objects.child_of(economy).count() == Page.objects.get(pk=economy.pk).numchild == 5
    imported = first + second
    assert len({page.slug for page in imported if page.title == "خبر مستورد مكرر"}) == 4
    assert not PageLogEntry.objects.filter(page__in=imported).exists()
    for page in imported:
        stored = Page.objects.get(pk=page.pk)
        assert stored.get_parent().pk == page.get_parent().pk
        assert stored.url_path == f"{stored.get_parent().url_path}{stored.slug}/"
        response = client.get(stored.url)
        assert response.status_code == 200, f"{stored.url} answered {response.status_code}"
        assert page.title in response.content.decode()


@pytest.mark.django_db
def test_wagtail_tree_operations_still_work_on_written_pages(section):
    writer = ArticleWriter()
    pages = writer.write([new_article(writer, section.title, f"خبر رقم {n}", n) for n in range(4)])
    other = writer.section("رياضة")
    Page.objects.get(pk=pages[1].pk).move(other, pos="last-child")
    Page.objects.get(pk=pages[2].pk).delete()
    section.refresh_from_db()
    section.add_child(instance=ArticlePage(title="خبر أضيف بعد النقل والحذف"))
    assert_tree_is_sound()
    titles = [p.title for p in ArticlePage.objects.child_of(section).order_by("path")]
    assert titles == ["خبر رقم 0", "خبر رقم 3", "خبر أضيف بعد النقل والحذف"]


@pytest.mark.django_db
def test_bulk_indexing_restores_per_page_indexing_afterwards(section, publish_article):
    with tree_adapter.bulk_indexing(ArticlePage):
        pass
    with mock.patch.object(modelsearch_signals, "insert_or_update_object_task") as per_page_task:
        publish_article(title="خبر يحرره المحرر بعد الاستيراد")
    assert ("news", "articlepage") in [call.args[:2] for call in per_page_task.enqueue.call_args_list]
