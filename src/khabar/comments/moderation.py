"""The status a new comment gets: KHABAR_COMMENTS_MODERATION and the verdicts of the checks.

``all``: every comment waits for a moderator. ``first`` (the default, as in
WordPress): a comment waits unless its e-mail already has an approved comment.
``none``: comments appear at once. In every mode a check may still hold a
comment or file it as spam, and a moderator's own reply appears at once.
"""

from django.conf import settings

from khabar.comments.checks import HOLD, SPAM
from khabar.comments.models import Comment, Status

FIRST_COMMENT_NOTE = "أول تعليق من هذا البريد"


def decide_status(submission, verdicts, staff=False):
    """Return (status, notes for moderators)."""
    notes = [verdict.reason for verdict in verdicts]
    if staff:
        return Status.APPROVED, ""
    if any(verdict.action == SPAM for verdict in verdicts):
        return Status.SPAM, _join(notes)
    if any(verdict.action == HOLD for verdict in verdicts):
        return Status.PENDING, _join(notes)
    mode = settings.KHABAR_COMMENTS_MODERATION
    if mode == "all":
        return Status.PENDING, _join(notes)
    if mode == "first" and not Comment.objects.approved().filter(email=submission.email).exists():
        return Status.PENDING, _join([*notes, FIRST_COMMENT_NOTE])
    return Status.APPROVED, _join(notes)


def _join(notes):
    return "؛ ".join(notes)[:200]
