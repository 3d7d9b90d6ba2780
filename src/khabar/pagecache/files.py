"""Page files: fresh cached pages written as plain files that nginx serves with no call to khabar.

nginx reads a file from disk about as fast as it serves a static asset, faster than
it answers from its own ``proxy_cache`` (whose entries carry the upstream's headers
to parse). So, when ``KHABAR_PAGE_FILES_DIR`` is set, every fresh anonymous HTML
page the page cache serves is also written as

    <dir>/live/<headers>/<bucket>/<scheme>/<host><path>index.html (and index.html.gz)

and deploy/nginx/khabar.conf tries that file before it asks khabar. The parts:

* ``<headers>``: a hash of the response headers (security policy, Cache-Control…).
  nginx cannot read headers from a file, so it adds them from a snippet: the first
  written page proposes it in ``<dir>/nginx.conf``, and an administrator installs a
  copy where nginx reads it (the web processes never write nginx's configuration).
  A page whose headers differ from the proposal's is never written, and nginx only
  looks under the hash of the snippet it loaded, so it never serves a page with
  headers khabar did not send with it.
* ``<bucket>``: the time in hundreds of seconds. nginx reads ``<headers>/now/…``, a
  link that every web process points at the current bucket (``start_clock``: a thread,
  at each boundary and once a second besides), so a file stops being served when its bucket
  ends: the page cache's own expiry (a page nobody purged) holds for files too. nginx
  follows a moved link within ``LAG_SECONDS``, so a page is written only if it lives
  that long past its bucket's end, and with files on a cached page ends that long after
  a bucket boundary (``aligned_end``): it is a file all its life, and a page that must
  go at a set time (a breaking item) is never served from a file past that time.
  (nginx once computed the bucket itself, a regular expression over ``$msec`` that cost
  a tenth of the instructions it spends on a page file.) The task worker runs the same
  clock; with no web process and no worker running, nobody moves the link, and nginx
  keeps serving the files it has until one runs again.
* A purge reaches the files at once: ``purge_all`` renames ``live`` away, a path's
  purge unlinks its files. A writer that rendered before a purge checks the purge
  counters again after its write and removes its own file.

The files only work where nginx and every khabar process share one machine and one
disk; across machines, leave the setting empty and let the front's ``proxy_cache`` work.
"""

import gzip
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 100
NOW_LINK = "now"  # live/<headers>/now -> the current bucket's folder; nginx reads through it
# From a bucket's end until nginx surely reads the next one: the link moves within a tick of this
# module's clock, and nginx looks at a name again once a second (open_file_cache_valid 1s).
LAG_SECONDS = 2
TICK_SECONDS = 1.0
HTML = "text/html; charset=utf-8"
# Headers nginx makes itself for a file, or that belong to one response.
_OWN_HEADERS = {"content-type", "content-length", "date", "etag", "last-modified", "x-khabar-cache"}
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")
_UNQUOTABLE = re.compile(r'["\\$\x00-\x1f\x7f]')  # would end, escape or interpolate inside an nginx string
_SNIPPET_HASH = re.compile(r'set \$khabar_page_files "(h[0-9a-f]+)";')
_RECHECK_SECONDS = 5


def bucket(now):
    return int(now) // BUCKET_SECONDS


def bucket_end(now):
    return (bucket(now) + 1) * BUCKET_SECONDS


def aligned_end(started, end):
    """When a page cached at ``started`` until ``end`` should expire, with page files on.

    A file is dropped only when its bucket ends (``LAG_SECONDS`` later, in the worst case), so a page
    that expires inside a bucket has no file in that bucket at all: up to a hundred seconds of each
    page's life, its readers would all reach khabar. Ending the page just after the last bucket
    boundary before ``end`` keeps it a file all its life (it lives a little shorter, never longer).
    When no boundary lies between, ``end`` stays.
    """
    boundary = bucket(end - LAG_SECONDS) * BUCKET_SECONDS
    return boundary + LAG_SECONDS if boundary >= bucket_end(started) else end


def safe_host(host):
    """The host as nginx's ``$host`` names it (lower case, no port, no final dot), or None if odd."""
    host = host.lower().rsplit(":", 1)[0] if not host.startswith("[") else ""
    host = host.rstrip(".")
    return host if _HOST.fullmatch(host) and ".." not in host else None


