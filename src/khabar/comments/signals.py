"""What follows a change to a comment: nothing slow here, only tasks queued after the commit.

* A change readers can see (approved, or no longer approved, or deleted while
  approved) sends ``comments_changed``; its receiver queues ``refresh_article_pages``
  so the article is purged from the frontend cache and Django's page cache.
* A new comment waiting for review queues the moderators' mail, batched
  (``tasks.schedule_moderator_mail``).
* A deleted comment's replies move up to its parent instead of losing theirs.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal

from khabar.comments.models import Comment, Status

# Sent with ``article_ids``: the articles whose visible comments changed.
comments_changed = Signal()


def connect():
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="khabar.comments.saved")
    pre_delete.connect(keep_replies, sender=Comment, dispatch_uid="khabar.comments.keep_replies")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="khabar.comments.deleted")
    comments_changed.connect(refresh_pages, dispatch_uid="khabar.comments.refresh_pages")


def comment_saved(sender, instance, created, **kwargs):
    if instance.is_approved or instance.was_visible:
        comments_changed.send(sender=Comment, article_ids={instance.article_id})
    if created and instance.status == Status.PENDING:
        from khabar.comments.tasks import schedule_moderator_mail

        transaction.on_commit(schedule_moderator_mail)


def keep_replies(sender, instance, **kwargs):
    Comment.objects.filter(parent_id=instance.pk).update(parent_id=instance.parent_id)


def comment_deleted(sender, instance, **kwargs):
    if instance.was_visible:
        comments_changed.send(sender=Comment, article_ids={instance.article_id})


def refresh_pages(sender, article_ids, **kwargs):
    from khabar.comments.tasks import refresh_article_pages

    ids = sorted(article_ids)
    transaction.on_commit(lambda: refresh_article_pages.enqueue(ids))
