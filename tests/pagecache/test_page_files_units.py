"""Page files on their own (``khabar.pagecache.files``): which pages become files nginx serves, where they
land, with which nginx snippet, and how a purge or a new time bucket takes them away again. No Django here:
every test reads what is on disk under ``tmp_path``."""

import gzip
import os
import time

import pytest

from khabar.pagecache import files
from khabar.pagecache.files import PageFiles, header_hash, header_set, safe_host, safe_path

NOW = 1_700_000_050.0  # in the middle of bucket 17000000, which ends at 1_700_000_100
BUCKET = "17000000"
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "public, max-age=0, s-maxage=60"),
    ("Content-Security-Policy", "default-src 'self'"),
    ("X-Frame-Options", "DENY"),
]
BODY = "<!doctype html><title>خبر</title>".encode()


@pytest.fixture
def clock(monkeypatch):
    """``files.time.time`` answers ``clock.now``; a test moves it forward by setting it."""

    class Clock:
        now = NOW

    monkeypatch.setattr(files.time, "time", lambda: Clock.now)
    return Clock


def offer(page_files, path="/world/story/", *, scheme="https", host="Khabar.Example:8000", status="200 OK",
          headers=HEADERS, body=BODY, lifetime=300, still_fresh=lambda: True):
    page_files.offer(scheme, host, path, status, headers, body, files.time.time() + lifetime, still_fresh)


def page_files_under(root):
    return sorted(str(p.relative_to(root)) for p in (root / "live").rglob("index.html"))


