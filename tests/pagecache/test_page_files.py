"""Page files through the real front: deploy/nginx/khabar.conf in Debian's nginx before two granian workers.

What a reader gets from nginx alone (``X-Khabar-Cache: FILE``) must be the page and the
headers khabar would have sent, and every purge must reach it at once, whichever
process made the change.
"""

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.pagecache.conftest import BREAKING_FOR_FOUR_SECONDS, SEED, NoRedirect, Site, free_port, wait_for
from tests.instance import fresh_database

REPO = Path(__file__).resolve().parents[2]
SECTION = "/" + quote("العالم") + "/"
ARTICLE = SECTION + "story-0/"
OTHER = SECTION + "story-1/"
# nginx sees a purge within a second (open_file_cache_valid 1s); the margin is for a busy CI machine.
VISIBLE_WITHIN = 3
# Headers of one response, or of how it travelled, rather than of the page.
PER_RESPONSE = {"date", "etag", "last-modified", "content-length", "accept-ranges", "server", "connection",
                "x-khabar-cache", "x-cache-status", "vary", "content-encoding"}


def _render_deploy_config(tmp, port, upstream_port, purge_port, data_dir):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import _servers
    finally:
        sys.path.remove(str(REPO / "bench"))
    text = _servers.render_deploy_front(tmp, port, upstream_port, purge_port, data_dir)
    problem = _servers.nginx_test(tmp, text)
    if problem and "cache_purge" in problem:
        pytest.skip("libnginx-mod-http-cache-purge is not installed: the deploy front cannot start")
    assert problem is None, f"deploy/nginx/khabar.conf does not pass nginx -t: {problem}"
    return text


class Front:
    """khabar's site with page files on, and nginx before it: ``get`` asks nginx, ``site.get`` asks khabar."""

    def __init__(self, site, base):
        self.site, self.base = site, base

    def get(self, path, method="GET", **headers):
        request = urllib.request.Request(self.base + path, headers=headers, method=method)
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def outcome(self, path, **headers):
        return self.get(path, **headers)[1].get("X-Khabar-Cache")

    def as_file(self, path):
        """Ask until nginx serves the page from its file (the first asks make khabar write it)."""
        assert wait_for(lambda: self.outcome(path) == "FILE", timeout=10), f"{path} never became a file"


