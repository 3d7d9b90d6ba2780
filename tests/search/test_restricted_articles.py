"""An article behind a view restriction (password, login, groups) is in no result and no suggestion."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def test_restricted_articles_leave_results_and_suggestions(client, publish, section):
    publish("وثيقة سرية عن النفط", "تفاصيل سرية عن عقود النفط.")
    assert "وثيقة سرية" in client.get("/search/", {"q": "النفط"}).content.decode()
    assert client.get("/search/suggest/", {"q": "وثيقة"}).json()["suggestions"]

    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="x")
    html = client.get("/search/", {"q": "النفط"}).content.decode()
    assert "وثيقة سرية" not in html and "تفاصيل سرية" not in html
    assert client.get("/search/suggest/", {"q": "وثيقة سر"}).json()["suggestions"] == []
