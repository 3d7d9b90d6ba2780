"""Fixtures shared by the whole suite: a site tree and a way to publish articles."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.rich_text import RichText

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(relative):
    """A file of ../shared/, or a skip saying it is absent (the project never needs it at run time)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared data set")
    return path


@pytest.fixture
def home(db):
    from khabar.news.site_tree import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def section(home):
    from khabar.news.site_tree import get_or_create_section

    return get_or_create_section(home, "العالم")


@pytest.fixture
def publish_article(section):
    """Publish an article through Wagtail's revisions, as an editor would."""
    from khabar.news.models import ArticlePage

    def publish(title="خبر تجريبي", parent=None, paragraphs=("فقرة أولى من الخبر.",), age=timedelta(0), **fields):
        page = ArticlePage(title=title, body=[("text", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))], **fields)
        (parent or section).add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        if age:
            moment = timezone.now() - age
            ArticlePage.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
            page.refresh_from_db()
        return page

    return publish


@pytest.fixture
def fresh_limits():
    """Rate limits live in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def log_lines():
    """Every log line written during the test, formatted (pytest's caplog is off in the suite's run)."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)
