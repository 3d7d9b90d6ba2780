"""Publishing a breaking article queues its web push (sent at most once per article)."""

from functools import partial

from django.db import transaction
from wagtail.signals import page_published


def queue_breaking_push(sender, instance, **kwargs):
    from khabar.news.models import ArticlePage
    from khabar.push import tasks

    if isinstance(instance, ArticlePage) and instance.is_breaking:
        # After commit: the worker must see the published article. The task checks the flag again.
        transaction.on_commit(partial(tasks.send_breaking_push.enqueue, instance.pk))


def connect():
    """Connect the receiver above; called once, from ``PushConfig.ready()``."""
    page_published.connect(queue_breaking_push, dispatch_uid="khabar.push.breaking")
