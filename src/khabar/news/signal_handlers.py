"""Purge cached pages whenever something a reader sees changes (see ``purge``)."""

import copy

from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from khabar.news import purge
from khabar.news.models import Agency, ArticlePage, Author, HomePage, InfoPage, SectionPage

PAGE_TYPES = (HomePage, SectionPage, ArticlePage, InfoPage)  # an info page is linked from every footer


def connect():
    for model in PAGE_TYPES:
        page_published.connect(page_changed, sender=model, dispatch_uid=f"khabar.news.published.{model.__name__}")
        page_unpublished.connect(page_changed, sender=model, dispatch_uid=f"khabar.news.unpublished.{model.__name__}")
        pre_delete.connect(page_deleted, sender=model, dispatch_uid=f"khabar.news.deleted.{model.__name__}")
    post_page_move.connect(page_moved, dispatch_uid="khabar.news.moved")
    # Sites and view restrictions are kept as shared fragments (routing_cache) and decide what pages show.
    for model in (Author, Agency, Tag, Site, PageViewRestriction):
        post_save.connect(shown_snippet_changed, sender=model, dispatch_uid=f"khabar.news.saved.{model.__name__}")
        post_delete.connect(shown_snippet_changed, sender=model, dispatch_uid=f"khabar.news.gone.{model.__name__}")


def page_changed(sender, instance, **kwargs):
    purge.site_changed([instance])


def page_deleted(sender, instance, **kwargs):
    if instance.live:
        purge.site_changed([instance])


def page_moved(sender, instance, url_path_before=None, **kwargs):
    if not instance.live:
        return
    # The front cache must forget the page's old address too: a copy of the page where it was.
    before = copy.copy(instance)
    before.url_path = url_path_before or instance.url_path
    purge.site_changed([instance, before])


def shown_snippet_changed(sender, instance, **kwargs):
    purge.site_changed()
