"""A reader's data requests: everything stored about an e-mail address, and erasing it.

Erasing deletes the reader's comments outright (their words and everything that
identifies them) together with the admin's log entries about those comments.
Other readers' replies stay, moved up to the erased comment's parent.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import ModelLogEntry

from khabar.comments.models import Comment
from khabar.identity.email import normalise_email


def export_comments(email):
    """Every comment stored for ``email``, with all that was stored about it, as plain data."""
    comments = Comment.objects.by_email(email).select_related("article").order_by("created", "pk")
    return {
        "email": normalise_email(email),
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "article_url": comment.article.full_url,
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "website": comment.url,
                "comment": comment.body,
                "status": comment.status,
                "created": comment.created.isoformat(),
                "ip_address_hash": comment.ip_hash,
                "user_agent": comment.user_agent,
                "staff_reply": comment.is_staff_reply,
            }
            for comment in comments
        ],
    }


def erase_comments(email):
    """Delete every comment of ``email`` and the admin log lines about them; returns how many."""
    with transaction.atomic():
        ids = list(Comment.objects.by_email(email).values_list("pk", flat=True))
        if not ids:
            return 0
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id__in=[str(pk) for pk in ids]
        ).delete()
        # One by one, so each comment's replies are handed to its parent (signal_handlers.keep_replies).
        for comment in Comment.objects.filter(pk__in=ids).order_by("-created", "-pk"):
            comment.delete()
    return len(ids)
