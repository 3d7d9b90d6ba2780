"""Search never shows what readers may not see, and odd dates never fail the page."""

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


@pytest.mark.parametrize("params", [{"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "0001-01-01", "to": "9999-12-31"}])
def test_extreme_dates_are_ignored(client, publish, params):
    publish("أسعار النفط")
    response = client.get("/search/", {"q": "النفط", **params})
    assert response.status_code == 200
    assert "أسعار" in response.content.decode()
