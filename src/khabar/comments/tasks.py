"""Background work for comments: one mail to moderators per batch of comments waiting."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from khabar import mail_retry
from khabar.arabic import count_noun
from khabar.comments.models import Comment
from khabar.comments.text import COMMENTS

logger = logging.getLogger(__name__)

NOTIFY_SCHEDULED_KEY = "khabar:comments:notify-scheduled"
MODERATOR_PERMISSION = ("comments", "change_comment")


# --- moderators' mail -------------------------------------------------------------------


def schedule_moderator_mail():
    """Queue one mail for the comments now waiting, gathering those that arrive in the next few minutes.

    With a backend that can defer (the database queue, RQ), the first pending comment
    schedules a run KHABAR_COMMENTS_NOTIFY_DELAY seconds later and later ones join it.
    Without (the immediate backend) the mail goes at once. Either way the task only
    mails comments no earlier mail covered, so extra runs send nothing.
    """
    delay = settings.KHABAR_COMMENTS_NOTIFY_DELAY
    if delay > 0 and notify_moderators.get_backend().supports_defer:
        if not cache.add(NOTIFY_SCHEDULED_KEY, 1, timeout=delay):
            return
        notify_moderators.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
    else:
        notify_moderators.enqueue()


def moderators():
    """Active users with an e-mail who may moderate comments (the change-comment permission)."""
    app_label, codename = MODERATOR_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    may_moderate = Q(is_superuser=True)
    if permission:
        may_moderate |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return get_user_model().objects.filter(may_moderate, is_active=True).exclude(email="").distinct()


@task()
def notify_moderators():
    """Mail moderators one summary of the comments waiting that no earlier mail mentioned.

    The comments are claimed and marked in the same transaction as the mail is sent:
    a failed send leaves them unmarked for the next run, and a second run finds
    nothing to say. When the mail server is away or answers "not now"
    (``mail_retry.TryLater``), the next run is queued KHABAR_COMMENTS_NOTIFY_DELAY
    seconds later (a minute when that is 0). Returns how many comments the mail covered.
    """
    cache.delete(NOTIFY_SCHEDULED_KEY)
    try:
        return _notify_moderators()
    except mail_retry.TryLater:
        if notify_moderators.get_backend().supports_defer:
            retry = settings.KHABAR_COMMENTS_NOTIFY_DELAY or 60
            notify_moderators.using(run_after=timezone.now() + timedelta(seconds=retry)).enqueue()
        raise


def _notify_moderators():
    # Connected before the transaction: a mail server slow to answer (or away) never holds its locks.
    with mail_retry.connection() as connection, transaction.atomic():
        batch = list(
            Comment.objects.pending()
            .filter(moderators_notified_at=None)
            .select_related("article")
            .order_by("created", "pk")
            .select_for_update(skip_locked=True, of=("self",))
        )
        if not batch:
            return 0
        recipients = sorted({user.email for user in moderators()})
        if recipients:
            waiting = Comment.objects.pending().count()
            context = {
                "comments": batch,
                "new_count": count_noun(len(batch), COMMENTS, settings.KHABAR_DIGITS),
                "waiting_count": count_noun(waiting, COMMENTS, settings.KHABAR_DIGITS),
                "queue_url": settings.SITE_URL + reverse("wagtailsnippets_comments_comment:list") + "?status=pending",
                "site_name": settings.SITE_NAME,
            }
            subject = f"[{settings.SITE_NAME}] {context['new_count']} بانتظار المراجعة"
            body = render_to_string("comments/mail/moderators.txt", context)
            send_mail(subject, body, None, recipients, connection=connection)
        Comment.objects.filter(pk__in=[comment.pk for comment in batch]).update(moderators_notified_at=timezone.now())
    logger.info("moderators told of %d pending comments (%d recipients)", len(batch), len(recipients))
    return len(batch)
