"""The demo news loads only when asked (``khabar serve --demo``, which ``make serve`` passes), once,
and never in production."""

import os
import shutil
import signal
import subprocess
import time
from io import StringIO
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from django.core import management

from khabar import cli
from khabar.demo.loader import demo_content
from khabar.news.models import ArticlePage
from tests.instance import KHABAR, Instance
from tests.newsletter.conftest import free_port
from tests.ops.sites import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
DEMO_TITLES = [story.title for story in demo_content().stories]
PRODUCTION = {
    "KHABAR_PRODUCTION": "1",
    "KHABAR_SECRET_KEY": "a-production-secret-for-the-first-run-tests-" + "x7Q9" * 8,
    "KHABAR_SSL_REDIRECT": "0",  # plain http on loopback in the test
}


def run(command):
    out = StringIO()
    management.call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_fills_an_empty_site_once():
    assert "Demo content loaded: 38 articles." in run("load_demo")
    assert "already has articles: demo content not loaded" in run("load_demo")
    assert ArticlePage.objects.count() == 38


def test_site_setup_builds_the_tree_without_demo_news(home):
    run("khabar_setup")
    assert not ArticlePage.objects.exists()


@pytest.fixture
def first_run(settings, tmp_path, monkeypatch, db):
    """``cli.prepare`` as ``khabar serve`` runs it, on the test database (already migrated, static files
    already collected); every other step runs for real. Returns the names of the commands it ran."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    monkeypatch.setattr(cli, "_static_fingerprint", lambda: "unchanged")
    (settings.STATIC_ROOT / ".khabar-static-stamp").write_text("unchanged")
    ran = []
    real = management.call_command

    def call_command(name, *args, **kwargs):
        ran.append(name)
        if name != "migrate":
            return real(name, *args, **kwargs)

    monkeypatch.setattr(management, "call_command", call_command)
    return ran


def test_serve_without_demo_leaves_a_new_site_without_articles(first_run, capsys):
    cli.prepare()
    assert not ArticlePage.objects.exists()
    assert "load_demo" not in first_run
    assert "khabar serve --demo" in capsys.readouterr().out


def test_serve_with_demo_loads_it_on_a_new_site_once(first_run, capsys):
    cli.prepare(demo=True)
    loaded = set(ArticlePage.objects.values_list("pk", flat=True))
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == sorted(DEMO_TITLES)
    assert first_run.index("khabar_setup") < first_run.index("load_demo")

    cli.prepare(demo=True)  # the next start
    assert set(ArticlePage.objects.values_list("pk", flat=True)) == loaded
    assert first_run.count("load_demo") == 1


def test_a_site_with_articles_gets_no_demo(first_run, publish_article):
    publish_article(title="خبر من غرفة الأخبار")
    cli.prepare(demo=True)
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["خبر من غرفة الأخبار"]


def test_production_start_on_an_empty_site_loads_no_demo(first_run, settings, capsys):
    settings.PRODUCTION = True
    cli.prepare()
    assert not ArticlePage.objects.exists()
    out = capsys.readouterr().out
    assert "write the first one in the admin" in out and "--demo" not in out


def test_production_refuses_demo_before_anything_runs(first_run, settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setenv("PORT", "8000")  # serve sets it for its children; restored after the test
    with pytest.raises(SystemExit) as refused:
        cli.main(["serve", "--demo"])
    assert "--demo refused: KHABAR_PRODUCTION=1" in str(refused.value.code)
    assert first_run == [] and not ArticlePage.objects.exists()


def production_site(data_dir):
    site = Instance(data_dir, smtp_port=0, KHABAR_EMAIL_URL="locmem://", KHABAR_ALLOWED_HOSTS="127.0.0.1",
                    **PRODUCTION)
    site.environ["KHABAR_SITE_URL"] = "https://127.0.0.1"
    return site


def test_khabar_serve_demo_in_production_exits_with_a_message(tmp_path):
    site = production_site(tmp_path)
    result = subprocess.run([*KHABAR, "serve", "--demo", "--no-worker"], env=site.environ, capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert "khabar serve --demo refused: KHABAR_PRODUCTION=1" in result.stderr
    assert not site.database.exists()  # refused before migrating anything


def test_khabar_serve_in_production_on_an_empty_database_shows_no_demo(tmp_path):
    site = production_site(tmp_path)
    shutil.copyfile(migrated_sqlite(), site.database)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([*KHABAR, "serve", "--no-worker", "--workers", "1", "--port", str(port)],
                              env=site.environ, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
                              start_new_session=True)
    try:
        home = None
        deadline = time.monotonic() + 180
        while home is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urlopen(Request(f"http://127.0.0.1:{port}/"), timeout=10) as response:
                    home = (response.status, response.read().decode())
            except OSError:
                time.sleep(0.3)
        assert home is not None, (tmp_path / "serve.log").read_text()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()
    status, html = home
    assert status == 200 and 'dir="rtl"' in html
    assert not [title for title in DEMO_TITLES if title in html]
    assert site.query("SELECT COUNT(*) FROM news_articlepage") == [(0,)]


def test_make_serve_asks_for_the_demo():
    dry_run = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True)
    assert dry_run.returncode == 0, dry_run.stderr
    assert "khabar serve --demo" in dry_run.stdout
