"""The Wagtail admin as the desk uses it: Arabic by default, scheduling, publishing."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision
from wagtail.rich_text import RichText

from khabar.news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return user


def test_admin_speaks_arabic_right_to_left(client, editor, home):
    html = client.get("/admin/").content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_editor_may_choose_english(client, editor, home):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/").content.decode()
    assert 'dir="ltr"' in html and "Dashboard" in html


def test_article_form_offers_newsroom_fields(client, editor, section):
    response = client.get(f"/admin/pages/add/news/articlepage/{section.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("dateline", "authors", "agencies", "tags", "is_breaking", "breaking_until", "hero_image", "summary"):
        assert f'name="{field}' in html, field
    assert 'data-contentpath="body"' in html


def test_editor_creates_and_publishes_through_the_admin(client, editor, section):
    data = {
        "title": "خبر من المحرر",
        "slug": "editor-story",
        "summary": "",
        "dateline": "بيروت",
        "body-count": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "tags": "",
        "hero_caption": "",
        "hero_credit": "",
        "source_name": "",
        "source_url": "",
        "action-publish": "publish",
    }
    response = client.post(f"/admin/pages/add/news/articlepage/{section.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="editor-story")
    assert page.live and page.dateline == "بيروت"
    assert client.get(page.url).status_code == 200


def test_scheduled_article_goes_live_with_publish_scheduled(client, section):
    page = ArticlePage(title="خبر مجدول", body=[("text", RichText("<p>ينشر لاحقاً.</p>"))], live=False)
    section.add_child(instance=page)
    go_live = timezone.now() + timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(approved_go_live_at=go_live)
    page.save_revision().publish()  # with go_live_at in the future this schedules instead of publishing
    page.refresh_from_db()
    assert not page.live
    assert client.get("/العالم/خبر-مجدول/").status_code == 404

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live, "not yet: the time has not come"

    # Let the clock pass the scheduled time: the revision and its content both carry it.
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.objects.filter(object_id=str(page.pk), approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
