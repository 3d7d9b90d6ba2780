"""The admin opens in Arabic whatever the browser asks; a user who chose English gets English."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("newcomer", "newcomer@example.org", "password")
    client.force_login(user)
    return user


@pytest.mark.parametrize("accept_language", ["en", "en-US,en;q=0.9", "fr-FR,fr;q=0.8,en;q=0.5"])
def test_a_new_user_gets_the_admin_in_arabic_whatever_the_browser_asks(client, staff, home, accept_language):
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "Dashboard" not in html


def test_the_sign_in_page_is_arabic_for_an_english_browser(client, home):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "Sign in" not in html


def test_a_user_who_chose_english_gets_english_even_from_an_arabic_browser(client, staff, home):
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html and "Dashboard" in html
    # Others are not affected by that choice.
    other = get_user_model().objects.create_superuser("other", "other@example.org", "password")
    client.force_login(other)
    assert 'lang="ar"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_english_choice_is_made_in_the_account_page(client, staff, home):
    response = client.post(
        "/admin/account/",
        {
            "locale-preferred_language": "en", "locale-current_time_zone": "",
            "name_email-email": staff.email, "name_email-first_name": "سلمى", "name_email-last_name": "علي",
            "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
        },
    )
    assert response.status_code == 302  # saved: back to the dashboard
    assert UserProfile.get_for_user(staff).preferred_language == "en"
    assert "Dashboard" in client.get("/admin/").content.decode()


def test_public_pages_do_not_vary_with_the_browser_language(client, publish_article):
    article = publish_article()
    for url in ("/", article.url):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert 'lang="ar"' in response.content.decode()
        assert "Accept-Language" not in response.get("Vary", "")
