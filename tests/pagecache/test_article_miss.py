"""A page-cache miss of a live article runs no SQL once its parts are kept, and never shows what it must not:
an edit after the purge, a draft in a preview, a page made private, a site moved to another host."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from khabar import pagecache
from khabar.news.models import ArticlePage

from .test_fragments import fragments_on, render  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


def test_a_kept_article_renders_with_no_query(fragments_on, client, publish_article):
    article = publish_article(title="خبر بلا استعلام", paragraphs=["فقرة المتن الأولى."], dateline="عمّان")
    first, _ = render(client, article.url)
    again, queries = render(client, article.url)
    assert queries == 0, f"{queries} queries"
    assert again == first
    assert "خبر بلا استعلام" in again and "فقرة المتن الأولى." in again and "عمّان" in again


def test_an_edit_shows_after_the_purge_that_publishing_brings(fragments_on, client, publish_article):
    article = publish_article(title="العنوان القديم")
    render(client, article.url)
    article.title = "العنوان الجديد"
    article.save_revision().publish()
    pagecache.purge_all()  # the publish's own purge runs on commit, which a test transaction never reaches
    html, _ = render(client, article.url)
    assert "العنوان الجديد" in html and "العنوان القديم" not in html


def test_a_preview_shows_the_draft_not_the_kept_copy(fragments_on, client, admin_client, publish_article):
    article = publish_article(title="المنشور")
    render(client, article.url)
    article.title = "المسودة"
    revision = article.save_revision()
    preview = admin_client.get(f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "المسودة" in html
    assert "المسودة" not in render(client, article.url)[0]


def test_making_a_section_private_purges_and_the_article_asks_for_a_password(fragments_on, client, publish_article, section):
    article = publish_article(title="خبر سيصبح خاصاً")
    render(client, article.url)
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    pagecache.purge_all()  # what the restriction's post_save queues on commit (test_the_purges_are_queued)
    response = client.get(article.url)
    assert response.status_code == 200 and "خبر سيصبح خاصاً" not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_the_purges_are_queued_for_restrictions_and_sites(django_capture_on_commit_callbacks, section, home):
    with django_capture_on_commit_callbacks() as callbacks:
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert callbacks, "a new view restriction must purge the cache"
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks() as callbacks:
        site.site_name = "اسم آخر"
        site.save()
    assert callbacks, "a changed site must purge the cache"


def test_an_unknown_address_is_not_kept(fragments_on, client, section):
    from khabar.pagecache import fragments

    url = f"{section.url}no-such-story/"
    assert client.get(url).status_code == 404
    assert not any("no-such-story" in name for name in fragments._local)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 404
    assert len(captured) > 0, "a missing page is asked of the database every time"


def test_an_unpublished_article_is_gone_after_the_purge(fragments_on, client, publish_article):
    article = publish_article(title="خبر سيسحب")
    render(client, article.url)
    ArticlePage.objects.get(pk=article.pk).unpublish()
    pagecache.purge_all()
    assert client.get(article.url).status_code == 404


def test_a_kept_home_still_ends_the_page_at_the_breaking_flags_end(fragments_on, client, publish_article):
    from datetime import timedelta

    from django.utils import timezone

    from khabar.pagecache.api import EXPIRES_KEY

    until = timezone.now() + timedelta(minutes=7)
    publish_article(title="عاجل يتصدر", is_breaking=True, breaking_until=until)
    first = client.get("/")
    again = client.get("/")
    assert "عاجل يتصدر" in again.content.decode()
    for response in (first, again):
        assert response.wsgi_request.META[EXPIRES_KEY] == pytest.approx(until.timestamp(), abs=1)


def test_a_kept_home_runs_no_query(fragments_on, client, publish_article):
    for n in range(5):
        publish_article(title=f"خبر الرئيسية {n}")
    first, _ = render(client, "/")
    again, queries = render(client, "/")
    assert queries == 0, f"{queries} queries"
    assert again == first and "خبر الرئيسية 4" in again
