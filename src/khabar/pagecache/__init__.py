"""khabar's page cache: whole anonymous pages, shared by every process, purged the moment content changes.

How it fits together:

* ``wsgi.PageCacheApp`` wraps the Django application. A reader's GET is looked up
  before Django runs at all (no URL routing, no database); a miss renders through
  Django and, when the response may be shared, stores it.
* Entries live in the ``pages`` cache (files in the embedded mode, Redis at scale)
  and, as a copy, in a small per-process memory (``store``). A copy is only served
  after its *generations* are checked against the shared ones, so no process ever
  serves a page another process purged.
* ``generations`` keeps one site-wide counter and one counter per path slot. Purging
  changes a counter; entries stored under the old value are stale from that moment.
* After a purge, one request renders the page (single flight, ``store.claim``);
  the others get the stale copy meanwhile.
* Behind the deploy/ nginx on the same machine, ``files`` also writes each fresh
  anonymous page as a file nginx serves itself (``KHABAR_PAGE_FILES_DIR``); the same
  purges delete them.

This package imports nothing of khabar's: the apps call ``purge_all``, ``purge_paths``
and ``expire_at`` (``news`` decides what a change purges).
"""

from khabar.pagecache.api import deadline, expire_at, purge_all, purge_paths

__all__ = ["deadline", "expire_at", "purge_all", "purge_paths"]
