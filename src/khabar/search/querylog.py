"""Counting what readers search for, for the editors: per folded query and day, and how often it found nothing.

No IP address, user, session or raw spelling is kept. Queries that look like
personal data (an e-mail address, a phone number) are not logged at all.
"""

import logging
import re

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from khabar.search.models import SearchQueryLog

logger = logging.getLogger(__name__)
_PERSONAL = re.compile(r"@|\d[\d\s-]{6,}\d")


def record_search(folded_query: str, found: int) -> None:
    """Count one search for ``folded_query`` (already in search form) that found ``found`` articles."""
    if not folded_query or _PERSONAL.search(folded_query):
        return
    day = timezone.localdate()
    zero = int(found == 0)
    changes = {"searches": F("searches") + 1, "zero_results": F("zero_results") + zero}
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the request's transaction usable
            if SearchQueryLog.objects.filter(day=day, query=folded_query).update(**changes):
                return
            try:
                with transaction.atomic():
                    SearchQueryLog.objects.create(day=day, query=folded_query, searches=1, zero_results=zero)
            except IntegrityError:  # another request created today's row first
                SearchQueryLog.objects.filter(day=day, query=folded_query).update(**changes)
    except DatabaseError:
        # A busy database must not cost the reader their results: the count is only statistics.
        logger.warning("search query log not updated", exc_info=True)
