"""Search tests run on whichever database the suite runs on: SQLite, or PostgreSQL with KHABAR_TEST_DATABASE_URL."""

from datetime import timedelta

import pytest


@pytest.fixture
def backend(db):
    from khabar.search.backends import get_backend

    return get_backend()


@pytest.fixture
def other_section(home):
    from khabar.news.site_tree import get_or_create_section

    return get_or_create_section(home, "رياضة")


@pytest.fixture
def publish(publish_article, django_capture_on_commit_callbacks):
    """Publish an article as an editor would, and run the index task that its commit enqueues."""
    from khabar.search.indexing import update_articles

    def publish(title="خبر تجريبي", *paragraphs, age=timedelta(0), **fields):
        with django_capture_on_commit_callbacks(execute=True):
            page = publish_article(title=title, paragraphs=paragraphs or ("فقرة من الخبر.",), age=age, **fields)
        if age:
            update_articles([page.pk])  # publish_article back-dates after publishing
        return page

    return publish


@pytest.fixture
def search(backend):
    """Page ids found for a query, best first."""
    from khabar.search.query import parse_query

    def search(text, **options):
        return [hit.page_id for hit in backend.search(parse_query(text), **options).hits]

    return search
