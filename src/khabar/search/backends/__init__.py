"""One search backend per database vendor, behind one interface (``SearchBackend``).

The index lives in the site's own database, so the vendor of that database
chooses the implementation; nothing else branches on it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.utils.module_loading import import_string

from .base import Hit, IndexDocument, SearchBackend, SearchResult, Suggestion

BACKENDS = {
    "sqlite": "khabar.search.backends.sqlite.SQLiteSearchBackend",
    "postgresql": "khabar.search.backends.postgres.PostgresSearchBackend",
}

__all__ = ["BACKENDS", "Hit", "IndexDocument", "SearchBackend", "SearchResult", "Suggestion", "backend_class", "get_backend"]


def backend_class(vendor: str) -> type[SearchBackend]:
    try:
        return import_string(BACKENDS[vendor])
    except KeyError:
        raise ImproperlyConfigured(
            f"khabar search supports SQLite and PostgreSQL, not {vendor!r}: set KHABAR_DATABASE_URL to one of them."
        ) from None


def get_backend(connection=None, **options) -> SearchBackend:
    """The backend for ``connection`` (the default database unless given)."""
    connection = connection or default_connection
    return backend_class(connection.vendor)(connection, **options)
