"""What follows a change to a comment: nothing slow here, only tasks queued after the commit.

* A change readers can see (approved, or no longer approved, or deleted while
  approved) sends ``signals.comments_changed``; its receiver purges the article, after the
  commit, from khabar's page cache and the frontend cache (``khabar.news.purge``).
* A new comment waiting for review queues the moderators' mail, batched
  (``tasks.schedule_moderator_mail``).
* A deleted comment's replies move up to its parent instead of losing theirs.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from khabar.comments import signals
from khabar.comments.models import Comment, Status
from khabar.news import purge
from khabar.news.models import ArticlePage


def connect():
    """Connect the receivers below; called once, from ``CommentsConfig.ready()``."""
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="khabar.comments.saved")
    pre_delete.connect(keep_replies, sender=Comment, dispatch_uid="khabar.comments.keep_replies")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="khabar.comments.deleted")
    signals.comments_changed.connect(refresh_pages, dispatch_uid="khabar.comments.refresh_pages")


def comment_saved(sender, instance, created, **kwargs):
    if instance.is_approved or instance.was_visible:
        signals.comments_changed.send(sender=Comment, article_ids={instance.article_id})
    if created and instance.status == Status.PENDING:
        from khabar.comments.tasks import schedule_moderator_mail

        transaction.on_commit(schedule_moderator_mail)


def keep_replies(sender, instance, **kwargs):
    Comment.objects.filter(parent_id=instance.pk).update(parent_id=instance.parent_id)


def comment_deleted(sender, instance, **kwargs):
    if instance.was_visible:
        signals.comments_changed.send(sender=Comment, article_ids={instance.article_id})


def refresh_pages(sender, article_ids, **kwargs):
    purge.pages_changed(ArticlePage.objects.filter(pk__in=article_ids))
