"""Fixtures of the wire tests: a feed server on 127.0.0.1 and agencies reading from it; the desk's
agency, second section and editor."""

import pytest

from khabar.news.models import Agency
from khabar.news.site_tree import get_or_create_section

from .desk_setup import desk_member
from .feed_server import FeedServer


@pytest.fixture
def feeds():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def wire_section(home):
    from khabar.news.site_tree import get_or_create_section

    return get_or_create_section(home, "العالم")


@pytest.fixture
def agency_for(feeds, wire_section, fresh_limits):
    """An agency whose feed is ``body`` served at ``path`` (options as FeedServer.serve)."""
    from khabar.news.models import Agency

    def make(name, path, body, fmt="auto", **options):
        feeds.serve(path, body, **options)
        return Agency.objects.create(name=name, credit=name, feed_url=feeds.url(path), feed_format=fmt)

    return make


@pytest.fixture
def pull_now():
    """Pull one agency's feed as the worker does; returns the summary as a dict."""
    from khabar.wire.ingest import pull

    def run(agency, **options):
        agency.refresh_from_db()
        return pull(agency, **options).as_dict()

    return run


@pytest.fixture
def reuters(db):
    return Agency.objects.create(name="رويترز", credit="رويترز")


@pytest.fixture
def economy(home):
    return get_or_create_section(home, "اقتصاد")


@pytest.fixture
def editor(section, economy):
    return desk_member("editor", [section, economy])
