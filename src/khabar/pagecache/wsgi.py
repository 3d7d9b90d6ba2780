"""The page cache in front of Django, at the WSGI level: a hit never reaches URL routing or the database."""

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from khabar.pagecache import api, files
from khabar.pagecache.store import Entry, Unavailable

logger = logging.getLogger(__name__)
_warned_at = 0.0  # the shared cache being down is said once every WARN_EVERY seconds, not on every request
WARN_EVERY = 10
CACHE_HEADER = "X-Khabar-Cache"
# Headers that belong to one response, not to the stored page.
_NOT_STORED = {"date", "content-length", "etag", "x-khabar-cache"}
_UNSHAREABLE = ("private", "no-store", "no-cache")
_STORED_STATUSES = {200, 301}
_MAX_BODY = 4 * 1024 * 1024


def request_path(environ):
    """The URL path as text, as Django and ``page.get_url()`` write it.

    WSGI hands the path over as bytes decoded with latin-1; an Arabic slug must
    become Arabic again, or a purge of «/العالم/…» would miss the cached page.
    """
    return environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")


def request_key(environ, config):
    """The cache key of a request: method class, host, path and the query parameters that matter.

    Tracking and junk parameters (``utm_*``, ``fbclid``, anything unknown) are dropped,
    so they neither split the cache nor let a stranger fill it with variants.
    """
    query = environ.get("QUERY_STRING", "")
    kept = ""
    if query:
        pairs = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k in config.params)
        kept = urlencode(pairs)
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    return f"{scheme}://{host.lower()}{request_path(environ)}?{kept}"


def may_use_cache(environ, config):
    """Anonymous GET/HEAD of a public path; never an editor (session cookie) or an authenticated call."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    if cookies and f"{config.session_cookie}=" in cookies:
        return False
    path = environ.get("PATH_INFO", "/")
    return not path.startswith(config.skip_prefixes)


def _shareable(status_code, headers):
    if status_code not in _STORED_STATUSES:
        return False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie":
            return False
        if lowered == "cache-control" and any(word in value.lower() for word in _UNSHAREABLE):
            return False
        if lowered == "vary" and "cookie" in value.lower():
            return False
    return True


def _warn_down(error):
    global _warned_at
    if time.monotonic() - _warned_at >= WARN_EVERY:
        _warned_at = time.monotonic()
        logger.warning("page cache: the shared cache did not answer (%s); pages are rendered meanwhile", error)


class PageCacheApp:
    """Wraps a WSGI application with khabar's page cache; see the package docstring."""

    def __init__(self, app):
        self.app = app
        api.keep_files_on_time()  # even with the page cache off: files from before must still expire

    def __call__(self, environ, start_response):
        config = api.config()
        if not config.enabled or not may_use_cache(environ, config):
            return self.app(environ, start_response)
        try:
            return self._through_cache(environ, start_response, config)
        except Unavailable as error:
            # Fail open: with the shared cache down (Redis stopped) readers still get the page, rendered.
            # Raised only before the application runs, so a request never renders twice.
            _warn_down(error)
            return self.app(environ, start_response)

    def _through_cache(self, environ, start_response, config):
        key = request_key(environ, config)
        path = request_path(environ)
        store = api.store()
        generations = store.guarded(api.generations().current, path)
        now = time.time()
        entry = store.get(key, generations, now)
        if entry is not None and entry.is_fresh(generations, now):
            self._offer_file(entry, key, path, environ, config)  # nginx asked: it had no file for this page
            return self._serve(entry, environ, start_response, "HIT")
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.app(environ, start_response)  # a HEAD response has no body worth storing
        if store.claim(key, config.render_lock_seconds):
            try:
                # Another request may have stored the fresh page between our look-up and the claim.
                stored = store.get_shared(key)
                if stored is not None and stored.is_fresh(generations, time.time()):
                    return self._serve(stored, environ, start_response, "HIT")
                return self._render(key, path, generations, environ, start_response, config)
            finally:
                store.release(key)
        if entry is not None:
            return self._serve(entry, environ, start_response, "STALE")  # someone is rendering the fresh one
        fresh = self._wait_for(key, path, config)
        if fresh is not None:
            return self._serve(fresh, environ, start_response, "HIT")
        return self._render(key, path, generations, environ, start_response, config)

    def _wait_for(self, key, path, config):
        """Wait a little for the request that holds the render lock; None when it takes too long."""
        deadline = time.monotonic() + config.wait_seconds
        store = api.store()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            entry = store.get_shared(key)
            if entry is not None and entry.is_fresh(store.guarded(api.generations().current, path), time.time()):
                return entry
        return None

    def _render(self, key, path, generations, environ, start_response, config):
        captured = {}

        def capture(status, headers, exc_info=None):
            # Nothing has reached the client yet: the response is buffered, then served below.
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        started = time.time()
        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        code = int(status.split(" ", 1)[0])
        if not _shareable(code, headers) or len(body) > _MAX_BODY:
            start_response(status, [*headers, (CACHE_HEADER, "BYPASS")])
            return [body]
        short = path.startswith(config.short_prefixes)
        seconds = config.search_seconds if short else config.seconds
        ends = started + seconds
        if api.page_files() is not None and not short:
            ends = files.aligned_end(started, ends)
        expires_at = min(ends, environ.get(api.EXPIRES_KEY, ends))
        entry = Entry(
            status=status,
            headers=self._stored_headers(headers, config),
            body=body,
            etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
            generations=generations,
            expires_at=expires_at,
        )
        api.store().put(key, entry, timeout=seconds + config.stale_seconds)
        self._offer_file(entry, key, path, environ, config)
        return self._serve(entry, environ, start_response, "MISS")

    @staticmethod
    def _offer_file(entry, key, path, environ, config):
        """Write the page for nginx to serve (``files``): a plain GET, no query parameter that matters,
        not a page cached briefly (search)."""
        files = api.page_files()
        if files is None or environ["REQUEST_METHOD"] != "GET" or not key.endswith("?"):
            return
        if path.startswith(config.short_prefixes):
            return

        def still_fresh():
            try:
                return api.store().guarded(api.generations().current, path) == entry.generations
            except Unavailable:
                return False

        scheme = key.split("://", 1)[0]  # as request_key read it (X-Forwarded-Proto behind nginx)
        try:
            files.offer(scheme, environ.get("HTTP_HOST", ""), path, entry.status, entry.headers, entry.body,
                        entry.expires_at, still_fresh)
        except Exception:  # noqa: BLE001 - the reader's page matters more than its file: fail open
            logger.exception("page files: could not offer %s", path)

    @staticmethod
    def _stored_headers(headers, config):
        kept = [(name, value) for name, value in headers if name.lower() not in _NOT_STORED]
        if not any(name.lower() == "cache-control" for name, _ in kept):
            # Browsers revalidate (a 304 costs little); a CDN may keep the page a short while.
            kept.append((
                "Cache-Control",
                f"public, max-age=0, s-maxage={config.cdn_max_age}, "
                f"stale-while-revalidate={config.cdn_stale_seconds}",
            ))
        return tuple(kept)

    @staticmethod
    def _serve(entry, environ, start_response, outcome):
        headers = [*entry.headers, ("ETag", entry.etag), (CACHE_HEADER, outcome)]
        if entry.etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", [h for h in headers if h[0].lower() != "content-type"])
            return []
        headers.append(("Content-Length", str(len(entry.body))))
        start_response(entry.status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