def wait_for_no_old_folders(root):
    deadline = time.monotonic() + 5
    while list(root.glob("old-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    return list(root.glob("old-*"))


def digest():
    return header_hash(header_set(HEADERS))


# safe_host, safe_path, header_set


def test_safe_host_names_the_host_as_nginx_does():
    assert safe_host("Khabar.Example") == "khabar.example"
    assert safe_host("khabar.example:8000") == "khabar.example"
    assert safe_host("khabar.example.") == "khabar.example"
    assert safe_host("KHABAR.example.:443") == "khabar.example"


@pytest.mark.parametrize("host", ["[::1]", "[::1]:8000", "::1", "a..example", "a/b", "../etc", "", ":8000", "."])
def test_safe_host_refuses_odd_hosts(host):
    assert safe_host(host) is None


def test_safe_path_accepts_folders_arabic_included():
    assert safe_path("/") == []
    assert safe_path("/a/b/") == ["a", "b"]
    assert safe_path("/العالم/خبر-عاجل/") == ["العالم", "خبر-عاجل"]


@pytest.mark.parametrize("path", ["/a/b", "", "a/", "//", "/a//b/", "/./", "/a/../", "/../", "/a\\b/", "/a\x00/"])
def test_safe_path_refuses_what_is_no_plain_folder(path):
    assert safe_path(path) is None


def test_header_set_drops_the_headers_of_one_response_and_sorts_the_rest():
    headers = [
        ("x-frame-options", "DENY"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "12"),
        ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("ETag", '"abc"'),
        ("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("X-Khabar-Cache", "MISS"),
        ("Cache-Control", "public, max-age=0"),
    ]
    assert header_set(headers) == (("Cache-Control", "public, max-age=0"), ("X-Frame-Options", "DENY"))


@pytest.mark.parametrize("value", ['say "hi"', "a\\b", "$host", "a\nb", "a\r\nX-Evil: 1"])
def test_header_set_is_none_when_nginx_could_not_say_a_value(value):
    assert header_set([("X-Frame-Options", "DENY"), ("Link", value)]) is None


# PageFiles.offer


def test_a_fresh_page_is_written_where_nginx_looks_for_it(tmp_path, clock):
    offer(PageFiles(tmp_path), "/العالم/خبر/")
    written = tmp_path / "live" / digest() / BUCKET / "https" / "khabar.example" / "العالم" / "خبر" / "index.html"
    assert page_files_under(tmp_path) == [str(written.relative_to(tmp_path))]
    assert written.read_bytes() == BODY
    assert gzip.decompress((written.parent / "index.html.gz").read_bytes()) == BODY  # for gzip_static
    assert written.stat().st_mode & 0o777 == 0o644
    assert not list(written.parent.glob(".tmp-*"))


def test_the_first_page_writes_the_nginx_snippet(tmp_path, clock):
    offer(PageFiles(tmp_path))
    snippet = (tmp_path / "nginx.conf").read_text()
    assert f'set $khabar_page_files "{digest()}";' in snippet
    assert "charset utf-8;" in snippet
    assert snippet.count("add_header ") == 4
    assert 'add_header Cache-Control "public, max-age=0, s-maxage=60";' in snippet
    assert "add_header Content-Security-Policy \"default-src 'self'\";" in snippet
    assert 'add_header X-Frame-Options "DENY";' in snippet
    assert "add_header X-Khabar-Cache FILE;" in snippet
    assert "Content-Type" not in snippet


@pytest.mark.parametrize(
    "change",
    [
        {"status": "404 Not Found"},
        {"status": "301 Moved Permanently"},
        {"headers": [("Content-Type", "application/rss+xml; charset=utf-8"), *HEADERS[1:]]},
        {"headers": [("Content-Type", "text/html"), *HEADERS[1:]]},
        {"headers": HEADERS[1:]},
        {"lifetime": 49},  # ends one second before the bucket does
        {"lifetime": 50 + files.LAG_SECONDS - 1},  # nginx might still serve it from the bucket's file
        {"scheme": "ftp"},
        {"host": "[::1]:8000"},
        {"path": "/world/story"},
    ],
    ids=["404", "301", "rss", "html-without-charset", "no-content-type", "expires-in-bucket", "expires-in-lag", "ftp",
         "ipv6", "no-slash"],
)
def test_a_page_nginx_must_not_serve_from_a_file_is_not_written(tmp_path, clock, change):
    offer(PageFiles(tmp_path), **change)
    assert page_files_under(tmp_path) == []


def test_a_page_that_outlives_its_bucket_by_the_lag_is_written(tmp_path, clock):
    offer(PageFiles(tmp_path), lifetime=50 + files.LAG_SECONDS)  # when nginx surely reads the next bucket
    assert len(page_files_under(tmp_path)) == 1


# The `now` link nginx reads through


def now_link(root):
    return os.readlink(root / "live" / digest() / "now")


def test_the_first_page_of_a_folder_points_its_now_link_at_the_bucket(tmp_path, clock):
    offer(PageFiles(tmp_path))
    assert now_link(tmp_path) == BUCKET
    served = tmp_path / "live" / digest() / "now" / "https" / "khabar.example" / "world" / "story" / "index.html"
    assert served.read_bytes() == BODY  # the path nginx builds finds the page


def test_the_link_moves_to_each_new_bucket_and_never_back(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files)
    page_files.keep_time(NOW + 100)
    assert now_link(tmp_path) == str(int(BUCKET) + 1)
    page_files.keep_time(NOW)  # a process whose clock read the old bucket just before the boundary
    assert now_link(tmp_path) == str(int(BUCKET) + 1)
    page_files.purge_all()
    offer(page_files, "/b/")  # a purge took the folder and its link: the next page brings both back
    assert now_link(tmp_path) == BUCKET


def test_the_clock_thread_moves_the_link_when_the_bucket_ends(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files)
    files.start_clock(page_files)  # as the web process does when it starts
    clock.now = NOW + 50  # the bucket's end
    deadline = time.monotonic() + files.LAG_SECONDS + 1
    while now_link(tmp_path) == BUCKET and time.monotonic() < deadline:
        time.sleep(0.05)
    assert now_link(tmp_path) == str(int(BUCKET) + 1)


def test_a_page_with_other_headers_than_the_snippet_is_not_written(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files, "/a/")
    snippet = (tmp_path / "nginx.conf").read_text()
    offer(page_files, "/b/", headers=[*HEADERS, ("Content-Language", "ar")])
    offer(PageFiles(tmp_path), "/c/", headers=[*HEADERS, ("Content-Language", "ar")])  # another process
    assert [p.split("/")[-2] for p in page_files_under(tmp_path)] == ["a"]
    assert (tmp_path / "nginx.conf").read_text() == snippet


def test_a_writer_purged_during_its_render_removes_its_own_file(tmp_path, clock):
    asked = []
    offer(PageFiles(tmp_path), still_fresh=lambda: asked.append(True) or False)
    assert asked == [True]
    assert page_files_under(tmp_path) == []


# Purges and old buckets


def test_purge_path_removes_that_page_only(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files, "/العالم/خبر/")
    offer(page_files, "/العالم/خبر/", scheme="http")
    offer(page_files, "/العالم/آخر/")
    page_files.purge_path("/العالم/خبر/")
    assert [p.split("/")[-2] for p in page_files_under(tmp_path)] == ["آخر"]
    assert [p.parent.name for p in (tmp_path / "live").rglob("index.html.gz")] == ["آخر"]


def test_purge_all_takes_every_file_away_at_once(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files, "/a/")
    offer(page_files, "/b/")
    page_files.purge_all()
    assert not (tmp_path / "live").exists()
    assert wait_for_no_old_folders(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nginx.conf"]


def test_the_first_offer_in_a_new_bucket_removes_old_buckets(tmp_path, clock):
    page_files = PageFiles(tmp_path)
    offer(page_files, "/a/")
    headers_dir = tmp_path / "live" / digest()
    old = headers_dir / str(int(BUCKET) - 5) / "https" / "khabar.example" / "index.html"
    old.parent.mkdir(parents=True)
    old.write_bytes(BODY)
    clock.now = NOW + 100
    offer(page_files, "/b/")
    assert sorted(p.name for p in headers_dir.iterdir()) == [BUCKET, str(int(BUCKET) + 1), "now"]
    assert wait_for_no_old_folders(tmp_path) == []


def test_a_purge_during_the_write_is_no_error(tmp_path, clock):
    page_files = PageFiles(tmp_path)

    def purged_meanwhile():
        page_files.purge_all()  # a publish lands between the write and the check
        return False

    offer(page_files, still_fresh=purged_meanwhile)  # the first offer of its bucket: it sweeps too
    assert not (tmp_path / "live").exists()