def safe_path(path):
    """The path's segments if it names a folder a file may live in («/world/story/»), else None."""
    if not path.startswith("/") or not path.endswith("/") or "\\" in path or "\x00" in path:
        return None
    segments = path[1:-1].split("/") if path != "/" else []
    if any(segment in ("", ".", "..") or len(segment.encode()) > 200 for segment in segments):
        return None
    return segments


def header_set(headers):
    """The headers nginx must add to a page file, in a stable order; None if nginx could not say them."""
    kept = sorted((name.title(), value) for name, value in headers if name.lower() not in _OWN_HEADERS)
    for name, value in kept:
        if not _HEADER_NAME.fullmatch(name) or _UNQUOTABLE.search(value):
            return None
    return tuple(kept)


def header_hash(headers):
    return "h" + hashlib.blake2b(repr(headers).encode(), digest_size=8).hexdigest()


def nginx_snippet(headers):
    """What deploy/nginx/khabar.conf includes in the location that serves page files."""
    lines = [
        "# Proposed by khabar (khabar.pagecache.files) from the headers of its pages, for nginx to add to page",
        "# files: install it as /etc/nginx/snippets/khabar-page-files.conf (deploy/README.md, step 7).",
        f'set $khabar_page_files "{header_hash(headers)}";',
        "charset utf-8;",
        *(f'add_header {name} "{value}";' for name, value in headers),
        "add_header X-Khabar-Cache FILE;",
    ]
    return "\n".join(lines) + "\n"


