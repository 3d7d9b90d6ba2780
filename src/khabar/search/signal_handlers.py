"""Publish, unpublish, edit, move, rename and delete reach the index through a task, after the commit.

Nothing slow runs in the editor's request: the handlers only enqueue, and only
once the transaction that changed the page has committed (a worker must see
the new state, and a rolled-back edit must not touch the index).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from khabar.news.importing import articles_imported
from khabar.news.models import ArticlePage, SectionPage


def enqueue_article_update(page_id):
    from khabar.search.tasks import update_article_index

    transaction.on_commit(partial(update_article_index.enqueue, [page_id]), robust=True)


def article_changed(sender, instance, **kwargs):
    enqueue_article_update(instance.pk)


def page_moved(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage) or issubclass(sender, ArticlePage):
        enqueue_article_update(instance.pk)
    elif isinstance(instance, SectionPage) or issubclass(sender, SectionPage):
        section_changed(sender, instance)


def section_changed(sender, instance, **kwargs):
    from khabar.search.tasks import update_section_index

    transaction.on_commit(partial(update_section_index.enqueue, instance.pk), robust=True)


def articles_were_imported(sender, pages, **kwargs):
    # The importer's batch is already one bulk transaction: index it there, in bulk.
    from khabar.search.indexing import index_new_articles

    index_new_articles(pages)


def connect():
    """Connect the receivers above; called once, from ``SearchConfig.ready()``."""
    page_published.connect(article_changed, sender=ArticlePage, dispatch_uid="khabar_search_published")
    page_unpublished.connect(article_changed, sender=ArticlePage, dispatch_uid="khabar_search_unpublished")
    post_delete.connect(article_changed, sender=ArticlePage, dispatch_uid="khabar_search_deleted")
    post_page_move.connect(page_moved, dispatch_uid="khabar_search_moved")
    page_slug_changed.connect(section_changed, sender=SectionPage, dispatch_uid="khabar_search_section_slug")
    articles_imported.connect(articles_were_imported, dispatch_uid="khabar_search_imported")
