"""The page cache's configuration and the three calls the apps make: purge all, purge paths, expire at."""

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import caches

from khabar.pagecache import files
from khabar.pagecache.files import PageFiles
from khabar.pagecache.generations import CacheGenerations, FileGenerations
from khabar.pagecache.store import PageStore

# The WSGI environ (``request.META`` in Django) carries the render's wish to expire early.
EXPIRES_KEY = "khabar.pagecache.expires_at"


@dataclass(frozen=True)
class Config:
    enabled: bool
    fragments: bool  # the shared fragments, which may be on while whole pages are not cached
    seconds: int  # life of an entry that no purge touched
    search_seconds: int
    stale_seconds: int  # how long a stale entry is still kept to serve during a re-render
    params: frozenset  # query parameters that change a page; every other one is ignored
    skip_prefixes: tuple  # paths never cached
    short_prefixes: tuple  # paths cached for ``search_seconds`` only
    cdn_max_age: int
    cdn_stale_seconds: int
    session_cookie: str
    render_lock_seconds: int = 30
    wait_seconds: float = 5.0


@functools.lru_cache(maxsize=1)
def config():
    return Config(
        enabled=settings.KHABAR_PAGE_CACHE,
        fragments=settings.KHABAR_FRAGMENT_CACHE,
        seconds=settings.KHABAR_PAGE_CACHE_SECONDS,
        search_seconds=settings.KHABAR_PAGE_CACHE_SEARCH_SECONDS,
        stale_seconds=settings.KHABAR_PAGE_CACHE_STALE_SECONDS,
        params=frozenset(settings.KHABAR_PAGE_CACHE_PARAMS),
        skip_prefixes=tuple(settings.KHABAR_PAGE_CACHE_SKIP),
        short_prefixes=tuple(settings.KHABAR_PAGE_CACHE_SHORT),
        cdn_max_age=settings.KHABAR_CDN_MAX_AGE,
        cdn_stale_seconds=settings.KHABAR_CDN_STALE_SECONDS,
        session_cookie=settings.SESSION_COOKIE_NAME,
    )


@functools.lru_cache(maxsize=1)
def generations():
    if settings.KHABAR_PAGE_CACHE_GENERATIONS == "cache":
        return CacheGenerations(caches[settings.KHABAR_PAGE_CACHE_ALIAS])
    return FileGenerations(Path(settings.DATA_DIR) / "pagecache.generations")


@functools.lru_cache(maxsize=1)
def store():
    return PageStore(settings.KHABAR_PAGE_CACHE_ALIAS, settings.KHABAR_PAGE_CACHE_LOCAL_MB * 1024 * 1024)


@functools.lru_cache(maxsize=1)
def page_files():
    """The page files nginx serves (``files``), or None when ``KHABAR_PAGE_FILES_DIR`` is empty."""
    return PageFiles(settings.KHABAR_PAGE_FILES_DIR) if settings.KHABAR_PAGE_FILES_DIR else None


def keep_files_on_time():
    """Start this process's clock for the page files' ``now`` links (``files``), if files are on.

    Every web process and task worker runs one, from its start: the hot pages may all be files
    already, so no request may ever reach a new process, and files must expire while the web
    processes are down or restarting too.
    """
    if page_files() is not None:
        files.start_clock(page_files())


def purge_all():
    """Every cached page is stale from now on (a publish: lists, the ticker and related articles change)."""
    generations().bump_all()
    if page_files() is not None:
        page_files().purge_all()  # after the bump: a writer that rendered before it then removes its own file


def purge_paths(paths):
    """These URL paths (with every query string) are stale from now on.

    Percent-encoded («/%D8%A7…/», as ``page.url`` gives) or not: both name the same page.
    """
    for path in map(unquote, paths):
        generations().bump(path)
        if page_files() is not None:
            page_files().purge_path(path)


def deadline(request):
    """The epoch time after which the page being rendered must not be served (``expire_at``), or None."""
    return request.META.get(EXPIRES_KEY) if request is not None else None


def expire_at(request, when):
    """The page being rendered must not be served from the cache after ``when`` (a datetime or an epoch time).

    For what changes at a set time without anyone publishing, such as a breaking
    item leaving the ticker.
    """
    if when is None or request is None:
        return
    deadline = when if isinstance(when, (int, float)) else when.timestamp()
    meta = request.META
    meta[EXPIRES_KEY] = min(meta.get(EXPIRES_KEY, deadline), deadline)