def _write_atomically(path, data, exclusive=False):
    """Write ``data`` at ``path`` through a temporary file, so nginx never reads half a page."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), 0o644)  # nginx's workers run as another user
        if exclusive:
            os.link(temporary, path)  # fails if another process created it first
        else:
            os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


class PageFiles:
    def __init__(self, root):
        self.root = Path(root)
        self.live = self.root / "live"
        self.snippet = self.root / "nginx.conf"
        self._active = None  # (hash, when it was read)
        self._swept_bucket = None
        self._told = set()  # header hashes already logged as differing from the snippet's

    def active_hash(self, headers):
        """The header set nginx adds (the snippet's), creating the snippet from ``headers`` if there is none."""
        now = time.monotonic()
        if self._active is None or now - self._active[1] > _RECHECK_SECONDS:
            try:
                found = _SNIPPET_HASH.search(self.snippet.read_text())
            except FileNotFoundError:
                self.root.mkdir(parents=True, exist_ok=True)
                try:
                    _write_atomically(self.snippet, nginx_snippet(headers).encode(), exclusive=True)
                except FileExistsError:
                    pass
                found = _SNIPPET_HASH.search(self.snippet.read_text())
            self._active = (found.group(1) if found else None, now)
        return self._active[0]

    def location(self, scheme, host, path, headers, now):
        """Where this page's file goes, or None when nginx must not serve it from a file."""
        segments = safe_path(path)
        host = safe_host(host)
        wanted = header_set(headers)
        if segments is None or host is None or wanted is None or scheme not in ("http", "https"):
            return None
        digest = header_hash(wanted)
        active = self.active_hash(wanted)
        if digest != active:
            if digest not in self._told:
                self._told.add(digest)
                logger.warning(
                    "page files: a page's headers (%s) differ from those nginx adds (%s, %s); such pages are "
                    "not written as files. If the headers changed on purpose, deploy/README.md says how to "
                    "take them.", digest, active, self.snippet)
            return None
        return self.live.joinpath(digest, str(bucket(now)), scheme, host, *segments, "index.html")

    def offer(self, scheme, host, path, status, headers, body, expires_at, still_fresh):
        """Write a fresh page's file unless it exists; ``still_fresh()`` is asked again after the write."""
        now = time.time()
        if not status.startswith("200 ") or expires_at < bucket_end(now) + LAG_SECONDS:
            return  # gone before nginx would surely stop serving the file
        if dict((name.lower(), value) for name, value in headers).get("content-type") != HTML:
            return
        try:
            target = self.location(scheme, host, path, headers, now)
            if target is None or target.exists():
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            # Compressed once here rather than by nginx for every reader (gzip_static); written first,
            # since nginx looks for it only once the page itself is there.
            _write_atomically(_compressed(target), gzip.compress(body, compresslevel=6, mtime=0))
            _write_atomically(target, body)
            if not still_fresh():
                _remove(target)  # a purge came during the render: nginx must not serve this
            headers_dir = self.live / target.relative_to(self.live).parts[0]
            # A new folder gets its link at once, not a tick later (the bucket of this moment: the clock
            # may have moved on since ``now``).
            _point_now(headers_dir, bucket(time.time()))
            self._sweep_old_buckets(headers_dir)
        except FileNotFoundError:
            pass  # a purge renamed the folder meanwhile: nothing left to write or sweep
        except OSError as error:
            logger.warning("page files: could not write %s (%s)", path, error)

    def _sweep_old_buckets(self, headers_dir):
        """Remove the files of buckets nginx no longer reads (once per bucket and process)."""
        current = bucket(time.time())
        if self._swept_bucket == current:
            return
        self._swept_bucket = current
        for child in headers_dir.iterdir():
            if child.name.isdigit() and int(child.name) < current - 1:
                self._discard(child)

    def keep_time(self, now):
        """Point each header folder's ``now`` link at the bucket of ``now`` (the clock thread's tick)."""
        for headers_dir in _folders(self.live):
            _point_now(headers_dir, bucket(now))

    def purge_all(self):
        self._discard(self.live)

    def purge_path(self, path):
        segments = safe_path(path)
        if segments is None or not self.live.is_dir():
            return
        for page_file in self._files_of(segments):
            _remove(page_file)

    def _files_of(self, segments):
        for headers_dir in _folders(self.live):
            for bucket_dir in _folders(headers_dir):
                for scheme_dir in _folders(bucket_dir):
                    for host_dir in _folders(scheme_dir):
                        yield host_dir.joinpath(*segments, "index.html")

    def _discard(self, folder):
        """Take ``folder`` out of nginx's sight at once (a rename), delete it in the background."""
        try:
            os.rename(folder, self.root / f"old-{time.time_ns()}-{os.getpid()}")
        except FileNotFoundError:
            return
        threading.Thread(target=self._delete_discarded, daemon=True).start()

    def _delete_discarded(self):
        # Every discarded folder, also those a process stopped in the middle of deleting.
        for old in self.root.glob("old-*"):
            shutil.rmtree(old, ignore_errors=True)


def _point_now(headers_dir, current):
    """Make ``headers_dir/now`` name bucket ``current``; never move it back (another process may be ahead)."""
    link = headers_dir / NOW_LINK
    try:
        named = os.readlink(link)
    except FileNotFoundError:
        named = None
    if named is not None and named.isdigit() and int(named) >= current:
        return
    temporary = headers_dir / f".now-{os.getpid()}-{threading.get_ident()}"
    try:
        temporary.unlink(missing_ok=True)
        os.symlink(str(current), temporary)
        os.replace(temporary, link)  # atomic: nginx sees the old bucket or the new, never no link
    except FileNotFoundError:
        pass  # a purge renamed the folder away meanwhile


# The clock: one thread per process moves the links of the PageFiles it was given. It starts with
# the web process, not with its first page: hot pages are files already, and a process restarted
# under them may never write one.
_kept = weakref.WeakSet()
_clock = {"pid": None}
_clock_lock = threading.Lock()


def start_clock(page_files):
    """Keep the ``now`` links of ``page_files`` on time from this process (and from its forks)."""
    with _clock_lock:
        _kept.add(page_files)
        if _clock["pid"] == os.getpid():
            return
        _clock["pid"] = os.getpid()
    threading.Thread(target=_tick, name="khabar-page-files-clock", daemon=True).start()


def _after_fork():
    global _clock_lock
    _clock_lock = threading.Lock()  # another thread of the parent may have held it: the child has none
    if len(_kept):
        start_clock(next(iter(_kept)))


os.register_at_fork(after_in_child=_after_fork)


def _tick():
    told = None
    while True:
        now = time.time()
        # Wake at the next boundary (a moved link's lag starts there), and at least once a second.
        time.sleep(min(TICK_SECONDS, bucket_end(now) - now + 0.005))
        with _clock_lock:
            kept = list(_kept)  # a copy: start_clock may add to the set meanwhile
        for page_files in kept:
            try:
                page_files.keep_time(time.time())
            except Exception as error:  # noqa: BLE001 - the clock must outlive any one failure
                if str(error) != told:  # once, not every second
                    told = str(error)
                    logger.warning("page files: could not move the now link under %s (%s)", page_files.live, error)


def _compressed(page_file):
    return page_file.with_name(page_file.name + ".gz")


def _remove(page_file):
    page_file.unlink(missing_ok=True)
    _compressed(page_file).unlink(missing_ok=True)


def _folders(parent):
    try:
        return [Path(entry.path) for entry in os.scandir(parent) if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []
