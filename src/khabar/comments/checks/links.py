from django.conf import settings

from khabar.comments.checks.base import CommentCheck, Verdict
from khabar.comments.text import count_links


class LinkLimitCheck(CommentCheck):
    """Hold a comment with more than KHABAR_COMMENTS_MAX_LINKS web addresses for a moderator."""

    def check(self, submission):
        links = count_links(submission.body)
        if links > settings.KHABAR_COMMENTS_MAX_LINKS:
            return Verdict.hold(f"روابط كثيرة ({links})")
        return None
