"""The contract of a spam check: look at a submission, give a verdict or stay silent.

A check is a class with one method, ``check(submission)``, listed by dotted path
in ``KHABAR_COMMENTS_CHECKS``. An outside service (an Akismet-like API) fits the
same shape: subclass ``CommentCheck``, call the service in ``check`` and return
``Verdict.spam(...)`` when it says so. Checks run in the order listed; a
``reject`` stops the rest.
"""

from dataclasses import dataclass

HOLD = "hold"  # keep for a moderator (status pending)
SPAM = "spam"  # file as spam: never shown, never mailed to moderators
REJECT = "reject"  # do not save; tell the reader why


@dataclass(frozen=True)
class Submission:
    """A valid, cleaned comment that is not saved yet."""

    article: object
    parent: object
    name: str
    email: str
    url: str
    body: str
    ip_hash: str
    user_agent: str


@dataclass(frozen=True)
class Verdict:
    action: str
    reason: str  # for moderators, stored with the comment
    message: str = ""  # for the reader, on reject

    @classmethod
    def hold(cls, reason):
        return cls(HOLD, reason)

    @classmethod
    def spam(cls, reason):
        return cls(SPAM, reason)

    @classmethod
    def reject(cls, reason, message):
        return cls(REJECT, reason, message)


class CommentCheck:
    """Base class of the checks in KHABAR_COMMENTS_CHECKS."""

    def check(self, submission):
        """Return a Verdict, or None when this check has nothing against the submission."""
        raise NotImplementedError(f"{type(self).__name__} must implement check(submission)")
