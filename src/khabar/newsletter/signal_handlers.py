"""Publishing a breaking article queues the breaking list's alert (once per article)."""

from functools import partial

from django.db import transaction
from wagtail.signals import page_published


def queue_breaking_alert(sender, instance, **kwargs):
    from khabar.news.models import ArticlePage
    from khabar.newsletter import tasks

    if isinstance(instance, ArticlePage) and instance.is_breaking:
        # After commit: the worker must see the published article.
        transaction.on_commit(partial(tasks.send_breaking_news.enqueue, instance.pk))


def connect():
    """Connect the receivers above; called once, from ``NewsletterConfig.ready()``."""
    page_published.connect(queue_breaking_alert, dispatch_uid="khabar.newsletter.breaking")
