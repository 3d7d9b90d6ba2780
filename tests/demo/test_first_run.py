"""A new site opens on the demo news; a site with articles of its own never gets it."""

from io import StringIO

import pytest
from django.core import management

from khabar import cli
from khabar.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    management.call_command(command, stdout=out)
    return out.getvalue()


def test_load_demo_fills_an_empty_site_once():
    assert "Demo content loaded: 38 articles." in run("load_demo")
    assert "already has articles: demo content not loaded" in run("load_demo")
    assert ArticlePage.objects.count() == 38


def test_site_setup_builds_the_tree_without_demo_news(home):
    run("khabar_setup")
    assert not ArticlePage.objects.exists()


@pytest.fixture
def prepare_commands(settings, tmp_path, monkeypatch):
    """The management commands ``khabar serve`` runs before serving, recorded rather than run."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    monkeypatch.setattr(cli, "_static_fingerprint", lambda: "unchanged")
    (settings.STATIC_ROOT / ".khabar-static-stamp").write_text("unchanged")
    called = []
    monkeypatch.setattr(management, "call_command", lambda name, *args, **kwargs: called.append(name))
    return called


def test_first_run_loads_the_demo_after_the_site_tree(prepare_commands):
    cli.prepare()
    assert prepare_commands.index("khabar_setup") < prepare_commands.index("load_demo")


def test_a_site_with_articles_gets_no_demo(prepare_commands, publish_article):
    publish_article()
    cli.prepare()
    assert "khabar_setup" in prepare_commands and "load_demo" not in prepare_commands
