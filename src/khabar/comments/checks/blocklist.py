"""Blocked words, matched the way the Arabic layer decides two words are the same.

Both the comment and each term go through ``fold_for_search`` (tashkeel, tatweel
and invisible controls dropped; أ إ آ ٱ → ا, ى → ي, ة → ه; digits unified;
Latin lowercased), so "كازينو", "كـــازينو" and "كَازِينُو" are one word. A term
matches a whole word, which may carry one attached prefix (و ف ب ك ل ال لل and
their combinations) and one attached suffix (ها هم ات ون …), so "والكازينوهات"
is caught while a term never matches inside an unrelated longer word.
"""

import re
from functools import lru_cache

from django.conf import settings

from khabar.arabic import fold_for_search
from khabar.comments.checks.base import CommentCheck, Verdict

# Already folded: ة is written ه here, as fold_for_search leaves it.
PREFIXES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "ال", "لل", "و", "ف", "ب", "ك", "ل", "س")
SUFFIXES = ("هات", "هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ات", "ان", "ون", "ين", "يه", "ه", "ي", "ك")


@lru_cache(maxsize=512)
def _pattern(folded_term):
    prefixes = "|".join(PREFIXES)
    suffixes = "|".join(SUFFIXES)
    words = r"\s+".join(re.escape(word) for word in folded_term.split())
    return re.compile(rf"(?<!\w)(?:{prefixes})?{words}(?:{suffixes})?(?!\w)")


def find_blocked_term(text, terms):
    """The first of ``terms`` found in ``text`` (in any spelling that folds alike), or None."""
    folded = fold_for_search(text)
    for term in terms:
        folded_term = fold_for_search(" ".join(term.split()))
        if folded_term and _pattern(folded_term).search(folded):
            return term
    return None


def blocked_terms():
    """KHABAR_COMMENTS_BLOCKLIST and the terms moderators added in the admin."""
    from khabar.comments.models import BlockedTerm

    return [*settings.KHABAR_COMMENTS_BLOCKLIST, *BlockedTerm.objects.values_list("term", flat=True)]


class BlocklistCheck(CommentCheck):
    """File a comment as spam when its name, e-mail, website or text holds a blocked term."""

    def check(self, submission):
        text = "\n".join((submission.name, submission.email, submission.url, submission.body))
        term = find_blocked_term(text, blocked_terms())
        if term:
            return Verdict.spam(f"كلمة محظورة: {term}")
        return None
