"""With page files on, a cached page ends where a time bucket ends, so it is a file all its life.

nginx drops a page file only when the file's hundred-second bucket ends. A page whose cached
life ended inside a bucket could have no file in that bucket, and for up to a hundred seconds
every reader of it would reach khabar (the benchmark's section page fell to a fifth of nginx
static's speed so). Here the page cache runs in this process in front of a small WSGI
application, on a clock the test moves.
"""

import time

import pytest

from khabar import pagecache
from khabar.pagecache import api, files
from khabar.pagecache.wsgi import CACHE_HEADER, PageCacheApp

START = 1_700_000_050.0  # the middle of bucket 17000000
PATH = "/العالم/خبر/"
PAGE = "<!doctype html><title>خبر</title>".encode()


class Renders:
    """A WSGI application that serves one HTML page and counts its renders."""

    count = 0

    def __call__(self, environ, start_response):
        self.count += 1
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [PAGE]


@pytest.fixture
def site(settings, tmp_path, monkeypatch):
    settings.KHABAR_PAGE_CACHE = True
    settings.KHABAR_PAGE_CACHE_SECONDS = 300
    settings.KHABAR_PAGE_FILES_DIR = str(tmp_path)
    api.config.cache_clear()
    api.page_files.cache_clear()
    pagecache.purge_all()
    clock = {"now": START}
    monkeypatch.setattr(time, "time", lambda: clock["now"])
    renders = Renders()
    app = PageCacheApp(renders)

    def get(at):
        clock["now"] = at
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": PATH.encode().decode("latin-1"), "QUERY_STRING": "",
                   "HTTP_HOST": "khabar.example", "wsgi.url_scheme": "https"}
        seen = {}
        b"".join(app(environ, lambda status, headers, exc_info=None: seen.update(headers)))
        return seen[CACHE_HEADER]

    yield get, renders, tmp_path
    monkeypatch.undo()
    pagecache.purge_all()
    settings.KHABAR_PAGE_FILES_DIR = ""
    settings.KHABAR_PAGE_CACHE = False
    api.config.cache_clear()
    api.page_files.cache_clear()


def buckets_with_a_file(root):
    return sorted({p.relative_to(root / "live").parts[1] for p in (root / "live").rglob("index.html")})


def test_a_page_is_a_file_in_every_bucket_of_its_life(site):
    get, renders, root = site
    assert get(START) == "MISS"
    assert buckets_with_a_file(root) == ["17000000"]
    # The page's last bucket: nginx has no file there yet and asks khabar, which writes one.
    get(START + 170)
    assert "17000002" in buckets_with_a_file(root)
    assert renders.count == 1
    # The page ended as that bucket ended (300 s would have ended it halfway through the next one),
    # so the first reader of bucket 17000003 renders it afresh, and it is a file there too.
    assert get(START + 260) == "MISS"
    assert renders.count == 2
    assert "17000003" in buckets_with_a_file(root)


def test_a_page_never_lives_longer_than_asked():
    lag = files.LAG_SECONDS  # how long after a boundary nginx may still serve the bucket's files
    assert files.aligned_end(START, START + 300) == 1_700_000_300 + lag
    assert files.aligned_end(START, 1_700_000_300 + lag) == 1_700_000_300 + lag
    assert files.aligned_end(START, 1_700_000_300 + lag - 1) == 1_700_000_200 + lag
    assert files.aligned_end(START, START + 50 + lag) == 1_700_000_100 + lag  # the whole current bucket
    assert files.aligned_end(START, START + 51) == START + 51  # no boundary (and lag) between: unchanged
