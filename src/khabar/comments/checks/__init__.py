"""Pluggable spam checks, run on every valid comment before it is saved.

``KHABAR_COMMENTS_CHECKS`` lists them by dotted path (see ``base.py`` for the
contract). The defaults, all in this package, need no outside service:

* ``duplicates.DuplicateCheck``: the same text again from the same source → refused;
* ``blocklist.BlocklistCheck``: a blocked word, in any folded spelling → spam;
* ``links.LinkLimitCheck``: more than ``KHABAR_COMMENTS_MAX_LINKS`` links → held.

The honeypot, the form token and the rate limits guard the request itself and
live in ``forms``, ``tokens`` and ``views`` (on ``khabar.identity.limits``).
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from khabar.comments.checks.base import HOLD, REJECT, SPAM, CommentCheck, Submission, Verdict

__all__ = ["HOLD", "REJECT", "SPAM", "CommentCheck", "Submission", "Verdict", "get_checks", "run_checks"]

logger = logging.getLogger(__name__)

@lru_cache(maxsize=8)
def _load(paths):
    checks = []
    for path in paths:
        try:
            check_class = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"KHABAR_COMMENTS_CHECKS: cannot import {path!r} ({error}).") from error
        if not (isinstance(check_class, type) and issubclass(check_class, CommentCheck)):
            raise ImproperlyConfigured(
                f"KHABAR_COMMENTS_CHECKS: {path!r} must be a subclass of khabar.comments.checks.base.CommentCheck."
            )
        checks.append(check_class())
    return tuple(checks)


def get_checks():
    return _load(tuple(settings.KHABAR_COMMENTS_CHECKS))


def run_checks(submission):
    """The verdicts of every check, in order; a reject ends the run.

    A check that fails (an outside service down) holds the comment for a moderator
    rather than losing it or letting it through unchecked.
    """
    verdicts = []
    for check in get_checks():
        try:
            verdict = check.check(submission)
        except Exception as error:
            # The exception's type only: its message might quote the submission.
            logger.warning("comment check %s failed: %s", type(check).__name__, type(error).__name__)
            verdict = Verdict.hold(f"تعذّر الفحص: {type(check).__name__}")
        if verdict is not None:
            verdicts.append(verdict)
            if verdict.action == REJECT:
                break
    return verdicts
