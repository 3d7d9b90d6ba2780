"""Counting what readers search for, for the editors: per folded query and day, and how often it found nothing.

No IP address, user, session or raw spelling is kept. Queries that look like
personal data (an e-mail address, a phone number) are not logged at all.
"""

import logging
import re

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from khabar.search.models import SearchQueryLog

logger = logging.getLogger(__name__)
_PERSONAL = re.compile(r"@|\d[\d\s-]{6,}\d")
_TABLE = SearchQueryLog._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (day, query, searches, zero_results) VALUES (%s, %s, 1, %s) "
    f"ON CONFLICT (day, query) DO UPDATE SET searches = {_TABLE}.searches + 1, "
    f"zero_results = {_TABLE}.zero_results + excluded.zero_results"
)


def record_search(folded_query: str, found: int) -> None:
    """Count one search for ``folded_query`` (already in search form) that found ``found`` articles."""
    if not folded_query or _PERSONAL.search(folded_query):
        return
    zero = int(found == 0)
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: a failure here leaves the caller's transaction usable
                _count(folded_query, zero)
        else:
            _count(folded_query, zero)  # one statement is its own transaction
    except DatabaseError:
        # A busy database must not cost the reader their results: the count is only statistics.
        logger.warning("search query log not updated", exc_info=True)


def _count(folded_query, zero):
    # One upsert (SQLite and PostgreSQL both have it): no race between two requests creating today's row,
    # and a third of the statements of an update-then-create.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [connection.ops.adapt_datefield_value(timezone.localdate()), folded_query, zero])