@pytest.fixture(scope="module")
def front():
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx libnginx-mod-http-cache-purge): "
                    "page files are untested")
    tmp = Path(tempfile.mkdtemp(prefix="khabar-page-files-"))
    os.chmod(tmp, 0o755)  # nginx's workers run as nobody and read the page files in here
    data_dir = tmp / "var"
    data_dir.mkdir(mode=0o755)
    port, purge_port = free_port(), free_port()
    with fresh_database("khabar_pagefiles") as database_url:
        site = Site(
            data_dir, 1, database_url, KHABAR_PAGE_FILES_DIR=str(data_dir / "pagefiles"),
            KHABAR_FRONTEND_CACHE_URL=f"http://127.0.0.1:{purge_port}", KHABAR_TASKS_BACKEND="immediate",
        )
        site.run("manage", "migrate", "--verbosity", "0")
        site.run("manage", "collectstatic", "--noinput", "--verbosity", "0")
        site.shell(SEED.format(titles=["خبر أول عن الطقس", "خبر ثان عن الأسواق", "خبر ثالث عن الرياضة"]))
        site.serve(workers=2)
        nginx = None
        try:
            text = _render_deploy_config(tmp / "nginx", port, site.port, purge_port, data_dir)
            site.get("/")  # writes pagefiles/nginx.conf, which nginx includes: the deploy README's first step
            assert (data_dir / "pagefiles" / "nginx.conf").exists()
            (tmp / "nginx" / "nginx.conf").write_text(text)
            nginx = subprocess.Popen(["nginx", "-c", str(tmp / "nginx" / "nginx.conf"), "-p", str(tmp / "nginx")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
            served = Front(site, f"http://127.0.0.1:{port}")
            assert wait_for(lambda: _answers(served), timeout=15), (tmp / "nginx" / "nginx-error.log").read_text()
            yield served
        finally:
            if nginx is not None:
                nginx.terminate()
                nginx.wait(10)
            site.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def _answers(front):
    try:
        return front.get("/robots.txt")[0] == 200
    except OSError:
        return False


def test_nginx_serves_the_page_and_the_headers_khabar_sent(front):
    front.as_file(ARTICLE)
    status, headers, body = front.get(ARTICLE)
    assert status == 200 and headers["X-Khabar-Cache"] == "FILE"
    _, own_headers, own_body = front.site.get(ARTICLE, Host="127.0.0.1")
    assert body == own_body and "خبر أول عن الطقس" in body
    page_headers = {name.lower(): value for name, value in own_headers.items() if name.lower() not in PER_RESPONSE}
    assert {"content-type", "content-security-policy", "x-frame-options", "cache-control"} <= set(page_headers)
    for name, value in page_headers.items():
        assert headers[name] == value, name


def test_a_browser_that_accepts_gzip_gets_the_page_compressed_once_by_khabar(front):
    front.as_file(ARTICLE)
    request = urllib.request.Request(front.base + ARTICLE, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["X-Khabar-Cache"] == "FILE"
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Content-Length" in response.headers  # a file read as it is, not compressed on the fly (chunked)
        assert gzip.decompress(response.read()).decode() == front.get(ARTICLE)[2]


def test_tracking_parameters_get_the_file_and_parameters_that_matter_do_not(front):
    front.as_file(SECTION)
    assert front.outcome(SECTION + "?utm_source=whatsapp&fbclid=abc") == "FILE"
    assert front.outcome(SECTION + "?page=2") != "FILE"
    assert front.outcome(SECTION + "?utm_source=x&page=2") != "FILE"
    # A separator inside a header value must not move where nginx reads the query from.
    for headers in ({"Cookie": "sessionid=:"}, {"Authorization": ":"}, {"Authorization": "::x"}):
        assert front.outcome(SECTION + "?page=2", **headers) != "FILE", headers


def test_an_editor_or_an_api_client_always_reaches_khabar(front):
    front.as_file(OTHER)
    assert front.outcome(OTHER, Cookie="sessionid=abc") is None  # khabar itself: no cache for editors
    assert front.outcome(OTHER, Authorization="Bearer x") is None


def test_a_reader_may_not_purge_and_a_head_gets_the_file(front):
    front.as_file(OTHER)
    assert front.get(OTHER, method="HEAD")[1].get("X-Khabar-Cache") == "FILE"
    for path in (OTHER, "/admin/", "/feed/"):
        assert front.get(path, method="PURGE")[0] == 405, path
    assert front.outcome(OTHER) == "FILE"


def test_a_publish_in_another_process_is_served_at_once(front):
    front.as_file(ARTICLE)
    front.as_file("/")
    front.site.shell(
        "from khabar.news.models import ArticlePage\n"
        "page = ArticlePage.objects.get(slug='story-0')\n"
        "page.title = 'عنوان صححه المحرر'\n"
        "page.save_revision().publish()\n"
    )
    # nginx checks its open files once a second: within about that, the article and the home page show it.
    assert wait_for(lambda: "عنوان صححه المحرر" in front.get(ARTICLE)[2], timeout=VISIBLE_WITHIN)
    assert wait_for(lambda: "عنوان صححه المحرر" in front.get("/")[2], timeout=VISIBLE_WITHIN)
    front.as_file(ARTICLE)  # and the new page becomes a file again
    assert "عنوان صححه المحرر" in front.get(ARTICLE)[2]


def test_a_comment_approved_in_another_process_is_served_at_once(front):
    front.as_file(OTHER)
    front.site.shell(
        "from khabar.comments.models import Comment, Status\n"
        "from khabar.news.models import ArticlePage\n"
        "page = ArticlePage.objects.get(slug='story-1')\n"
        "comment = Comment.objects.create(article=page, name='قارئة', email='r@example.org',\n"
        "                                 body='تعليق وافقت عليه المشرفة', status=Status.PENDING)\n"
        "Comment.objects.filter(pk=comment.pk).set_status(Status.APPROVED)\n"
    )
    assert wait_for(lambda: "تعليق وافقت عليه المشرفة" in front.get(OTHER)[2], timeout=VISIBLE_WITHIN)


def test_a_breaking_item_leaves_the_page_at_its_time(front):
    front.site.shell(BREAKING_FOR_FOUR_SECONDS)
    ends = time.time() + 4
    assert 'class="breaking"' in front.get(OTHER)[2]
    assert wait_for(lambda: 'class="breaking"' not in front.get(OTHER)[2], timeout=15)
    assert time.time() < ends + 2
    for _ in range(5):  # and nginx has no file that brings it back
        assert 'class="breaking"' not in front.get(OTHER)[2]


def test_a_page_file_is_only_served_within_its_hundred_seconds(front):
    front.as_file(OTHER)
    (headers_dir,) = (front.site.data_dir / "pagefiles" / "live").iterdir()
    current = os.readlink(headers_dir / "now")
    # As if the page had been written in a bucket long gone and nobody had moved the link since:
    gone = str(int(current) - 10)
    (headers_dir / current).rename(headers_dir / gone)
    os.symlink(gone, headers_dir / "stale")
    os.replace(headers_dir / "stale", headers_dir / "now")
    # The web processes' clock points the link at the current bucket again, and nginx, following it,
    # no longer finds the old bucket's file.
    assert wait_for(lambda: os.readlink(headers_dir / "now") != gone, timeout=VISIBLE_WITHIN)
    assert wait_for(lambda: front.outcome(OTHER) != "FILE", timeout=VISIBLE_WITHIN)


def test_a_sitemap_is_no_page_file_and_stays_in_the_proxy_cache(front):
    front.get("/sitemap.xml")
    status, headers, _ = front.get("/sitemap.xml")
    assert status == 200 and headers["X-Khabar-Cache"] != "FILE"
    assert headers["X-Cache-Status"] == "HIT"


def test_search_results_are_never_page_files(front):
    for _ in range(3):
        status, headers, _ = front.get("/search/")
        assert status == 200 and headers["X-Khabar-Cache"] != "FILE"


@pytest.mark.parametrize("process", ["web", "web, page cache off", "task worker alone"])
def test_a_new_process_keeps_the_files_on_time_before_any_page_reaches_it(tmp_path, process):
    """After a restart the hot pages are files already, so no page may ever reach the new web processes:
    their clock must run from the start, or nginx would serve those files past their time. The task
    worker runs one too, so that files expire while the web processes are down."""
    root = tmp_path / "pagefiles"
    headers_dir = root / "live" / "h0123456789abcdef"
    (headers_dir / "1").mkdir(parents=True)
    os.symlink("1", headers_dir / "now")  # the bucket of files the previous processes left behind
    site = Site(tmp_path, 1, KHABAR_PAGE_FILES_DIR=str(root), KHABAR_PAGE_CACHE="off" if "off" in process else "on")
    if process == "task worker alone":
        site.start_worker()
    else:
        site.serve(workers=2)
    try:
        assert wait_for(lambda: os.readlink(headers_dir / "now") != "1", timeout=VISIBLE_WITHIN + 5)
        assert int(time.time()) // 100 - int(os.readlink(headers_dir / "now")) in (0, 1)
    finally:
        if process == "task worker alone":
            site.stop_workers()
        else:
            site.stop()
