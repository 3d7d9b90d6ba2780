from django.db.models import Q

from khabar.comments.checks.base import CommentCheck, Verdict
from khabar.comments.models import Comment, Status


class DuplicateCheck(CommentCheck):
    """Refuse the same text twice on one article from the same e-mail or the same address."""

    message = "يبدو أنك أرسلت هذا التعليق من قبل."

    def check(self, submission):
        same_source = Q(email=submission.email)
        if submission.ip_hash:
            same_source |= Q(ip_hash=submission.ip_hash)
        duplicate = (
            Comment.objects.filter(article=submission.article, body=submission.body)
            .filter(same_source)
            .exclude(status=Status.TRASH)
            .exists()
        )
        if duplicate:
            return Verdict.reject("تعليق مكرر", self.message)
        return None
